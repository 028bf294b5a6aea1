package cmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/perfctl/perfctl/internal/run"
)

// recordingRunner runs commands for real and remembers their programs.
type recordingRunner struct {
	mu       sync.Mutex
	programs []string
}

func (r *recordingRunner) Run(ctx context.Context, c *run.Cmd) error {
	r.mu.Lock()
	r.programs = append(r.programs, c.Args[0])
	r.mu.Unlock()
	return run.Exec{}.Run(ctx, c)
}

// --history where there is no repository to record in is refused before
// any benchmark is built: exit 2 with a hint, no go command run, no file
// written.
func TestHistoryFlagRefusedOutsideRepository(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"bench", "--history", "--out", "new.txt"},
		{"baseline", "save", "--history"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Parallel()
			dir := moduleDir(t) // a temporary directory: not in a git repository
			if err := os.WriteFile(filepath.Join(dir, "x_test.go"), []byte("package m\nimport \"testing\"\nfunc BenchmarkX(b *testing.B) {}\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			r := &recordingRunner{}
			f := testFactory(t, dir, nil)
			f.Exec = r
			code := Run(context.Background(), f, args)
			stderr := f.IOStreams.ErrOut.(interface{ String() string }).String()
			if code != ExitError {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, ExitError, stderr)
			}
			if !strings.Contains(stderr, "not a git repository") || !strings.Contains(stderr, "hint:") {
				t.Errorf("stderr does not say why and what to do:\n%s", stderr)
			}
			for _, p := range r.programs {
				if p != "git" {
					t.Errorf("ran %s before refusing", p)
				}
			}
			if len(r.programs) == 0 {
				t.Error("git was not asked: the refusal did not look at the repository")
			}
			for _, file := range []string{"new.txt", filepath.Join(".perfctl", "baselines", "main.txt")} {
				if _, err := os.Stat(filepath.Join(dir, file)); err == nil {
					t.Errorf("%s was written", file)
				}
			}
		})
	}
}
