package buildfiles

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestMakefileTargets(t *testing.T) {
	mf := ReadMakefile("Makefile", []byte("X := a\nall: one\none: two | three\n\t@go vet $(X) $$HOME\ntwo:; -go build two\nthree:\n\t$(MAKE) four\nfour:\n\t+go test four\n\nV = 1\none: V=2\n"))
	if mf.Default != "all" {
		t.Errorf("default goal %q", mf.Default)
	}
	want := []string{`5 ["go" "build" "two"]`, `7 ["make" "four"]`, `9 ["go" "test" "four"]`, `4 ["go" "vet" "a" "$HOME"]`}
	if got := show(mf.Run("all")); !slices.Equal(got, want) {
		t.Errorf("make all: %q, want %q", got, want)
	}
	if got := mf.Rules["one"].Recipe[0].Text; got != "go vet a $$HOME" {
		t.Errorf("recipe of one: %q", got)
	}
	want = []string{`4 ["go" "vet" "a" "$HOME"]`, `5 ["go" "build" "two"]`, `7 ["make" "four"]`, `9 ["go" "test" "four"]`}
	if got := show(mf.Commands()); !slices.Equal(got, want) {
		t.Errorf("every recipe: %q, want %q", got, want)
	}
	if got := mf.Run("nothere"); got != nil {
		t.Errorf("make nothere: %q", show(got))
	}
}

// hostile reads a file of testdata/hostile: bomb.mk is the 420-byte
// Makefile of the audit, a variable that refers to itself a hundred times
// (make refuses it; perfctl ran out of memory expanding it five levels
// deep), plus two that refer to each other; laughs.mk doubles a variable
// 40 times without recursion, a valid Makefile whose last variable is
// 2^40 bytes long; storm.mk has variables that expand to nothing, each
// referring eight times to the next: 8^16 references for one line;
// aliasbomb.yaml nests YAML aliases nine times nine deep, harmless as long
// as nobody expands them.
func hostile(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "hostile", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestMakeExpand(t *testing.T) {
	lines := LogicalLines("Makefile", []byte("X = 1\nY = $(X)$(X)\nSELF = a $(SELF)\nP = $$HOME\nL = ${Y}\n"))
	vs := ReadMakeVars(lines)
	for in, want := range map[string]string{
		"$(Y)":            "11",
		"${L}-$(X)":       "11-1",
		"$(SELF)":         "a $(SELF)", // make: "Recursive variable references itself"
		"$(P) $$PATH":     "$HOME $PATH",
		"$(shell $(X))":   "$(shell 1)",
		"$(UNKNOWN) $":    "$(UNKNOWN) $",
		"$(unclosed $(X)": "$(unclosed $(X)",
		"$X":              "$X",
		"no references":   "no references",
	} {
		if got := vs.Expand(in); got != want {
			t.Errorf("expand(%q) = %q, want %q", in, got, want)
		}
	}
	if got := vs.expand("$(P) $$PATH", true); got != "$$HOME $$PATH" {
		t.Errorf("expand keeping $$: %q", got)
	}
	if got := ReadMakeVars(LogicalLines("Makefile", hostile(t, "bomb.mk"))).Expand("$(A)"); len(got) > 401 {
		t.Errorf("a self-referencing variable expanded to %d bytes", len(got))
	}
	bomb := ReadMakeVars(LogicalLines("laughs.mk", hostile(t, "laughs.mk")))
	got := bomb.Expand("$(L40)")
	if len(got) > maxMakeExpandLine {
		t.Errorf("a line expanded to %d bytes, more than %d", len(got), maxMakeExpandLine)
	}
	for range 200 {
		bomb.Expand("$(L40)")
	}
	if bomb.budget > 0 {
		t.Errorf("200 expansions of 64 KiB left a budget of %d", bomb.budget)
	}
	if got := bomb.Expand("go build $(L40)"); got != "go build $(L40)" {
		t.Errorf("with the budget spent, expand changed the line to %.40q…", got)
	}
}

func TestJustfile(t *testing.T) {
	jf := ReadJustfile("justfile", []byte("set shell := [\"bash\", \"-c\"]\n\ndefault: ci\n\nci: lint\n    go test -run '^$' -bench {{pattern}} ./...\n\nlint:\n    @golangci-lint run ./...\n    -go vet ./...\n"))
	if jf.Default != "default" {
		t.Errorf("default recipe %q", jf.Default)
	}
	want := []string{`9 ["golangci-lint" "run" "./..."]`, `10 ["go" "vet" "./..."]`, `6 ["go" "test" "-run" "^$" "-bench" "{{pattern}}" "./..."]`}
	if got := show(jf.Run("default")); !slices.Equal(got, want) {
		t.Errorf("just: %q, want %q", got, want)
	}
	if got := len(jf.Commands()); got != 3 {
		t.Errorf("%d commands in the recipes, want 3", got)
	}
}

func TestTaskfile(t *testing.T) {
	tf := ReadTaskfile("Taskfile.yml", []byte(`version: '3'
tasks:
  perf:
    deps: [lint, {task: vet}]
    cmds:
      - task: bench
      - cmd: echo done
  bench:
    cmds:
      - |
        go test -run '^$' \
          -bench . ./...
        benchstat old.txt new.txt
  lint:
    cmd: golangci-lint run {{.PKGS}}
  vet: go vet ./...
`))
	if !slices.Equal(tf.Tasks(), []string{"perf", "bench", "lint", "vet"}) || !tf.Has("vet") || tf.Has("nothere") {
		t.Errorf("tasks %q", tf.Tasks())
	}
	want := []string{`15 ["golangci-lint" "run" "{{.PKGS}}"]`, `16 ["go" "vet" "./..."]`, `11 ["go" "test" "-run" "^$" "-bench" "." "./..."]`, `13 ["benchstat" "old.txt" "new.txt"]`, `7 ["echo"]`}
	if got := show(tf.Run("perf")); !slices.Equal(got, want) {
		t.Errorf("task perf: %q, want %q", got, want)
	}
	if got := len(tf.Commands()); got != 5 {
		t.Errorf("%d commands in the tasks, want 5", got)
	}
	if got := ReadTaskfile("Taskfile.yml", []byte("tasks: [")).Tasks(); got != nil {
		t.Errorf("a Taskfile that is not YAML has tasks %q", got)
	}
}
