package report

import (
	"io"

	"github.com/perfctl/perfctl/checks"
)

// CheckSARIF writes the failed checks of r as a SARIF 2.1.0 log for GitHub
// code scanning, with version as the tool's version.
//
// Each located finding of a failed check is a result. A lint finding's
// rule is its linter, as in 'perfctl lint --format sarif', so that both
// commands raise the same alerts; another finding's rule is the finding's
// Rule (its check kind, e.g. sql-pool), or else the check's id.
//
// A failed check without located findings (a regression, missing docs) is
// one result whose rule is the check's id, located at the check in the
// policy file, or at go.mod line 1 (the module) when the policy is the
// embedded default. It has a location because code scanning rejects a
// whole upload with a result that has none ("expected at least one
// location"). Checks that could not be evaluated are left out: they are
// not problems in the code, and the verdict and the other formats report
// them.
//
// A result's level is error when the failure decides the verdict, else
// warning for a SHOULD check and note for a MAY check. paths make the
// locations relative to the repository root, as code scanning wants them.
func CheckSARIF(w io.Writer, r *checks.Report, version string, paths RepoPaths) error {
	var fs []SARIFFinding
	for i := range r.Outcomes {
		o := &r.Outcomes[i]
		if o.Status != checks.Fail {
			continue
		}
		level := sarifLevel(r, o)
		located := 0
		for _, f := range o.Findings {
			if f.File == "" {
				continue
			}
			located++
			sf := SARIFFinding{Rule: orDefault(f.Rule, o.ID), Description: o.Title, File: paths.file(f.File),
				Line: f.Line, Column: f.Column, Message: f.Message, Level: level}
			if o.Kind == "lint" && f.Rule != "" {
				sf.Description = lintRuleDescription(f.Rule)
			}
			fs = append(fs, sf)
		}
		if located > 0 {
			continue
		}
		file, line := paths.policyLine(o)
		if file == "" {
			file, line = paths.file("go.mod"), 1
		}
		fs = append(fs, SARIFFinding{Rule: o.ID, Description: orDefault(o.Title, o.ID), File: file, Line: line,
			Message: problemMessage(o), Level: level})
	}
	return WriteSARIF(w, version, fs)
}

// sarifLevel is the SARIF level of o's results.
func sarifLevel(r *checks.Report, o *checks.Outcome) string {
	switch {
	case decisive(r, o):
		return "error"
	case o.Level == checks.May:
		return "note"
	}
	return "warning"
}
