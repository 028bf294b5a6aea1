package report

import (
	"bytes"
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/history/changepoint"
	"github.com/perfctl/perfctl/history/trend"
)

func renderPage(t testing.TB, p *HTMLPage) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, p); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// pageData extracts and parses the JSON data block of a page.
func pageJSON(t *testing.T, page string) map[string]any {
	t.Helper()
	const open = `<script type="application/json" id="perfctl-data">`
	i := strings.Index(page, open)
	if i < 0 {
		t.Fatal("no data block")
	}
	rest := page[i+len(open):]
	end := strings.Index(rest, "</script>")
	var v map[string]any
	if err := json.Unmarshal([]byte(rest[:end]), &v); err != nil {
		t.Fatalf("the data block is not JSON: %v", err)
	}
	return v
}

// external finds what would make a browser reach out: a URL with a
// scheme, a protocol-relative src, href or url(), an @import.
var external = []*regexp.Regexp{
	regexp.MustCompile(`(?i)https?:`),
	regexp.MustCompile(`(?i)\b(src|href|srcset|action|poster|data)\s*=\s*["']?[^"'\s>]*//`),
	regexp.MustCompile(`(?i)url\(\s*["']?[^)]*//`),
	regexp.MustCompile(`(?i)@import`),
	regexp.MustCompile(`(?i)\b(src|href)\s*=\s*["']?(ftp|ws|wss|file):`),
	regexp.MustCompile(`(?i)<(link|iframe|embed|object|img|audio|video|base)\b[^>]*>`),
}

func TestHTMLReferencesNothingOutside(t *testing.T) {
	a := synthAnalysis(60, 3, 6)
	c := withProfiles(htmlComparison(t)) // with flame graphs
	for name, p := range map[string]*HTMLPage{
		"history and comparison": {Title: "repo", Analysis: a, Compare: c, Version: "v1.2.3"},
		"comparison":             {Compare: c},
	} {
		page := renderPage(t, p)
		for _, re := range external {
			for _, m := range re.FindAllString(page, 3) {
				if m == `<link rel="icon" href="data:,">` { // an empty icon, so the browser asks for none
					continue
				}
				t.Errorf("%s: the page has %q (%s)", name, m, re)
			}
		}
		// The check can fail: it finds a URL where there is one.
		for _, bad := range []string{`<img src="https://example.com/x.png">`, `<script src="//cdn.example/x.js">`, `background: url(//x/y.png)`, `@import "x.css"`} {
			found := false
			for _, re := range external {
				found = found || re.MatchString(bad)
			}
			if !found {
				t.Errorf("the check misses %q", bad)
			}
		}
		if !strings.Contains(page, "uPlot v"+uPlotVersion) {
			t.Errorf("%s: uPlot is not inlined", name)
		}
	}
}

func TestHTMLEscapesTheRepository(t *testing.T) {
	a := synthAnalysis(30, 2, 6)
	evilName := `Evil</script><img src=x onerror="alert(1)">`
	evilSubject := `</script><script>alert(2)</script><!--`
	a.Series[0].Name = evilName
	a.Commits[3].Subject = evilSubject
	c := htmlComparison(t)
	c.Rows[0].Label = `Enc</td><img src=x onerror=alert(3)>`
	c.Warnings = []string{`<b>cpu</b> differs`}
	page := renderPage(t, &HTMLPage{Title: `<i>repo</i>`, Analysis: a, Compare: c})
	for _, raw := range []string{"<img", "alert(2)</script>", "<!--", "<i>repo", "<b>cpu"} {
		if strings.Contains(page, raw) {
			t.Errorf("the page has %q as it is", raw)
		}
	}
	for _, escaped := range []string{"&lt;i&gt;repo&lt;/i&gt;", "Enc&lt;/td&gt;&lt;img src=x onerror=alert(3)&gt;", "&lt;b&gt;cpu&lt;/b&gt; differs"} {
		if !strings.Contains(page, escaped) {
			t.Errorf("the page does not show %q", escaped)
		}
	}
	// Exactly the page's own scripts: the data block, uPlot and the report.
	if n := strings.Count(page, "<script"); n != 3 {
		t.Errorf("%d <script elements, want 3", n)
	}
	if n := strings.Count(page, "</script>"); n != 3 {
		t.Errorf("%d </script>, want 3", n)
	}
	// The data carries the names and subjects as they are.
	data := pageJSON(t, page)
	h := data["history"].(map[string]any)
	names := map[string]bool{}
	for _, s := range h["series"].([]any) {
		names[s.(map[string]any)["name"].(string)] = true
	}
	if !names[evilName] {
		t.Errorf("the data lost the name %q: %v", evilName, names)
	}
	if got := h["commits"].(map[string]any)["subject"].([]any)[3]; got != evilSubject {
		t.Errorf("subject = %q, want %q", got, evilSubject)
	}
}

func TestDrawSeriesKeepsChangesAndNewest(t *testing.T) {
	a := synthAnalysis(1000, 1, 5)
	s := a.Series[0]
	s.Changes = nil
	for _, i := range []int{1, 137, 500, 501, 998} {
		s.Changes = append(s.Changes, trend.Change{Commit: s.Points[i].Commit, Change: changepoint.Change{Index: i}})
	}
	pts := drawSeries(s, htmlMaxPoints)
	if len(pts) > htmlMaxPoints+5 || len(pts) < htmlMaxPoints/2 {
		t.Errorf("%d points drawn of %d, want about %d", len(pts), len(s.Points), htmlMaxPoints)
	}
	at := map[int]drawnPoint{}
	total, prev := 0, -1
	for _, p := range pts {
		at[p.commit] = p
		total += p.n
		if p.commit <= prev {
			t.Fatalf("commits not increasing: %d after %d", p.commit, prev)
		}
		prev = p.commit
		if p.lo > p.center || p.hi < p.center {
			t.Errorf("commit %d: band %g..%g does not hold the median %g", p.commit, p.lo, p.hi, p.center)
		}
	}
	if total != len(s.Points) {
		t.Errorf("the buckets hold %d commits, want all %d", total, len(s.Points))
	}
	for _, c := range append([]int{1, 137, 500, 501, 998}, len(s.Points)-1) {
		p, ok := at[s.Points[c].Commit]
		if !ok || p.n != 1 || p.center != s.Points[c].Center {
			t.Errorf("point %d (a change point or the newest) is not drawn on its own: %+v, %v", c, p, ok)
		}
	}
	// A short series is drawn as it is.
	short := synthAnalysis(50, 1, 5).Series[0]
	if got := drawSeries(short, htmlMaxPoints); len(got) != 50 {
		t.Errorf("a series of 50 commits drew %d points", len(got))
	}
	// A point without samples is skipped; too few samples draw no band.
	short.Points[3].Center = math.NaN()
	short.Points[4].Values = short.Points[4].Values[:1]
	got := drawSeries(short, htmlMaxPoints)
	if len(got) != 49 || got[3].lo != got[3].center || got[3].hi != got[3].center {
		t.Errorf("drew %d points, point 4: %+v", len(got), got[3])
	}
}

func TestHTMLDataRoundsValues(t *testing.T) {
	a := synthAnalysis(20, 1, 6)
	page := renderPage(t, &HTMLPage{Analysis: a})
	data := pageJSON(t, page)
	s := data["history"].(map[string]any)["series"].([]any)[0].(map[string]any)
	exp := s["exp"].(float64)
	for i, y := range s["y"].([]any) {
		v := y.(float64) * math.Pow10(int(exp))
		want := a.Series[0].Points[i].Center
		if math.Abs(v-want)/want > 1e-3 {
			t.Errorf("point %d: %g in the data, want %g to 4 digits", i, v, want)
		}
	}
	if m := regexp.MustCompile(`"y":\[[^\]]*\d\.\d{5,}`).FindString(page); m != "" {
		t.Errorf("more than 4 significant digits: %s", m)
	}
}

// TestHTMLSizeBound is issue 15's size goal: a history of 1,000 commits
// of 300 benchmarks in 3 units makes a report under 5 MB. The size is
// deterministic; BenchmarkReportHTML measures the time.
func TestHTMLSizeBound(t *testing.T) {
	a := synthAnalysis(1000, 300, 10)
	var buf bytes.Buffer
	if err := WriteHTML(&buf, &HTMLPage{Title: "synthetic", Analysis: a}); err != nil {
		t.Fatal(err)
	}
	const limit = 5 << 20
	t.Logf("%d series x 1000 commits: %d bytes", len(a.Series), buf.Len())
	if buf.Len() > limit {
		t.Errorf("the report of %d series over 1,000 commits is %d bytes, over %d", len(a.Series), buf.Len(), limit)
	}
}

func BenchmarkReportHTML(b *testing.B) {
	a := synthAnalysis(1000, 300, 10)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := WriteHTML(&buf, &HTMLPage{Title: "synthetic", Analysis: a}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes")
}

// htmlComparison is a small comparison: one regression, two unchanged.
func htmlComparison(t testing.TB) *bench.Comparison {
	t.Helper()
	var base, head strings.Builder
	base.WriteString("pkg: example.com/codec\n")
	head.WriteString("pkg: example.com/codec\n")
	for i := range 10 {
		base.WriteString("BenchmarkEncode-8 1000 " + strconv.Itoa(1000+i) + " ns/op 64 B/op 1 allocs/op\n")
		head.WriteString("BenchmarkEncode-8 1000 " + strconv.Itoa(1300+i) + " ns/op 64 B/op 1 allocs/op\n")
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
	return c
}
