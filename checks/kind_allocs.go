package checks

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"strings"

	"github.com/perfctl/perfctl/checks/buildfiles"
	"github.com/perfctl/perfctl/internal/english"
)

var allocsReportedKind = &Kind{
	PerModule: true,
	Name:      "allocs-reported",
	Summary:   "benchmarks report allocations: they call b.ReportAllocs, or CI runs them with -benchmem (or with perfctl)",
	New:       func() Evaluator { return &allocsReportedCheck{} },
}

// allocsReportedCheck reads the benchmarks' source and what CI runs.
type allocsReportedCheck struct {
	Packages []string `yaml:"packages"` // default ./...
	// CI accepts a CI that runs the benchmarks with -benchmem (or with
	// perfctl, which always reports allocations) instead of
	// b.ReportAllocs in every benchmark. Default true.
	CI *bool `yaml:"ci"`
}

// What CI runs that reports allocations for every benchmark: go test
// with -bench (as the ci check sees it: ciGoBench) and -benchmem, or a
// perfctl command that runs benchmarks (perfctl always reports them).
var (
	benchmemFlag    = regexp.MustCompile(`(?:^|\s)-{1,2}(?:test\.)?benchmem(?:=true)?(?:\s|$)`)
	perfctlBenchCmd = regexp.MustCompile(`(?:^|[\s/'"(=])perfctl(?:@\S+)?(?:\s+-\S+)*\s+(check|bench|compare|baseline\s+save)\b`)
)

// reportsAllocs reports whether the command line text runs benchmarks
// with allocation reporting.
func reportsAllocs(text string) bool {
	return ciGoBench.MatchString(text) && benchmemFlag.MatchString(text) || perfctlBenchCmd.MatchString(text)
}

func (c *allocsReportedCheck) Evaluate(ctx context.Context, ws *Workspace) Result {
	pkgs, err := ws.Packages(ctx, c.Packages)
	if err != nil {
		return benchError(err, Error)
	}
	fset := token.NewFileSet()
	total := 0
	var missing []Finding
	for i := range pkgs {
		if pkgs[i].Benchmarks == 0 {
			continue
		}
		for _, path := range pkgs[i].TestFiles {
			n, miss, err := benchmarksWithoutReportAllocs(fset, path)
			if err != nil {
				return errResult(err.Error())
			}
			total += n
			for _, m := range miss {
				m.File = ws.rel(m.File)
				missing = append(missing, m)
			}
		}
	}
	if total == 0 {
		return skip("no benchmarks to report allocations")
	}
	if len(missing) == 0 {
		return pass(fmt.Sprintf("all %s call b.ReportAllocs", english.Plural(total, "benchmark", "benchmarks")))
	}
	if c.CI == nil || *c.CI {
		if where, ok := benchmemInCI(ws); ok {
			return pass(fmt.Sprintf("CI reports allocations for every benchmark (%s); %d of %s also call b.ReportAllocs",
				where, total-len(missing), english.Plural(total, "benchmark", "benchmarks")))
		}
	}
	r := fail(fmt.Sprintf("%d of %s do not call b.ReportAllocs, and CI does not run them with -benchmem", len(missing), english.Plural(total, "benchmark", "benchmarks")))
	for _, m := range missing {
		r.Details = append(r.Details, fmt.Sprintf("%s:%d: %s", m.File, m.Line, m.Message))
	}
	r.Findings = missing
	return r
}

// benchmarksWithoutReportAllocs parses a test file and returns how many
// benchmarks it declares and those whose body never calls ReportAllocs.
func benchmarksWithoutReportAllocs(fset *token.FileSet, path string) (int, []Finding, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return 0, nil, err
	}
	f, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
	if err != nil {
		return 0, nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	n := 0
	var missing []Finding
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv != nil || fn.Body == nil || !strings.HasPrefix(fn.Name.Name, "Benchmark") || !benchFuncName(fn.Name.Name) {
			continue
		}
		n++
		if !callsReportAllocs(fn.Body) {
			pos := fset.Position(fn.Name.Pos())
			missing = append(missing, Finding{File: path, Line: pos.Line, Column: pos.Column, Rule: "allocs-reported",
				Message: fn.Name.Name + " does not call b.ReportAllocs: go test -bench without -benchmem shows no B/op or allocs/op for it"})
		}
	}
	return n, missing, nil
}

// benchFuncName is go test's rule: Benchmark followed by nothing or a
// character that is not a lower-case letter.
func benchFuncName(name string) bool {
	rest := strings.TrimPrefix(name, "Benchmark")
	return rest == "" || rest[0] < 'a' || rest[0] > 'z'
}

func callsReportAllocs(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "ReportAllocs" {
				found = true
			}
		}
		return !found
	})
	return found
}

// benchmemInCI finds a command CI runs (see buildfiles.ReadCI: the model
// the ci check uses) that runs the benchmarks with allocation reporting,
// and says where. A Makefile target or script that CI does not run does
// not count; nor does go test -benchmem without -bench, which runs no
// benchmark.
func benchmemInCI(ws *Workspace) (string, bool) {
	_, ci, err := ws.readCI(defaultCIFiles)
	if err != nil {
		return "", false
	}
	for i := range ci.Configs {
		cmds := ci.Configs[i].Commands
		for j := range cmds {
			if reportsAllocs(cmds[j].String()) || perfctlActionRunsBenchmarks(&cmds[j]) {
				return cmds[j].Where(), true
			}
		}
	}
	return "", false
}

// perfctlActionRunsBenchmarks reports whether c is a step that uses the
// perfctl action with a command that runs benchmarks (check, the default,
// bench or compare).
func perfctlActionRunsBenchmarks(c *buildfiles.Command) bool {
	if c.Uses == "" || !ciPerfctlAction.MatchString(c.Uses) {
		return false
	}
	command := "check"
	for _, in := range c.With {
		if in.Name == "command" {
			command = strings.TrimSpace(in.Value)
		}
	}
	return command == "check" || command == "bench" || command == "compare"
}
