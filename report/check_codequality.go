package report

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strconv"
	"strings"

	"github.com/perfctl/perfctl/checks"
)

// A codeQualityIssue is one entry of a GitLab Code Quality report: the
// subset of the Code Climate issue format GitLab reads
// (https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format),
// plus type and categories, which Code Climate requires and GitLab ignores.
type codeQualityIssue struct {
	Type        string              `json:"type"`
	CheckName   string              `json:"check_name"`
	Description string              `json:"description"`
	Categories  []string            `json:"categories"`
	Fingerprint string              `json:"fingerprint"`
	Severity    string              `json:"severity"`
	Location    codeQualityLocation `json:"location"`
}

type codeQualityLocation struct {
	Path  string           `json:"path"`
	Lines codeQualityLines `json:"lines"`
}

type codeQualityLines struct {
	Begin int `json:"begin"`
}

// CheckCodeQuality writes the failed checks of r as a GitLab Code Quality
// report: a JSON array of issues, which GitLab shows in the merge request
// (artifacts:reports:codequality).
//
// Each located finding of a failed check is an issue, at its file and
// line; a failed check without located findings (a regression, missing
// docs) is one issue at the check in the policy file, or at go.mod line 1
// when the policy is the embedded default, as in SARIF. Paths are relative
// to the repository root (made so with p). Checks that could not be
// evaluated are left out: they are not problems in the code.
//
// check_name is the check's id; the description is the finding's message
// with its rule (e.g. the linter) when the rule is not the check's kind.
// The severity is critical when the failure decides the verdict, minor for
// another SHOULD failure and info for a MAY one. The fingerprint is the
// SHA-256 of the check id, path, line and (for a finding) description, so
// that the same problem has the same fingerprint from one pipeline to the
// next and GitLab can tell new problems from fixed ones.
func CheckCodeQuality(w io.Writer, r *checks.Report, p RepoPaths) error {
	issues := []codeQualityIssue{}
	for i := range r.Outcomes {
		o := &r.Outcomes[i]
		if o.Status != checks.Fail {
			continue
		}
		severity := codeQualitySeverity(r, o)
		located := 0
		for _, f := range o.Findings {
			if f.File == "" {
				continue
			}
			located++
			desc := f.Message
			if f.Rule != "" && f.Rule != o.Kind {
				desc += " (" + f.Rule + ")"
			}
			issues = append(issues, newCodeQualityIssue(o.ID, desc, desc, severity, p.file(f.File), f.Line))
		}
		if located > 0 {
			continue
		}
		file, line := p.policyLine(o)
		if file == "" {
			file, line = p.file("go.mod"), 1
		}
		// The description has measurements that vary between runs; the
		// fingerprint leaves it out: one such issue per check.
		issues = append(issues, newCodeQualityIssue(o.ID, strings.ReplaceAll(problemMessage(o), "\n", "; "), "", severity, file, line))
	}
	return encodeIndented(w, issues)
}

// newCodeQualityIssue makes an issue whose fingerprint hashes id, file,
// line and key.
func newCodeQualityIssue(id, desc, key, severity, file string, line int) codeQualityIssue {
	line = max(line, 1) // GitLab needs a line: 1 for a whole file
	return codeQualityIssue{Type: "issue", CheckName: id, Description: desc, Categories: []string{"Performance"},
		Fingerprint: codeQualityFingerprint(id, file, line, key), Severity: severity,
		Location: codeQualityLocation{Path: file, Lines: codeQualityLines{Begin: line}}}
}

// codeQualityFingerprint is the hex SHA-256 of an issue's check id, path,
// line and key, separated by NUL bytes.
func codeQualityFingerprint(id, file string, line int, key string) string {
	sum := sha256.Sum256([]byte(id + "\x00" + file + "\x00" + strconv.Itoa(line) + "\x00" + key))
	return hex.EncodeToString(sum[:])
}

// codeQualitySeverity ranks o's issues on GitLab's scale (info, minor,
// major, critical, blocker).
func codeQualitySeverity(r *checks.Report, o *checks.Outcome) string {
	switch {
	case decisive(r, o):
		return "critical"
	case o.Level == checks.May:
		return "info"
	}
	return "minor"
}
