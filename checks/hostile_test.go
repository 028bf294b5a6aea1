package checks

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/internal/run"
)

// Regression tests for repository content written to hurt the gate: each
// case once crashed perfctl or made it do what the policy did not allow.

// writeTree writes files (module-relative name → content) into a new
// directory and returns a workspace on it.
func writeTree(t *testing.T, files map[string]string) *Workspace {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return &Workspace{Dir: dir, Exec: run.Exec{}}
}

// makefileBomb is the 420-byte Makefile of the audit: a variable that
// refers to itself a hundred times (make refuses it; perfctl ran out of
// memory expanding it five levels deep), plus two that refer to each
// other.
func makefileBomb() string {
	return "A = " + strings.Repeat("$(A)", 100) + "\nB = $(C)\nC = $(B)\nbuild:\n\tgo build $(A) $(B) ./...\n"
}

// makefileLaughs doubles a variable 40 times without recursion: a valid
// Makefile whose last variable is 2^40 bytes long.
func makefileLaughs() string {
	var b strings.Builder
	b.WriteString("L0 = x\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "L%d = $(L%d)$(L%d)\n", i, i-1, i-1)
	}
	b.WriteString("build:\n\tgo build $(L40) ./...\n")
	return b.String()
}

func TestMakefileExpansionIsBounded(t *testing.T) {
	if n := len(makefileBomb()); n > 460 {
		t.Fatalf("the bomb is %d bytes", n)
	}
	ws := writeTree(t, map[string]string{
		"go.mod":                   "module example.com/bomb\n",
		"Makefile":                 makefileBomb(),
		"laughs.mk":                makefileLaughs(),
		".github/workflows/ci.yml": "on: push\njobs:\n  x:\n    steps:\n      - run: make build\n",
	})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for _, kind := range []string{"build-flags", "ci"} {
		r := kindEvaluator(t, kind, `{}`).Evaluate(context.Background(), ws)
		if r.Status == Error {
			t.Errorf("%s: %s %q", kind, r.Status, r.Message)
		}
	}
	runtime.ReadMemStats(&after)
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 256<<20 {
		t.Errorf("evaluating a 420-byte Makefile allocated %d MiB", grown>>20)
	}
}

func TestMakeExpand(t *testing.T) {
	lines := logicalLines("Makefile", []byte("X = 1\nY = $(X)$(X)\nSELF = a $(SELF)\nP = $$HOME\nL = ${Y}\n"))
	vs := makeVars(lines)
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
		if got := vs.expand(in); got != want {
			t.Errorf("expand(%q) = %q, want %q", in, got, want)
		}
	}
	if got := makeVars(logicalLines("Makefile", []byte(makefileBomb()))).expand("$(A)"); len(got) > 401 {
		t.Errorf("a self-referencing variable expanded to %d bytes", len(got))
	}
	bomb := makeVars(logicalLines("laughs.mk", []byte(makefileLaughs())))
	got := bomb.expand("$(L40)")
	if len(got) > maxMakeExpandLine {
		t.Errorf("a line expanded to %d bytes, more than %d", len(got), maxMakeExpandLine)
	}
	for range 200 {
		bomb.expand("$(L40)")
	}
	if bomb.budget > 0 {
		t.Errorf("200 expansions of 64 KiB left a budget of %d", bomb.budget)
	}
	if got := bomb.expand("go build $(L40)"); got != "go build $(L40)" {
		t.Errorf("with the budget spent, expand changed the line to %.40q…", got)
	}
}
