package report_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/profile"
	"github.com/perfctl/perfctl/report"
)

func node(name string, value, base int64, children ...*profile.Node) *profile.Node {
	return &profile.Node{Name: name, File: "example.com/m/" + name + ".go", Value: value, Base: base, Children: children}
}

func TestFlameGraphEscapes(t *testing.T) {
	evil := `<script>alert(1)</script>`
	tr := &profile.Tree{SampleType: "cpu", Unit: "nanoseconds", Total: 100,
		Root: node("root", 100, 0, node(evil, 60, 0, node(`"><img src=x onerror=alert(1)>`, 50, 0)), node("url(https://example.com/x)", 40, 0))}
	var b bytes.Buffer
	if err := report.FlameGraphPage(&b, "title </title><script>", []report.Flame{{Title: "<b>pkg</b>", Tree: tr}}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, bad := range []string{"<script", "<img", "<b>", "</title><script"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page has %q", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b&gt;pkg&lt;/b&gt;", "<svg class=\"flame\""} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if n := strings.Count(page, "<rect "); n != 4 {
		t.Errorf("%d frames drawn, want 4", n)
	}
}

// TestFlameGraphOffline: the page refers to nothing outside itself.
func TestFlameGraphOffline(t *testing.T) {
	tr := &profile.Tree{SampleType: "cpu", Unit: "nanoseconds", Diff: true, Total: 100, BaseTotal: 80,
		Root: node("root", 100, 80, node("a", 60, 20), node("b", 40, 60))}
	var b bytes.Buffer
	if err := report.FlameGraphPage(&b, "t", []report.Flame{{Title: "t", Tree: tr}}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"http", "href", "src=", "url(", "@import", "<script", "<link", "xmlns"} {
		if strings.Contains(b.String(), bad) {
			t.Errorf("the page has %q", bad)
		}
	}
}

// TestFlameGraphGeometry: widths are values, the root at the bottom, a
// child above its parent, labels cut to fit.
func TestFlameGraphGeometry(t *testing.T) {
	long := strings.Repeat("x", 400)
	tr := &profile.Tree{SampleType: "cpu", Unit: "nanoseconds", Total: 1000,
		Root: node("root", 1000, 0, node("a", 750, 0, node(long, 500, 0)), node("b", 250, 0))}
	svg, err := report.FlameGraphSVG(tr)
	if err != nil {
		t.Fatal(err)
	}
	rects := regexp.MustCompile(`<rect x="([\d.]+)" y="(\d+)" width="([\d.]+)"`).FindAllStringSubmatch(string(svg), -1)
	got := make([]string, len(rects))
	for i, r := range rects {
		got[i] = r[1] + "," + r[2] + "," + r[3]
	}
	want := "0.00,34,1200.00 0.00,17,900.00 0.00,0,600.00 900.00,17,300.00"
	if strings.Join(got, " ") != want {
		t.Errorf("rects %v, want %s", got, want)
	}
	if !regexp.MustCompile(`<text x="[\d.]+" y="\d+">x{80,95}…</text>`).MatchString(string(svg)) {
		t.Error("a long name is not cut to its frame")
	}
}

func TestFlameGraphDiffColours(t *testing.T) {
	tr := &profile.Tree{SampleType: "cpu", Unit: "nanoseconds", Diff: true, Total: 1000, BaseTotal: 1000,
		Root: node("root", 1000, 1000, node("grew", 600, 200), node("shrank", 200, 600), node("same", 200, 200))}
	svg, err := report.FlameGraphSVG(tr)
	if err != nil {
		t.Fatal(err)
	}
	fill := func(name string) (r, g, b int) {
		m := regexp.MustCompile(`(?s)<title>` + name + `\n.*?fill="rgb\((\d+),(\d+),(\d+)\)"`).FindStringSubmatch(string(svg))
		if m == nil {
			t.Fatalf("no frame %s", name)
		}
		if _, err := fmt.Sscan(m[1]+" "+m[2]+" "+m[3], &r, &g, &b); err != nil {
			t.Fatal(err)
		}
		return r, g, b
	}
	if r, g, b := fill("grew"); r <= g || r <= b {
		t.Errorf("grew: rgb(%d,%d,%d), want red", r, g, b)
	}
	if r, g, b := fill("shrank"); b <= r || b <= g {
		t.Errorf("shrank: rgb(%d,%d,%d), want blue", r, g, b)
	}
	if r, g, b := fill("same"); r != g || g != b {
		t.Errorf("same: rgb(%d,%d,%d), want grey", r, g, b)
	}
	if !strings.Contains(string(svg), "base 200ns → head 600ns (&#43;400ns)") {
		t.Error("the tooltip of a difference says no change")
	}
}

// TestFlameGraphBounded: a tree of many thousands of frames is drawn with
// at most profile.DefaultMaxNodes of them, in a page of bounded size.
func TestFlameGraphBounded(t *testing.T) {
	root := node("root", 0, 0)
	for i := range 200 {
		mid := node(fmt.Sprintf("f%03d", i), 0, 0)
		for j := range 100 {
			mid.Children = append(mid.Children, node(fmt.Sprintf("g%03d_%03d", i, j), 10, 0))
			mid.Value += 10
		}
		root.Children = append(root.Children, mid)
		root.Value += mid.Value
	}
	// NewTree prunes: here the renderer gets what NewTree would keep at
	// most, to show the page stays bounded whatever the tree.
	tr := &profile.Tree{SampleType: "cpu", Unit: "nanoseconds", Total: root.Value, Root: root}
	var b bytes.Buffer
	if err := report.FlameGraphPage(&b, "big", []report.Flame{{Title: "big", Tree: tr}}); err != nil {
		t.Fatal(err)
	}
	// Frames narrower than a tenth of a pixel are not drawn.
	if n := strings.Count(b.String(), "<rect "); n > 1+200+1200*10 {
		t.Errorf("%d frames drawn", n)
	}
	if b.Len() > 8<<20 {
		t.Errorf("the page is %d bytes", b.Len())
	}
}

func TestFormatValue(t *testing.T) {
	for _, c := range []struct {
		v    int64
		unit string
		want string
	}{
		{1_500_000_000, "nanoseconds", "1.50s"}, {310_000_000, "nanoseconds", "310.0ms"}, {1500, "nanoseconds", "1.5µs"}, {12, "nanoseconds", "12ns"},
		{3 << 20, "bytes", "3.0 MiB"}, {2048, "bytes", "2.0 KiB"}, {10, "bytes", "10 B"}, {-2048, "bytes", "-2.0 KiB"},
		{42, "count", "42"},
	} {
		if got := report.FormatValue(c.v, c.unit); got != c.want {
			t.Errorf("FormatValue(%d, %s) = %q, want %q", c.v, c.unit, got, c.want)
		}
	}
}

func profileResult() *report.ProfileReport {
	top := &profile.Top{SampleType: "cpu", Unit: "nanoseconds", Total: 1_000_000_000,
		Flat: []profile.Func{{Name: "example.com/m.slowPath", File: "example.com/m/m.go", Line: 12, Flat: 900_000_000, Cum: 900_000_000, FlatPct: 90, CumPct: 90}},
		Cum:  []profile.Func{{Name: "example.com/m.BenchmarkX", File: "example.com/m/m_test.go", Line: 5, Flat: 0, Cum: 1_000_000_000, CumPct: 100}}}
	res := &profile.Result{Dir: "/abs/prof dir", Packages: []profile.Package{
		{ImportPath: "example.com/m", Benchmarks: []string{"BenchmarkX"}, Binary: "m.test", Files: profile.Files{CPU: "X.cpu.pprof", Alloc: "X.alloc.pprof"}, CPU: top},
		{ImportPath: "example.com/m/bad", Benchmarks: []string{"BenchmarkPanics"}, Binary: "bad.test", Err: errors.New("example.com/m/bad: benchmark BenchmarkPanics panicked")},
	}}
	return &report.ProfileReport{Result: res, Dir: "prof dir", Flame: "flame.html"}
}

func TestProfileText(t *testing.T) {
	var b bytes.Buffer
	if err := report.RenderProfile(&b, report.Text, profileResult(), report.Options{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"example.com/m (BenchmarkX)\n",
		"  CPU time: 1.00s in total\n",
		"900.0ms 90.0%",
		"example.com/m.slowPath  example.com/m/m.go:12\n",
		"    go tool pprof -http=: 'prof dir/m.test' 'prof dir/X.cpu.pprof'\n",
		"    go tool pprof -http=: -sample_index=alloc_space 'prof dir/m.test' 'prof dir/X.alloc.pprof'\n",
		"example.com/m/bad (BenchmarkPanics)\n  no profiles: example.com/m/bad: benchmark BenchmarkPanics panicked\n",
		"flame graphs in prof dir/flame.html.\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the text lacks %q:\n%s", want, out)
		}
	}
}

func TestProfileJSON(t *testing.T) {
	var b bytes.Buffer
	if err := report.RenderProfile(&b, report.JSON, profileResult(), report.Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schema   string
		Dir      string
		Flame    string
		Packages []struct {
			Package  string
			Binary   string
			Files    map[string]string
			CPU      *profile.Top
			Error    string
			Commands []string
		}
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != "perfctl/profile/v1" || doc.Dir != "prof dir" || doc.Flame != "flame.html" || len(doc.Packages) != 2 {
		t.Fatalf("%+v", doc)
	}
	p := doc.Packages[0]
	if p.Files["cpu"] != "X.cpu.pprof" || p.CPU.Flat[0].Name != "example.com/m.slowPath" || p.CPU.Flat[0].Line != 12 || len(p.Commands) != 2 || p.Error != "" {
		t.Errorf("%+v", p)
	}
	if bad := doc.Packages[1]; !strings.Contains(bad.Error, "panicked") || len(bad.Commands) != 0 || bad.Files["cpu"] != "" {
		t.Errorf("%+v", bad)
	}
}
