package report

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/checks"
)

// CheckMarkdown writes r as a pull-request comment or a
// $GITHUB_STEP_SUMMARY section, in GitHub-flavoured Markdown:
//
//   - a hidden marker as the first line, <!-- perfctl:check -->, by which a
//     workflow finds the comment it posted on an earlier push and updates it
//     (a sticky comment) instead of adding one per push;
//   - a headline: ✅ pass, ⚠️ pass with warnings, ❌ fail or error, with the
//     checks passed per level, and one line of context (the policy, strict,
//     how many checks were skipped, how long it took);
//   - the failures that decide the verdict, each with its message, what
//     went wrong (located findings as `path/file.go:12`, the regressions of
//     a regression check as a table, other details in a code block; ten at
//     most) and its fix;
//   - folded in <details>: the warnings (failures that do not decide the
//     verdict) in the same form, the table of every check, and the perfctl
//     check --only command that runs the failed checks again.
//
// It stays under GitHub's limit of 65,536 characters for a comment,
// pointing at the JSON report for what it leaves out.
func CheckMarkdown(w io.Writer, r *checks.Report) error {
	d := &mdDoc{}
	d.WriteString(checkMarker + "\n")
	d.checkHeadline(r)

	failures, warns := splitProblems(r)
	if len(failures) > 0 {
		fmt.Fprintf(d, "#### Failures (%d)\n\n", len(failures))
		d.problems(failures, mdBudget*2/5)
	}
	if len(warns) > 0 {
		d.open(fmt.Sprintf("⚠️ %s: failed checks that do not decide the verdict", plural(len(warns), "warning", "warnings")))
		d.problems(warns, mdBudget*3/5)
		d.close()
	}
	d.allChecks(r)
	d.reproduceCheck(r, failures, warns)
	_, err := io.WriteString(w, d.String())
	return err
}

// checkHeadline writes the verdict with the checks passed per level, then
// the context of the run.
func (d *mdDoc) checkHeadline(r *checks.Report) {
	icon := "✅"
	switch {
	case r.Verdict != checks.VerdictPass:
		icon = "❌"
	case warnings(r) > 0:
		icon = "⚠️"
	}
	var levels []string
	skipped := 0
	for _, l := range checks.Levels {
		t := r.Summary[l]
		skipped += t.Skipped
		if t.Total > 0 {
			levels = append(levels, fmt.Sprintf("%s %d/%d", l, t.Passed, t.Total))
		}
	}
	head := "### " + icon + " perfctl check: " + r.Verdict.Word()
	if len(levels) > 0 {
		head += " — " + strings.Join(levels, " · ")
	}
	d.WriteString(head + "\n")

	var context []string
	if r.Verdict == checks.VerdictError {
		n := 0
		for i := range r.Outcomes {
			if o := &r.Outcomes[i]; o.Status == checks.Error && decisive(r, o) {
				n++
			}
		}
		context = append(context, "no verdict: "+plural(n, "check", "checks")+" could not be evaluated")
	}
	if r.Policy != "" {
		context = append(context, "policy "+mdSpan(r.Policy))
	}
	if r.Preset.Preset != "" {
		context = append(context, "preset "+mdSpan(r.Preset.String()))
	}
	if r.Strict {
		context = append(context, "strict: SHOULD failures fail")
	}
	if skipped > 0 {
		context = append(context, fmt.Sprintf("%d skipped", skipped))
	}
	if r.Duration > 0 {
		context = append(context, "took "+mdDuration(r.Duration))
	}
	if len(context) > 0 {
		d.WriteString("<sub>" + strings.Join(context, " · ") + "</sub>\n")
	}
	d.WriteString("\n")
}

// mdDuration is d as a person reads it: 850ms, 3.2s, 1m53s.
func mdDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < 10*time.Second:
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// problems writes the failed or errored checks of list, each with its
// title, message, what went wrong and its fix, while the document stays
// under limit bytes.
func (d *mdDoc) problems(list []*checks.Outcome, limit int) {
	for i, o := range list {
		var e mdDoc
		e.problem(o)
		if !d.room(e.String(), limit) {
			fmt.Fprintf(d, "… %d more: see the JSON report (`--format json`).\n\n", len(list)-i)
			return
		}
		d.WriteString(e.String())
	}
}

// problem writes one failed or errored check.
func (d *mdDoc) problem(o *checks.Outcome) {
	fmt.Fprintf(d, "**%s** (%s, %s)", mdSpan(o.ID), o.Level, o.Status)
	if o.Title != "" {
		fmt.Fprintf(d, ": %s", mdEscape(mdCut(oneLine(o.Title))))
	}
	d.WriteString("  \n" + mdLine(mdCut(oneLine(o.Message))) + "\n\n")
	switch {
	case o.Comparison != nil && o.Comparison.Failed():
		regressions := mdRowsWith(o.Comparison, bench.StatusRegression)
		if pkg, one := mdOnePackage(regressions); one && pkg != "" {
			d.WriteString("Regressions in " + mdSpan(pkg) + ":\n\n")
		}
		d.changeTable(regressions, maxDetails, mdMaxChars, "regressions")
	case len(o.Findings) > 0:
		shown, more := o.Findings[:min(len(o.Findings), maxDetails)], len(o.Findings)-maxDetails
		for _, f := range shown {
			d.WriteString("- " + mdFinding(f) + "\n")
		}
		if more > 0 {
			fmt.Fprintf(d, "- … %d more: see the JSON or SARIF report\n", more)
		}
		d.WriteString("\n")
	case len(o.Details) > 0:
		lines, more := capped(o.Details)
		body := make([]string, 0, len(lines)+1)
		for _, l := range lines {
			body = append(body, mdCut(strings.TrimRight(l, " \t\r\n")))
		}
		if more > 0 {
			body = append(body, moreLine(more))
		}
		text := strings.Join(body, "\n")
		fence := codeFence(text)
		fmt.Fprintf(d, "%stext\n%s\n%s\n\n", fence, text, fence)
	}
	if o.Fix != "" && o.Status == checks.Fail { // an error says what went wrong instead
		d.WriteString("**Fix:** " + mdProse(mdCut(oneLine(o.Fix))) + "\n\n")
	}
}

// mdFinding is f as a list item: its place in a code span, then its
// message and rule.
func mdFinding(f checks.Finding) string {
	var b strings.Builder
	if f.File != "" {
		where := f.File
		if f.Line > 0 {
			where += fmt.Sprintf(":%d", f.Line)
		}
		b.WriteString(mdSpan(where) + ": ")
	}
	b.WriteString(mdEscape(mdCut(oneLine(f.Message))))
	if f.Rule != "" {
		b.WriteString(" (" + mdEscape(f.Rule) + ")")
	}
	return b.String()
}

// allChecks writes the table of every check, folded.
func (d *mdDoc) allChecks(r *checks.Report) {
	if len(r.Outcomes) == 0 {
		return
	}
	d.open(fmt.Sprintf("All checks (%d)", len(r.Outcomes)))
	d.WriteString("| level | check | status | message |\n|---|---|---|---|\n")
	shown := 0
	for i := range r.Outcomes {
		o := &r.Outcomes[i]
		line := fmt.Sprintf("| %s | %s | %s | %s |\n", o.Level, mdCode(o.ID), mdStatusIcon(r, o)+" "+statusCell(r, o), mdEscape(mdCut(oneLine(o.Message))))
		if !d.room(line, mdBudget*7/8) {
			break
		}
		d.WriteString(line)
		shown++
	}
	d.WriteString("\n")
	if more := len(r.Outcomes) - shown; more > 0 {
		fmt.Fprintf(d, "… %d more checks: see the JSON report (`--format json`).\n\n", more)
	}
	d.close()
}

// mdStatusIcon marks o's status for the eye.
func mdStatusIcon(r *checks.Report, o *checks.Outcome) string {
	switch {
	case problem(o) && !decisive(r, o):
		return "⚠️"
	case o.Status == checks.Pass:
		return "✅"
	case o.Status == checks.Fail:
		return "❌"
	case o.Status == checks.Error:
		return "❗"
	}
	return "⏭️"
}

// reproduceCheck writes, folded, the command that runs the failed checks
// again: those that decide the verdict, or else the warnings.
func (d *mdDoc) reproduceCheck(r *checks.Report, failures, warns []*checks.Outcome) {
	list := failures
	if len(list) == 0 {
		list = warns
	}
	if len(list) == 0 {
		return
	}
	ids := make([]string, len(list))
	var regression []string
	for i, o := range list {
		ids[i] = o.ID
		if o.Kind == "regression" || o.Comparison != nil {
			regression = append(regression, mdSpan(o.ID))
		}
	}
	cmd := "perfctl check"
	if r.Policy != "" && r.Policy != checks.DefaultSource && r.Policy != "perfctl.yaml" {
		cmd += " --policy " + mdShellQuote(r.Policy)
	}
	if r.Strict {
		cmd += " --strict"
	}
	cmd += " --only " + mdShellQuote(strings.Join(ids, ","))
	fence := codeFence(cmd)
	var s strings.Builder
	s.WriteString("<details><summary>Reproduce locally</summary>\n\n")
	fmt.Fprintf(&s, "%ssh\n%s\n%s\n\n", fence, cmd, fence)
	if len(regression) > 0 {
		fmt.Fprintf(&s, "%s compared benchmarks with a reference: add the `--baseline`, `--base-ref` or `--merge-base` this run used.\n\n",
			strings.Join(regression, ", "))
	}
	s.WriteString("</details>\n")
	if d.room(s.String(), mdMaxChars-1) {
		d.WriteString(s.String())
	}
}

// mdProse is mdEscape for a sentence that may quote commands: 'perfctl
// lint' becomes a code span, to copy.
func mdProse(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range mdQuotedCommand.FindAllStringSubmatchIndex(s, -1) {
		b.WriteString(mdEscape(s[last:m[0]]))
		b.WriteString(mdSpan(s[m[2]:m[3]]))
		last = m[1]
	}
	b.WriteString(mdEscape(s[last:]))
	return b.String()
}

// mdQuotedCommand is a command in single quotes.
var mdQuotedCommand = regexp.MustCompile(`'((?:perfctl|go|golangci-lint|benchstat) [^']+)'`)

// codeFence returns a fence of backticks longer than any run of backticks
// in body, so that body cannot close the code block.
func codeFence(body string) string {
	return strings.Repeat("`", max(3, mdLongestRun(body, '`')+1))
}
