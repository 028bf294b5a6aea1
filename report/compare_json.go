package report

import (
	"encoding/json"
	"io"
	"math"
	"strconv"

	"github.com/perfctl/perfctl/bench"
)

// CompareSchema identifies the JSON document written by CompareJSON.
const CompareSchema = "perfctl/compare/v1"

type compareDoc struct {
	Schema      string           `json:"schema"`
	Verdict     string           `json:"verdict"`
	Alpha       float64          `json:"alpha"`
	Method      string           `json:"method"`
	Rounds      int              `json:"rounds,omitempty"`
	Correction  string           `json:"correction,omitempty"`
	Tested      int              `json:"tested"`
	NotRun      int              `json:"not_run"`
	Comparisons []comparisonJSON `json:"comparisons"`
	Geomeans    []geomeanJSON    `json:"geomeans"`
	Warnings    []string         `json:"warnings"`
	Modules     []moduleJSON     `json:"modules,omitempty"`
	Shard       *shardJSON       `json:"shard,omitempty"`
}

// shardJSON is the identity of a sharded comparison (compare --shard I/N),
// or of shards joined (perfctl merge: index 0).
type shardJSON struct {
	Index       int               `json:"index"`
	Total       int               `json:"total"`
	Plan        string            `json:"plan"`
	BaseCommit  string            `json:"base_commit,omitempty"`
	HeadCommit  string            `json:"head_commit,omitempty"`
	Environment map[string]string `json:"environment,omitempty"`
	Truncated   bool              `json:"truncated,omitempty"`
}

type comparisonJSON struct {
	Name         string       `json:"name"`
	Unit         string       `json:"unit"`
	Pkg          string       `json:"pkg,omitempty"`
	Base         *summaryJSON `json:"base"`
	Head         *summaryJSON `json:"head"`
	DeltaPct     *float64     `json:"delta_pct"`
	PValue       *float64     `json:"p_value"`
	Significant  bool         `json:"significant"`
	ThresholdPct float64      `json:"threshold_pct"`
	Status       string       `json:"status"`
	Note         string       `json:"note,omitempty"`
	// Interleaved runs only: the paired test that decided.
	PairedP        *float64 `json:"paired_p_value,omitempty"`
	PairedDeltaPct *float64 `json:"paired_delta_pct,omitempty"`
	Pairs          int      `json:"pairs,omitempty"`
	EquivalenceP   *float64 `json:"equivalence_p_value,omitempty"`
	// The p-value after the correction for the number of rows tested.
	PAdjusted *float64 `json:"p_adjusted,omitempty"`
	Exact     bool     `json:"exact,omitempty"`
	// Which way is better for the unit: lower or higher ("" unknown).
	Better string `json:"better,omitempty"`
	// Why the row's benchmarks were not measured; base and head are null.
	NotRun string `json:"not_run,omitempty"`
	// Where the benchmark's function is declared (regressions, when known).
	Source *sourceJSON `json:"source,omitempty"`
	// Where the cost of a regression went (compare --profile).
	Profile *bench.RowProfile `json:"profile,omitempty"`
}

// sourceJSON is a place in the module: a file relative to the module root.
type sourceJSON struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

type summaryJSON struct {
	Center float64  `json:"center"`
	Low    *float64 `json:"low"`
	High   *float64 `json:"high"`
	N      int      `json:"n"`
}

type geomeanJSON struct {
	Unit     string   `json:"unit"`
	Base     *float64 `json:"base"`
	Head     *float64 `json:"head"`
	DeltaPct *float64 `json:"delta_pct"`
	N        int      `json:"n"`
}

// CompareJSON writes c as a perfctl/compare/v1 document. Values that are not
// defined (a missing side, an infinite interval, a delta from 0) are null.
func CompareJSON(w io.Writer, c *bench.Comparison) error {
	doc := compareDoc{
		Schema:      CompareSchema,
		Verdict:     string(c.Verdict()),
		Alpha:       c.Alpha,
		Method:      c.Method,
		Rounds:      c.Rounds,
		Correction:  c.Correction.String(),
		Tested:      c.Tested,
		NotRun:      c.NotRun(),
		Comparisons: make([]comparisonJSON, len(c.Rows)),
		Geomeans:    make([]geomeanJSON, len(c.Geomeans)),
		Warnings:    c.Warnings,
		Modules:     modulesJSON(c.Modules),
	}
	if s := c.Shard; s != nil {
		doc.Shard = &shardJSON{Index: s.Index, Total: s.Total, Plan: s.Plan, BaseCommit: s.BaseCommit, HeadCommit: s.HeadCommit,
			Environment: s.Environment, Truncated: s.Truncated}
	}
	if doc.Warnings == nil {
		doc.Warnings = []string{}
	}
	for i := range c.Rows {
		r := &c.Rows[i]
		doc.Comparisons[i] = comparisonJSON{
			Name: r.Name, Unit: r.Unit, Pkg: r.Pkg,
			Base: summaryOf(r.Base), Head: summaryOf(r.Head),
			DeltaPct: finite(r.DeltaPct), PValue: finite(r.PValue),
			Significant: r.Significant, ThresholdPct: percent(r.Threshold),
			Status: string(r.Status), Note: r.Note,
			PAdjusted: finite(r.PAdjusted), Exact: r.Exact, NotRun: r.NotRun,
			Profile: r.Profile, Better: betterWord(r.Better),
		}
		if r.Source != nil {
			doc.Comparisons[i].Source = &sourceJSON{File: r.Source.File, Line: r.Source.Line, Column: r.Source.Col}
		}
		if r.Method == bench.MethodPaired {
			doc.Comparisons[i].PairedP = finite(r.PairedP)
			doc.Comparisons[i].PairedDeltaPct = finite(r.PairedDeltaPct)
			doc.Comparisons[i].Pairs = r.Pairs
			doc.Comparisons[i].EquivalenceP = finite(r.EquivalenceP)
		}
	}
	for i, g := range c.Geomeans {
		doc.Geomeans[i] = geomeanJSON{Unit: g.Unit, Base: finite(g.Base), Head: finite(g.Head), DeltaPct: finite(g.DeltaPct), N: g.N}
	}
	return writeDoc(w, &doc)
}

// writeDoc writes doc with one comparison per line: as readable as an
// indented document and greppable, without encoding/json's indentation
// pass, which took longer than the statistics on 3,000 rows.
func writeDoc(w io.Writer, doc *compareDoc) error {
	buf := make([]byte, 0, 256*(len(doc.Comparisons)+len(doc.Geomeans)+4))
	buf = append(buf, "{\n  \"schema\": "...)
	buf = strconv.AppendQuote(buf, doc.Schema) // schema and verdict are plain ASCII
	buf = append(buf, ",\n  \"verdict\": "...)
	buf = strconv.AppendQuote(buf, doc.Verdict)
	buf = append(buf, ",\n  \"alpha\": "...)
	buf = strconv.AppendFloat(buf, doc.Alpha, 'g', -1, 64)
	buf = append(buf, ",\n  \"method\": "...)
	buf = strconv.AppendQuote(buf, doc.Method)
	if doc.Rounds > 0 {
		buf = append(buf, ",\n  \"rounds\": "...)
		buf = strconv.AppendInt(buf, int64(doc.Rounds), 10)
	}
	if doc.Correction != "" {
		buf = append(buf, ",\n  \"correction\": "...)
		buf = strconv.AppendQuote(buf, doc.Correction)
	}
	buf = append(buf, ",\n  \"tested\": "...)
	buf = strconv.AppendInt(buf, int64(doc.Tested), 10)
	buf = append(buf, ",\n  \"not_run\": "...)
	buf = strconv.AppendInt(buf, int64(doc.NotRun), 10)
	var err error
	if buf, err = appendList(buf, "comparisons", doc.Comparisons); err != nil {
		return err
	}
	if buf, err = appendList(buf, "geomeans", doc.Geomeans); err != nil {
		return err
	}
	if buf, err = appendList(buf, "warnings", doc.Warnings); err != nil {
		return err
	}
	if len(doc.Modules) > 0 {
		if buf, err = appendList(buf, "modules", doc.Modules); err != nil {
			return err
		}
	}
	if doc.Shard != nil {
		b, err := json.Marshal(doc.Shard)
		if err != nil {
			return err
		}
		buf = append(buf, ",\n  \"shard\": "...)
		buf = append(buf, b...)
	}
	buf = append(buf, "\n}\n"...)
	_, err = w.Write(buf)
	return err
}

// appendList appends `,\n  "name": [` and the elements of list, one
// compact JSON value per line.
func appendList[T any](buf []byte, name string, list []T) ([]byte, error) {
	buf = append(buf, ",\n  \""...)
	buf = append(buf, name...)
	buf = append(buf, "\": ["...)
	for i := range list {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, "\n    "...)
		b, err := json.Marshal(&list[i])
		if err != nil {
			return nil, err
		}
		buf = append(buf, b...)
	}
	if len(list) > 0 {
		buf = append(buf, "\n  "...)
	}
	return append(buf, ']'), nil
}

func summaryOf(s *bench.Summary) *summaryJSON {
	if s == nil {
		return nil
	}
	sum := &summaryJSON{Center: s.Center, N: s.N}
	// An interval is there whole or not at all (benchmath gives only one
	// infinite bound when there are too few samples).
	if lo, hi := finite(s.Low), finite(s.High); lo != nil && hi != nil {
		sum.Low, sum.High = lo, hi
	}
	return sum
}

// finite returns a pointer to v, or nil when v is NaN or infinite (JSON has
// no such numbers).
func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// betterWord says a row's direction: lower, higher, or "" when unknown.
func betterWord(b int) string {
	switch {
	case b < 0:
		return "lower"
	case b > 0:
		return "higher"
	}
	return ""
}
