package report_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/compare"
	"github.com/perfctl/perfctl/report"
)

// driftComparison is an interleaved comparison in which the machine's
// speed drifted: base runs from 100 ns in round 1 to 1.2 µs in round 12.
// Head is about 10% slower than base in 11 of the 12 rounds and half as
// fast in the last, so the paired test finds a regression of +10.6% (the
// median of the per-round changes), while the median of head's samples is
// below base's (−2.8%): the centers move one way, the rounds the other.
func driftComparison(t *testing.T) *bench.Comparison {
	t.Helper()
	var base, head strings.Builder
	for _, s := range []*strings.Builder{&base, &head} {
		s.WriteString("goos: linux\ngoarch: amd64\npkg: example.com/drift\ncpu: AMD EPYC 7B13\n")
	}
	for i := 1; i <= 12; i++ {
		b := 100 * float64(i)
		h := b * 1.1 * (1 + 0.001*float64(i))
		if i == 12 {
			h = b / 2
		}
		fmt.Fprintf(&base, "BenchmarkDrift-8\t1000\t%s ns/op\n", strconv.FormatFloat(b, 'f', 2, 64))
		fmt.Fprintf(&head, "BenchmarkDrift-8\t1000\t%s ns/op\n", strconv.FormatFloat(h, 'f', 2, 64))
	}
	b, err := bench.Read(strings.NewReader(base.String()), "base")
	if err != nil {
		t.Fatal(err)
	}
	h, err := bench.Read(strings.NewReader(head.String()), "head")
	if err != nil {
		t.Fatal(err)
	}
	opts := bench.DefaultOptions()
	opts.Paired = true
	c, err := bench.Compare(b, h, opts)
	if err != nil {
		t.Fatal(err)
	}
	c.Rounds = 12
	return c
}

// TestComparePairedNoContradiction checks that a paired row whose centers
// and per-round changes point in different directions is shown without a
// contradiction: the Δ beside base → head is the change of those centers,
// the paired change has a column of its own, labelled, and a legend says
// which decides and why they differ.
func TestComparePairedNoContradiction(t *testing.T) {
	c := driftComparison(t)
	r := &c.Rows[0]
	if r.Status != bench.StatusRegression || !(r.DeltaPct < 0) || !(r.PairedDeltaPct > 5) {
		t.Fatalf("the input must be a regression whose centers fell: status %s, delta %.2f%%, paired %.2f%%", r.Status, r.DeltaPct, r.PairedDeltaPct)
	}
	var text bytes.Buffer
	if err := report.CompareText(&text, c, report.Options{}); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "compare_paired_drift.txt.golden", text.Bytes())
	md := markdownOf(t, c)
	checkGolden(t, "compare_paired_drift.md.golden", []byte(md))
	lintMarkdown(t, md)
	renderGFM(t, md)

	delta, paired := fmt.Sprintf("%+.2f%%", r.DeltaPct), fmt.Sprintf("%+.2f%%", r.PairedDeltaPct)
	line := ""
	for _, l := range strings.Split(text.String(), "\n") {
		if strings.HasPrefix(l, " Drift ") {
			line = l
		}
	}
	if !regexp.MustCompile(regexp.QuoteMeta(delta) + ` +` + regexp.QuoteMeta(paired) + ` +0\.\d+ +12 +regression$`).MatchString(line) {
		t.Errorf("the text row %q: want the change of the centers %s, then the paired %s", line, delta, paired)
	}
	for _, want := range []string{"paired delta", "point in different directions for Drift"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the text lacks %q:\n%s", want, text.String())
		}
	}
	for _, want := range []string{
		"| benchmark | unit | base → head | Δ | Δ (paired median) | p |",
		"| `BenchmarkDrift` | sec/op | 650 ns → 632",
		" | " + delta + " | " + paired + " | ",
		"point in different directions for Drift",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, md)
		}
	}
}

// TestCompareReproduceCommand checks the reproduce block: the command that
// made the comparison, every flag that changes the rows, quoted so that a
// POSIX shell passes each value on unchanged and expands nothing; and,
// for a comparison that measured head, the narrower command per package.
func TestCompareReproduceCommand(t *testing.T) {
	hostile := "$(touch pwned)`touch pwned2`'\"; *~ \\"
	q := &compare.Request{
		Ref:      compare.Reference{MergeBase: "master"},
		Packages: []string{"./...", "./it's dir/..."},
		Spec:     bench.Spec{Bench: hostile, Count: 7, Benchtime: "50ms", CPU: "1,4", Tags: "a,b"},
		Set:      compare.Overrides{Bench: true, Count: true, Benchtime: true, CPU: true, Tags: true},
		Stats:    bench.DefaultOptions(),
	}
	q.Stats.Alpha, q.Stats.Correction = 0.01, bench.CorrectionNone
	if err := q.Stats.Thresholds.Set("sec/op=3%"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := report.RenderCompare(&buf, report.Markdown, oddComparison(t), report.Options{Request: q}); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	lintMarkdown(t, md)
	repro := section(md, "<summary>Reproduce locally</summary>", "</details>")
	var cmds []string
	for _, l := range strings.Split(repro, "\n") {
		if strings.HasPrefix(l, "perfctl compare ") {
			cmds = append(cmds, l)
		}
	}
	if len(cmds) != 3 {
		t.Fatalf("want the command and one per package of regressions (2), got:\n%s", repro)
	}
	want := []string{"--merge-base=master", "--bench=" + hostile, "--count=7", "--benchtime=50ms", "--cpu=1,4", "--tags=a,b",
		"--threshold=sec/op=3%", "--alpha=0.01", "--correction=none", "./...", "./it's dir/..."}
	if got := shellWords(t, strings.TrimPrefix(cmds[0], "perfctl compare ")); !slices.Equal(got, want) {
		t.Errorf("the shell reads the command as\n%q\nwant\n%q", got, want)
	}
	narrow := shellWords(t, strings.TrimPrefix(cmds[2], "perfctl compare "))
	if !slices.Contains(narrow, "--bench=^BenchmarkEncode$") || narrow[len(narrow)-1] != "example.com/odd/v2" || !slices.Contains(narrow, "--count=7") {
		t.Errorf("the narrower command of example.com/odd/v2 is read as %q", narrow)
	}

	// Two files: the command, but nothing to measure again.
	q = &compare.Request{Ref: compare.Reference{BaseFile: "old.txt", HeadFile: "-"}, Stats: bench.DefaultOptions()}
	buf.Reset()
	if err := report.RenderCompare(&buf, report.Markdown, oddComparison(t), report.Options{Request: q}); err != nil {
		t.Fatal(err)
	}
	repro = section(buf.String(), "<summary>Reproduce locally</summary>", "</details>")
	if !strings.Contains(repro, "```sh\nperfctl compare old.txt -\n```") || strings.Contains(repro, "Measure only") ||
		!strings.Contains(repro, "standard input") {
		t.Errorf("the reproduce block of two files:\n%s", repro)
	}
	// Without the request, no command that would be a guess.
	if md := markdownOf(t, oddComparison(t)); strings.Contains(md, "Reproduce locally") {
		t.Errorf("a reproduce block without the request")
	}
}

// shellWords is what a POSIX shell makes of args: the words it passes to
// a command, run in an empty directory that must stay empty (nothing in
// args is executed).
func shellWords(t *testing.T, args string) []string {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.CommandContext(t.Context(), "sh", "-c", `printf '%s\0' `+args)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("sh: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("the shell ran something: %s holds %v", filepath.Base(dir), entries)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
}
