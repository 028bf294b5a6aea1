package report

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/profile"
)

// hostileFunc is a function name that would run script if the report
// built HTML from it as text.
const hostileFunc = `example.com/codec.</script><img src=x onerror=window.pwned=6>`

// diffTree is a difference of CPU profiles as compare --profile makes
// one: slowPath grew, parse shrank, mallocgc did not change.
func diffTree() *profile.Tree {
	n := func(name string, value, base int64, children ...*profile.Node) *profile.Node {
		return &profile.Node{Name: name, File: "example.com/codec/codec.go", Value: value, Base: base, Children: children}
	}
	root := n("root", 1_000_000_000, 700_000_000,
		n("testing.(*B).runN", 1_000_000_000, 700_000_000,
			n("example.com/codec.BenchmarkEncode", 1_000_000_000, 700_000_000,
				n("example.com/codec.encode", 900_000_000, 600_000_000,
					n("example.com/codec.parse", 200_000_000, 250_000_000),
					n("example.com/codec.slowPath", 600_000_000, 300_000_000),
					n(hostileFunc, 100_000_000, 50_000_000)),
				n("runtime.mallocgc", 100_000_000, 100_000_000))))
	root.File = ""
	return &profile.Tree{SampleType: "cpu", Unit: "nanoseconds", Diff: true, Total: 1_000_000_000, BaseTotal: 700_000_000, Root: root, Nodes: 8}
}

// withProfiles gives each regression of c what compare --profile
// attaches: the top functions of a CPU difference and its flame graph.
func withProfiles(c *bench.Comparison) *bench.Comparison {
	flame := profile.FlameOf(diffTree())
	for i := range c.Rows {
		r := &c.Rows[i]
		if r.Status != bench.StatusRegression {
			continue
		}
		r.Profile = &bench.RowProfile{
			CPU: &bench.ProfileTop{SampleType: "cpu", Unit: "nanoseconds", Total: 1_000_000_000, BaseTotal: 700_000_000, Diff: true,
				Flat: []bench.ProfileFunc{
					{Name: "example.com/codec.slowPath", File: "example.com/codec/codec.go", Line: 12, Flat: 600_000_000, Cum: 600_000_000,
						Delta: &bench.ProfileDelta{Flat: 300_000_000, Cum: 300_000_000}},
					{Name: hostileFunc, File: "example.com/codec/codec.go", Line: 30, Flat: 100_000_000, Cum: 100_000_000,
						Delta: &bench.ProfileDelta{Flat: 50_000_000, Cum: 50_000_000}},
				}},
			Command: "go tool pprof -http=: -diff_base prof/Encode.base.cpu.pprof prof/Encode.head.cpu.pprof",
			Flame:   flame,
		}
	}
	return c
}

// TestHTMLProfiles: under each regressed row, where its time went and two
// flame graphs, of the difference (red grew, blue shrank) and of head,
// inline; every name escaped.
func TestHTMLProfiles(t *testing.T) {
	c := withProfiles(htmlComparison(t))
	page := renderPage(t, &HTMLPage{Compare: c})
	// Encode regressed in sec/op only: one profile row, after its row.
	if n := strings.Count(page, `<tr class="profile">`); n != 1 {
		t.Fatalf("%d profile rows, want 1", n)
	}
	if !regexp.MustCompile(`(?s)<tr class="row regression"[^>]*>.*?</tr>\s*<tr class="profile">`).MatchString(page) {
		t.Error("the profile is not the row after its regression")
	}
	_, prof, _ := strings.Cut(page, `<tr class="profile">`)
	prof, _, _ = strings.Cut(prof, "</details>")
	for _, want := range []string{
		"Where the CPU time went: 700.0ms → 1.00s",
		"<td class=\"num\">&#43;300.0ms</td><td class=\"num\">&#43;300.0ms</td><td><code>example.com/codec.slowPath</code></td><td><code>example.com/codec/codec.go:12</code></td>",
		"<code>go tool pprof -http=: -diff_base prof/Encode.base.cpu.pprof prof/Encode.head.cpu.pprof</code>",
		"Flame graph of the difference", "Flame graph of head",
		"example.com/codec.&lt;/script&gt;&lt;img src=x onerror=window.pwned=6&gt;",
	} {
		if !strings.Contains(prof, want) {
			t.Errorf("the profile lacks %q", want)
		}
	}
	if n := strings.Count(prof, `<svg class="flame"`); n != 2 {
		t.Errorf("%d flame graphs, want 2 (difference, head)", n)
	}
	diff, head, _ := strings.Cut(prof, "Flame graph of head")
	// All eight frames in each; slowPath red in the difference (it grew),
	// parse blue (it shrank), mallocgc grey; head's coloured by name.
	if n := strings.Count(diff, "<rect "); n != 8 {
		t.Errorf("%d frames in the difference, want 8", n)
	}
	if n := strings.Count(head, "<rect "); n != 8 {
		t.Errorf("%d frames in head, want 8", n)
	}
	frame := func(svg, name string) string {
		m := regexp.MustCompile(`<title>` + regexp.QuoteMeta(name) + `\n[^<]*</title><rect [^>]*fill="([^"]+)"`).FindStringSubmatch(svg)
		if m == nil {
			t.Fatalf("no frame %s", name)
		}
		return m[1]
	}
	if f := frame(diff, "example.com/codec.slowPath"); !strings.HasPrefix(f, "rgb(2") {
		t.Errorf("slowPath is %s in the difference, want red", f)
	}
	if f := frame(diff, "example.com/codec.parse"); !strings.HasPrefix(f, "rgb(1") && !strings.HasPrefix(f, "rgb(9") {
		t.Errorf("parse is %s in the difference, want blue", f)
	}
	if f := frame(diff, "runtime.mallocgc"); f != "rgb(230,230,230)" {
		t.Errorf("mallocgc is %s in the difference, want grey", f)
	}
	if f := frame(head, "example.com/codec.slowPath"); !strings.HasPrefix(f, "hsl(") {
		t.Errorf("slowPath is %s in head, want a colour by name", f)
	}
	if strings.Contains(page, "<img") {
		t.Error("a function's name became an element")
	}
}

// TestHTMLProfilesFromJSON: report --html --compare FILE.json draws the
// same flame graphs from the comparison document as compare --format html
// from the comparison; a document whose tree does not hold together is
// refused.
func TestHTMLProfilesFromJSON(t *testing.T) {
	c := withProfiles(htmlComparison(t))
	var doc bytes.Buffer
	if err := CompareJSON(&doc, c); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc.String(), `"flame":{"sample_type":"cpu","unit":"nanoseconds","total":1000000000,"base_total":700000000,"diff":true,`) {
		t.Errorf("the document has no flame graph on the profiled row:\n%s", doc.String())
	}
	back, err := ReadCompareJSON(bytes.NewReader(doc.Bytes()), "c.json")
	if err != nil {
		t.Fatal(err)
	}
	section := func(page string) string {
		_, s, _ := strings.Cut(page, `<tr class="profile">`)
		s, _, _ = strings.Cut(s, "</details>")
		return s
	}
	want := section(renderPage(t, &HTMLPage{Compare: c}))
	got := section(renderPage(t, &HTMLPage{Compare: back}))
	if want == "" || got != want {
		t.Errorf("the profile read back from JSON renders differently:\n got %.300s\nwant %.300s", got, want)
	}

	bad := strings.Replace(doc.String(), `"func":3,"parent":3,`, `"func":3,"parent":9,`, 1)
	if bad == doc.String() {
		t.Fatal("the test's edit did not apply")
	}
	_, err = ReadCompareJSON(strings.NewReader(bad), "c.json")
	if err == nil || !strings.Contains(err.Error(), "comparison 1 (Encode): its profile's flame graph node 4 has parent 9, not an earlier node") {
		t.Errorf("a broken tree: err = %v", err)
	}
}

// TestHTMLProfilesBounded: a document with more profiled regressions than
// one compare --profile makes gets flame graphs for the first ones only,
// and says so for the others.
func TestHTMLProfilesBounded(t *testing.T) {
	var base, head strings.Builder
	base.WriteString("pkg: example.com/codec\n")
	head.WriteString("pkg: example.com/codec\n")
	for b := range htmlMaxFlames + 2 {
		for i := range 10 {
			fmt.Fprintf(&base, "BenchmarkB%02d-8 1000 %d ns/op\n", b, 1000+i)
			fmt.Fprintf(&head, "BenchmarkB%02d-8 1000 %d ns/op\n", b, 2000+i)
		}
	}
	bs, err := bench.Read(strings.NewReader(base.String()), "base.txt")
	if err != nil {
		t.Fatal(err)
	}
	hs, err := bench.Read(strings.NewReader(head.String()), "head.txt")
	if err != nil {
		t.Fatal(err)
	}
	c, err := bench.Compare(bs, hs, bench.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	page := renderPage(t, &HTMLPage{Compare: withProfiles(c)})
	if n := strings.Count(page, `<tr class="profile">`); n != htmlMaxFlames+2 {
		t.Errorf("%d profile rows, want %d", n, htmlMaxFlames+2)
	}
	if n := strings.Count(page, `<svg class="flame"`); n != 2*htmlMaxFlames {
		t.Errorf("%d flame graphs, want 2 for each of the first %d rows", n, htmlMaxFlames)
	}
	if n := strings.Count(page, "no flame graph: the report draws those of the first 15 profiled rows"); n != 2 {
		t.Errorf("%d rows say why they have no flame graph, want 2", n)
	}
}
