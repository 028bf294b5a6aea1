package report

import (
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/perfctl/perfctl/bench"
)

// compareRule is the SARIF rule of a comparison's regressions.
const compareRule = "perfctl/regression"

// CompareProblems returns a LevelError problem for each regression of c,
// whose rule is "perfctl/regression": at its benchmark function when it is
// known (bench.Row.Source, relative to the module root, which paths place
// in the repository), else without a file, so that the formats that must
// place it put it at the module's go.mod, line 1. Improvements and the other
// rows are no problems.
func CompareProblems(c *bench.Comparison, paths RepoPaths) []Problem {
	regressions := mdRowsWith(c, bench.StatusRegression)
	ps := make([]Problem, 0, len(regressions))
	for _, r := range regressions {
		p := Problem{Level: LevelError, Rule: compareRule, Module: paths.file("go.mod"),
			RuleDescription: "A benchmark got significantly worse than its threshold allows",
			Title:           "perfctl compare (" + mdBenchName(r.Name) + " " + r.Unit + ")",
			Key:             strings.Join([]string{compareRule, r.Pkg, r.Name, r.Unit}, "\x00")}
		if r.Source != nil {
			p.File, p.Line, p.Col = filepath.ToSlash(paths.file(r.Source.File)), r.Source.Line, r.Source.Col
		}
		p.Message = "regression"
		if r.Pkg != "" {
			p.Message += " in " + r.Pkg
		}
		p.Message += ": " + regressionLine(r) + ", threshold ±" + strconv.FormatFloat(percent(r.Threshold), 'g', -1, 64) + "%"
		if r.Note != "" {
			p.Message += "\nNote: " + r.Note
		}
		ps = append(ps, p)
	}
	return ps
}

// CompareSARIF writes the regressions of c as a SARIF 2.1.0 log (see
// WriteSARIF and CompareProblems), with version as the tool's version and
// paths making the locations relative to the repository root.
func CompareSARIF(w io.Writer, c *bench.Comparison, version string, paths RepoPaths) error {
	return WriteSARIF(w, version, CompareProblems(c, paths))
}

// compareSARIF is CompareSARIF in the registry.
func compareSARIF(w io.Writer, c *bench.Comparison, opts Options) error {
	return CompareSARIF(w, c, opts.Version, opts.Paths)
}
