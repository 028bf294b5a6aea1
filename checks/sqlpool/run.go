package sqlpool

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// A Violation is a *sql.DB opened without pool limits.
type Violation struct {
	File    string // absolute
	Line    int
	Column  int
	Message string
}

// A Report is what [Run] found.
type Report struct {
	Packages   int // packages analyzed
	Opens      int // calls of sql.Open and sql.OpenDB in them
	Violations []Violation
}

// loadMode is the least that [checker.Analyze] and [Analyzer] need: syntax
// and type information for the packages that match the patterns, and
// without NeedDeps the types of their dependencies come from export data
// (compiled, and cached, by the go command) rather than from source.
// NeedImports costs nothing more (the import graph is loaded anyway) and
// lets loadErrors find a dependency that does not compile.
const loadMode = packages.NeedName | packages.NeedCompiledGoFiles | packages.NeedImports |
	packages.NeedTypes | packages.NeedTypesSizes | packages.NeedSyntax | packages.NeedTypesInfo

// maxLoadErrors is how many errors of a package that does not compile an
// error shows.
const maxLoadErrors = 3

// Run analyzes the non-test files of the packages that match patterns
// (./... when empty) in the module at dir, built with the comma-separated
// build tags, and returns the pools opened without limits, sorted by
// position. Dependencies are loaded for their types only and are not
// analyzed. A package that does not load or compile is an error that
// names it and its first errors.
func Run(ctx context.Context, dir string, patterns []string, tags string) (*Report, error) {
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	cfg := &packages.Config{Context: ctx, Dir: dir, Mode: loadMode}
	if tags != "" {
		cfg.BuildFlags = []string{"-tags=" + tags}
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("load %s: %w", strings.Join(patterns, " "), err)
	}
	if err := loadErrors(dir, pkgs); err != nil {
		return nil, err
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{Analyzer}, pkgs, nil)
	if err != nil {
		return nil, fmt.Errorf("analyze %s: %w", strings.Join(patterns, " "), err)
	}
	rep := &Report{Packages: len(pkgs)}
	for _, act := range graph.Roots {
		if act.Err != nil {
			return nil, fmt.Errorf("analyze %s: %w", act.Package.PkgPath, act.Err)
		}
		rep.Opens += act.Result.(*Result).Opens
		for _, d := range act.Diagnostics {
			p := act.Package.Fset.Position(d.Pos)
			rep.Violations = append(rep.Violations, Violation{File: p.Filename, Line: p.Line, Column: p.Column, Message: d.Message})
		}
	}
	slices.SortFunc(rep.Violations, func(a, b Violation) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return rep, nil
}

// loadErrors returns an error naming the first package (dependencies
// before their importers) that did not load or type-check, with its first
// errors (positions relative to dir), and how many other packages failed
// too. An importer of a broken package may have no errors of its own, yet
// could not be analyzed.
func loadErrors(dir string, pkgs []*packages.Package) error {
	var bad []*packages.Package
	packages.Visit(pkgs, nil, func(p *packages.Package) { // dependencies first
		if len(p.Errors) > 0 {
			bad = append(bad, p)
		}
	})
	if len(bad) == 0 {
		return nil
	}
	p := bad[0]
	// The go command's compile errors ("# pkg" then the errors) repeat
	// the type checker's: keep each line once.
	var msgs []string
	for _, e := range p.Errors {
		msg := e.Msg
		if e.Pos != "" && e.Pos != "-" {
			msg = relPos(dir, e.Pos) + ": " + msg
		}
		for line := range strings.Lines(msg) {
			line = strings.TrimPrefix(strings.TrimSpace(line), "./")
			if line != "" && !strings.HasPrefix(line, "# ") && !slices.Contains(msgs, line) {
				msgs = append(msgs, line)
			}
		}
	}
	if len(msgs) == 0 {
		msgs = append(msgs, "unknown error")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "package %s has errors: %s", cmp.Or(p.PkgPath, p.ID), strings.Join(msgs[:min(len(msgs), maxLoadErrors)], "; "))
	if more := len(msgs) - maxLoadErrors; more > 0 {
		fmt.Fprintf(&b, " (and %d more)", more)
	}
	switch len(bad) {
	case 1:
	case 2:
		b.WriteString("; 1 more package has errors")
	default:
		fmt.Fprintf(&b, "; %d more packages have errors", len(bad)-1)
	}
	return errors.New(b.String())
}

// relPos makes the file of a "file:line:col" position relative to dir
// when it is inside it.
func relPos(dir, pos string) string {
	if r, err := filepath.Rel(dir, pos); err == nil && !strings.HasPrefix(r, "..") && filepath.IsAbs(pos) {
		return filepath.ToSlash(r)
	}
	return pos
}
