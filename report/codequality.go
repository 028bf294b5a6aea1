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

// codeQualitySeverities rank the problem levels on GitLab's scale (info,
// minor, major, critical, blocker).
var codeQualitySeverities = [...]string{LevelError: "critical", LevelWarning: "minor", LevelNote: "info"}

// WriteCodeQuality writes problems as a GitLab Code Quality report: a JSON
// array of issues, which GitLab shows in the merge request
// (artifacts:reports:codequality).
//
// Each problem is an issue at its file and line, or at line 1 of its
// module's go.mod when it has no file, as in SARIF. Problems of checks
// that could not be evaluated are left out: they are not problems in the
// code.
//
// check_name is the problem's check; the description is its message, with
// its rule (e.g. the linter) when the rule is not the check's kind, and on
// one line for a check as a whole and a regression. The fingerprint is the
// SHA-256 of the check, path, line and, for a finding, its description —
// for a regression, its Key (package, benchmark, unit) instead, as its
// description has measurements — so that the same problem has the same
// fingerprint from one pipeline to the next and GitLab can tell new
// problems from fixed ones.
func WriteCodeQuality(w io.Writer, problems []Problem) error {
	issues := []codeQualityIssue{}
	for i := range problems {
		p := &problems[i]
		if p.Unevaluated {
			continue
		}
		file, line := p.place()
		severity := codeQualitySeverities[p.Level]
		if p.Whole {
			// The description has measurements that vary between runs; the
			// fingerprint leaves it out: one such issue per check.
			issues = append(issues, newCodeQualityIssue(p.Check, strings.ReplaceAll(p.Message, "\n", "; "), "", severity, file, line))
			continue
		}
		desc := p.Message
		if p.Rule != "" && p.Rule != p.Kind {
			desc += " (" + p.Rule + ")"
		}
		if p.Key != "" {
			// Measurements again (a regression): the fingerprint has what
			// the problem is, not what it measured.
			issues = append(issues, newCodeQualityIssue(p.Check, strings.ReplaceAll(desc, "\n", "; "), p.Key, severity, file, line))
			continue
		}
		issues = append(issues, newCodeQualityIssue(p.Check, desc, desc, severity, file, line))
	}
	return encodeIndented(w, issues)
}

// CheckCodeQuality writes the failed checks of r as a GitLab Code Quality
// report (see WriteCodeQuality and CheckProblems), with paths relative to
// the repository root (made so with p). The severity is critical when the
// failure decides the verdict, minor for another SHOULD failure and info
// for a MAY one.
func CheckCodeQuality(w io.Writer, r *checks.Report, p RepoPaths) error {
	return WriteCodeQuality(w, CheckProblems(r, p))
}

// checkCodeQuality is CheckCodeQuality in the registry.
func checkCodeQuality(w io.Writer, r *checks.Report, opts Options) error {
	return CheckCodeQuality(w, r, opts.Paths)
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
