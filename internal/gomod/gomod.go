// Package gomod finds the Go module a directory belongs to: the nearest
// directory at or above it with a go.mod. Every command that needs the
// module root (where perfctl.yaml and .perfctl/baselines live, what
// perfctl check judges, what a recorded perfctl-dir is relative to) finds
// it here, the same way.
package gomod

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/perfctl/perfctl/internal/usererr"
)

// Root returns the nearest directory at or above dir with a go.mod, made
// absolute, and whether there is one.
func Root(dir string) (string, bool) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir, false
	}
	for d := abs; ; {
		if st, err := os.Stat(filepath.Join(d, "go.mod")); err == nil && st.Mode().IsRegular() {
			return d, true
		}
		parent := filepath.Dir(d)
		if parent == d {
			return abs, false
		}
		d = parent
	}
}

// Find is Root for commands that need a module: outside one it is an
// error that says how to get into one.
func Find(dir string) (string, error) {
	root, ok := Root(dir)
	if !ok {
		return "", &usererr.Error{Msg: "not inside a Go module: no go.mod in " + root + " or above",
			Hint: "run perfctl in the module's directory (where go.mod is), or give it with -C DIR", Err: ErrNoModule}
	}
	return root, nil
}

// ErrNoModule is wrapped by Find's error outside a module.
var ErrNoModule = errors.New("not inside a Go module")

// Rel returns dir relative to its module root with forward slashes: "."
// at the root, and outside a module.
func Rel(dir string) string {
	root, ok := Root(dir)
	if !ok {
		return "."
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "."
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		return "."
	}
	return filepath.ToSlash(rel)
}
