package checks

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/perfctl/perfctl/internal/english"
)

// Waivers: a finding that is deliberate is waived with a reason, never
// silently dropped. A comment on the finding's line or the line above it,
//
//	db, err := sql.Open("pgx", dsn) //perfctl:ignore sql-pool -- limits set by the caller
//	# perfctl:ignore build-flags -- the debugger target
//
// waives the findings of that kind there; a check's waive: param waives
// those under a path (and, for build-flags, in a Makefile target or just
// recipe). A waived finding is not a failure: the check's message counts
// the waived findings and its details list each with its reason, so every
// report format shows them. A comment without a reason is a finding of its
// own; a waive: entry without one is a policy error.

// waiveComment matches a waiver comment: group 1 is the kinds, group 2 the
// reason (after --). Go (//), shell, Makefile and YAML (#) comments.
var waiveComment = regexp.MustCompile(`(?://|#)\s*perfctl:ignore\b\s*([\w-]+(?:\s*,\s*[\w-]+)*)?\s*(?:--\s*(.*?))?\s*(?:\*/|-->)?\s*$`)

// maxWaiverReason bounds a reason shown in reports: it is repository
// content.
const maxWaiverReason = 200

// A waiverComment is a perfctl:ignore comment read from a line.
type waiverComment struct {
	kinds  []string
	reason string
}

// parseWaiverComment reads the perfctl:ignore comment of a line, if any.
func parseWaiverComment(line string) (waiverComment, bool) {
	i := strings.Index(line, "perfctl:ignore")
	if i < 0 {
		return waiverComment{}, false
	}
	m := waiveComment.FindStringSubmatch(line)
	if m == nil {
		return waiverComment{}, false
	}
	var w waiverComment
	for k := range strings.SplitSeq(m[1], ",") {
		if k = strings.TrimSpace(k); k != "" {
			w.kinds = append(w.kinds, k)
		}
	}
	w.reason = snippetN(strings.TrimSpace(m[2]), maxWaiverReason)
	return w, true
}

// commentWaiver looks for a perfctl:ignore comment for kind on line (1-based)
// of data or on the line above it, when that line is only a comment (the
// comment at the end of the previous statement is that statement's). It returns the reason and the line of
// the comment; found is false when there is none. A comment for kind
// without a reason is returned with an empty reason: the caller reports it.
func commentWaiver(data []byte, line int, kind string) (reason string, at int, found bool) {
	lines := strings.Split(string(data), "\n")
	for _, l := range []int{line, line - 1} {
		if l < 1 || l > len(lines) {
			continue
		}
		if t := strings.TrimSpace(lines[l-1]); l < line && !strings.HasPrefix(t, "//") && !strings.HasPrefix(t, "#") {
			continue
		}
		w, ok := parseWaiverComment(lines[l-1])
		if !ok {
			continue
		}
		for _, k := range w.kinds {
			if k == kind {
				return w.reason, l, true
			}
		}
	}
	return "", 0, false
}

// A waiverParam is an entry of a check's waive: param.
type waiverParam struct {
	Path   string `yaml:"path"`   // glob of module-relative files
	Target string `yaml:"target"` // build-flags: a Makefile target or just recipe
	Reason string `yaml:"reason"` // why: required
}

// validateWaivers checks the waive: param of a kind; targets says whether
// the kind knows targets.
func validateWaivers(ws []waiverParam, targets bool) error {
	for i := range ws {
		w := &ws[i]
		w.Path = strings.TrimPrefix(strings.TrimSpace(w.Path), "./")
		w.Target = strings.TrimSpace(w.Target)
		w.Reason = strings.TrimSpace(w.Reason)
		switch {
		case w.Reason == "":
			return fmt.Errorf("waive[%d]: give the reason: a waiver without one hides a problem (reason: …)", i)
		case w.Path == "" && w.Target == "":
			if targets {
				return fmt.Errorf("waive[%d]: give a path (a glob) or a target", i)
			}
			return fmt.Errorf("waive[%d]: give a path (a glob)", i)
		case w.Target != "" && !targets:
			return fmt.Errorf("waive[%d]: target: this kind has no targets; use path", i)
		case w.Path != "" && !doublestar.ValidatePattern(w.Path):
			return fmt.Errorf("waive[%d]: path %q is not a valid glob", i, w.Path)
		case strings.ContainsAny(w.Reason, "\x00\n\r"):
			return fmt.Errorf("waive[%d]: the reason has a control character", i)
		}
	}
	return nil
}

// matchWaiver returns the first waiver for a finding in file, in one of targets
// (nil when it is in none).
func matchWaiver(ws []waiverParam, file string, targets []string) *waiverParam {
	for i := range ws {
		w := &ws[i]
		if w.Path != "" && !doublestar.MatchUnvalidated(w.Path, file) {
			continue
		}
		if w.Target != "" && !slices.Contains(targets, w.Target) {
			continue
		}
		return w
	}
	return nil
}

// A waived finding, with why.
type waived struct {
	Finding
	why string // "limits set by the caller (comment at x.go:8)"
}

// waivedDetails are the details lines of waived findings.
func waivedDetails(ws []waived) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = fmt.Sprintf("waived: %s:%d: %s — %s", w.File, w.Line, w.Message, w.why)
	}
	return out
}

// waivedNote is what a message says about waived findings: "" for none.
func waivedNote(n int) string {
	if n == 0 {
		return ""
	}
	return english.Plural(n, "finding", "findings") + " waived"
}

// errNoReason is the message of a waiver comment without a reason.
var errNoReason = errors.New("perfctl:ignore without a reason: say why after -- (//perfctl:ignore KIND -- why), or fix the finding")

// snippetN trims s to at most n runes on one line.
func snippetN(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n-1]) + "…"
	}
	return s
}
