package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/lipgloss/table"
	"golang.org/x/perf/benchunit"

	"github.com/perfctl/perfctl/baseline"
	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/termsafe"
)

// Schemas of the baseline documents.
const (
	BaselineListSchema = "perfctl/baselines/v1"
	BaselineShowSchema = "perfctl/baseline/v1"
)

type baselineJSON struct {
	Name       string  `json:"name"`
	Path       string  `json:"path"`
	RecordedAt *string `json:"recorded_at"`
	Commit     string  `json:"commit"`
	Branch     string  `json:"branch"`
	Dirty      *bool   `json:"dirty"`
	Go         string  `json:"go"`
	CPU        string  `json:"cpu"`
	Benchmarks int     `json:"benchmarks"`
}

func baselineOf(info *baseline.Info) baselineJSON {
	b := baselineJSON{Name: info.Name, Path: info.Path, Commit: info.Commit, Branch: info.Branch,
		Go: info.GoVersion, CPU: info.CPU, Benchmarks: info.Benchmarks}
	if !info.RecordedAt.IsZero() {
		s := info.RecordedAt.Format(time.RFC3339)
		b.RecordedAt = &s
	}
	if d, err := strconv.ParseBool(info.Dirty); err == nil {
		b.Dirty = &d
	}
	return b
}

// BaselineListJSON writes the stored baselines as a perfctl/baselines/v1
// document.
func BaselineListJSON(w io.Writer, infos []baseline.Info) error {
	doc := struct {
		Schema    string         `json:"schema"`
		Baselines []baselineJSON `json:"baselines"`
	}{Schema: BaselineListSchema, Baselines: make([]baselineJSON, len(infos))}
	for i := range infos {
		doc.Baselines[i] = baselineOf(&infos[i])
	}
	return encodeIndented(w, doc)
}

// BaselineListText writes one line per stored baseline.
func BaselineListText(w io.Writer, infos []baseline.Info, opts Options) error {
	if len(infos) == 0 {
		_, err := io.WriteString(w, "no baselines yet: record one with `perfctl baseline save`\n")
		return err
	}
	p := newPalette(w, opts.Color)
	rows := make([][]string, len(infos))
	for i := range infos {
		in := &infos[i]
		rows[i] = []string{in.Name, dateOrDash(in.RecordedAt), shortCommit(in.Commit, in.Dirty), orDash(in.Branch),
			strconv.Itoa(in.Benchmarks), orDash(in.GoVersion)}
	}
	t := plainTable(&p, []string{"name", "recorded at", "commit", "branch", "benchmarks", "go"}, rows, map[int]bool{4: true})
	_, err := io.WriteString(w, termsafe.String(trimLines(t)+"\n", opts.Color))
	return err
}

type benchmarkSummaryJSON struct {
	Name   string   `json:"name"`
	Unit   string   `json:"unit"`
	Pkg    string   `json:"pkg,omitempty"`
	Center float64  `json:"center"`
	Low    *float64 `json:"low"`
	High   *float64 `json:"high"`
	N      int      `json:"n"`
}

// BaselineShowJSON writes a baseline and the summary of its benchmarks as a
// perfctl/baseline/v1 document.
func BaselineShowJSON(w io.Writer, info *baseline.Info, rows []bench.SummaryRow) error {
	doc := struct {
		Schema string `json:"schema"`
		baselineJSON
		Benchmarks []benchmarkSummaryJSON `json:"results"`
	}{Schema: BaselineShowSchema, baselineJSON: baselineOf(info), Benchmarks: make([]benchmarkSummaryJSON, len(rows))}
	for i := range rows {
		r := &rows[i]
		s := summaryOf(&r.Summary)
		doc.Benchmarks[i] = benchmarkSummaryJSON{Name: r.Name, Unit: r.Unit, Pkg: r.Pkg, Center: s.Center, Low: s.Low, High: s.High, N: s.N}
	}
	return encodeIndented(w, doc)
}

// baselineShowJSON is BaselineShowJSON in the registry.
func baselineShowJSON(w io.Writer, info *baseline.Info, rows []bench.SummaryRow, _ Options) error {
	return BaselineShowJSON(w, info, rows)
}

// BaselineShowText writes where a baseline comes from and a table per unit
// of its benchmarks' centers and intervals.
func BaselineShowText(w io.Writer, info *baseline.Info, rows []bench.SummaryRow, opts Options) error {
	p := newPalette(w, opts.Color)
	var b strings.Builder
	fmt.Fprintf(&b, "baseline %s  (%s)\n", p.bold.Render(info.Name), info.Path)
	fmt.Fprintf(&b, "recorded %s · commit %s · branch %s · %s · %s\n\n", dateOrDash(info.RecordedAt),
		shortCommit(info.Commit, info.Dirty), orDash(info.Branch), orDash(info.GoVersion), orDash(info.CPU))
	for start := 0; start < len(rows); {
		end := start
		for end < len(rows) && rows[end].Unit == rows[start].Unit {
			end++
		}
		data := make([][]string, 0, end-start)
		class := benchunit.ClassOf(rows[start].Unit)
		for i := start; i < end; i++ {
			r := &rows[i]
			data = append(data, []string{r.Label, summaryCell(&r.Summary, class), strconv.Itoa(r.N)})
		}
		b.WriteString(trimLines(plainTable(&p, []string{rows[start].Unit, "center ± 95%", "n"}, data, map[int]bool{1: true, 2: true})))
		b.WriteString("\n\n")
		start = end
	}
	_, err := io.WriteString(w, termsafe.String(b.String(), opts.Color))
	return err
}

// plainTable renders a table in perfctl's style; right lists the columns to
// align right.
func plainTable(p *palette, headers []string, rows [][]string, right map[int]bool) string {
	return newTable(headers...).
		Rows(rows...).
		StyleFunc(func(row, col int) lipgloss.Style {
			s := p.plain.Padding(0, 1)
			if right[col] {
				s = s.Align(lipgloss.Right)
			}
			if row == table.HeaderRow {
				return s.Inherit(p.bold)
			}
			return s
		}).Render()
}

func encodeIndented(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func dateOrDash(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("2006-01-02 15:04 UTC")
}

func shortCommit(c, dirty string) string {
	if c == "" {
		return "—"
	}
	if len(c) > 12 {
		c = c[:12]
	}
	if dirty == "true" {
		c += "+dirty"
	}
	return c
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
