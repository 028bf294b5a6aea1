package report

import (
	"io"

	"github.com/perfctl/perfctl/checks"
	"github.com/perfctl/perfctl/lint"
)

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

// sarifLevels are the SARIF levels of the problem levels.
var sarifLevels = [...]string{LevelError: "error", LevelWarning: "warning", LevelNote: "note"}

// WriteSARIF writes problems as a SARIF 2.1.0 log of one run of perfctl,
// with version as the tool's version, for GitHub code scanning.
//
// Each problem is a result, whose rule is its Rule, or else its Check,
// described by the RuleDescription of the rule's first problem. A problem
// without a file is placed at its module's go.mod, line 1: code scanning
// rejects a whole upload with a result that has no location ("expected at
// least one location"). Problems of checks that could not be evaluated are
// left out: they are not problems in the code, and the verdict and the
// other formats report them.
func WriteSARIF(w io.Writer, version string, problems []Problem) error {
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{Name: "perfctl", InformationURI: "https://github.com/perfctl/perfctl",
		Version: version, Rules: []sarifRule{}}}, Results: []sarifResult{}}
	index := map[string]int{}
	for i := range problems {
		p := &problems[i]
		if p.Unevaluated {
			continue
		}
		rule := orDefault(p.Rule, p.Check)
		r, ok := index[rule]
		if !ok {
			r = len(run.Tool.Driver.Rules)
			index[rule] = r
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{ID: rule, ShortDescription: sarifMessage{Text: orDefault(p.RuleDescription, rule)}})
		}
		file, line := p.place()
		run.Results = append(run.Results, sarifResult{RuleID: rule, RuleIndex: r, Level: sarifLevels[p.Level], Message: sarifMessage{Text: p.Message},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: file, URIBaseID: "%SRCROOT%"},
				Region:           sarifRegion{StartLine: max(line, 1), StartColumn: p.Col}}}}}) // SARIF lines start at 1
	}
	return encodeIndented(w, sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

// CheckSARIF writes the failed checks of r as a SARIF 2.1.0 log (see
// WriteSARIF and CheckProblems), with version as the tool's version and
// paths making the locations relative to the repository root, as code
// scanning wants them.
//
// A lint finding's rule is its linter, as in 'perfctl lint --format
// sarif', so that both commands raise the same alerts; another finding's
// rule is the finding's Rule (its check kind, e.g. sql-pool), or else the
// check's id. A failed check without located findings (a regression,
// missing docs) is one result whose rule is the check's id, located at the
// check in the policy file, or at go.mod line 1 (the module) when the
// policy is the embedded default. A result's level is error when the
// failure decides the verdict, else warning for a SHOULD check and note
// for a MAY check.
func CheckSARIF(w io.Writer, r *checks.Report, version string, paths RepoPaths) error {
	return WriteSARIF(w, version, CheckProblems(r, paths))
}

// LintSARIF writes lint findings as SARIF: errors whose rule is the
// linter.
func LintSARIF(w io.Writer, res *lint.Result, version string) error {
	return WriteSARIF(w, version, LintProblems(res.Findings))
}

// checkSARIF and lintSARIF are CheckSARIF and LintSARIF in the registry.
func checkSARIF(w io.Writer, r *checks.Report, opts Options) error {
	return CheckSARIF(w, r, opts.Version, opts.Paths)
}

func lintSARIF(w io.Writer, res *lint.Result, _ []string, opts Options) error {
	return LintSARIF(w, res, opts.Version)
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
