package buildfiles

import (
	"slices"
	"testing"
)

func TestCommands(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		want       []string
	}{
		{".github/workflows/ci.yml", `name: perfctl check
on: [push]
env:
  GOFLAGS: -trimpath
jobs:
  bench:
    name: make bench
    runs-on: ubuntu-latest
    strategy: {matrix: {go: [stable]}}
    steps:
      - uses: actions/checkout@v4
        with: {fetch-depth: 0}
      # - run: make lint
      - name: go test -bench
        run: |
          go vet ./...
          go test -run '^$' -bench . \
            -count ${{ matrix.count }} ./... > new.txt
          echo "perfctl check" >> "$GITHUB_STEP_SUMMARY"
      - uses: perfctl/perfctl@v1
        with:
          command: compare
          args: old.txt new.txt
      - uses: actions/github-script@v7
        with:
          script: run("make bench")
      - run: make lint
`, []string{
			`11 uses actions/checkout@v4 fetch-depth="0"@12`,
			`16 ["go" "vet" "./..."]`,
			`17 ["go" "test" "-run" "^$" "-bench" "." "-count" "${{ matrix.count }}" "./..."] redirs=[">new.txt"]`,
			`19 ["echo"] redirs=[">>$GITHUB_STEP_SUMMARY"]`,
			`20 uses perfctl/perfctl@v1 command="compare"@22 args="old.txt new.txt"@23`,
			`24 uses actions/github-script@v7 script="run(\"make bench\")"@26`,
			`27 ["make" "lint"]`,
		}},
		{".gitlab-ci.yml", `.setup: &setup
  before_script:
    - go version
bench:
  <<: *setup
  script:
    - make bench
    - !reference [.setup, before_script]
  after_script: ["go tool benchstat old.txt new.txt"]
---
second: {script: go vet ./...}
`, []string{`3 ["go" "version"]`, `7 ["make" "bench"]`, `9 ["go" "tool" "benchstat" "old.txt" "new.txt"]`, `11 ["go" "vet" "./..."]`}},
		{".circleci/config.yml", "jobs:\n  b:\n    steps:\n      - run: {name: bench, command: make bench}\n      - run: make lint\n",
			[]string{`4 ["make" "bench"]`, `5 ["make" "lint"]`}},
		{".gitlab-ci.yml", "bench:\n  script:\n    - make bench\n   bad: [indent\n  name: make lint\n- go vet ./...\n  - uses: golangci/golangci-lint-action@v8\n",
			[]string{`3 ["make" "bench"]`, `6 ["go" "vet" "./..."]`, `7 uses golangci/golangci-lint-action@v8`}},
		{"Jenkinsfile", `pipeline {
  agent any
  stages {
    stage('bench') {
      steps {
        sh 'go test -run=^$ -bench=. ./... > new.txt'
        sh(script: "benchstat old.txt new.txt", returnStdout: true)
        sh """
          make lint
          make \$TARGET
        """
        echo 'make nothing'
      }
    }
  }
}
`, []string{`6 ["go" "test" "-run=^$" "-bench=." "./..."] redirs=[">new.txt"]`, `7 ["benchstat" "old.txt" "new.txt"]`, `9 ["make" "lint"]`, `10 ["make" "$TARGET"]`}},
		{"Dockerfile", "FROM golang:1.26\nENV GOFLAGS=-trimpath\nRUN --mount=type=cache,target=/root/.cache \\\n    go build -o /app . && go vet ./...\nRUN [\"sh\", \"-c\", \"make bench\"]\nonbuild run go test ./...\nCMD go build\n",
			[]string{`3 ["go" "build" "-o" "/app" "."]`, `3 ["go" "vet" "./..."]`, `5 ["make" "bench"]`, `6 ["go" "test" "./..."]`}},
		{"magefile.go", "//go:build mage\n\npackage main\n\nfunc Build() error {\n\tfmt.Println(\"building\")\n\treturn sh.RunWith(env, \"go\", \"build\",\n\t\t\"-o\", \"bin/app\", \".\")\n}\n\nvar test = []string{\"go\", \"test\", `./...`}\n",
			[]string{`7 ["go" "build" "-o" "bin/app" "."]`, `11 ["go" "test" "./..."]`}},
		{"Makefile", "GO ?= go\nbuild:\n\t$(GO) build ./...\nlint:\n\tgolangci-lint run\n", []string{`3 ["go" "build" "./..."]`, `5 ["golangci-lint" "run"]`}},
		{"justfile", "lint:\n    golangci-lint run\n", []string{`2 ["golangci-lint" "run"]`}},
		{"Taskfile.yml", "tasks:\n  lint: golangci-lint run\n", []string{`2 ["golangci-lint" "run"]`}},
		{".goreleaser.yaml", "builds:\n  - flags: [-trimpath]\n", []string{}},
		{"scripts/ci.sh", "#!/bin/sh\nset -eu\nfor p in $(go list ./...); do\n  go test -bench . \"$p\"\ndone\n",
			[]string{`2 ["set" "-eu"]`, `3 ["go" "list" "./..."]`, `4 ["go" "test" "-bench" "." "$p"]`}},
		{"scripts/ci.sh", "go build\x00", []string{}},
	} {
		if got := show(Commands(tc.name, []byte(tc.data))); !slices.Equal(got, tc.want) {
			t.Errorf("Commands(%s, %.30q…)\n got %q\nwant %q", tc.name, tc.data, got, tc.want)
		}
	}
}

func TestReadGoreleaser(t *testing.T) {
	g, err := ReadGoreleaser([]byte("version: 2\nenv: [GOFLAGS=-trimpath]\nbuilds:\n  - id: app\n    flags: -race\n    gcflags: [all=-N -l]\n  - skip: true\n    builder: rust\n    env: [A=1]\n  - 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := &Goreleaser{Line: 1, Env: []Value{{2, "GOFLAGS=-trimpath"}}, Builds: []GoBuild{
		{Line: 4, ID: "app", Builder: "go", Flags: []Value{{5, "-race"}}, Gcflags: []Value{{6, "all=-N -l"}}},
		{Line: 7, Skip: true, Builder: "rust", Env: []Value{{9, "A=1"}}},
	}}
	if !equalGoreleaser(g, want) {
		t.Errorf("got %+v, want %+v", g, want)
	}
	if g, err := ReadGoreleaser([]byte("project_name: x\nbuilds: {a: 1}\n")); err != nil || !g.Default || g.Builds != nil {
		t.Errorf("builds that are not a list: %+v, %v", g, err)
	}
	for _, bad := range []string{"builds: [", "", "# nothing\n"} {
		if _, err := ReadGoreleaser([]byte(bad)); err == nil {
			t.Errorf("ReadGoreleaser(%q) does not fail", bad)
		}
	}
}

func equalGoreleaser(a, b *Goreleaser) bool {
	return a.Line == b.Line && a.Default == b.Default && slices.Equal(a.Env, b.Env) &&
		slices.EqualFunc(a.Builds, b.Builds, func(x, y GoBuild) bool {
			return x.Line == y.Line && x.ID == y.ID && x.Skip == y.Skip && x.Builder == y.Builder &&
				slices.Equal(x.Flags, y.Flags) && slices.Equal(x.Gcflags, y.Gcflags) && slices.Equal(x.Env, y.Env)
		})
}
