package checks

import "testing"

func TestBuildFlagsKind(t *testing.T) {
	runKindCases(t, "build-flags", []kindCase{
		{name: "release ok", fixture: "build-flags/release-ok", params: `{}`,
			status: Pass, msg: []string{"release builds (4 in .goreleaser.yaml, Dockerfile, … and 2 more) are optimized and use -trimpath"}},
		{name: "release ok with pgo", fixture: "build-flags/release-ok", params: `{profile: release, pgo: true}`,
			status: Pass, msg: []string{"and every main package has a default.pgo"}},
		{name: "GOFLAGS", fixture: "build-flags/goflags", params: `{}`,
			status: Pass, msg: []string{"release builds (1 in Dockerfile)"}},
		{name: "release problems", fixture: "build-flags/release-bad", params: `{pgo: true}`,
			status: Fail, msg: []string{"6 problem(s) in release builds: .goreleaser.yaml:5: build \"app\" has gcflags \"all=-N -l\""},
			details: []string{
				`.goreleaser.yaml:5: build "app" has gcflags "all=-N -l", which turns off optimizations (-N) or inlining (-l) — remove it`,
				`.goreleaser.yaml:6: goreleaser build "other" has no -trimpath — add flags: [-trimpath]`,
				"Dockerfile:2: go build without -trimpath records local file paths in the binary — add -trimpath (or set GOFLAGS=-trimpath)",
				`Makefile:7: -gcflags "all=-N -l" turns off optimizations (-N) or inlining (-l)`,
				"scripts/build.sh:2: go build -race builds a race-detector binary",
				"cmd/app/main.go:2: main package cmd/app has no default.pgo",
			},
			findings: []string{".goreleaser.yaml:5", ".goreleaser.yaml:6", "Dockerfile:2", "Makefile:7", "scripts/build.sh:2", "cmd/app/main.go:2"}},
		{name: "trimpath not required", fixture: "build-flags/release-bad", params: `{require_trimpath: false}`,
			status:   Fail,
			findings: []string{".goreleaser.yaml:5", "Makefile:7", "scripts/build.sh:2"}},
		{name: "only some files", fixture: "build-flags/release-bad", params: `{files: [Dockerfile]}`,
			status: Fail, msg: []string{"1 problem(s) in release builds: Dockerfile:2: go build without -trimpath"},
			findings: []string{"Dockerfile:2"}},
		{name: "nothing to check", fixture: "build-flags/none", params: `{pgo: true}`,
			status: Skip, msg: []string{"no release build definitions (Makefile, .goreleaser.yaml, Dockerfile, scripts): nothing to check"}},

		{name: "dev ok", fixture: "build-flags/release-ok", params: `{profile: dev}`,
			status: Pass, msg: []string{"dev builds stay incremental: go's build cache reuses every unchanged package"}},
		{name: "dev without build files", fixture: "build-flags/none", params: `{profile: dev, files: [Makefile]}`,
			status: Pass, msg: []string{"none of the 0 build file(s) disables it"}},
		{name: "dev problems", fixture: "build-flags/dev-bad", params: `{profile: dev}`,
			status: Fail, msg: []string{"4 build definition(s) defeat go's build cache: Makefile:2: go build -a rebuilds every package"},
			details: []string{
				"Makefile:5: go clean -cache empties the build cache",
				"scripts/env.sh:2: GOCACHE=off turns the build cache off",
				"scripts/env.sh:3: GOFLAGS has -a",
			},
			findings: []string{"Makefile:2", "Makefile:5", "scripts/env.sh:2", "scripts/env.sh:3"}},
	})
}

func TestBuildFlagsKindParams(t *testing.T) {
	runParamsCases(t, "build-flags", []paramsCase{
		{`{profile: prod}`, `profile: "prod": use release or dev`},
		{`{profile: dev, pgo: true}`, "pgo applies to profile: release only"},
		{`{profile: dev, require_trimpath: false}`, "require_trimpath applies to profile: release only"},
		{`{files: ["[x"]}`, `files: "[x" is not a valid glob`},
		{`{pgo: maybe}`, "pgo: `maybe` is not true or false"},
		{`{trimpath: true}`, `unknown key "trimpath"`},
	})
}

func TestBuildLineFlags(t *testing.T) {
	for _, tc := range []struct {
		line string
		want int // problems in release mode, -trimpath required
	}{
		{`go build -trimpath -o x .`, 0},
		{`go build -gcflags "all=-N -l" -trimpath .`, 1},
		{`go build -gcflags='-N' -trimpath .`, 1},
		{`go build -gcflags=-lang=go1.22 -trimpath .`, 0},
		{`go build -trimpath -gcflags=all=-m .`, 0},
		{`go build -race .`, 2},
		{`go test -race ./... && go vet ./...`, 0},
		{`go install -trimpath ./cmd/...`, 0},
		{`go install golang.org/x/tools/cmd/stringer@latest`, 0},
		{`RUN CGO_ENABLED=0 GOFLAGS=-trimpath go build -o /app .`, 0},
		{`sh.Run("go", "build", "-o", "bin/app", ".")`, 1},
		{`cargo build --release`, 0},
	} {
		var s buildScan
		s.trimpath = true
		f := "build.sh"
		switch tc.line[0] {
		case 's':
			f = "magefile.go"
		case 'R':
			f = "Dockerfile"
		}
		s.file(f, []byte(tc.line+"\n"))
		if len(s.problems) != tc.want {
			t.Errorf("%s: %d problems %+v, want %d", tc.line, len(s.problems), s.problems, tc.want)
		}
	}
}
