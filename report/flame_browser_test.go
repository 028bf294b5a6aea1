package report

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/perfctl/perfctl/profile"
)

// Flame graphs in the browser: perfctl profile's flame.html and the flame
// graphs under a comparison's regressions (TestHTMLInBrowser's compare
// page) are drawn, in light and dark mode: their pixels are counted in a
// screenshot of each graph, each frame has its tooltip, and hovering over
// a frame outlines it.

// TestFlameGraphPageInBrowser loads the page perfctl profile writes, from
// real CPU and allocation profiles of this test's own work.
func TestFlameGraphPageInBrowser(t *testing.T) {
	chromium := chromiumPath(t)
	artifacts := artifactDir(t)
	res := busyProfiles(t)
	var buf bytes.Buffer
	if err := FlameGraphPage(&buf, "perfctl profile: flame graphs", ProfileFlames(res)); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "flame.html")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	browser := startBrowser(t, chromium)
	for _, scheme := range []string{"light", "dark"} {
		t.Run(scheme, func(t *testing.T) {
			b := &browserPage{t: t, url: "file://" + file, scheme: scheme, ready: `document.readyState === "complete"`}
			b.open(browser)
			defer b.close()
			b.checkTheme()
			if n := eval[int](b, `document.querySelectorAll("section svg.flame").length`); n != 2 {
				t.Fatalf("%d flame graphs, want 2 (CPU time, bytes allocated)", n)
			}
			for i, sel := range []string{"section:nth-of-type(1) svg.flame", "section:nth-of-type(2) svg.flame"} {
				b.checkTooltips(sel)
				img := b.elementShot(sel, filepath.Join(artifacts, "flame-page-"+scheme+"-"+string(rune('1'+i))+".png"))
				drawn, _, _ := b.flamePixels(img)
				// The root frame alone spans the whole width: at least a
				// row of the graph is drawn, in colours that are not the
				// page's.
				if total := img.Bounds().Dx() * img.Bounds().Dy(); drawn < total/10 {
					t.Errorf("%s: %d of %d pixels drawn, want the frames", sel, drawn, total)
				}
			}
			// The test's busy function is a frame, hovered and outlined.
			b.checkHoverFrame("section:nth-of-type(1) svg.flame", "report.spin")
			b.screenshot(filepath.Join(artifacts, "flame-page-"+scheme+".png"))
			b.checkConsole()
		})
	}
}

// busyProfiles profiles this test spinning and allocating, as perfctl
// profile profiles a benchmark, and returns the result perfctl profile
// draws its page from.
func busyProfiles(t *testing.T) *profile.Result {
	t.Helper()
	var cpu bytes.Buffer
	if err := pprof.StartCPUProfile(&cpu); err != nil {
		t.Fatalf("starting a CPU profile: %v", err)
	}
	sink := spin(400 * time.Millisecond)
	pprof.StopCPUProfile()
	var mem bytes.Buffer
	if err := pprof.Lookup("allocs").WriteTo(&mem, 0); err != nil {
		t.Fatal(err)
	}
	if sink == 42 {
		t.Log("unlikely")
	}
	tree := func(name string, data []byte, sampleType string) *profile.Tree {
		p, err := profile.Parse(name, data)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := profile.NewTree(p, sampleType, profile.TreeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if tr.Total == 0 {
			t.Fatalf("the %s profile has no samples", sampleType)
		}
		return tr
	}
	return &profile.Result{Packages: []profile.Package{{
		ImportPath: "github.com/perfctl/perfctl/report", Benchmarks: []string{"BenchmarkSpin"},
		CPUTree:   tree("cpu", cpu.Bytes(), profile.CPU),
		AllocTree: tree("allocs", mem.Bytes(), profile.AllocSpace),
	}}}
}

// spin works and allocates for about d.
func spin(d time.Duration) uint64 {
	var x uint64
	var keep [][]byte
	for start := time.Now(); time.Since(start) < d; {
		for i := range 100_000 {
			x = x*6364136223846793005 + uint64(i)
		}
		keep = append(keep, make([]byte, 64<<10))
		if len(keep) > 64 {
			keep = keep[:0]
		}
	}
	return x + uint64(len(keep))
}

// checkProfileFlames: under the compare page's regression, the flame
// graphs of the difference and of head are drawn, the frame that grew in
// red and the one that shrank in blue; each frame has a tooltip; hovering
// outlines a frame; the filter hides the profile with its row.
func (b *browserPage) checkProfileFlames(shots string) {
	t := b.t
	if n := eval[int](b, `document.querySelectorAll("tr.profile svg.flame").length`); n != 2 {
		t.Fatalf("%d flame graphs under the regression, want 2 (difference, head)", n)
	}
	diffSel, headSel := "tr.profile div.flame.diff svg", "tr.profile div.flame.head svg"
	b.checkTooltips(diffSel)
	b.checkTooltips(headSel)
	diff := b.elementShot(diffSel, shots+"-diff.png")
	drawn, red, blue := b.flamePixels(diff)
	if total := diff.Bounds().Dx() * diff.Bounds().Dy(); drawn < total/3 {
		t.Errorf("the difference: %d of %d pixels drawn", drawn, total)
	}
	// slowPath (60% of the width, grew by half) and the hostile frame are
	// red; parse (20%, shrank) is blue.
	if red < drawn/8 || blue < drawn/30 {
		t.Errorf("the difference: %d red and %d blue pixels of %d drawn, want the frames that grew red and the one that shrank blue", red, blue, drawn)
	}
	head := b.elementShot(headSel, shots+"-head.png")
	drawn, _, blue = b.flamePixels(head)
	if total := head.Bounds().Dx() * head.Bounds().Dy(); drawn < total/3 {
		t.Errorf("head: %d of %d pixels drawn", drawn, total)
	}
	if blue > drawn/100 {
		t.Errorf("head: %d blue pixels of %d; head is coloured by name, not by change", blue, drawn)
	}
	b.checkHoverFrame(diffSel, "example.com/codec.slowPath")

	visible := `getComputedStyle(document.querySelector("tr.profile")).display !== "none"`
	setFilter := func(s string) {
		eval[bool](b, `(() => { const f = document.getElementById("filter"); f.value = `+jsString(s)+`; f.dispatchEvent(new Event("input")); return true; })()`)
	}
	setFilter("decode")
	if eval[bool](b, visible) {
		t.Error("filtering out the regression leaves its profile shown")
	}
	setFilter("encode")
	if !eval[bool](b, visible) {
		t.Error("filtering for the regression hides its profile")
	}
	setFilter("")
}

// checkTooltips: every frame of the flame graph sel has a tooltip that
// names a function.
func (b *browserPage) checkTooltips(sel string) {
	frames := eval[[]int](b, `(() => { const gs = document.querySelectorAll(`+jsString(sel+" g")+`);
  let titled = 0; gs.forEach(g => { const tt = g.querySelector("title"); if (tt && tt.textContent.trim().length > 0 && g.querySelector("rect")) titled++; });
  return [gs.length, titled]; })()`)
	if frames[0] < 3 || frames[1] != frames[0] {
		b.t.Errorf("%s: %d frames, %d with a tooltip; want several, each with one", sel, frames[0], frames[1])
	}
}

// checkHoverFrame moves the mouse over the frame of the function named
// name (its tooltip's first line ends with it) in the flame graph sel and
// checks that the frame is outlined.
func (b *browserPage) checkHoverFrame(sel, name string) {
	t := b.t
	rect := eval[[]float64](b, `(() => {
  const g = Array.from(document.querySelectorAll(`+jsString(sel+" g")+`)).find(g => g.querySelector("title").textContent.split("\n")[0].endsWith(`+jsString(name)+`));
  if (!g) return [];
  g.scrollIntoView({block: "center"});
  const r = g.querySelector("rect").getBoundingClientRect();
  return [r.left, r.top, r.width, r.height];
})()`)
	if len(rect) != 4 {
		t.Fatalf("%s: no frame of %s", sel, name)
	}
	width := `(() => { const g = Array.from(document.querySelectorAll(` + jsString(sel+" g") + `)).find(g => g.querySelector("title").textContent.split("\n")[0].endsWith(` + jsString(name) + `));
  return getComputedStyle(g.querySelector("rect")).strokeWidth; })()`
	if got := eval[string](b, width); got != "0.5px" {
		t.Errorf("%s: the frame's outline before hovering is %s, want 0.5px", name, got)
	}
	x, y := rect[0]+rect[2]/2, rect[1]+rect[3]/2
	if _, err := chromedp.Call(b.ctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseMoved, X: x, Y: y}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](width+` === "1px"`, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Errorf("hovering over %s does not outline it: %v (stroke width %s)", name, err, eval[string](b, width))
	}
}

// elementShot is a screenshot of the element sel, kept in path.
func (b *browserPage) elementShot(sel, path string) image.Image {
	t := b.t
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	data, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("a screenshot of %s: %v", sel, err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the screenshot of %s: %v", sel, err)
	}
	return img
}

// flamePixels counts the pixels of img that are not the page's background
// (drawn), and of those the clearly red and the clearly blue ones.
func (b *browserPage) flamePixels(img image.Image) (drawn, red, blue int) {
	bg := map[string][3]int{"light": {255, 255, 255}, "dark": {13, 17, 23}}[b.scheme]
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			c := [3]int{int(cr >> 8), int(cg >> 8), int(cb >> 8)}
			if abs(c[0]-bg[0])+abs(c[1]-bg[1])+abs(c[2]-bg[2]) < 24 {
				continue
			}
			drawn++
			switch {
			case c[0] > 180 && c[0]-c[2] > 80 && c[0]-c[1] > 80:
				red++
			case c[2] > 180 && c[2]-c[0] > 50:
				blue++
			}
		}
	}
	return drawn, red, blue
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// jsString is s as a JavaScript string literal.
func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}
