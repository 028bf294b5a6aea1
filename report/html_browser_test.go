package report

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/history/trend"
)

// The HTML report in a real browser: Debian's chromium, headless, driven
// over the DevTools protocol. The page is loaded from file://, as a user
// opens a CI artifact, in light and in dark mode; the test fails on any
// console error or uncaught exception, reads the charts' pixels, hovers
// over a chart, uses the filter box, and keeps a screenshot of each page in
// $PERFCTL_ARTIFACTS (CI sets it to .artifacts) or in a directory it
// names in the log.
func TestHTMLInBrowser(t *testing.T) {
	chromium := chromiumPath(t)
	artifacts := artifactDir(t)

	a := synthAnalysis(400, 12, 8)
	hostile(a)
	c := withProfiles(browserComparison(t)) // a regression with flame graphs
	pages := []struct {
		name string
		page *HTMLPage
	}{
		{"history", &HTMLPage{Title: "synthetic <b>repo</b>", Analysis: a, Compare: c, Version: "v0.0.0-test"}},
		{"compare", &HTMLPage{Compare: c}},
	}
	browser := startBrowser(t, chromium)

	for _, p := range pages {
		var buf bytes.Buffer
		if err := WriteHTML(&buf, p.page); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), p.name+".html")
		if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, scheme := range []string{"light", "dark"} {
			t.Run(p.name+"/"+scheme, func(t *testing.T) {
				b := &browserPage{t: t, url: "file://" + file, scheme: scheme}
				b.open(browser)
				defer b.close()
				b.checkTheme()
				if p.page.Analysis != nil {
					b.checkCharts(a)
				} else {
					b.checkNoCharts()
				}
				if p.page.Compare != nil {
					b.checkTable(c)
				}
				b.checkInert()
				b.screenshot(filepath.Join(artifacts, "report-"+p.name+"-"+scheme+".png"))
				if p.name == "compare" {
					b.checkProfileFlames(filepath.Join(artifacts, "report-"+p.name+"-flame-"+scheme))
				}
				if p.page.Analysis != nil {
					b.checkHover()
					b.checkFilter(a)
				}
				b.checkConsole()
			})
		}
	}
}

// startBrowser starts headless chromium for the test; it ends with the
// test.
func startBrowser(t *testing.T, chromium string) context.Context {
	t.Helper()
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("starting %s: %v", chromium, err)
	}
	return browser
}

// chromiumPath finds Debian's chromium, or fails (in CI, which must
// install it) or skips the test loudly (elsewhere).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	const msg = "chromium is not installed: the HTML report's browser test needs it (apt-get install chromium; .ci/run installs it)"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip("SKIPPED, " + msg)
	return ""
}

// artifactDir is $PERFCTL_ARTIFACTS, or a directory that outlives the test.
func artifactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("PERFCTL_ARTIFACTS")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "perfctl-artifacts-"); err != nil {
			t.Fatal(err)
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

// hostile gives a's first series and a commit names that would run script
// if the report built HTML or JavaScript from them as text.
func hostile(a *trend.Analysis) {
	a.Series[1].Name = `Evil</script><img src=x onerror="window.pwned=1">`
	a.Series[1].Pkg = `example.com/<script>window.pwned=2</script>`
	a.Commits[len(a.Commits)-1].Subject = `</script><script>window.pwned=3</script><img src=x onerror=window.pwned=4>`
}

// browserComparison compares two small result files, one benchmark
// regressed and one with a hostile name.
func browserComparison(t *testing.T) *bench.Comparison {
	t.Helper()
	var base, head strings.Builder
	for i := range 10 {
		fmt.Fprintf(&base, "BenchmarkEncode-8 1000 %d ns/op 64 B/op 1 allocs/op\n", 1000+i)
		fmt.Fprintf(&head, "BenchmarkEncode-8 1000 %d ns/op 64 B/op 1 allocs/op\n", 1300+i)
		fmt.Fprintf(&base, "BenchmarkDecode/</script><img_src=x_onerror=window.pwned=5>-8 1000 %d ns/op\n", 500+i)
		fmt.Fprintf(&head, "BenchmarkDecode/</script><img_src=x_onerror=window.pwned=5>-8 1000 %d ns/op\n", 501+i)
	}
	b, err := bench.Read(strings.NewReader("pkg: example.com/codec\n"+base.String()), "base.txt")
	if err != nil {
		t.Fatal(err)
	}
	h, err := bench.Read(strings.NewReader("pkg: example.com/codec\n"+head.String()), "head.txt")
	if err != nil {
		t.Fatal(err)
	}
	c, err := bench.Compare(b, h, bench.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// browserPage is one tab with the report loaded.
type browserPage struct {
	t           *testing.T
	url, scheme string
	// ready is true once the page is drawn: "" for the report's script
	// having finished.
	ready    string
	ctx      context.Context
	cancel   func()
	mu       sync.Mutex
	messages []chromedp.ConsoleMessage
	done     chan struct{}
}

func (b *browserPage) open(browser context.Context) {
	t := b.t
	tab, cancelTab := chromedp.NewContext(browser)
	if err := chromedp.Do(tab); err != nil {
		cancelTab()
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(tab, 90*time.Second)
	b.ctx, b.cancel = ctx, func() { cancel(); cancelTab() }
	msgs := chromedp.Console(tab)
	b.done = make(chan struct{})
	go func() {
		defer close(b.done)
		for m, err := range msgs {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.messages = append(b.messages, m)
			b.mu.Unlock()
		}
	}()
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: b.scheme}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(b.url)); err != nil {
		t.Fatal(err)
	}
	ready := b.ready
	if ready == "" {
		ready = `document.body && document.body.dataset.ready === "1"`
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](ready)); err != nil {
		b.checkConsole()
		t.Fatalf("the report's script did not finish: %v", err)
	}
}

func (b *browserPage) close() { b.cancel(); <-b.done }

func eval[T any](b *browserPage, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// checkTheme: the page follows prefers-color-scheme.
func (b *browserPage) checkTheme() {
	want := map[string]string{"light": "rgb(255, 255, 255)", "dark": "rgb(13, 17, 23)"}[b.scheme]
	if got := eval[string](b, `getComputedStyle(document.body).backgroundColor`); got != want {
		b.t.Errorf("%s mode: the background is %s, want %s", b.scheme, got, want)
	}
}

// linePixels counts, in each drawn chart (at most four), the pixels of the
// median's colour (the CSS variable --line, which differs between light
// and dark) and the pixels drawn at all.
const linePixels = `(() => {
  const hex = getComputedStyle(document.documentElement).getPropertyValue("--line").trim();
  const want = [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16));
  return Array.from(document.querySelectorAll("#charts canvas")).slice(0, 4).map(c => {
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let line = 0, drawn = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] === 0) continue;
      drawn++;
      if (d[i + 3] > 200 && Math.abs(d[i] - want[0]) + Math.abs(d[i + 1] - want[1]) + Math.abs(d[i + 2] - want[2]) < 60) line++;
    }
    return [line, drawn];
  });
})()`

// checkCharts: the first charts are drawn (pixels of the median's
// colour on their canvases), and lazily: not all of them.
func (b *browserPage) checkCharts(a *trend.Analysis) {
	t := b.t
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`window.perfctlReport.drawn >= 2`)); err != nil {
		t.Fatalf("no chart was drawn: %v", err)
	}
	if n := eval[int](b, `document.querySelectorAll("#charts .card").length`); n != len(a.Series) {
		t.Errorf("%d cards, want one per series: %d", n, len(a.Series))
	}
	drawn := eval[int](b, `window.perfctlReport.drawn`)
	if drawn >= len(a.Series) {
		t.Errorf("all %d charts were drawn at once; want only those in view", drawn)
	}
	counts := eval[[][2]int](b, linePixels)
	if len(counts) < 2 {
		t.Fatalf("%d canvases in the charts, want at least 2", len(counts))
	}
	for i, c := range counts {
		if c[0] < 100 {
			t.Errorf("chart %d: %d pixels of the median's colour (of %d drawn), want a drawn line", i, c[0], c[1])
		}
	}
	// The first series is a regression with an alert: its change point
	// is marked in the regression colour.
	reg := eval[int](b, `(() => {
  const hex = getComputedStyle(document.documentElement).getPropertyValue("--regression").trim();
  const want = [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16));
  const c = document.querySelector("#charts .card canvas");
  const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] > 200 && Math.abs(d[i] - want[0]) + Math.abs(d[i + 1] - want[1]) + Math.abs(d[i + 2] - want[2]) < 60) n++;
  }
  return n;
})()`)
	if reg < 20 {
		t.Errorf("the first chart has %d pixels of the regression colour; want its change point marked", reg)
	}
}

func (b *browserPage) checkNoCharts() {
	if n := eval[int](b, `document.querySelectorAll("canvas, #charts").length`); n != 0 {
		b.t.Errorf("a comparison alone has %d chart elements", n)
	}
}

// checkTable: the comparison rows, the regression first, each with its
// two bars.
func (b *browserPage) checkTable(c *bench.Comparison) {
	t := b.t
	if n := eval[int](b, `document.querySelectorAll("tr.row").length`); n != len(c.Rows) {
		t.Errorf("%d comparison rows, want %d", n, len(c.Rows))
	}
	if first := eval[string](b, `document.querySelector("tr.row").className`); first != "row regression" {
		t.Errorf("the first row is %q, want the regression", first)
	}
	if n := eval[int](b, `document.querySelectorAll("tr.row svg.dist line.tick").length`); n != 2*len(c.Rows) {
		t.Errorf("%d median ticks in the plots, want 2 per row (%d)", n, 2*len(c.Rows))
	}
}

// checkInert: nothing the repository named ran or became an element.
func (b *browserPage) checkInert() {
	if got := eval[string](b, `String(window.pwned)`); got != "undefined" {
		b.t.Errorf("window.pwned = %s: a name or subject ran as script", got)
	}
	if n := eval[int](b, `document.querySelectorAll("img, main script, #charts script").length`); n != 0 {
		b.t.Errorf("%d img or script elements from the repository's text", n)
	}
	if got := eval[bool](b, `document.body.textContent.includes("</script><img")`); !got {
		b.t.Errorf("the hostile names are not shown as text")
	}
}

// checkHover: moving the mouse over the first chart shows a commit's id,
// date and value.
func (b *browserPage) checkHover() {
	t := b.t
	// In view first: a comparison with flame graphs above the charts can
	// push them below the window.
	rect := eval[[]float64](b, `(() => { const o = document.querySelector("#charts .u-over"); o.scrollIntoView({block: "center"}); const r = o.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`)
	x, y := rect[0]+rect[2]*0.75, rect[1]+rect[3]/2
	_, err := chromedp.Call(b.ctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseMoved, X: x, Y: y})
	if err != nil {
		t.Fatal(err)
	}
	info, err := chromedp.Run(b.ctx, chromedp.Poll[string](`(() => { const s = document.querySelector("#charts .card .info").textContent; return /[0-9a-f]{12} \d{4}-\d\d-\d\d /.test(s) && s; })()`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatalf("hovering over the chart showed no commit: %v (info: %q)", err, eval[string](b, `document.querySelector("#charts .card .info").textContent`))
	}
	if !regexp.MustCompile(`: \d[\d.]* µs`).MatchString(info) {
		t.Errorf("the hover line %q has no sec/op value in µs", info)
	}
}

// checkFilter: the search box keeps the series whose name, package or
// unit has each word; "only series with changes" keeps those with change
// points.
func (b *browserPage) checkFilter(a *trend.Analysis) {
	t := b.t
	visible := `document.querySelectorAll("#charts .card:not(.hidden)").length`
	if err := chromedp.Do(b.ctx, chromedp.SendKeys(chromedp.CSS("#filter"), "case=003")); err != nil {
		t.Fatal(err)
	}
	if n := eval[int](b, visible); n != 3 {
		t.Errorf("filtering case=003 shows %d series, want its 3 units", n)
	}
	if got, want := eval[string](b, `document.getElementById("shown").textContent`), fmt.Sprintf("3 of %d series", len(a.Series)); !strings.HasPrefix(got, want) {
		t.Errorf("the count says %q, want %q", got, want)
	}
	if err := chromedp.Do(b.ctx, chromedp.SendKeys(chromedp.CSS("#filter"), " allocs")); err != nil {
		t.Fatal(err)
	}
	if n := eval[int](b, visible); n != 1 {
		t.Errorf("filtering 'case=003 allocs' shows %d series, want 1", n)
	}
	eval[bool](b, `(() => { const f = document.getElementById("filter"); f.value = ""; f.dispatchEvent(new Event("input")); return true; })()`)
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS("#only-changes"))); err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, s := range a.Series {
		if len(s.Changes) > 0 {
			want++
		}
	}
	if n := eval[int](b, visible); n != want || want == 0 {
		t.Errorf("only series with changes shows %d, want %d", n, want)
	}
}

func (b *browserPage) screenshot(path string) {
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// checkConsole fails on any console error or uncaught exception so far.
func (b *browserPage) checkConsole() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.messages {
		if m.Type == chromedp.ConsoleError || m.IsException() {
			b.t.Errorf("console: %s (%s:%d)", m.String(), m.URL, m.Line)
		}
	}
}
