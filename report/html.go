package report

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/history/trend"
	"github.com/perfctl/perfctl/internal/english"
)

// HTML is the self-contained HTML report: one file with its styles,
// scripts (uPlot, embedded) and data inline, that opens from file:// with
// no network.
const HTML Format = "html"

// uPlotVersion is the version of the uPlot files in html/uplot.
const uPlotVersion = "1.6.32"

//go:embed html/page.tmpl html/report.css html/report.js html/uplot/uPlot.iife.min.js html/uplot/uPlot.min.css
var htmlFiles embed.FS

// An HTMLPage is what the HTML report shows: the trends of the history, a
// comparison, or both.
type HTMLPage struct {
	// Title names what the report is about: the repository, or "" for a
	// comparison on its own.
	Title string
	// Analysis is the history's series and change points; nil for none.
	Analysis *trend.Analysis
	// Compare is a comparison of base and head; nil for none.
	Compare *bench.Comparison
	// Version is perfctl's version, and Generated when the report was
	// made (zero: not said).
	Version   string
	Generated time.Time
}

var pageTemplate = template.Must(template.New("page.tmpl").Funcs(template.FuncMap{
	"plural": english.Plural,
}).ParseFS(htmlFiles, "html/page.tmpl"))

// assets are the page's inline styles and scripts, read once.
var assets = func() (a struct {
	CSS, UPlotCSS template.CSS
	JS, UPlotJS   template.JS
}) {
	read := func(name string) string {
		b, err := htmlFiles.ReadFile("html/" + name)
		if err != nil {
			panic(err) // embedded: cannot fail
		}
		return string(b)
	}
	a.CSS, a.JS = template.CSS(read("report.css")), template.JS(read("report.js"))
	a.UPlotCSS = template.CSS(read("uplot/uPlot.min.css"))
	// The minified file opens with a banner naming its home page; a report
	// names no address at all, so it says where uPlot comes from without one.
	js := read("uplot/uPlot.iife.min.js")
	if strings.HasPrefix(js, "/*!") {
		if end := strings.Index(js, "*/"); end > 0 {
			js = js[end+2:]
		}
	}
	a.UPlotJS = template.JS("/*! uPlot v" + uPlotVersion + " (MIT License, Leon Sorokin), github.com/leeoniya/uPlot */" + js)
	return a
}()

// pageData is what page.tmpl renders.
type pageData struct {
	Title, Version, Generated string
	CSS, UPlotCSS             template.CSS
	JS, UPlotJS               template.JS
	Data                      template.JS
	History                   *historyHeader
	Compare                   *compareSection
}

// historyHeader describes the line of history the trends follow.
type historyHeader struct {
	Env, Key, Tip, Oldest string
	Commits, Walked       int
	Shallow               bool
	Others                int // records in other environments along the line
	Series, Changes       int
	Alerts                int
}

// WriteHTML writes p as one self-contained HTML page.
func WriteHTML(w io.Writer, p *HTMLPage) error {
	d := pageData{Title: p.Title, Version: p.Version,
		CSS: assets.CSS, UPlotCSS: assets.UPlotCSS, JS: assets.JS, UPlotJS: assets.UPlotJS}
	if !p.Generated.IsZero() {
		d.Generated = p.Generated.UTC().Format("2006-01-02 15:04 UTC")
	}
	data := make([]byte, 0, 1<<16)
	data = append(data, `{"history":`...)
	if a := p.Analysis; a != nil {
		d.History = header(a)
		data = trendData(data, a, seriesOrder(a.Series))
	} else {
		data = append(data, "null"...)
	}
	data = append(data, "}"...)
	if p.Compare != nil {
		d.Compare = compareRows(p.Compare)
	}
	d.Data = template.JS(data) // JSON with <, > and & escaped: safe inside <script>
	var buf bytes.Buffer
	buf.Grow(len(data) + len(assets.UPlotJS) + 1<<16)
	if err := pageTemplate.Execute(&buf, &d); err != nil {
		return fmt.Errorf("rendering the HTML report: %w", err)
	}
	_, err := buf.WriteTo(w)
	return err
}

func header(a *trend.Analysis) *historyHeader {
	h := &historyHeader{Key: a.Key, Commits: len(a.Commits), Walked: a.Walked, Shallow: a.Shallow, Series: len(a.Series)}
	if a.Key != "" {
		e := a.Env
		h.Env = fmt.Sprintf("%s, %s/%s, %s", e.CPU, e.GOOS, e.GOARCH, e.Go)
	}
	if n := len(a.Commits); n > 0 {
		h.Tip, h.Oldest = shortID(a.Commits[n-1].ID), shortID(a.Commits[0].ID)
	}
	for _, n := range a.Others {
		h.Others += n
	}
	for _, s := range a.Series {
		h.Changes += len(s.Changes)
		for _, c := range s.Changes {
			if c.Alert {
				h.Alerts++
			}
		}
	}
	return h
}

// compareHTML renders a comparison on its own as an HTML page (perfctl
// compare --format html).
func compareHTML(w io.Writer, c *bench.Comparison, opts Options) error {
	return WriteHTML(w, &HTMLPage{Compare: c, Version: opts.Version})
}
