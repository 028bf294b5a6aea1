package bench

import (
	"bytes"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// A Source is where a benchmark's function is declared.
type Source struct {
	// File is the _test.go file, relative to the module root and
	// slash-separated.
	File string
	// Line and Col are the place of the function's name, from 1.
	Line, Col int
}

// The bounds of LocateRegressions: the files are repository content, and a
// pull request decides how many and how large they are.
const (
	maxLocatePackages = 20      // packages searched
	maxLocateFiles    = 500     // _test.go files read per package
	maxLocateFileSize = 2 << 20 // bytes of one file; a larger one is not read
	maxLocateBytes    = 32 << 20
)

// LocateRegressions sets the Source of each regression row of c whose
// package is in the module at root: the file and line of its top-level
// Benchmark function, which the code-review formats (SARIF, Code Quality,
// annotations) point at. A row measured elsewhere, or whose function is not
// found, keeps a nil Source.
//
// A row's package is its import path (the results' pkg: lines); its
// directory is that path below the module path of root's go.mod. Only the
// _test.go files directly in it are read, never above root (symbolic
// links included), and within the bounds above. When several files
// declare the function (behind build constraints), the first one that
// builds for this machine and tags (comma-separated) wins.
func LocateRegressions(c *Comparison, root, tags string) {
	var rows []*Row
	for i := range c.Rows {
		if r := &c.Rows[i]; r.Status == StatusRegression && r.Pkg != "" {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return
	}
	r, err := os.OpenRoot(root)
	if err != nil {
		return
	}
	defer r.Close()
	mod := modulePath(readBounded(r, "go.mod", maxLocateFileSize))
	if mod == "" {
		return
	}
	l := &locator{root: r, tags: tags, budget: maxLocateBytes, pkgs: map[string]map[string]Source{}}
	for _, row := range rows {
		dir, ok := packageDir(mod, row.Pkg)
		if !ok {
			continue
		}
		funcs, ok := l.pkgs[dir]
		if !ok {
			if len(l.pkgs) == maxLocatePackages {
				continue
			}
			funcs = l.benchmarks(dir)
			l.pkgs[dir] = funcs
		}
		if src, ok := funcs[benchFuncOf(row)]; ok {
			row.Source = &src
		}
	}
}

// locator reads the benchmarks of packages of one module.
type locator struct {
	root   *os.Root
	tags   string
	budget int                          // bytes left to read
	pkgs   map[string]map[string]Source // dir → function → where
}

// benchmarks returns the top-level Benchmark functions the _test.go files
// of dir (relative to the module root, slash-separated) declare.
func (l *locator) benchmarks(dir string) map[string]Source {
	out := map[string]Source{}
	entries, err := fs.ReadDir(l.root.FS(), dir)
	if err != nil {
		return out
	}
	ctx := build.Default
	ctx.BuildTags = strings.FieldsFunc(l.tags, func(r rune) bool { return r == ',' || r == ' ' })
	var fallback map[string]Source // from files that do not build here
	fset := token.NewFileSet()
	read := 0
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasSuffix(name, "_test.go") || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			continue
		}
		if read == maxLocateFiles {
			break
		}
		read++
		file := path.Join(dir, name)
		src := readBounded(l.root, file, min(maxLocateFileSize, l.budget))
		if src == nil {
			continue
		}
		l.budget -= len(src)
		f, err := parser.ParseFile(fset, file, src, parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		ctx.OpenFile = func(string) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(src)), nil }
		builds, err := ctx.MatchFile(filepath.FromSlash(dir), name)
		into := out
		if err != nil || !builds {
			if fallback == nil {
				fallback = map[string]Source{}
			}
			into = fallback
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Benchmark") {
				continue
			}
			if _, seen := into[fn.Name.Name]; !seen {
				pos := fset.Position(fn.Name.Pos())
				into[fn.Name.Name] = Source{File: file, Line: pos.Line, Col: pos.Column}
			}
		}
	}
	for name, src := range fallback {
		if _, ok := out[name]; !ok {
			out[name] = src
		}
	}
	return out
}

// readBounded reads the file name of root, or returns nil when it is
// missing, not a regular file or larger than limit bytes.
func readBounded(root *os.Root, name string, limit int) []byte {
	f, err := root.Open(filepath.FromSlash(name))
	if err != nil {
		return nil
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() > int64(limit) {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil || len(b) > limit {
		return nil
	}
	return b
}

// modulePath is the module path a go.mod declares, or "".
func modulePath(gomod []byte) string {
	for _, line := range strings.Split(string(gomod), "\n") {
		line, _, _ = strings.Cut(line, "//")
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module")
		if !ok || rest == "" || (rest[0] != ' ' && rest[0] != '\t' && rest[0] != '"') {
			continue
		}
		return strings.Trim(strings.TrimSpace(rest), `"`)
	}
	return ""
}

// packageDir is the directory of the package pkg in the module mod,
// relative to the module root and slash-separated ("." for the root), and
// whether pkg is in the module at all.
func packageDir(mod, pkg string) (string, bool) {
	if pkg == mod {
		return ".", true
	}
	rel, ok := strings.CutPrefix(pkg, mod+"/")
	if !ok || rel == "" || !filepath.IsLocal(filepath.FromSlash(rel)) || strings.Contains(rel, `\`) {
		return "", false
	}
	return path.Clean(rel), true
}

// benchFuncOf is the name of the function that declares r's benchmark:
// Benchmark and the first element of its name, without the -GOMAXPROCS
// suffix the name may keep.
func benchFuncOf(r *Row) string {
	top, _, sub := strings.Cut(r.Name, "/")
	if !sub && r.Procs != "" {
		top = strings.TrimSuffix(top, "-"+r.Procs)
	}
	return "Benchmark" + top
}
