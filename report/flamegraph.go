package report

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/perfctl/perfctl/profile"
)

// Flame graph geometry, in pixels.
const (
	flameWidth     = 1200
	flameRowHeight = 17
	flameCharWidth = 6.6 // of the 11px monospace labels
)

// A Flame is one flame graph of a page.
type Flame struct {
	Title string
	Tree  *profile.Tree
}

// flameRect is one frame drawn.
type flameRect struct {
	X, Y, W     float64
	Fill        string
	Label       string
	Tooltip     string
	LabelX      float64
	LabelY      float64
	ShowLabelOK bool
}

type flameSVG struct {
	Width, Height float64
	RowHeight     float64
	Rects         []flameRect
	Empty         bool
}

var flameSVGTemplate = template.Must(template.New("svg").Parse(
	`<svg class="flame" width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img">` +
		`{{if .Empty}}<text x="4" y="14">no samples</text>{{end}}` +
		`{{range .Rects}}<g><title>{{.Tooltip}}</title><rect x="{{printf "%.2f" .X}}" y="{{printf "%.0f" .Y}}" width="{{printf "%.2f" .W}}" height="{{$.RowHeight}}" fill="{{.Fill}}"></rect>` +
		`{{if .ShowLabelOK}}<text x="{{printf "%.2f" .LabelX}}" y="{{printf "%.0f" .LabelY}}">{{.Label}}</text>{{end}}</g>{{end}}` +
		`</svg>`))

// FlameGraphSVG draws t as an inline SVG element (no namespace URL, no
// script, no external reference), the root at the bottom and each frame
// as wide as its value: for a difference, head's value, coloured red when
// it grew since the base and blue when it shrank. Every name is escaped.
func FlameGraphSVG(t *profile.Tree) (template.HTML, error) {
	svg := layoutFlame(t)
	var buf bytes.Buffer
	if err := flameSVGTemplate.Execute(&buf, svg); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil //nolint:gosec // html/template escaped every name above
}

func layoutFlame(t *profile.Tree) *flameSVG {
	depth := treeDepth(t.Root)
	svg := &flameSVG{Width: flameWidth, RowHeight: flameRowHeight - 1, Height: float64(depth) * flameRowHeight}
	if t.Total <= 0 {
		svg.Empty, svg.Height = true, flameRowHeight+4
		return svg
	}
	scale := flameWidth / float64(t.Total)
	var walk func(n *profile.Node, x float64, level int)
	walk = func(n *profile.Node, x float64, level int) {
		w := float64(n.Value) * scale
		if w < 0.1 {
			return
		}
		r := flameRect{X: x, Y: float64(depth-1-level) * flameRowHeight, W: w, Fill: frameFill(t, n), Tooltip: frameTooltip(t, n)}
		name := n.Name
		if level == 0 {
			name = "all"
		}
		if label := fitLabel(shortName(name), w); label != "" {
			r.Label, r.ShowLabelOK = label, true
			r.LabelX, r.LabelY = x+3, r.Y+flameRowHeight-5
		}
		svg.Rects = append(svg.Rects, r)
		for _, c := range n.Children {
			walk(c, x, level+1)
			x += float64(c.Value) * scale
		}
	}
	walk(t.Root, 0, 0)
	return svg
}

// treeDepth is the number of rows the frames of n take: frames with no
// value (only the base's, in a difference) are not drawn.
func treeDepth(n *profile.Node) int {
	d := 0
	for _, c := range n.Children {
		if c.Value > 0 {
			d = max(d, treeDepth(c))
		}
	}
	return d + 1
}

// shortName drops the import path of a Go function name:
// example.com/m/parser.(*P).next → parser.(*P).next.
func shortName(name string) string {
	if i := strings.LastIndexByte(name, '/'); i >= 0 && i < len(name)-1 {
		return name[i+1:]
	}
	return name
}

// fitLabel is as much of name as fits in w pixels, "" when too little
// would.
func fitLabel(name string, w float64) string {
	chars := int((w - 6) / flameCharWidth)
	if chars < 3 {
		return ""
	}
	r := []rune(name)
	if len(r) <= chars {
		return name
	}
	return string(r[:chars-1]) + "…"
}

func frameFill(t *profile.Tree, n *profile.Node) string {
	if !t.Diff {
		h := fnv.New32a()
		h.Write([]byte(n.Name))
		return fmt.Sprintf("hsl(%d,80%%,%d%%)", 5+h.Sum32()%45, 55+h.Sum32()/45%10)
	}
	d := n.Value - n.Base
	m := max(n.Value, n.Base)
	if d == 0 || m == 0 {
		return "rgb(230,230,230)"
	}
	i := math.Abs(float64(d)) / float64(m) // 0..1: how much of the frame changed
	i = 0.25 + 0.75*i
	mix := func(from, to float64) int { return int(math.Round(from + (to-from)*i)) }
	if d > 0 {
		return fmt.Sprintf("rgb(%d,%d,%d)", mix(230, 220), mix(230, 50), mix(230, 47))
	}
	return fmt.Sprintf("rgb(%d,%d,%d)", mix(230, 38), mix(230, 110), mix(230, 220))
}

func frameTooltip(t *profile.Tree, n *profile.Node) string {
	var b strings.Builder
	b.WriteString(n.Name)
	if n.File != "" {
		b.WriteString("\n" + n.File)
	}
	fmt.Fprintf(&b, "\n%s (%.1f%%)", FormatValue(n.Value, t.Unit), share(n.Value, t.Total))
	if t.Diff {
		fmt.Fprintf(&b, "\nbase %s → head %s (%s)", FormatValue(n.Base, t.Unit), FormatValue(n.Value, t.Unit), signedValue(n.Value-n.Base, t.Unit))
	}
	return b.String()
}

func share(v, total int64) float64 {
	if total == 0 {
		return 0
	}
	return float64(v) / float64(total) * 100
}

func signedValue(v int64, unit string) string {
	if v == 0 {
		return "0"
	}
	if v > 0 {
		return "+" + FormatValue(v, unit)
	}
	return "−" + FormatValue(-v, unit)
}

// FormatValue says a profile's value in its unit: nanoseconds as a
// duration (1.25s, 310ms), bytes in binary multiples (4.0 MiB), counts as
// they are.
func FormatValue(v int64, unit string) string {
	neg := ""
	if v < 0 {
		neg, v = "-", -v
	}
	f := float64(v)
	switch unit {
	case "nanoseconds":
		switch {
		case v >= 1e9:
			return fmt.Sprintf("%s%.2fs", neg, f/1e9)
		case v >= 1e6:
			return fmt.Sprintf("%s%.1fms", neg, f/1e6)
		case v >= 1e3:
			return fmt.Sprintf("%s%.1fµs", neg, f/1e3)
		}
		return fmt.Sprintf("%s%dns", neg, v)
	case "bytes":
		switch {
		case v >= 1<<30:
			return fmt.Sprintf("%s%.1f GiB", neg, f/(1<<30))
		case v >= 1<<20:
			return fmt.Sprintf("%s%.1f MiB", neg, f/(1<<20))
		case v >= 1<<10:
			return fmt.Sprintf("%s%.1f KiB", neg, f/(1<<10))
		}
		return fmt.Sprintf("%s%d B", neg, v)
	}
	return fmt.Sprintf("%s%d", neg, v)
}

var flamePageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="color-scheme" content="light dark">
<title>{{.Title}}</title>
<style>
:root { --bg: #ffffff; --fg: #1f2328; --muted: #59636e; color-scheme: light; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; color-scheme: dark; }
}
body { font: 14px system-ui, sans-serif; margin: 1em 2em; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.3em; }
h2 { font-size: 1.1em; margin-top: 2em; }
p.note { color: var(--muted); }
svg.flame { display: block; max-width: 100%; height: auto; }
svg.flame text { font: 11px monospace; fill: #111; pointer-events: none; }
svg.flame > text { fill: var(--fg); }
svg.flame rect { stroke: var(--bg); stroke-width: 0.5; }
svg.flame g:hover rect { stroke: var(--fg); stroke-width: 1; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="note">Each frame is a function; its width is its share of the profile, the functions it calls above it. Hover a frame for its name, file and value.{{if .Diff}} Red frames cost more than in the base, blue frames less; width is head's.{{end}} Frames under 0.5% of the total are left out.</p>
{{range .Graphs}}<section>
<h2>{{.Title}}</h2>
<p class="note">{{.Note}}</p>
{{.SVG}}
</section>
{{end}}</body>
</html>
`))

type flamePage struct {
	Title  string
	Diff   bool
	Graphs []flamePageGraph
}

type flamePageGraph struct {
	Title, Note string
	SVG         template.HTML
}

// FlameGraphPage writes a self-contained HTML page (no script, no
// external reference) with a flame graph of each of flames, in light or
// dark colours as the browser prefers.
func FlameGraphPage(w io.Writer, title string, flames []Flame) error {
	page := flamePage{Title: title}
	for _, f := range flames {
		svg, err := FlameGraphSVG(f.Tree)
		if err != nil {
			return err
		}
		t := f.Tree
		note := fmt.Sprintf("%s: %s in total", t.SampleType, FormatValue(t.Total, t.Unit))
		if t.Diff {
			page.Diff = true
			note = fmt.Sprintf("%s: head %s, base %s", t.SampleType, FormatValue(t.Total, t.Unit), FormatValue(t.BaseTotal, t.Unit))
		}
		if t.Dropped > 0 {
			note += fmt.Sprintf("; %s in frames too small to draw", FormatValue(t.Dropped, t.Unit))
		}
		page.Graphs = append(page.Graphs, flamePageGraph{Title: f.Title, Note: note, SVG: svg})
	}
	return flamePageTemplate.Execute(w, page)
}
