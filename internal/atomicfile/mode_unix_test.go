//go:build unix

package atomicfile

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestModes: --out, --report, baselines and init files were chmod 0644
// whatever the umask, even when replacing a 0600 file.
func TestModes(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	dir := t.TempDir()
	fresh := filepath.Join(dir, "fresh")
	if err := WriteFile(fresh, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if m := mode(t, fresh); m != 0o600 {
		t.Errorf("a new file under umask 077: %v, want 0600", m)
	}
	syscall.Umask(0o022)
	for _, keep := range []os.FileMode{0o600, 0o640, 0o664} {
		p := filepath.Join(dir, "keep")
		if err := os.WriteFile(p, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, keep); err != nil {
			t.Fatal(err)
		}
		if err := WriteFile(p, []byte("new"), 0o644); err != nil {
			t.Fatal(err)
		}
		if m := mode(t, p); m != keep {
			t.Errorf("replacing a %v file: %v", keep, m)
		}
	}
	exe := filepath.Join(dir, "hook")
	if err := WriteNew(exe, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if m := mode(t, exe); m != 0o755 {
		t.Errorf("a new executable under umask 022: %v", m)
	}
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}
