package report

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/perfctl/perfctl/internal/termsafe"
	"github.com/perfctl/perfctl/lint"
)

// LintSchema identifies the JSON document written by LintJSON.
const LintSchema = "perfctl/lint/v1"

// LintJSON writes findings as a perfctl/lint/v1 document:
// {"schema", "verdict", "golangci_lint_version", "linters", "findings": [{"linter", "file", "line", "column", "message"}]}.
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
	}{LintSchema, verdictWord(len(res.Findings) > 0), res.Version, sortedCopy(linters), findings}
	return encodeIndented(w, doc)
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
		fmt.Fprintf(&b, "%s  %s in %s (golangci-lint %s)\n", p.bad.Render("FAIL"),
			plural(len(res.Findings), "performance lint finding", "performance lint findings"),
			plural(files(res.Findings), "file", "files"), res.Version)
	} else {
		fmt.Fprintf(&b, "%s  no performance lint findings (golangci-lint %s)\n", p.good.Render("PASS"), res.Version)
	}
	_, err := io.WriteString(w, termsafe.String(b.String(), opts.Color))
	return err
}

// GitHubAnnotations writes one workflow command per finding, so that
// GitHub Actions shows them on the pull request's diff.
func GitHubAnnotations(w io.Writer, findings []lint.Finding) error {
	var b strings.Builder
	for _, f := range findings {
		fmt.Fprintf(&b, "::error file=%s,line=%d,col=%d,title=%s::%s\n", ghProperty(filepath.ToSlash(f.File)), f.Line, f.Column,
			ghProperty("perfctl lint ("+f.Linter+")"), ghData(f.Message))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// The escapes of workflow commands: of a message, and of a property value.
var (
	ghDataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// ghData escapes a workflow command's message.
func ghData(s string) string { return ghDataEscaper.Replace(s) }

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string { return ghPropertyEscaper.Replace(s) }

// SARIF 2.1.0, the subset GitHub code scanning reads.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool    sarifTool     `json:"tool"`
		Results []sarifResult `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		InformationURI string      `json:"informationUri"`
		Version        string      `json:"version,omitempty"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID               string       `json:"id"`
		ShortDescription sarifMessage `json:"shortDescription"`
	}
	sarifResult struct {
		RuleID    string          `json:"ruleId"`
		RuleIndex int             `json:"ruleIndex"`
		Level     string          `json:"level"`
		Message   sarifMessage    `json:"message"`
		Locations []sarifLocation `json:"locations"`
	}
	sarifMessage struct {
		Text string `json:"text"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           sarifRegion   `json:"region"`
	}
	sarifArtifact struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
	}
)

const sarifSchema = "https://json.schemastore.org/sarif-2.1.0.json"

// SARIFFinding is a located problem for a SARIF report: a lint finding or
// a failed check.
type SARIFFinding struct {
	Rule        string // e.g. "prealloc" or "perf-lints-denied"
	Description string // the rule's one-line description
	File        string // relative to the repository root, as GitHub wants
	Line        int
	Column      int
	Message     string
	Level       string // "error" (when empty), "warning" or "note"
}

// WriteSARIF writes findings as a SARIF 2.1.0 log of one run of perfctl.
func WriteSARIF(w io.Writer, version string, findings []SARIFFinding) error {
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{Name: "perfctl", InformationURI: "https://github.com/perfctl/perfctl",
		Version: version, Rules: []sarifRule{}}}, Results: []sarifResult{}}
	index := map[string]int{}
	for _, f := range findings {
		i, ok := index[f.Rule]
		if !ok {
			i = len(run.Tool.Driver.Rules)
			index[f.Rule] = i
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{ID: f.Rule, ShortDescription: sarifMessage{Text: orDefault(f.Description, f.Rule)}})
		}
		line := max(f.Line, 1) // SARIF lines start at 1
		run.Results = append(run.Results, sarifResult{RuleID: f.Rule, RuleIndex: i, Level: orDefault(f.Level, "error"), Message: sarifMessage{Text: f.Message},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: filepath.ToSlash(f.File), URIBaseID: "%SRCROOT%"},
				Region:           sarifRegion{StartLine: line, StartColumn: f.Column}}}}})
	}
	return encodeIndented(w, sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

// LintSARIF writes lint findings as SARIF.
func LintSARIF(w io.Writer, res *lint.Result, version string) error {
	fs := make([]SARIFFinding, len(res.Findings))
	for i, f := range res.Findings {
		fs[i] = SARIFFinding{Rule: f.Linter, Description: lintRuleDescription(f.Linter), File: f.File, Line: f.Line, Column: f.Column, Message: f.Message}
	}
	return WriteSARIF(w, version, fs)
}

func lintRuleDescription(linter string) string {
	if r := lint.Reason(linter); r != "" {
		return linter + ": " + r
	}
	return linter + " (golangci-lint)"
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

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
