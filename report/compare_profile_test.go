package report_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/report"
)

// profiledComparison is the mixed comparison with a CPU difference on its
// first regression and a warning on its second.
func profiledComparison(t *testing.T) *bench.Comparison {
	t.Helper()
	c := compareInputs(t, mixedBase, mixedHead)
	var regs []*bench.Row
	for i := range c.Rows {
		if c.Rows[i].Status == bench.StatusRegression {
			regs = append(regs, &c.Rows[i])
		}
	}
	if len(regs) < 2 {
		t.Fatalf("%d regressions in the mixed comparison, want 2 or more", len(regs))
	}
	regs[0].Profile = &bench.RowProfile{
		CPU: &bench.ProfileTop{SampleType: "cpu", Unit: "nanoseconds", Total: 900_000_000, BaseTotal: 300_000_000, Diff: true,
			Flat: []bench.ProfileFunc{
				{Name: "example.com/m.slowPath", File: "example.com/m/m.go", Line: 12, Flat: 700_000_000, Cum: 700_000_000,
					Delta: &bench.ProfileDelta{Flat: 600_000_000, Cum: 610_000_000}},
				{Name: "example.com/m.odd|name`x", File: "a|b.go", Line: 3, Flat: 0, Cum: 0,
					Delta: &bench.ProfileDelta{Flat: -10_000_000, Cum: 0}},
			}},
		Files:   map[string]string{"base.cpu": "prof/X.base.cpu.pprof", "head.cpu": "prof/X.head.cpu.pprof"},
		Command: "go tool pprof -http=: -diff_base prof/X.base.cpu.pprof prof/X.head.cpu.pprof",
	}
	regs[1].Profile = &bench.RowProfile{Warning: "not profiled: benchmark BenchmarkY panicked"}
	return c
}

func TestCompareProfileText(t *testing.T) {
	c := profiledComparison(t)
	var b bytes.Buffer
	if err := report.RenderCompare(&b, report.Text, c, report.Options{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Where the regressions' cost went (head − base, one profiled run per side after the verdict)\n",
		": CPU time 300.0ms → 900.0ms\n",
		"    +600.0ms +610.0ms  example.com/m.slowPath",
		"example.com/m/m.go:12\n",
		"     −10.0ms        0  example.com/m.odd|name`x",
		"    go tool pprof -http=: -diff_base prof/X.base.cpu.pprof prof/X.head.cpu.pprof\n",
		": not profiled: benchmark BenchmarkY panicked\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the text lacks %q:\n%s", want, out)
		}
	}
	if strings.Index(out, "Where the regressions") > strings.Index(out, "FAIL ") {
		t.Error("the profiles come after the verdict line")
	}
}

func TestCompareProfileMarkdown(t *testing.T) {
	c := profiledComparison(t)
	var b bytes.Buffer
	if err := report.RenderCompare(&b, report.Markdown, c, report.Options{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"#### Where the regressions' cost went\n",
		"| Δ flat | Δ cum | function | at |\n|---:|---:|---|---|\n| +600.0ms | +610.0ms | `example.com/m.slowPath` | `example.com/m/m.go:12` |\n",
		"| −10.0ms | 0 | ``example.com/m.odd\\|name`x`` | `a\\|b.go:3` |\n",
		"`go tool pprof -http=: -diff_base prof/X.base.cpu.pprof prof/X.head.cpu.pprof`\n",
		": not profiled: benchmark BenchmarkY panicked\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the markdown lacks %q:\n%s", want, out)
		}
	}
	// Under the regressions, before the rest.
	if i, j := strings.Index(out, "#### Where"), strings.Index(out, "All results"); i < 0 || j < i {
		t.Error("the profiles are not under the regressions")
	}
	// Without profiles the Markdown has no such section.
	var plain bytes.Buffer
	if err := report.RenderCompare(&plain, report.Markdown, compareInputs(t, mixedBase, mixedHead), report.Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "Where the regressions") {
		t.Error("a comparison without profiles shows the section")
	}
}

func TestCompareProfileJSON(t *testing.T) {
	c := profiledComparison(t)
	var b bytes.Buffer
	if err := report.RenderCompare(&b, report.JSON, c, report.Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Comparisons []struct {
			Name    string
			Status  string
			Profile *bench.RowProfile
		}
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var profiled, warned, others int
	for _, r := range doc.Comparisons {
		switch {
		case r.Profile == nil:
			others++
		case r.Profile.CPU != nil:
			profiled++
			if r.Profile.CPU.Flat[0].Name != "example.com/m.slowPath" || r.Profile.CPU.Flat[0].Delta.Flat != 600_000_000 ||
				r.Profile.Files["head.cpu"] != "prof/X.head.cpu.pprof" || !strings.HasPrefix(r.Profile.Command, "go tool pprof") {
				t.Errorf("%+v", r.Profile)
			}
		case r.Profile.Warning != "":
			warned++
		}
	}
	if profiled != 1 || warned != 1 || others == 0 {
		t.Errorf("profiled %d, warned %d, others %d", profiled, warned, others)
	}
	if !bytes.Contains(b.Bytes(), []byte(`"profile":{"cpu":{"sample_type":"cpu"`)) {
		t.Error("the profile is not a field of its row")
	}
}

// longProfiledComparison has n regressed benchmarks, each in sec/op, B/op
// and allocs/op, with names of about a thousand characters, each row with
// a difference of five functions with long names and files and a long
// command, as compare --profile attaches them (the first row's last
// benchmark has a warning instead).
func longProfiledComparison(t *testing.T, n int) *bench.Comparison {
	t.Helper()
	var base, head strings.Builder
	base.WriteString("pkg: example.com/" + strings.Repeat("deep/", 40) + "m\n")
	head.WriteString("pkg: example.com/" + strings.Repeat("deep/", 40) + "m\n")
	for b := range n {
		name := fmt.Sprintf("BenchmarkLong%d/%s", b, strings.Repeat("case=with_a_long_parameter_list/", 30))
		for i := range 10 {
			fmt.Fprintf(&base, "%s-8 1000 %d ns/op %d B/op %d allocs/op\n", name, 1000+i, 64, 1)
			fmt.Fprintf(&head, "%s-8 1000 %d ns/op %d B/op %d allocs/op\n", name, 2000+i, 128, 2)
		}
	}
	c := compareInputs(t, base.String(), head.String())
	long := func(what string, i int) string {
		return fmt.Sprintf("example.com/%s.(*%s%d).%s", strings.Repeat("very/long/import/path/", 20), what, i, strings.Repeat("Method", 80))
	}
	regs := 0
	for i := range c.Rows {
		r := &c.Rows[i]
		if r.Status != bench.StatusRegression {
			continue
		}
		regs++
		if regs == n*3 {
			r.Profile = &bench.RowProfile{Warning: "not profiled: " + strings.Repeat("the benchmark panicked under profiling; ", 60)}
			continue
		}
		top := &bench.ProfileTop{SampleType: "cpu", Unit: "nanoseconds", Total: 900_000_000, BaseTotal: 300_000_000, Diff: true}
		for f := range 8 {
			top.Flat = append(top.Flat, bench.ProfileFunc{Name: long("Func", f), File: strings.Repeat("a/long/file/path/", 30) + "m.go", Line: 12,
				Flat: 100_000_000, Cum: 100_000_000, Delta: &bench.ProfileDelta{Flat: int64(80-f) * 1_000_000, Cum: 90_000_000}})
		}
		dir := strings.Repeat("a-profile-dir/", 30)
		r.Profile = &bench.RowProfile{CPU: top,
			Command: "go tool pprof -http=: -diff_base " + dir + "X.base.cpu.pprof " + dir + "X.head.cpu.pprof"}
	}
	if regs != n*3 {
		t.Fatalf("%d regressed rows, want %d", regs, n*3)
	}
	return c
}

// TestCompareProfileMarkdownLimit: five profiled regressions with long
// names, their functions and commands stay within GitHub's limit for a
// comment, each regression's profile shown, every line cut to a readable
// length.
func TestCompareProfileMarkdownLimit(t *testing.T) {
	c := longProfiledComparison(t, 5)
	var b bytes.Buffer
	if err := report.RenderCompare(&b, report.Markdown, c, report.Options{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if len(out) > 65536 {
		t.Errorf("the Markdown is %d bytes, more than GitHub's 65,536 for a comment", len(out))
	}
	_, section, _ := strings.Cut(out, "#### Where the regressions' cost went\n")
	section, _, _ = strings.Cut(section, "<details>")
	// 14 rows with a difference and one with a warning: every one shown,
	// none pushed out by the names of the others.
	if n := strings.Count(section, " — CPU time 300.0ms → 900.0ms\n"); n != 14 {
		t.Errorf("%d profiles shown, want the 14 with a difference", n)
	}
	if !strings.Contains(section, ": not profiled: the benchmark panicked") {
		t.Error("the warning is not shown")
	}
	if strings.Contains(section, "more profiles") {
		t.Error("profiles were left out")
	}
	for i, line := range strings.Split(out, "\n") {
		if len([]rune(line)) > 2000 {
			t.Errorf("line %d has %d characters: %.80s…", i+1, len([]rune(line)), line)
		}
	}
}
