package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/termsafe"
	"github.com/perfctl/perfctl/lint"
)

// LintSchema identifies the JSON document written by LintJSON.
const LintSchema = "perfctl/lint/v1"

// LintJSON writes findings as a perfctl/lint/v1 document:
// {"schema", "verdict", "golangci_lint_version", "linters", "findings": [{"linter", "file", "line", "column", "message"}],
// "modules": [{"path", "dir", "covered"}]}; modules only when there is more than one.
func LintJSON(w io.Writer, res *lint.Result, linters []string) error {
	findings := res.Findings
	if findings == nil {
		findings = []lint.Finding{}
	}
	doc := struct {
		Schema   string         `json:"schema"`
		Verdict  string         `json:"verdict"`
		Version  string         `json:"golangci_lint_version"`
		Linters  []string       `json:"linters"`
		Findings []lint.Finding `json:"findings"`
		Modules  []moduleJSON   `json:"modules,omitempty"`
	}{LintSchema, string(lintVerdict(res)), res.Version, sortedCopy(linters), findings, modulesJSON(res.Modules)}
	return encodeIndented(w, doc)
}

// lintJSON is LintJSON in the registry.
func lintJSON(w io.Writer, res *lint.Result, linters []string, _ Options) error {
	return LintJSON(w, res, linters)
}

// LintText writes the findings grouped by file, each with its line, column,
// linter and message, and a verdict line.
func LintText(w io.Writer, res *lint.Result, opts Options) error {
	p := newPalette(w, opts.Color)
	var b strings.Builder
	file := ""
	for _, f := range res.Findings {
		if f.File != file {
			if file != "" {
				b.WriteString("\n")
			}
			file = f.File
			b.WriteString(p.bold.Render(file) + "\n")
		}
		fmt.Fprintf(&b, "  %d:%d  %s  %s\n", f.Line, f.Column, p.warn.Render(f.Linter), f.Message)
	}
	if len(res.Findings) > 0 {
		b.WriteString("\n")
		fmt.Fprintf(&b, "%s  %s in %s (golangci-lint %s)\n", p.bad.Render(bench.VerdictFail.Word()),
			plural(len(res.Findings), "performance lint finding", "performance lint findings"),
			plural(files(res.Findings), "file", "files"), res.Version)
	} else {
		fmt.Fprintf(&b, "%s  no performance lint findings (golangci-lint %s)\n", p.good.Render(bench.VerdictPass.Word()), res.Version)
	}
	_, err := io.WriteString(w, termsafe.String(b.String(), opts.Color))
	return err
}

// lintText is LintText in the registry.
func lintText(w io.Writer, res *lint.Result, _ []string, opts Options) error {
	return LintText(w, res, opts)
}

func files(fs []lint.Finding) int {
	seen := map[string]bool{}
	for _, f := range fs {
		seen[f.File] = true
	}
	return len(seen)
}

func sortedCopy(s []string) []string {
	c := append([]string{}, s...)
	sort.Strings(c)
	return c
}

// lintVerdict is fail when golangci-lint found anything.
func lintVerdict(res *lint.Result) bench.Verdict {
	if len(res.Findings) > 0 {
		return bench.VerdictFail
	}
	return bench.VerdictPass
}
