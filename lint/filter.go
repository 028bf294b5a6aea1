package lint

import (
	"context"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/perfctl/perfctl/internal/english"
)

// Some findings ask for a change nobody can make, or that is not about
// speed. gocritic's hugeParam
// says "pass it by pointer" of every parameter and value receiver of 80
// bytes or more, including where the signature is not the author's to
// change. Measured on four real modules (docs/lint.md), those were most of
// the default profile's findings. Filter moves them out of the findings,
// counted by reason, never silently:
//
//   - a parameter named _: nothing reads it, and it is there only because
//     the signature is fixed by whoever calls the function;
//   - a method that implements an interface (of its own package or one it
//     imports): the interface fixes the signature, and a pointer receiver
//     would change which types implement it;
//   - exported API of an importable package (not main, not internal/): an
//     exported function's or an exported type's method's signature is its
//     callers'; changing it breaks them. Profile.ReportExportedAPI keeps
//     these.
//
// noctx is in the profile for requests and queries that cannot be
// cancelled; its findings on starting a process (os/exec.Command) or
// opening a listener (net.Listen) are moved out the same way.

// Reasons a finding is filtered out.
const (
	ReasonBlankParam  = "hugeParam on a parameter named _ (nothing reads it)"
	ReasonInterface   = "hugeParam on a method that implements an interface (the interface fixes the signature)"
	ReasonExportedAPI = "hugeParam on exported API (changing the signature breaks callers)"
	ReasonNoctxSetup  = "noctx on starting a process or opening a listener (not a request or query that piles up under load)"
)

// noctxSetup are the calls noctx reports that are not requests or
// queries: the profile has noctx for those (its messages start with the
// function's name).
var noctxSetup = []string{"os/exec.Command ", "net.Listen ", "net.ListenPacket "}

func isNoctxSetup(f *Finding) bool {
	return f.Linter == "noctx" && slices.ContainsFunc(noctxSetup, func(p string) bool { return strings.HasPrefix(f.Message, p) })
}

// A FilteredGroup is the findings filtered out for one reason.
type FilteredGroup struct {
	Reason   string    `json:"reason"`
	Count    int       `json:"count"`
	Findings []Finding `json:"findings"`
}

// FilteredCount is how many findings groups hold.
func FilteredCount(groups []FilteredGroup) int {
	n := 0
	for _, g := range groups {
		n += g.Count
	}
	return n
}

// isHugeParam reports whether f is gocritic's hugeParam.
func isHugeParam(f *Finding) bool {
	return f.Linter == "gocritic" && strings.HasPrefix(f.Message, "hugeParam:")
}

// maxFilterPackages bounds how many packages Filter loads: one per
// directory with a hugeParam finding.
const maxFilterPackages = 500

// filterFixedSignatures splits findings into those to report and those
// filtered out, by reason. It loads, with type information, the packages
// of the hugeParam findings only. The findings of a package that cannot be
// loaded are kept, and the error says why; the findings and groups
// returned are right with or without an error.
func filterFixedSignatures(ctx context.Context, opts *Options, all []Finding) ([]Finding, []FilteredGroup, error) {
	var findings, setup []Finding
	for _, f := range all {
		if isNoctxSetup(&f) {
			setup = append(setup, f)
		} else {
			findings = append(findings, f)
		}
	}
	kept, groups, err := filterHugeParams(ctx, opts, findings)
	if len(setup) > 0 {
		groups = append(groups, FilteredGroup{Reason: ReasonNoctxSetup, Count: len(setup), Findings: setup})
	}
	return kept, groups, err
}

func filterHugeParams(ctx context.Context, opts *Options, findings []Finding) ([]Finding, []FilteredGroup, error) {
	dirs := map[string]bool{}
	for i := range findings {
		if isHugeParam(&findings[i]) {
			dirs[filepath.Dir(findings[i].File)] = true
		}
	}
	if len(dirs) == 0 {
		return findings, nil, nil
	}
	if len(dirs) > maxFilterPackages {
		return findings, nil, fmt.Errorf("hugeParam findings in %d directories, more than the %d perfctl classifies", len(dirs), maxFilterPackages)
	}
	var patterns []string
	for _, d := range slices.Sorted(maps.Keys(dirs)) {
		if filepath.IsAbs(d) || d == ".." || strings.HasPrefix(d, "../") || strings.Contains(d, "...") {
			continue // outside the module, or a name go list reads as a wildcard: left as it is
		}
		if d == "." {
			patterns = append(patterns, ".")
		} else {
			patterns = append(patterns, "./"+filepath.ToSlash(d))
		}
	}
	if len(patterns) == 0 {
		return findings, nil, nil
	}
	wd := opts.Dir
	if wd == "" {
		wd = "."
	}
	abs, err := filepath.Abs(wd)
	if err != nil {
		return findings, nil, err
	}
	cfg := &packages.Config{Context: ctx, Dir: abs, Tests: opts.Profile.Tests,
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports |
			packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo}
	if opts.Tags != "" {
		cfg.BuildFlags = []string{"-tags=" + opts.Tags}
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return findings, nil, fmt.Errorf("loading %s: %w", strings.Join(patterns, " "), err)
	}
	files := map[string]fileInPkg{}
	var loadErr error
	for _, p := range pkgs {
		if len(p.Errors) > 0 || p.TypesInfo == nil {
			if len(p.Errors) > 0 && loadErr == nil {
				loadErr = fmt.Errorf("the hugeParam findings of package %s were kept unclassified: it did not load: %w", p.PkgPath, p.Errors[0])
			}
			continue
		}
		for _, f := range p.Syntax {
			name := p.Fset.Position(f.Pos()).Filename
			if _, seen := files[name]; !seen {
				files[name] = fileInPkg{file: f, pkg: p}
			}
		}
	}
	var kept []Finding
	byReason := map[string][]Finding{}
	for _, f := range findings {
		reason := ""
		if isHugeParam(&f) {
			if fp, ok := files[filepath.Join(abs, f.File)]; ok {
				reason = classify(fp, f.Line, f.Column, opts.Profile.ReportExportedAPI)
			}
		}
		if reason == "" {
			kept = append(kept, f)
			continue
		}
		byReason[reason] = append(byReason[reason], f)
	}
	var groups []FilteredGroup
	for _, r := range []string{ReasonBlankParam, ReasonInterface, ReasonExportedAPI} {
		if fs := byReason[r]; len(fs) > 0 {
			groups = append(groups, FilteredGroup{Reason: r, Count: len(fs), Findings: fs})
		}
	}
	return kept, groups, loadErr
}

type fileInPkg struct {
	file *ast.File
	pkg  *packages.Package
}

// classify says why the hugeParam finding at line:col of fp is not to be
// reported, or "" when it is.
func classify(fp fileInPkg, line, col int, reportExported bool) string {
	fset := fp.pkg.Fset
	for _, d := range fp.file.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		id := paramAt(fset, fn, line, col)
		if id == nil {
			continue
		}
		if id.Name == "_" {
			return ReasonBlankParam
		}
		if fn.Recv != nil && implementsInterface(fp.pkg, fn) {
			return ReasonInterface
		}
		if !reportExported && exportedAPI(fp.pkg, fn) {
			return ReasonExportedAPI
		}
		return ""
	}
	return ""
}

// paramAt returns the receiver or parameter name of fn at line:col.
func paramAt(fset *token.FileSet, fn *ast.FuncDecl, line, col int) *ast.Ident {
	start, end := fset.Position(fn.Pos()), fset.Position(fn.Type.End())
	if line < start.Line || line > end.Line {
		return nil
	}
	var lists []*ast.Field
	if fn.Recv != nil {
		lists = append(lists, fn.Recv.List...)
	}
	lists = append(lists, fn.Type.Params.List...)
	for _, field := range lists {
		for _, id := range field.Names {
			if p := fset.Position(id.Pos()); p.Line == line && p.Column == col {
				return id
			}
		}
	}
	return nil
}

// maxInterfacePackages bounds how many packages implementsInterface
// searches for interfaces: the package and its imports, breadth first.
const maxInterfacePackages = 2000

// implementsInterface reports whether the method fn's receiver type (or a
// pointer to it) implements an interface, declared in the package or in
// a package it imports directly or indirectly, that has a method of fn's
// name.
func implementsInterface(pkg *packages.Package, fn *ast.FuncDecl) bool {
	obj, ok := pkg.TypesInfo.Defs[fn.Name].(*types.Func)
	if !ok {
		return false
	}
	recv := obj.Signature().Recv()
	if recv == nil {
		return false
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || named.TypeParams().Len() > 0 {
		return false // methods of generic types: their interfaces are not checked
	}
	ptr := types.NewPointer(named)
	name := fn.Name.Name
	seen := map[*types.Package]bool{}
	queue := []*types.Package{pkg.Types}
	for len(queue) > 0 && len(seen) < maxInterfacePackages {
		p := queue[0]
		queue = queue[1:]
		if p == nil || seen[p] {
			continue
		}
		seen[p] = true
		queue = append(queue, p.Imports()...)
		scope := p.Scope()
		for _, n := range scope.Names() {
			tn, ok := scope.Lookup(n).(*types.TypeName)
			if !ok {
				continue
			}
			if tn.Pkg() != pkg.Types && !tn.Exported() {
				continue
			}
			if nt, ok := types.Unalias(tn.Type()).(*types.Named); ok && nt.TypeParams().Len() > 0 {
				continue
			}
			iface, ok := tn.Type().Underlying().(*types.Interface)
			if !ok || !hasMethod(iface, name) {
				continue
			}
			if types.Implements(named, iface) || types.Implements(ptr, iface) {
				return true
			}
		}
	}
	// error and comparable's methods (Error) live in the universe.
	if name == "Error" {
		return types.Implements(ptr, types.Universe.Lookup("error").Type().Underlying().(*types.Interface))
	}
	return false
}

func hasMethod(iface *types.Interface, name string) bool {
	for m := range iface.Methods() {
		if m.Name() == name {
			return true
		}
	}
	return false
}

// exportedAPI reports whether fn is part of the API other modules call:
// an exported function, or an exported method of an exported type, in a
// package that is not main and not under an internal directory.
func exportedAPI(pkg *packages.Package, fn *ast.FuncDecl) bool {
	if pkg.Name == "main" || strings.HasSuffix(pkg.Name, "_test") || isInternal(pkg.PkgPath) || !fn.Name.IsExported() {
		return false
	}
	if fn.Recv == nil {
		return true
	}
	obj, ok := pkg.TypesInfo.Defs[fn.Name].(*types.Func)
	if !ok {
		return false
	}
	t := obj.Signature().Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Exported()
}

func isInternal(path string) bool {
	path = strings.TrimSuffix(path, "_test")
	for part := range strings.SplitSeq(path, "/") {
		if part == "internal" {
			return true
		}
	}
	return false
}

// FilteredSummary says what groups filtered out, in one line, e.g.
// "3 findings filtered: 2 hugeParam on a method that implements an
// interface (…), 1 hugeParam on a parameter named _ (…)"; "" for none.
func FilteredSummary(groups []FilteredGroup) string {
	n := FilteredCount(groups)
	if n == 0 {
		return ""
	}
	parts := make([]string, 0, len(groups))
	for _, g := range groups {
		parts = append(parts, fmt.Sprintf("%d %s", g.Count, g.Reason))
	}
	return english.Plural(n, "finding", "findings") + " filtered: " + strings.Join(parts, "; ")
}

// FilteredFor reports whether groups filtered out findings for reason.
func FilteredFor(groups []FilteredGroup, reason string) bool {
	for _, g := range groups {
		if g.Reason == reason && g.Count > 0 {
			return true
		}
	}
	return false
}
