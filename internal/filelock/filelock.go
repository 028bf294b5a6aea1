// Package filelock serialises perfctl processes that share files, such as
// two CI jobs or three pre-commit hooks running in one repository at once.
// It wraps the advisory file locks of go-internal's lockedfile (flock on
// Unix, LockFileEx on Windows), which the kernel releases when a process
// dies, so a killed perfctl never leaves a lock behind.
package filelock

import (
	"context"
	"os"
	"path/filepath"

	"github.com/rogpeppe/go-internal/lockedfile"
)

// Acquire waits for the lock at path, creating the file and its directory
// when needed, and returns the function that releases it. It gives up
// with ctx's error when ctx is done first.
func Acquire(ctx context.Context, path string) (release func(), err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	type result struct {
		unlock func()
		err    error
	}
	got := make(chan result, 1)
	go func() {
		unlock, err := lockedfile.MutexAt(path).Lock()
		got <- result{unlock, err}
	}()
	select {
	case r := <-got:
		return r.unlock, r.err
	case <-ctx.Done():
		go func() { // release the lock once the waiting goroutine has it
			if r := <-got; r.err == nil {
				r.unlock()
			}
		}()
		return nil, ctx.Err()
	}
}
