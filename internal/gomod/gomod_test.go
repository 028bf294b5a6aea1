package gomod

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRoot(t *testing.T) {
	dir := t.TempDir()
	mod := filepath.Join(dir, "mod")
	sub := filepath.Join(mod, "a", "b")
	nested := filepath.Join(mod, "nested")
	for _, d := range []string{sub, nested} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{filepath.Join(mod, "go.mod"), filepath.Join(nested, "go.mod")} {
		if err := os.WriteFile(f, []byte("module x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "go.mod"), 0o755); err != nil { // a directory is no go.mod
		t.Fatal(err)
	}
	for _, tc := range []struct {
		dir, root, rel string
		ok             bool
	}{
		{mod, mod, ".", true},
		{sub, mod, "a/b", true},
		{nested, nested, ".", true},
		{dir, dir, ".", false},
	} {
		root, ok := Root(tc.dir)
		if root != tc.root || ok != tc.ok {
			t.Errorf("Root(%s) = %s, %v; want %s, %v", tc.dir, root, ok, tc.root, tc.ok)
		}
		if rel := Rel(tc.dir); rel != tc.rel {
			t.Errorf("Rel(%s) = %s, want %s", tc.dir, rel, tc.rel)
		}
		_, err := Find(tc.dir)
		if (err == nil) != tc.ok || err != nil && !strings.Contains(err.Error(), "not inside a Go module") {
			t.Errorf("Find(%s): %v", tc.dir, err)
		}
	}
}
