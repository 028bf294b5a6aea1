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
	"time"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/checks"
	"github.com/perfctl/perfctl/compare"
	"github.com/perfctl/perfctl/report"
)

// The Markdown reports are pull-request comments: these tests check what
// GitHub makes of them (valid tables and folded sections, under its size
// limit), that names survive escaping, and that the commands they suggest
// do what they say.

// githubLimit is the most characters GitHub accepts in a comment.
const githubLimit = 65536

// benchLines writes n samples of one benchmark in benchfmt, ns/op, B/op
// and allocs/op, with a little deterministic noise on ns/op.
func benchLines(b *strings.Builder, name string, n int, ns float64, bop, allocs int) {
	for j := range n {
		v := ns * (1 + 0.002*float64(j%5-2))
		fmt.Fprintf(b, "%s-8\t1000\t%s ns/op\t%d B/op\t%d allocs/op\n", name, strconv.FormatFloat(v, 'f', 2, 64), bop, allocs)
	}
}

// compareText compares two benchfmt texts with the default options.
func compareText(t *testing.T, base, head string) *bench.Comparison {
	t.Helper()
	return compareInputs(t, base, head)
}

// largeComparison is 400 benchmarks in four packages, three units each:
// 1,200 rows, a third of them regressed in sec/op, every fifth faster. Each
// sub-benchmark name has nameLen characters.
func largeComparison(t *testing.T, nameLen int) *bench.Comparison {
	t.Helper()
	var base, head strings.Builder
	for p := range 4 {
		pkg := fmt.Sprintf("example.com/large/pkg%d", p)
		fmt.Fprintf(&base, "pkg: %s\n", pkg)
		fmt.Fprintf(&head, "pkg: %s\n", pkg)
		for i := range 100 {
			sub := fmt.Sprintf("size=%d", i)
			sub += strings.Repeat("x", max(0, nameLen-len(sub)))
			name := fmt.Sprintf("BenchmarkOp%02d/%s", i/10, sub)
			ns := 100 + 37*float64(i)
			headNs := ns
			switch {
			case i%3 == 0:
				headNs *= 1.2
			case i%5 == 0:
				headNs *= 0.8
			}
			benchLines(&base, name, 6, ns, 64, 1)
			benchLines(&head, name, 6, headNs, 64, 1)
		}
	}
	// Each row on its own: with Holm's correction across 400 rows, 6
	// samples could not show a change, and this is a test of the
	// rendering of many of them.
	b, err := bench.Read(strings.NewReader(base.String()), "base.txt")
	if err != nil {
		t.Fatal(err)
	}
	h, err := bench.Read(strings.NewReader(head.String()), "head.txt")
	if err != nil {
		t.Fatal(err)
	}
	opts := bench.DefaultOptions()
	opts.Correction = bench.CorrectionNone
	c, err := bench.Compare(b, h, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// oddNames are benchmarks of example.com/odd whose names hold what
// Markdown, regular expressions and the shell treat specially, and
// neighbours whose names a careless pattern would also match; regressed
// says which got 50% slower.
var oddNames = []struct {
	name      string
	regressed bool
}{
	{"BenchmarkParse/small", true},
	{"BenchmarkParse/smaller", false},
	{"BenchmarkParse/a|b", true},
	{"BenchmarkParse/x*y", true},
	{"BenchmarkParse/`q`", true},
	{"BenchmarkParse/<y>", true},
	{"BenchmarkParse/it's", true},
	{"BenchmarkParse/_u_", false},
	{"BenchmarkEncode", true},
	{"BenchmarkEncodeFast", false},
	{"BenchmarkSize/n=10", true},
	{"BenchmarkSize/n=100", false},
}

// oddComparison compares the oddNames, and a BenchmarkEncode of
// example.com/odd/v2 that regressed too: the regressions span two
// packages, and Encode is ambiguous.
func oddComparison(t *testing.T) *bench.Comparison {
	t.Helper()
	var base, head strings.Builder
	for _, s := range []*strings.Builder{&base, &head} {
		s.WriteString("goos: linux\ngoarch: amd64\npkg: example.com/odd\ncpu: AMD EPYC 7B13\n")
	}
	for i, n := range oddNames {
		ns := 1000 + 100*float64(i)
		benchLines(&base, n.name, 6, ns, 128, 2)
		if n.regressed {
			ns *= 1.5
		}
		benchLines(&head, n.name, 6, ns, 128, 2)
	}
	base.WriteString("pkg: example.com/odd/v2\n")
	head.WriteString("pkg: example.com/odd/v2\n")
	benchLines(&base, "BenchmarkEncode", 6, 500, 0, 0)
	benchLines(&head, "BenchmarkEncode", 6, 900, 0, 0)
	return compareText(t, base.String(), head.String())
}

// pairedComparison is the pass comparison measured in interleaved rounds.
func pairedComparison(t *testing.T) *bench.Comparison {
	t.Helper()
	b, err := bench.Read(strings.NewReader(passBase), "base")
	if err != nil {
		t.Fatal(err)
	}
	h, err := bench.Read(strings.NewReader(passHead), "head")
	if err != nil {
		t.Fatal(err)
	}
	opts := bench.DefaultOptions()
	opts.Paired = true
	c, err := bench.Compare(b, h, opts)
	if err != nil {
		t.Fatal(err)
	}
	c.Rounds = 6
	return c
}

func markdownOf(t *testing.T, c *bench.Comparison) string {
	t.Helper()
	var buf bytes.Buffer
	if err := report.CompareMarkdown(&buf, c); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// mergeBaseRequest is perfctl compare --merge-base origin/main.
func mergeBaseRequest() *compare.Request {
	return &compare.Request{Ref: compare.Reference{MergeBase: "origin/main"}, Stats: bench.DefaultOptions()}
}

// markdownFor is the Markdown of c made by the request q.
func markdownFor(t *testing.T, c *bench.Comparison, q *compare.Request) string {
	t.Helper()
	var buf bytes.Buffer
	if err := report.RenderCompare(&buf, report.Markdown, c, report.Options{Request: q}); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestCompareMarkdownGoldenCases(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    func(*testing.T) *bench.Comparison
	}{
		{"odd", oddComparison},
		{"paired", pairedComparison},
		{"large", func(t *testing.T) *bench.Comparison { return largeComparison(t, 0) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			md := markdownFor(t, tc.c(t), mergeBaseRequest())
			checkGolden(t, "compare_"+tc.name+".md.golden", []byte(md))
			lintMarkdown(t, md)
		})
	}
}

// TestCompareMarkdownValid checks every comparison's Markdown as GitHub
// would read it.
func TestCompareMarkdownValid(t *testing.T) {
	for name, c := range map[string]*bench.Comparison{
		"mixed":       compareInputs(t, mixedBase, mixedHead),
		"pass":        compareInputs(t, passBase, passHead),
		"odd":         oddComparison(t),
		"paired":      pairedComparison(t),
		"large":       largeComparison(t, 0),
		"large names": largeComparison(t, 400),
	} {
		t.Run(name, func(t *testing.T) {
			md := markdownOf(t, c)
			lintMarkdown(t, md)
			renderGFM(t, md)
		})
	}
}

// TestCompareMarkdownLarge checks that a comparison of 1,200 rows, 400 of
// them regressions, stays under GitHub's limit with its tables cut and
// says where the rest is, and that very long names cut the tables sooner
// rather than overflow.
func TestCompareMarkdownLarge(t *testing.T) {
	c := largeComparison(t, 0)
	if len(c.Rows) < 1000 || c.Count(bench.StatusRegression) < 100 {
		t.Fatalf("the large comparison has %d rows, %d regressions: want over 1000 and 100", len(c.Rows), c.Count(bench.StatusRegression))
	}
	md := markdownFor(t, c, mergeBaseRequest())
	if len(md) >= githubLimit {
		t.Errorf("the Markdown of %d rows is %d bytes, over GitHub's limit of %d", len(c.Rows), len(md), githubLimit)
	}
	regressions := section(md, "#### Regressions", "<details>")
	if n := tableRows(regressions); n != 50 {
		t.Errorf("the regressions table has %d rows, want the first 50", n)
	}
	want := fmt.Sprintf("… %d more regressions: see the JSON report (`--format json`).", c.Count(bench.StatusRegression)-50)
	if !strings.Contains(regressions, want) {
		t.Errorf("the regressions table does not end with %q:\n%s", want, regressions)
	}
	all := section(md, "<details><summary>All results (1200 rows)</summary>", "</details>")
	if n := tableRows(all); n != 50 {
		t.Errorf("the full table has %d rows, want the first 50", n)
	}
	if !strings.Contains(all, "… 1150 more rows: see the JSON report") {
		t.Errorf("the full table does not say how many rows it left out:\n%s", all)
	}
	repro := section(md, "<summary>Reproduce locally</summary>", "</details>")
	if want := fmt.Sprintf("The command covers the first 10 regressed benchmarks; %d more are in the JSON report.", c.Count(bench.StatusRegression)-10); !strings.Contains(repro, want) {
		t.Errorf("the reproduce block should cover 10 benchmarks and say so:\n%s", repro)
	}

	long := markdownFor(t, largeComparison(t, 2000), mergeBaseRequest())
	if len(long) >= githubLimit {
		t.Errorf("with 2,000-character names the Markdown is %d bytes, over GitHub's limit", len(long))
	}
	if n := tableRows(section(long, "#### Regressions", "<details>")); n == 0 || n >= 50 {
		t.Errorf("with 2,000-character names the regressions table has %d rows: want it cut by size, not empty", n)
	}
	lintMarkdown(t, long)
}

// TestCheckMarkdownLarge checks that a report of 60 failed checks with
// 1,000 long findings each stays under GitHub's limit.
func TestCheckMarkdownLarge(t *testing.T) {
	r := largeCheckReport()
	var buf bytes.Buffer
	if err := report.CheckMarkdown(&buf, r); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	if len(md) >= githubLimit {
		t.Errorf("the Markdown is %d bytes, over GitHub's limit of %d", len(md), githubLimit)
	}
	if !regexp.MustCompile(`\n… \d+ more: see the JSON report \(` + "`--format json`" + `\)\.\n`).MatchString(md) {
		t.Errorf("the failures are not cut with a pointer to the JSON report")
	}
	lintMarkdown(t, md)
	renderGFM(t, md)
}

func largeCheckReport() *checks.Report {
	var outs []checks.Outcome
	for i := range 60 {
		level := checks.Must
		if i%3 == 1 {
			level = checks.Should
		}
		var fs []checks.Finding
		for j := range 1000 {
			fs = append(fs, checks.Finding{File: fmt.Sprintf("internal/pkg%d/file%d.go", i, j), Line: j + 1, Column: 3, Rule: "gocritic",
				Message: strings.Repeat("a long finding message ", 40)})
		}
		outs = append(outs, checks.Outcome{
			Check:  &checks.Check{ID: fmt.Sprintf("check-%02d", i), Level: level, Kind: "lint", Title: "A check", Fix: "Run 'perfctl lint'."},
			Result: checks.Result{Status: checks.Fail, Message: strings.Repeat("a long message ", 100), Findings: fs},
		})
	}
	r := &checks.Report{Policy: "perfctl.yaml", Verdict: checks.VerdictFail, Outcomes: outs, Summary: tally(outs), Duration: time.Minute}
	return r
}

// TestCompareMarkdownEscaping checks the names that Markdown treats
// specially: each appears whole in a code span, and no table gains a cell.
func TestCompareMarkdownEscaping(t *testing.T) {
	md := markdownOf(t, oddComparison(t))
	lintMarkdown(t, md)
	for _, want := range []string{
		"| `BenchmarkParse/a\\|b` | `example.com/odd` | sec/op |",
		"| `BenchmarkParse/x*y` | `example.com/odd` | sec/op |",
		"| `` BenchmarkParse/`q` `` | `example.com/odd` | sec/op |",
		"| `BenchmarkParse/<y>` | `example.com/odd` | sec/op |",
		"| `BenchmarkEncode` | `example.com/odd/v2` | sec/op |",
		"| `BenchmarkEncode` \\[odd\\] |", // the full table tells the two Encodes apart
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, md)
		}
	}
	html := renderGFM(t, md)
	if html == "" {
		return
	}
	for _, want := range []string{
		"<code>BenchmarkParse/a|b</code>",
		"<code>BenchmarkParse/x*y</code>",
		"<code>BenchmarkParse/`q`</code>",
		"<code>BenchmarkParse/&lt;y&gt;</code>",
		"<code>BenchmarkParse/it's</code>",
		"<code>BenchmarkParse/_u_</code>",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the HTML lacks %q:\n%s", want, html)
		}
	}
	if strings.Contains(html, "<y>") || strings.Count(html, "<em>") != strings.Count(html, "<em>geomean</em>") {
		t.Errorf("a name became markup:\n%s", html)
	}
}

// TestCheckMarkdownEscaping checks messages, titles, fixes and findings
// that hold Markdown.
func TestCheckMarkdownEscaping(t *testing.T) {
	r := passReport(true)
	r.Outcomes[1].Title = "Benchmarks *report* allocations | or not"
	r.Outcomes[1].Message = "# not a heading: 1 of `4` <b>benchmarks</b> [x](y) ~~z~~ _w_"
	r.Outcomes[1].Fix = "Run 'perfctl check --only a|b' and *fix* it."
	r.Outcomes[2].Findings[0].File = "dir with space/`x`.go"
	r.Outcomes[2].Findings[0].Message = "- not a list <script>"
	var buf bytes.Buffer
	if err := report.CheckMarkdown(&buf, r); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	lintMarkdown(t, md)
	for _, want := range []string{
		`\# not a heading: 1 of \` + "`4\\` &lt;b&gt;benchmarks&lt;/b&gt; \\[x\\](y) \\~\\~z\\~\\~ \\_w\\_",
		"**Fix:** Run `perfctl check --only a|b` and \\*fix\\* it.",
		"- ``dir with space/`x`.go:30``: - not a list &lt;script&gt; (budget)",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, md)
		}
	}
	html := renderGFM(t, md)
	if html == "" {
		return
	}
	for _, bad := range []string{"<h1>", "<b>", "<script>", "<a href", "<del>", "<em>"} {
		if strings.Contains(html, bad) {
			t.Errorf("a message became markup %s:\n%s", bad, html)
		}
	}
	if !strings.Contains(html, "<code>perfctl check --only a|b</code>") {
		t.Errorf("the quoted command is not a code span:\n%s", html)
	}
}

// TestCheckMarkdownReproduce checks the command that runs the failed checks
// again: the ids of the failures that decide, or else of the warnings, with
// --policy and --strict as the run had them.
func TestCheckMarkdownReproduce(t *testing.T) {
	md := string(render(t, "check.md", checkReport(t)))
	if !strings.Contains(md, "```sh\nperfctl check --only no-regression,perf-lints-denied,db-pool-limits,profiling-documented\n```") {
		t.Errorf("no reproduce command for the failures:\n%s", md)
	}
	// With the request of the regression check, its flags, so that the
	// command compares with the same reference the same way.
	q := &compare.Request{Ref: compare.Reference{BaseRef: "origin/master"}, Stats: bench.DefaultOptions(),
		Spec: bench.Spec{Benchtime: "50ms", Tags: "integration"}, Set: compare.Overrides{Benchtime: true, Tags: true}}
	var withRef bytes.Buffer
	if err := report.RenderCheck(&withRef, report.Markdown, checkReport(t), report.Options{Request: q}); err != nil {
		t.Fatal(err)
	}
	if want := "perfctl check --only no-regression,perf-lints-denied,db-pool-limits,profiling-documented --base-ref=origin/master --benchtime=50ms --tags=integration\n"; !strings.Contains(withRef.String(), want) {
		t.Errorf("want %q:\n%s", want, withRef.String())
	}
	if strings.Contains(withRef.String(), "add the `--baseline`") {
		t.Errorf("the flags are known, yet the report asks for them:\n%s", withRef.String())
	}
	// A pass with warnings: the warnings, with the policy the run had.
	r := passReport(true)
	r.Policy = "ci/perf policy.yaml"
	var buf bytes.Buffer
	if err := report.CheckMarkdown(&buf, r); err != nil {
		t.Fatal(err)
	}
	if want := "perfctl check --policy 'ci/perf policy.yaml' --only allocs-reported,budgets\n"; !strings.Contains(buf.String(), want) {
		t.Errorf("want %q:\n%s", want, buf.String())
	}
	checkGolden(t, "check_warnings.md.golden", buf.Bytes())

	// Strict, the SHOULD failure decides: it alone is run again, strictly.
	r = passReport(true)
	r.Strict, r.Verdict, r.Reasons = true, checks.VerdictFail, []string{"SHOULD allocs-reported failed"}
	buf.Reset()
	if err := report.CheckMarkdown(&buf, r); err != nil {
		t.Fatal(err)
	}
	if want := "perfctl check --strict --only allocs-reported\n"; !strings.Contains(buf.String(), want) {
		t.Errorf("want %q:\n%s", want, buf.String())
	}
}

// TestCompareMarkdownWarnings checks that one warning is its alert's text
// and several a list, the sixth and later counted.
func TestCompareMarkdownWarnings(t *testing.T) {
	c := compareInputs(t, passBase, passHead)
	c.Warnings = []string{"one"}
	if md := markdownOf(t, c); !strings.Contains(md, "\n\n> [!WARNING]\n> one\n\n") || !strings.Contains(md, "### ⚠️ perfctl compare: PASS") {
		t.Errorf("one warning:\n%s", md)
	}
	c.Warnings = []string{"w1", "w2", "w3", "w4", "w5", "w6", "w7"}
	if md := markdownOf(t, c); !strings.Contains(md, "> [!WARNING]\n> - w1\n> - w2\n> - w3\n> - w4\n> - w5\n> - … 2 more: see the JSON report\n\n") {
		t.Errorf("seven warnings:\n%s", md)
	}
}

// TestCompareMarkdownHumanUnits checks base → head in the unit a person
// reads.
func TestCompareMarkdownHumanUnits(t *testing.T) {
	var base, head strings.Builder
	for _, s := range []*strings.Builder{&base, &head} {
		s.WriteString("pkg: example.com/units\n")
	}
	for _, tc := range []struct {
		name     string
		ns       float64
		bop, all int
	}{
		{"BenchmarkNano", 12.5, 100, 1},
		{"BenchmarkMicro", 45_000, 3 << 10, 20},
		{"BenchmarkMilli", 2_500_000, 5 << 20, 3000},
		{"BenchmarkSecond", 3_200_000_000, 2 << 30, 1_500_000},
	} {
		for range 6 {
			fmt.Fprintf(&base, "%s-8\t1\t%v ns/op\t%d B/op\t%d allocs/op\n", tc.name, tc.ns, tc.bop, tc.all)
			fmt.Fprintf(&head, "%s-8\t1\t%v ns/op\t%d B/op\t%d allocs/op\n", tc.name, 2*tc.ns, 2*tc.bop, 2*tc.all)
		}
	}
	md := markdownOf(t, compareText(t, base.String(), head.String()))
	for _, want := range []string{
		"| `BenchmarkNano` | sec/op | 12.5 ns → 25 ns |",
		"| `BenchmarkMicro` | sec/op | 45 µs → 90 µs |",
		"| `BenchmarkMilli` | sec/op | 2.5 ms → 5 ms |",
		"| `BenchmarkSecond` | sec/op | 3.2 s → 6.4 s |",
		"| `BenchmarkNano` | B/op | 100 B → 200 B |",
		"| `BenchmarkMicro` | B/op | 3 KiB → 6 KiB |",
		"| `BenchmarkMilli` | B/op | 5 MiB → 10 MiB |",
		"| `BenchmarkSecond` | B/op | 2 GiB → 4 GiB |",
		"| `BenchmarkMilli` | allocs/op | 3000 → 6000 |",
		"| `BenchmarkSecond` | allocs/op | 1.500M → 3.000M |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, md)
		}
	}
}

// TestCompareMarkdownPattern checks the -bench pattern of the reproduce
// command on real benchmarks: in a module with oddNames, go test runs
// with it exactly the regressed ones, names with |, *, backticks, < and '
// included, and not their neighbours (Parse/smaller, EncodeFast,
// Size/n=100).
func TestCompareMarkdownPattern(t *testing.T) {
	md := markdownFor(t, oddComparison(t), mergeBaseRequest())
	repro := section(md, "<summary>Reproduce locally</summary>", "</details>")
	var cmds []string
	for _, l := range strings.Split(repro, "\n") {
		if strings.HasPrefix(l, "perfctl compare ") {
			cmds = append(cmds, l)
		}
	}
	if len(cmds) > 0 && cmds[0] == "perfctl compare --merge-base=origin/main" {
		cmds = cmds[1:] // the command that made the comparison; then those that measure the regressions again
	}
	wantCmds := []string{
		`perfctl compare --merge-base=origin/main --bench='^BenchmarkParse$/^small$|^BenchmarkParse$/^a\|b$|^BenchmarkParse$/^x\*y$|^BenchmarkParse$/^` + "`q`" + `$|^BenchmarkParse$/^<y>$|^BenchmarkParse$/^it'\''s$|^BenchmarkEncode$|^BenchmarkSize$/^n=10$' example.com/odd`,
		`perfctl compare --merge-base=origin/main --bench='^BenchmarkEncode$' example.com/odd/v2`,
	}
	if !slices.Equal(cmds, wantCmds) {
		t.Fatalf("reproduce commands:\n%s\nwant:\n%s", strings.Join(cmds, "\n"), strings.Join(wantCmds, "\n"))
	}
	if testing.Short() {
		t.Skip("runs go test")
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "go.mod"), "module example.com/odd\n\ngo 1.24\n")
	var src strings.Builder
	src.WriteString("package odd\n\nimport \"testing\"\n\n")
	subs := map[string][]string{}
	var tops []string
	for _, n := range oddNames {
		top, sub, ok := strings.Cut(n.name, "/")
		if !slices.Contains(tops, top) {
			tops = append(tops, top)
		}
		if ok {
			subs[top] = append(subs[top], sub)
		}
	}
	for _, top := range tops {
		if len(subs[top]) == 0 {
			fmt.Fprintf(&src, "func %s(b *testing.B) { for b.Loop() {} }\n\n", top)
			continue
		}
		fmt.Fprintf(&src, "func %s(b *testing.B) {\n\tfor _, s := range %#v {\n\t\tb.Run(s, func(b *testing.B) { for b.Loop() {} })\n\t}\n}\n\n", top, subs[top])
	}
	writeFile(t, filepath.Join(dir, "odd_test.go"), src.String())
	writeFile(t, filepath.Join(dir, "v2", "v2_test.go"), "package v2\n\nimport \"testing\"\n\nfunc BenchmarkEncode(b *testing.B) { for b.Loop() {} }\n")

	// What perfctl compare passes to go test, through a shell as a reader
	// would paste it.
	got := map[string][]string{}
	for _, cmd := range cmds {
		args := strings.TrimPrefix(cmd, "perfctl compare --merge-base=origin/main ")
		sh := exec.CommandContext(t.Context(), "sh", "-c", "go test -run '^$' -benchtime 1x "+strings.Replace(args, "--bench=", "-bench=", 1))
		sh.Dir = dir
		sh.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
		out, err := sh.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", cmd, err, out)
		}
		pkg := ""
		for _, l := range strings.Split(string(out), "\n") {
			if p, ok := strings.CutPrefix(l, "pkg: "); ok {
				pkg = p
			}
			if f := strings.Fields(l); len(f) > 1 && strings.HasPrefix(f[0], "Benchmark") {
				got[pkg] = append(got[pkg], regexp.MustCompile(`-\d+$`).ReplaceAllString(f[0], ""))
			}
		}
	}
	var want []string
	for _, n := range oddNames {
		if n.regressed {
			want = append(want, n.name)
		}
	}
	if !slices.Equal(got["example.com/odd"], want) || !slices.Equal(got["example.com/odd/v2"], []string{"BenchmarkEncode"}) {
		t.Errorf("go test ran %v\nwant example.com/odd: %q and example.com/odd/v2: [BenchmarkEncode]", got, want)
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// section returns md from the first from to the next to after it.
func section(md, from, to string) string {
	i := strings.Index(md, from)
	if i < 0 {
		return ""
	}
	j := strings.Index(md[i+len(from):], to)
	if j < 0 {
		return md[i:]
	}
	return md[i : i+len(from)+j]
}

// tableRows counts the body rows of the tables in md.
func tableRows(md string) int {
	n := 0
	for _, l := range strings.Split(md, "\n") {
		if strings.HasPrefix(l, "| ") && !strings.HasPrefix(l, "| benchmark |") && !strings.Contains(l, "| base |") && !strings.HasPrefix(l, "| *geomean*") {
			n++
		}
	}
	return n
}

// lintMarkdown checks md against the rules of GitHub-flavoured Markdown
// that a report relies on: the marker first; every <details> opened with
// its <summary> on one line and a blank line after it (without which
// GitHub renders no Markdown inside), closed after a blank line, and
// balanced; every table a header, a separator row and rows of as many
// cells, with blank lines around it; code fences closed; and the size
// under GitHub's limit.
func lintMarkdown(t *testing.T, md string) {
	t.Helper()
	if len(md) >= githubLimit {
		t.Errorf("%d bytes: over GitHub's limit of %d", len(md), githubLimit)
	}
	if !regexp.MustCompile(`^<!-- perfctl:(compare|check) -->\n`).MatchString(md) {
		t.Errorf("the first line is not the perfctl marker: %q", strings.SplitN(md, "\n", 2)[0])
	}
	if !strings.HasSuffix(md, "\n") || strings.HasSuffix(md, "\n\n\n") {
		t.Errorf("want one newline at the end")
	}
	lines := strings.Split(strings.TrimSuffix(md, "\n"), "\n")
	separator := regexp.MustCompile(`^\|(:?-+:?\|)+$`)
	depth, fence, table := 0, "", -1
	blank := func(i int) bool { return i < 0 || i >= len(lines) || lines[i] == "" }
	for i, l := range lines {
		where := fmt.Sprintf("line %d %q", i+1, l)
		if fence != "" {
			if strings.HasPrefix(l, fence) && strings.Trim(l, "`") == "" {
				fence = ""
			}
			continue
		}
		if strings.HasPrefix(l, "```") {
			fence = l[:len(l)-len(strings.TrimLeft(l, "`"))]
			continue
		}
		switch {
		case strings.HasPrefix(l, "<details>"):
			depth++
			if !regexp.MustCompile(`^<details><summary>[^<>]*(<code>[^<>]*</code>[^<>]*)*</summary>$`).MatchString(l) {
				t.Errorf("%s: want <details><summary>…</summary> on one line", where)
			}
			if !blank(i + 1) {
				t.Errorf("%s: no blank line after <summary>: GitHub would not render the Markdown inside", where)
			}
		case l == "</details>":
			depth--
			if depth < 0 {
				t.Errorf("%s: </details> without <details>", where)
			}
			if !blank(i-1) || !blank(i+1) {
				t.Errorf("%s: want blank lines around </details>", where)
			}
		case strings.Contains(l, "details>"):
			t.Errorf("%s: <details> or </details> not on a line of its own", where)
		}
		if !strings.HasPrefix(l, "|") {
			if table >= 0 && l != "" {
				t.Errorf("%s: a table must end with a blank line, or this line joins it", where)
			}
			table = -1
			continue
		}
		cells := len(splitCells(l))
		switch {
		case table < 0:
			if !blank(i - 1) {
				t.Errorf("%s: a table must start after a blank line", where)
			}
			if i+1 >= len(lines) || !separator.MatchString(strings.ReplaceAll(lines[i+1], " ", "")) || len(splitCells(lines[i+1])) != cells {
				t.Errorf("%s: a table header must be followed by a separator row of as many cells", where)
			}
			table = cells
		case cells != table:
			t.Errorf("%s: %d cells in a table of %d", where, cells, table)
		}
	}
	if depth != 0 {
		t.Errorf("%d <details> not closed", depth)
	}
	if fence != "" {
		t.Errorf("a code block is not closed")
	}
}

// splitCells splits a table row at the pipes that are not escaped, as
// GitHub does (even inside code spans).
func splitCells(row string) []string {
	var cells []string
	var cur strings.Builder
	for i := 1; i < len(row); i++ {
		switch {
		case row[i] == '|' && row[i-1] != '\\':
			cells = append(cells, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(row[i])
		}
	}
	return cells
}

// renderGFM renders md with cmark-gfm, GitHub's Markdown parser, when it
// is installed (apt-get install cmark-gfm), and checks what GitHub would
// show: each table a table, no stray pipe or unrendered table row, every
// <details> with its content. It returns the HTML, or "" without
// cmark-gfm.
func renderGFM(t *testing.T, md string) string {
	t.Helper()
	bin, err := exec.LookPath("cmark-gfm")
	if err != nil {
		return ""
	}
	cmd := exec.CommandContext(t.Context(), bin, "--unsafe", "-e", "table", "-e", "strikethrough", "-e", "autolink")
	cmd.Stdin = strings.NewReader(md)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("cmark-gfm: %v", err)
	}
	html := string(out)
	if want, got := strings.Count(md, "\n|---"), strings.Count(html, "<table>"); got != want {
		t.Errorf("%d tables in the HTML, want %d:\n%s", got, want, html)
	}
	for _, p := range regexp.MustCompile(`(?s)<p>.*?</p>`).FindAllString(html, -1) {
		if strings.HasPrefix(p, "<p>| ") || strings.Contains(p, "\n| ") {
			t.Errorf("a table row was rendered as text: %s", p)
		}
		if strings.Contains(p, "</details>") || strings.Contains(p, "<details>") {
			t.Errorf("a <details> tag ended up inside a paragraph: %s", p)
		}
	}
	return html
}

// TestCompareMarkdownProcs checks the pattern for a benchmark run with
// several GOMAXPROCS values (go test -cpu 1,4): its name keeps the -4,
// which go test does not match against.
func TestCompareMarkdownProcs(t *testing.T) {
	var base, head strings.Builder
	for _, s := range []*strings.Builder{&base, &head} {
		s.WriteString("pkg: example.com/procs\n")
	}
	for range 6 {
		base.WriteString("BenchmarkEncode\t1\t100 ns/op\nBenchmarkEncode-4\t1\t40 ns/op\nBenchmarkSplit/n-10-4\t1\t40 ns/op\n")
		head.WriteString("BenchmarkEncode\t1\t100 ns/op\nBenchmarkEncode-4\t1\t60 ns/op\nBenchmarkSplit/n-10-4\t1\t60 ns/op\n")
	}
	md := markdownFor(t, compareText(t, base.String(), head.String()), mergeBaseRequest())
	if want := "--bench='^BenchmarkEncode$|^BenchmarkSplit$/^n-10$' example.com/procs\n"; !strings.Contains(md, want) {
		t.Errorf("want %q:\n%s", want, md)
	}
}
