package hook

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/perfctl/perfctl/internal/run"
)

// TestConcurrentRunsNeverPass: three hook runs at once on a repository
// whose staged test does not compile and whose working tree has another
// edit (so each run checks the snapshot). They shared the snapshot, one
// rebuilt it under another, and that one passed the commit ("in no Go
// module; not checked").
func TestConcurrentRunsNeverPass(t *testing.T) {
	dir := gitRepo(t)
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git := func(args ...string) {
		t.Helper()
		if out, err := exec.CommandContext(t.Context(), "git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write("go.mod", "module example.com/c\n\ngo 1.26\n")
	write("c.go", "package c\n\nfunc C() int { return 1 }\n")
	git("add", "-A")
	git("commit", "-q", "-m", "c")
	// Only a test is staged (no golangci-lint: the lint is of non-test files).
	write("c_test.go", "package c\n\nimport \"testing\"\n\nfunc BenchmarkC(b *testing.B) { C(\"no\") }\n")
	git("add", "c_test.go")
	write("c.go", "package c\n\nfunc C(string) int { return 1 } // not staged\n")
	for round := range 6 {
		if round%2 == 1 {
			// Every other round starts without a snapshot, as the first
			// commit after a clone does.
			os.RemoveAll(filepath.Join(dir, ".git", "perfctl"))
		}
		var wg sync.WaitGroup
		results := make([]*Result, 3)
		errs := make([]error, 3)
		for i := range 3 {
			wg.Go(func() { results[i], errs[i] = Run(t.Context(), &Options{Dir: dir, Exec: run.Exec{}}) })
		}
		wg.Wait()
		for i := range 3 {
			switch r := results[i]; {
			case errs[i] != nil:
				t.Errorf("round %d, run %d: %v", round, i, errs[i]) // an error blocks the commit too, but should not happen
			case !r.Snapshot || !r.Failed() || len(r.Outside) > 0:
				t.Fatalf("round %d, run %d passed the commit: snapshot %v, failed %v, outside %v, build errors %q",
					round, i, r.Snapshot, r.Failed(), r.Outside, r.BuildErrors)
			}
		}
	}
}
