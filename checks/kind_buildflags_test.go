package checks

import (
	"strings"
	"testing"
)

func TestBuildFlagsKind(t *testing.T) {
	runKindCases(t, "build-flags", []kindCase{
		{name: "release ok", fixture: "build-flags/release-ok", params: `{}`,
			status: Pass, msg: []string{"release builds (4 in .goreleaser.yaml, Dockerfile, … and 2 more) are optimized"}},
		{name: "release ok, trimpath required", fixture: "build-flags/release-ok", params: `{require_trimpath: true}`,
			status: Pass, msg: []string{"release builds (4 in .goreleaser.yaml, Dockerfile, … and 2 more) are optimized and use -trimpath"}},
		{name: "release ok with pgo", fixture: "build-flags/release-ok", params: `{profile: release, pgo: true}`,
			status: Pass, msg: []string{"and every main package has a default.pgo"}},
		{name: "GOFLAGS", fixture: "build-flags/goflags", params: `{}`,
			status: Pass, msg: []string{"release builds (1 in Dockerfile)"}},
		{name: "release problems", fixture: "build-flags/release-bad", params: `{pgo: true, require_trimpath: true}`,
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
			status: Fail, msg: []string{"3 problem(s) in release builds"},
			details:  []string{"note: 2 release builds without -trimpath (.goreleaser.yaml:6, Dockerfile:2): the binaries record local file paths"},
			findings: []string{".goreleaser.yaml:5", "Makefile:7", "scripts/build.sh:2"}},
		{name: "trimpath is a note by default", fixture: "build-flags/release-bad", params: `{files: [Dockerfile]}`,
			status: Pass, msg: []string{"release builds (1 in Dockerfile) are optimized; note: 1 without -trimpath"},
			details: []string{"note: 1 release build without -trimpath (Dockerfile:2)"}},
		{name: "only some files", fixture: "build-flags/release-bad", params: `{files: [Dockerfile], require_trimpath: true}`,
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

func TestBuildFlagsWaivers(t *testing.T) {
	runKindCases(t, "build-flags", []kindCase{
		{name: "debug targets, comments and tools", fixture: "build-flags/waivers", params: `{debug_targets: [dlv]}`,
			status: Fail, msg: []string{"3 problem(s) in release builds (3 findings waived): Makefile:22: go build -race builds a race-detector binary"},
			details: []string{
				"Makefile:22: perfctl:ignore without a reason: say why after --",
				"scripts/msan.sh:2: go build -msan builds an instrumented binary",
				"waived: Makefile:12: -gcflags \"all=-N -l\" turns off optimizations (-N) or inlining (-l) — remove it from release builds (debug builds only) — debug build: target debug is marked perfctl:debug-build at Makefile:10",
				"waived: Makefile:15: -gcflags \"all=-N -l\" turns off optimizations (-N) or inlining (-l) — remove it from release builds (debug builds only) — debug build: target dlv is in debug_targets",
				"waived: Makefile:19: go build -race builds a race-detector binary, several times slower — remove -race from release builds (use go test -race) — published as app-race for bug reports (perfctl:ignore at Makefile:18)",
				"note: 4 release builds without -trimpath (Makefile:19, Makefile:22, Makefile:25, scripts/msan.sh:2)",
			},
			findings: []string{"Makefile:22", "Makefile:22", "scripts/msan.sh:2"}},
		{name: "a debug target not named", fixture: "build-flags/waivers", params: `{}`,
			status: Fail, msg: []string{"4 problem(s) in release builds (2 findings waived)"},
			findings: []string{"Makefile:15", "Makefile:22", "Makefile:22", "scripts/msan.sh:2"}},
		{name: "waived by the policy", fixture: "build-flags/waivers", params: `{debug_targets: [dlv], waive: [{target: bare, reason: a test build}, {path: "scripts/*.sh", reason: sanitizer builds for fuzzing}]}`,
			status: Pass, msg: []string{"release builds (7 in Makefile, scripts/msan.sh) are optimized; note: 4 without -trimpath; 5 findings waived"},
			details: []string{
				"waived: Makefile:22: go build -race builds a race-detector binary, several times slower — remove -race from release builds (use go test -race) — a test build (waive: target bare in the policy)",
				"waived: scripts/msan.sh:2: go build -msan builds an instrumented binary, slower than a release build — remove -msan from release builds (use it in tests) — sanitizer builds for fuzzing (waive: scripts/*.sh in the policy)",
			}},
		{name: "trimpath required", fixture: "build-flags/waivers", params: `{require_trimpath: true, debug_targets: [dlv]}`,
			status:   Fail,
			findings: []string{"Makefile:22", "Makefile:22", "Makefile:22", "Makefile:25", "scripts/msan.sh:2", "scripts/msan.sh:2"}},
	})
}

func TestBuildFlagsWaiverParams(t *testing.T) {
	runParamsCases(t, "build-flags", []paramsCase{
		{`{waive: [{target: debug}]}`, "waive[0]: give the reason"},
		{`{waive: [{reason: "  "}]}`, "waive[0]: give the reason"},
		{`{waive: [{reason: why}]}`, "waive[0]: give a path (a glob) or a target"},
		{`{debug_targets: [""]}`, "debug_targets[0]: an empty target name"},
		{`{profile: dev, require_trimpath: true}`, "require_trimpath applies to profile: release only"},
	})
}

func TestBuildsTools(t *testing.T) {
	for _, tc := range []struct {
		args  string
		tools bool
	}{
		{"golang.org/x/vuln/cmd/govulncheck", true},
		{"golang.org/x/tools/cmd/stringer@latest", true},
		{"-ldflags=-s honnef.co/go/tools/cmd/staticcheck@v0.6.1", true},
		{"-o bin/x golang.org/x/tools/cmd/stringer", true},
		{"example.com/app/cmd/app", false}, // the module itself
		{"example.com/app", false},
		{"example.com/application/cmd/x", true}, // another module with a common prefix
		{"./cmd/app", false},
		{"", false},
		{"-o bin/app", false},
		{"main.go", false},
		{"golang.org/x/vuln/cmd/govulncheck ./cmd/app", false},
		{"$(PKG)", false},
	} {
		if got := buildsTools(strings.Fields(tc.args), "example.com/app"); got != tc.tools {
			t.Errorf("go install %s: builds tools %v, want %v", tc.args, got, tc.tools)
		}
	}
}

// TestBuildFlagsScopeCI: with scope: ci, only what CI runs is read — the
// model of the ci kind — so a target CI never runs does not count.
func TestBuildFlagsScopeCI(t *testing.T) {
	runKindCases(t, "build-flags", []kindCase{
		{name: "CI runs the build target only", fixture: "build-flags/scope", params: `{scope: ci}`,
			status: Pass, msg: []string{"release builds (1 in Makefile) are optimized"}},
		{name: "every target", fixture: "build-flags/scope", params: `{}`,
			status: Fail, msg: []string{"1 problem(s) in release builds: Makefile:5: -gcflags \"all=-N -l\""},
			findings: []string{"Makefile:5"}},
	})
	runParamsCases(t, "build-flags", []paramsCase{{`{scope: everything}`, `scope: "everything": use all or ci`}})
}
