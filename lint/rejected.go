package lint

import (
	"regexp"
	"slices"
	"strings"

	"github.com/perfctl/perfctl/internal/usererr"
)

// A ConfigError is golangci-lint refusing the configuration perfctl
// generated: a problem of the profile's settings (--set, the lint check's
// params), not of the code being linted.
type ConfigError struct {
	Msg    string   // what golangci-lint said of the configuration
	Blame  []string // the settings that may have caused it, as LINTER.KEY=VALUE
	Output string   // everything golangci-lint printed on stderr
}

func (e *ConfigError) Error() string {
	return "perfctl's generated golangci-lint configuration was rejected: " + e.Msg
}

// Describe says e for a user: golangci-lint's words, and which setting to
// change.
func (e *ConfigError) Describe() *usererr.Error {
	d := &usererr.Error{Msg: e.Error()}
	if len(e.Blame) > 0 {
		d.Hint = "this is a perfctl setting problem: " + strings.Join(e.Blame, ", ") +
			" (given with --set, or the set param of the lint check); change or remove it"
	} else {
		d.Hint = "this is a perfctl setting problem, not one of your code: the profile's settings (--enable-check, --disable-check, " +
			"the lint check's params) made a configuration golangci-lint " + PinnedVersion + " refuses; if you changed none, report it as a perfctl bug"
	}
	for line := range strings.SplitSeq(e.Output, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			d.Details = append(d.Details, line)
		}
	}
	return d
}

// rejectionPatterns are how golangci-lint v2.15.0 says, with exit status
// 3, that its configuration is wrong: the loader ("can't load config: …"),
// gocritic's settings (checked when its context is built: "gocritic:
// invalid settings: …") and gocritic's per-check settings (checked when
// it runs: "checker hugeParam config param … doesn't exist").
var rejectionPatterns = []*regexp.Regexp{
	regexp.MustCompile(`can't load config: ([^"\n]*)`),
	regexp.MustCompile(`([a-z0-9-]+: invalid settings: [^"\n]*)`),
	regexp.MustCompile(`(checker \S+ config param [^"\n]*)`),
}

// configRejection finds golangci-lint's complaint about its configuration
// in its stderr.
func configRejection(stderr string) (string, bool) {
	for _, re := range rejectionPatterns {
		if m := re.FindStringSubmatch(stderr); m != nil {
			return strings.TrimSpace(m[1]), true
		}
	}
	return "", false
}

// rejected returns the error of golangci-lint rejecting p's configuration
// with msg, blaming the settings of the linter msg names (or every
// setting given, when it names none of them).
func (p *Profile) rejected(msg, stderr string) *ConfigError {
	e := &ConfigError{Msg: msg, Output: strings.TrimSpace(stderr)}
	all := make([]string, 0, len(p.sets))
	for _, spec := range p.sets {
		linter, _, _ := strings.Cut(spec, ".")
		all = append(all, spec)
		if strings.Contains(msg, linter) && !slices.Contains(e.Blame, spec) {
			e.Blame = append(e.Blame, spec)
		}
	}
	if len(e.Blame) == 0 {
		e.Blame = all
	}
	return e
}
