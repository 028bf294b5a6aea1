package gitinfo

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/perfctl/perfctl/internal/run"
)

func TestRead(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		c := exec.CommandContext(t.Context(), "git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@t"}, args...)...)
		if out, err := c.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	if info := Read(t.Context(), run.Exec{}, dir); info != (Info{}) {
		t.Errorf("outside a repository: %+v", info)
	}
	git("init", "-q", "-b", "main")
	write := func(name string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.txt")
	git("add", "a.txt")
	git("commit", "-q", "-m", "a")
	info := Read(t.Context(), run.Exec{}, dir)
	if len(info.Commit) != 40 || info.Branch != "main" || info.Dirty {
		t.Errorf("clean: %+v", info)
	}
	// perfctl's state and a $TMPDIR inside the repository (its work
	// files during a run) do not make the tree dirty.
	write(".perfctl/baselines/main.txt")
	t.Setenv("TMPDIR", filepath.Join(dir, ".tmp"))
	write(".tmp/perfctl-run-1/go-build2/x.o")
	if info := Read(t.Context(), run.Exec{}, dir); info.Dirty {
		t.Errorf("perfctl's own files made the tree dirty: %+v", info)
	}
	write("b.txt")
	if info := Read(t.Context(), run.Exec{}, dir); !info.Dirty {
		t.Errorf("an untracked file: %+v", info)
	}
	git("checkout", "-q", "--detach")
	if info := Read(t.Context(), run.Exec{}, dir); info.Branch != "" {
		t.Errorf("detached: %+v", info)
	}
}
