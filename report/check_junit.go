package report

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/perfctl/perfctl/checks"
)

// JUnit XML as Maven Surefire writes it, which Jenkins, GitLab and the
// GitHub test-report actions read.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Time     string       `xml:"time,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name       string          `xml:"name,attr"`
		Tests      int             `xml:"tests,attr"`
		Failures   int             `xml:"failures,attr"`
		Errors     int             `xml:"errors,attr"`
		Skipped    int             `xml:"skipped,attr"`
		Time       string          `xml:"time,attr"`
		Properties []junitProperty `xml:"properties>property"`
		Cases      []junitCase     `xml:"testcase"`
	}
	junitProperty struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		Time      string        `xml:"time,attr"`
		Failure   *junitProblem `xml:"failure"`
		Error     *junitProblem `xml:"error"`
		Skipped   *junitProblem `xml:"skipped"`
		SystemOut string        `xml:"system-out,omitempty"`
	}
	junitProblem struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr,omitempty"`
		// Body is escaped by xmlText: encoding/xml would write its
		// newlines as &#xA;.
		Body string `xml:",innerxml"`
	}
)

// CheckJUnit writes r as JUnit XML: one <testsuites name="perfctl check">
// holding a <testsuite> per level (MUST, SHOULD, MAY; a level without
// checks has none), each with the properties policy, strict, verdict
// and, when the policy uses presets, preset
// and a <testcase classname="perfctl.LEVEL" name="ID: TITLE"> per check.
// A failed check has a <failure>, a check that could not be evaluated an
// <error>, a skipped one <skipped>; their text is the message, the details
// and the fix hint, and a passing check's message is its <system-out>.
//
// A failed SHOULD or MAY check that does not decide the verdict is still a
// <failure>, so that CI test views show it; its text starts with
// "warning:" and the suites' verdict property says whether the gate
// passed.
func CheckJUnit(w io.Writer, r *checks.Report) error {
	doc := junitSuites{Name: "perfctl check", Time: junitTime(r.Duration)}
	props := []junitProperty{
		{"policy", r.Policy},
		{"strict", strconv.FormatBool(r.Strict)},
		{"verdict", string(r.Verdict)},
	}
	if r.Preset.Preset != "" {
		props = append(props, junitProperty{"preset", r.Preset.String()})
	}
	for _, level := range checks.Levels {
		s := junitSuite{Name: string(level), Properties: props}
		var total time.Duration
		for i := range r.Outcomes {
			o := &r.Outcomes[i]
			if o.Level != level {
				continue
			}
			s.Cases = append(s.Cases, junitCaseOf(r, o))
			s.Tests++
			switch o.Status {
			case checks.Fail:
				s.Failures++
			case checks.Error:
				s.Errors++
			case checks.Skip:
				s.Skipped++
			}
			total += o.Duration
		}
		if s.Tests == 0 {
			continue
		}
		s.Time = junitTime(total)
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Suites = append(doc.Suites, s)
	}
	out, err := xml.MarshalIndent(&doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, xml.Header+string(out)+"\n")
	return err
}

func junitCaseOf(r *checks.Report, o *checks.Outcome) junitCase {
	name := o.ID
	if o.Title != "" {
		name += ": " + o.Title
	}
	c := junitCase{Name: name, Classname: "perfctl." + string(o.Level), Time: junitTime(o.Duration)}
	switch o.Status {
	case checks.Pass:
		c.SystemOut = o.Message
	case checks.Fail:
		c.Failure = &junitProblem{Message: o.Message, Type: "fail", Body: xmlText(junitBody(r, o))}
	case checks.Error:
		c.Error = &junitProblem{Message: o.Message, Type: "error", Body: xmlText(junitBody(r, o))}
	case checks.Skip:
		c.Skipped = &junitProblem{Message: o.Message}
	}
	return c
}

// junitBody is the text of a failure or error: every detail line and the
// fix hint, after a warning line when it does not decide the verdict.
func junitBody(r *checks.Report, o *checks.Outcome) string {
	var b strings.Builder
	if !decisive(r, o) {
		b.WriteString("warning: a " + string(o.Level) + " check: this does not fail the verdict\n")
	}
	b.WriteString(o.Message + "\n")
	for _, l := range detailLines(o) {
		b.WriteString(l + "\n")
	}
	if o.Fix != "" {
		b.WriteString("fix: " + o.Fix + "\n")
	}
	return b.String()
}

// xmlText escapes s as XML character data, keeping its newlines, and
// replaces what XML 1.0 cannot hold (such as the escape codes of a tool's
// coloured output) with U+FFFD.
func xmlText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '\r':
			b.WriteString("&#xD;")
		case r == '\t' || r == '\n' || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF):
			b.WriteRune(r)
		default:
			b.WriteRune('\uFFFD')
		}
	}
	return b.String()
}

// junitTime is d in seconds with three decimals, as Surefire writes it.
func junitTime(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64)
}
