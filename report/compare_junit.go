package report

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"

	"github.com/perfctl/perfctl/bench"
)

// CompareJUnit writes c as JUnit XML, in the dialect of CheckJUnit: one
// <testsuites name="perfctl compare"> holding a <testsuite> per package, in
// the order the rows first name it (a row without a package is in the suite
// "benchmarks"), each with the properties verdict, alpha, correction and
// method, and a <testcase classname="PACKAGE" name="BenchmarkNAME UNIT"> per
// row of the comparison.
//
// A regression is a <failure type="regression"> whose message says base →
// head, the change, the p-value (or that the row is gated exactly) and the
// threshold; an insufficient row is <skipped> with its note (the gate did not
// decide it, and CI test views list a skipped test with its reason), and so
// is a row whose benchmarks were not run (identical test binaries). Every
// other row passes, with what it measured as its <system-out>.
func CompareJUnit(w io.Writer, c *bench.Comparison) error {
	doc := junitSuites{Name: "perfctl compare", Time: junitTime(0)}
	verdict := bench.VerdictPass
	if c.Failed() {
		verdict = bench.VerdictFail
	}
	props := []junitProperty{
		{"verdict", string(verdict)},
		{"alpha", strconv.FormatFloat(c.Alpha, 'g', -1, 64)},
		{"correction", c.Correction.String()},
		{"method", c.Method},
	}
	index := map[string]int{}
	for i := range c.Rows {
		r := &c.Rows[i]
		pkg := orDefault(r.Pkg, "benchmarks")
		k, ok := index[pkg]
		if !ok {
			k = len(doc.Suites)
			index[pkg] = k
			doc.Suites = append(doc.Suites, junitSuite{Name: pkg, Time: junitTime(0), Properties: props})
		}
		s := &doc.Suites[k]
		tc := junitCase{Name: mdBenchName(r.Name) + " " + r.Unit, Classname: pkg, Time: junitTime(0)}
		switch {
		case r.Status == bench.StatusRegression:
			msg := compareJUnitLine(r)
			tc.Failure = &junitProblem{Message: msg, Type: "regression", Body: xmlText(compareJUnitBody(r, msg))}
			s.Failures++
		case r.NotRun != "":
			tc.Skipped = &junitProblem{Message: "not run: " + r.NotRun}
			s.Skipped++
		case r.Status == bench.StatusInsufficient:
			tc.Skipped = &junitProblem{Message: "insufficient: " + orDefault(r.Note, "too few samples to decide")}
			s.Skipped++
		default:
			tc.SystemOut = compareJUnitLine(r)
			if r.Note != "" {
				tc.SystemOut += " (" + r.Note + ")"
			}
		}
		s.Cases = append(s.Cases, tc)
		s.Tests++
		doc.Tests++
	}
	for i := range doc.Suites {
		doc.Failures += doc.Suites[i].Failures
	}
	out, err := xml.MarshalIndent(&doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, xml.Header+string(out)+"\n")
	return err
}

// compareJUnitLine says a row in one line: its status, base → head, the
// change, the p-value and the threshold.
func compareJUnitLine(r *bench.Row) string {
	return string(r.Status) + ": " + regressionLine(r) + ", threshold ±" + strconv.FormatFloat(percent(r.Threshold), 'g', -1, 64) + "%"
}

// compareJUnitBody is the text of a row's <failure> or <system-out>: its
// line, then its note when it has one.
func compareJUnitBody(r *bench.Row, line string) string {
	var b strings.Builder
	b.WriteString(line + "\n")
	if r.Note != "" {
		b.WriteString("note: " + r.Note + "\n")
	}
	return b.String()
}
