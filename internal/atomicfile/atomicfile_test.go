package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func TestCommitReplacesAbortKeeps(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "f.txt")
	if err := WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Create(path, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("half of the new"); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); string(data) != "old" {
		t.Fatalf("content changed before Commit: %q", data)
	}
	f.Abort()
	if data, _ := os.ReadFile(path); string(data) != "old" {
		t.Fatalf("content changed by Abort: %q", data)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Fatalf("Abort left files: %v", entries)
	}
	if err := WriteFile(path, []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); string(data) != "new" {
		t.Fatalf("content %q after Commit", data)
	}
	if err := f.Commit(); err == nil {
		t.Error("Commit after Abort succeeded")
	}
}

// TestCommitNewRace: two baseline saves without --force both "succeeded"
// in 78 of 200 trials when the check for an existing file and the rename
// were two steps.
func TestCommitNewRace(t *testing.T) {
	for trial := range 50 {
		path := filepath.Join(t.TempDir(), "main.txt")
		var won atomic.Int32
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				err := WriteNew(path, []byte{byte('a' + i)}, 0o644)
				switch {
				case err == nil:
					won.Add(1)
				case !errors.Is(err, ErrExists):
					t.Errorf("trial %d: %v", trial, err)
				}
			})
		}
		wg.Wait()
		if won.Load() != 1 {
			t.Fatalf("trial %d: %d writers won", trial, won.Load())
		}
		if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
			t.Fatalf("trial %d: files left: %v", trial, entries)
		}
	}
}

func TestCommitNewKeepsExisting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := WriteNew(path, []byte("theirs"), 0o644)
	if !errors.Is(err, ErrExists) {
		t.Errorf("WriteNew over a file: %v", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "mine" {
		t.Errorf("content %q", data)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("files left: %v", entries)
	}
}

func TestErrorsDoNotNameTheTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "adir")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(target, []byte("x"), 0o644)
	if err == nil {
		t.Fatal("replacing a directory succeeded")
	}
	if got := err.Error(); strings.Contains(got, ".tmp-") || strings.Contains(got, ".adir") {
		t.Errorf("the error names the temporary file: %v", err)
	}
}

func TestCheckWritable(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		filepath.Join(dir, "new.txt"):           "",
		filepath.Join(dir, "a", "b", "new.txt"): "",
		file:                                    "",
		dir:                                     "is a directory",
		filepath.Join(file, "new.txt"):          file + " is not a directory",
		filepath.Join(file, "sub", "deep", "x.txt"): file + " is not a directory",
	} {
		err := CheckWritable(path)
		switch {
		case want == "" && err != nil:
			t.Errorf("CheckWritable(%s): %v", path, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("CheckWritable(%s) = %v, want %q", path, err, want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("CheckWritable left files: %v", entries)
	}
	if os.Getuid() != 0 { // root writes anywhere
		ro := filepath.Join(dir, "ro")
		if err := os.Mkdir(ro, 0o555); err != nil {
			t.Fatal(err)
		}
		if err := CheckWritable(filepath.Join(ro, "x")); err == nil || !strings.Contains(err.Error(), "no permission") {
			t.Errorf("a read-only directory: %v", err)
		}
	}
}
