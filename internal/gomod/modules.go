package gomod

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/perfctl/perfctl/internal/english"
	"github.com/perfctl/perfctl/internal/usererr"
)

// A Module is one Go module of a repository or a workspace.
type Module struct {
	Path string // the module path its go.mod declares ("" when it declares none)
	Dir  string // its directory, absolute
	// Rel is Dir relative to the layout's Root, with forward slashes: "."
	// for the root itself, "benchmarks", "tools/lint".
	Rel string
	// Covered says whether the command covers it (Layout.Cover).
	Covered bool
}

// Label names m for messages: "./benchmarks", or "." at the root.
func (m *Module) Label() string {
	if m.Rel == "." {
		return "."
	}
	return "./" + m.Rel
}

// Name is m's module path with its directory, e.g.
// "example.com/a (./a)".
func (m *Module) Name() string {
	if m.Path == "" {
		return m.Label()
	}
	return m.Path + " (" + m.Label() + ")"
}

// A Layout is the modules seen from a directory: those go.work uses, or,
// without a workspace, the module the directory is in and the modules
// nested under it (which ./... does not reach: it stops at a go.mod).
type Layout struct {
	// Root is go.work's directory, or the module root.
	Root string
	// Work is the go.work file the modules come from; "" without a
	// workspace.
	Work string
	// Modules are sorted by Rel; the root module (if any) comes first.
	Modules []Module
	// Current is the index in Modules of the module the directory is in,
	// or -1 (a workspace's directory that is no module itself).
	Current int
	// Notes say what the walk for nested modules did not look at: the
	// caps it reached, directories it could not read.
	Notes []string
}

// The bounds of the walk for nested modules: a repository's content can be
// any size, and the walk runs before every command that works on modules.
const (
	MaxModules  = 200    // modules listed, go.work's or nested
	MaxWalkDirs = 20_000 // directories visited looking for nested modules
	maxFileSize = 1 << 20
)

// skipDirs are not searched for nested modules: the go command ignores
// them too (vendor, testdata), or they are not Go code.
var skipDirs = []string{"vendor", "testdata", "node_modules"}

// The caps the walk applies: MaxModules and MaxWalkDirs, lowered by tests.
var maxModules, maxWalkDirs = MaxModules, MaxWalkDirs

// Discover finds the modules seen from dir. With a go.work at or above
// dir (as the go command finds it; GOWORK=off turns workspaces off and
// GOWORK=FILE names one), they are the workspace's use directives;
// otherwise the module dir is in and the modules nested under its root.
// A use directive that leaves go.work's directory, directly or through a
// symbolic link, is an error: the repository's content decides what
// perfctl runs, and must not send it outside.
func Discover(dir string) (*Layout, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	work, err := findWork(abs)
	if err != nil {
		return nil, err
	}
	if work != "" {
		return workspace(abs, work)
	}
	root, err := Find(abs)
	if err != nil {
		return nil, err
	}
	l := &Layout{Root: root}
	l.walk()
	l.setCurrent(abs)
	return l, nil
}

// WorkRoot returns the directory of the go.work the go command would use
// in dir, and whether there is one.
func WorkRoot(dir string) (string, bool) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	work, err := findWork(abs)
	if err != nil || work == "" {
		return "", false
	}
	return filepath.Dir(work), true
}

// findWork returns the go.work the go command would use in dir, or "".
func findWork(dir string) (string, error) {
	switch v := os.Getenv("GOWORK"); {
	case v == "off":
		return "", nil
	case v != "":
		if !filepath.IsAbs(v) {
			return "", usererr.New("GOWORK="+v+" is not an absolute path", "set GOWORK to the absolute path of a go.work file, or to off")
		}
		return v, nil
	}
	for d := dir; ; {
		if st, err := os.Stat(filepath.Join(d, "go.work")); err == nil && st.Mode().IsRegular() {
			return filepath.Join(d, "go.work"), nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", nil
		}
		d = parent
	}
}

// workspace reads the modules of the go.work file work, seen from dir.
func workspace(dir, work string) (*Layout, error) {
	data, err := readHead(work)
	if err != nil {
		return nil, &usererr.Error{File: work, Msg: "cannot read the workspace file: " + err.Error(), Err: err}
	}
	wf, err := modfile.ParseWork(work, data, nil)
	if err != nil {
		return nil, &usererr.Error{File: work, Msg: "cannot parse the workspace file", Details: strings.Split(err.Error(), "\n"),
			Hint: "fix go.work (go work edit -fmt shows the problem too), or set GOWORK=off to ignore it", Err: err}
	}
	root := filepath.Dir(work)
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, err
	}
	l := &Layout{Root: root, Work: work}
	if len(wf.Use) > MaxModules {
		return nil, &usererr.Error{File: work, Msg: fmt.Sprintf("the workspace uses %d modules; perfctl reads at most %d", len(wf.Use), MaxModules),
			Hint: "run perfctl with GOWORK=off in the modules you want to check"}
	}
	seen := map[string]bool{}
	for _, u := range wf.Use {
		m, err := useDir(root, realRoot, work, u)
		if err != nil {
			return nil, err
		}
		if !seen[m.Dir] {
			seen[m.Dir] = true
			l.Modules = append(l.Modules, m)
		}
	}
	if len(l.Modules) == 0 {
		return nil, &usererr.Error{File: work, Msg: "the workspace uses no module",
			Hint: "add one with go work use DIR, or set GOWORK=off to ignore go.work"}
	}
	l.sort()
	l.setCurrent(dir)
	if l.Current < 0 {
		if root, ok := Root(dir); ok {
			return nil, &usererr.Error{File: work, Msg: fmt.Sprintf("%s is in the module at %s, which the workspace does not use", dir, root),
				Hint: "add it with go work use, or set GOWORK=off to work on the module alone"}
		}
	}
	return l, nil
}

// useDir checks one use directive of work: a directory inside go.work's
// own (also after following symbolic links), with a go.mod.
func useDir(root, realRoot, work string, u *modfile.Use) (Module, error) {
	line := 0
	if u.Syntax != nil {
		line = u.Syntax.Start.Line
	}
	refuse := func(why string) error {
		return &usererr.Error{File: work, Line: line, Msg: fmt.Sprintf("use %s: %s", u.Path, why),
			Hint: "perfctl runs only modules inside the workspace's directory: use a path below it, e.g. use ./mymodule"}
	}
	p := filepath.FromSlash(u.Path)
	if filepath.IsAbs(p) || !filepath.IsLocal(filepath.Clean(p)) {
		return Module{}, refuse("the directory is outside the workspace's directory")
	}
	dir := filepath.Join(root, p)
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return Module{}, refuse("no such directory")
	}
	if !within(realRoot, real) {
		return Module{}, refuse("a symbolic link leads outside the workspace's directory")
	}
	gomod := filepath.Join(dir, "go.mod")
	realMod, err := filepath.EvalSymlinks(gomod)
	if err != nil {
		return Module{}, &usererr.Error{File: work, Line: line, Msg: fmt.Sprintf("use %s: the directory has no go.mod", u.Path),
			Hint: "remove the use directive, or create the module with go mod init"}
	}
	if !within(realRoot, realMod) {
		return Module{}, refuse("its go.mod is a symbolic link that leads outside the workspace's directory")
	}
	rel, _ := filepath.Rel(root, dir)
	return Module{Path: modulePath(gomod), Dir: dir, Rel: filepath.ToSlash(rel)}, nil
}

// within reports whether path is root or below it.
func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && (rel == "." || filepath.IsLocal(rel))
}

// walk lists the module at l.Root and the modules nested under it, within
// the caps.
func (l *Layout) walk() {
	l.Modules = []Module{{Path: modulePath(filepath.Join(l.Root, "go.mod")), Dir: l.Root, Rel: "."}}
	dirs := 0
	unreadable := 0
	capped := ""
	err := filepath.WalkDir(l.Root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if d != nil && d.IsDir() && path != l.Root {
				unreadable++
				return filepath.SkipDir
			}
			return err
		}
		if !d.IsDir() { // symbolic links to directories are not followed
			return nil
		}
		if path == l.Root {
			return nil
		}
		name := d.Name()
		if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || slices.Contains(skipDirs, name) {
			return filepath.SkipDir
		}
		if dirs++; dirs > maxWalkDirs {
			capped = fmt.Sprintf("stopped looking for nested modules after %d directories: modules further in are not listed", maxWalkDirs)
			return filepath.SkipAll
		}
		gomod := filepath.Join(path, "go.mod")
		if st, err := os.Lstat(gomod); err == nil && st.Mode().IsRegular() {
			if len(l.Modules) >= maxModules {
				capped = fmt.Sprintf("stopped looking for nested modules at %d modules: more are not listed", maxModules)
				return filepath.SkipAll
			}
			rel, _ := filepath.Rel(l.Root, path)
			l.Modules = append(l.Modules, Module{Path: modulePath(gomod), Dir: path, Rel: filepath.ToSlash(rel)})
		}
		return nil
	})
	if err != nil {
		l.Notes = append(l.Notes, "could not finish looking for nested modules: "+err.Error())
	}
	if unreadable > 0 {
		l.Notes = append(l.Notes, "could not look for nested modules in "+english.Plural(unreadable, "directory", "directories")+" that cannot be read")
	}
	if capped != "" {
		l.Notes = append(l.Notes, capped)
	}
	l.sort()
}

// sort puts the root module first, then the others by directory.
func (l *Layout) sort() {
	slices.SortFunc(l.Modules, func(a, b Module) int {
		switch {
		case a.Rel == b.Rel:
			return 0
		case a.Rel == ".":
			return -1
		case b.Rel == ".":
			return 1
		}
		return strings.Compare(a.Rel, b.Rel)
	})
}

// setCurrent finds the module dir is in: the one whose directory is the
// nearest at or above it.
func (l *Layout) setCurrent(dir string) {
	l.Current = -1
	best := -1
	for i := range l.Modules {
		if within(l.Modules[i].Dir, dir) && len(l.Modules[i].Dir) > best {
			l.Current, best = i, len(l.Modules[i].Dir)
		}
	}
}

// modulePath is the module path of the go.mod at path, or "".
func modulePath(path string) string {
	data, err := readHead(path)
	if err != nil {
		return ""
	}
	return modfile.ModulePath(data)
}

// readHead reads a go.mod or go.work, at most maxFileSize bytes: a larger
// one is an error, not a truncated read.
func readHead(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, errors.New("larger than 1 MiB")
	}
	return data, nil
}

// Cover marks which modules a command covers, and returns them: all of
// them with all, else the current module. Outside any module of a
// workspace, without all, it is the error of Find.
func (l *Layout) Cover(all bool) ([]Module, error) {
	var out []Module
	for i := range l.Modules {
		l.Modules[i].Covered = all || i == l.Current
		if l.Modules[i].Covered {
			out = append(out, l.Modules[i])
		}
	}
	if len(out) == 0 {
		_, err := Find(l.Root)
		if err == nil {
			err = usererr.New("not inside a module of the workspace "+l.Work, "run perfctl in one of its modules, or pass --all-modules")
		}
		return nil, err
	}
	return out, nil
}

// Coverage says which modules are covered, for a line on stderr; "" when
// there is one module only. flag is the flag that covers them all.
func (l *Layout) Coverage(flag string) string {
	if len(l.Modules) < 2 {
		return ""
	}
	var in, out []string
	for i := range l.Modules {
		if m := &l.Modules[i]; m.Covered {
			in = append(in, m.Name())
		} else {
			out = append(out, m.Label())
		}
	}
	var b strings.Builder
	if len(in) == 1 {
		b.WriteString("covering module " + in[0])
	} else {
		b.WriteString("covering " + english.Plural(len(in), "module", "modules") + ": " + strings.Join(in, ", "))
	}
	if l.Work != "" && len(out) == 0 {
		b.WriteString(" (the modules go.work uses)")
	}
	if len(out) > 0 {
		kind := "nested module"
		kinds := "nested modules"
		if l.Work != "" {
			kind, kinds = "workspace module", "workspace modules"
		}
		fmt.Fprintf(&b, "; not covering %s: %s (use %s)", english.Plural(len(out), kind, kinds), strings.Join(out, ", "), flag)
	}
	return b.String()
}
