package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/usererr"
	"github.com/perfctl/perfctl/profile"
)

// MaxCompareJSON bounds the size of a comparison document ReadCompareJSON
// reads: 64 MiB is ~200,000 rows.
const MaxCompareJSON = 64 << 20

// compareJSONHint says what a comparison document is.
const compareJSONHint = "give the output of `perfctl compare --format json` (schema " + CompareSchema + ")"

// ReadCompareJSON reads a perfctl/compare/v1 document (CompareJSON's
// output) back into a comparison, for the HTML report. It is strict about
// what it needs, the schema, the names, units and statuses, and about
// the document being one JSON object; fields it does not know are
// ignored, as later versions add fields. name is the file, for errors,
// which are *usererr.Error.
func ReadCompareJSON(r io.Reader, name string) (*bench.Comparison, error) {
	bad := func(format string, args ...any) *usererr.Error {
		return &usererr.Error{File: name, Msg: fmt.Sprintf(format, args...), Hint: compareJSONHint}
	}
	text, err := io.ReadAll(io.LimitReader(r, MaxCompareJSON+1))
	if err != nil {
		return nil, &usererr.Error{File: name, Msg: "cannot read the comparison: " + err.Error(), Err: err}
	}
	if len(text) > MaxCompareJSON {
		return nil, bad("is larger than %d MiB, the largest comparison the report reads", MaxCompareJSON>>20)
	}
	dec := json.NewDecoder(bytes.NewReader(text))
	var doc struct {
		Schema      *string          `json:"schema"`
		Alpha       *float64         `json:"alpha"`
		Method      string           `json:"method"`
		Rounds      int              `json:"rounds"`
		Correction  string           `json:"correction"`
		Tested      int              `json:"tested"`
		Comparisons []comparisonJSON `json:"comparisons"`
		Geomeans    []geomeanJSON    `json:"geomeans"`
		Warnings    []string         `json:"warnings"`
		Shard       *shardJSON       `json:"shard"`
	}
	if err := dec.Decode(&doc); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			e := bad("is not JSON: %v", se)
			e.Line = lineAt(text, se.Offset)
			return nil, e
		case errors.As(err, &te):
			e := bad("is not a comparison: %s has a %s where a %s belongs", orDocument(te.Field), te.Value, te.Type)
			e.Line = lineAt(text, te.Offset)
			return nil, e
		case errors.Is(err, io.EOF):
			return nil, bad("is empty")
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, bad("is not JSON: it ends in the middle of the document")
		}
		return nil, bad("is not JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, bad("has more after its JSON document")
	}
	switch {
	case doc.Schema == nil:
		return nil, bad("is not a comparison: it has no \"schema\"")
	case *doc.Schema != CompareSchema:
		return nil, bad("has schema %q, not %s", *doc.Schema, CompareSchema)
	case doc.Comparisons == nil:
		return nil, bad("is not a comparison: it has no \"comparisons\"")
	case doc.Alpha == nil || !(*doc.Alpha > 0 && *doc.Alpha < 1):
		return nil, bad("has no \"alpha\" between 0 and 1")
	}
	c := &bench.Comparison{Alpha: *doc.Alpha, Confidence: bench.DefaultConfidence, Method: doc.Method, Rounds: doc.Rounds,
		Tested: doc.Tested, Warnings: doc.Warnings, Rows: make([]bench.Row, len(doc.Comparisons))}
	if doc.Correction != "" {
		if c.Correction, err = bench.ParseCorrection(doc.Correction); err != nil {
			return nil, bad("%v", err)
		}
	}
	statuses := []bench.Status{bench.StatusRegression, bench.StatusImprovement, bench.StatusUnchanged,
		bench.StatusAdded, bench.StatusRemoved, bench.StatusInsufficient}
	for i := range doc.Comparisons {
		j := &doc.Comparisons[i]
		switch {
		case j.Name == "" || j.Unit == "":
			return nil, bad("comparison %d has no name or no unit", i+1)
		case !slices.Contains(statuses, bench.Status(j.Status)):
			return nil, bad("comparison %d (%s) has status %q, not one of regression, improvement, unchanged, added, removed or insufficient", i+1, j.Name, j.Status)
		}
		row := bench.Row{Name: j.Name, Label: j.Name, Unit: j.Unit, Pkg: j.Pkg,
			Base: summaryFrom(j.Base), Head: summaryFrom(j.Head),
			DeltaPct: orNaN(j.DeltaPct), PValue: orNaN(j.PValue), Significant: j.Significant,
			Threshold: j.ThresholdPct / 100, Status: bench.Status(j.Status), Note: j.Note,
			Exact: j.Exact, NotRun: j.NotRun, PAdjusted: orNaN(j.PAdjusted), Method: bench.MethodUnpaired,
			PairedP: math.NaN(), PairedDeltaPct: math.NaN(), EquivalenceP: math.NaN(), Better: betterOf(j.Better, j.Unit)}
		if j.Source != nil {
			row.Source = &bench.Source{File: j.Source.File, Line: j.Source.Line, Col: j.Source.Column}
		}
		if j.PairedP != nil || j.PairedDeltaPct != nil {
			row.Method, row.PairedP, row.PairedDeltaPct, row.Pairs = bench.MethodPaired, orNaN(j.PairedP), orNaN(j.PairedDeltaPct), j.Pairs
			row.EquivalenceP = orNaN(j.EquivalenceP)
		}
		if p := j.Profile; p != nil {
			if p.Flame != nil {
				if _, err := profile.TreeOf(p.Flame); err != nil {
					return nil, bad("comparison %d (%s): its profile's %v", i+1, j.Name, err)
				}
			}
			row.Profile = p
		}
		c.Rows[i] = row
	}
	if s := doc.Shard; s != nil {
		if s.Total < 1 || s.Index < 0 || s.Index > s.Total {
			return nil, bad("has a \"shard\" %d of %d, which no plan has", s.Index, s.Total)
		}
		c.Shard = &bench.ShardInfo{Index: s.Index, Total: s.Total, Plan: s.Plan, BaseCommit: s.BaseCommit, HeadCommit: s.HeadCommit,
			Environment: s.Environment, Truncated: s.Truncated}
	}
	for _, g := range doc.Geomeans {
		c.Geomeans = append(c.Geomeans, bench.Geomean{Unit: g.Unit, Base: orNaN(g.Base), Head: orNaN(g.Head), DeltaPct: orNaN(g.DeltaPct), N: g.N})
	}
	return c, nil
}

func summaryFrom(s *summaryJSON) *bench.Summary {
	if s == nil {
		return nil
	}
	out := &bench.Summary{Center: s.Center, Low: math.Inf(-1), High: math.Inf(1), N: s.N}
	if s.Low != nil && s.High != nil {
		out.Low, out.High = *s.Low, *s.High
	}
	return out
}

func orNaN(v *float64) float64 {
	if v == nil {
		return math.NaN()
	}
	return *v
}

func orDocument(field string) string {
	if field == "" {
		return "the document"
	}
	return fmt.Sprintf("%q", field)
}

// lineAt is the line of text at byte offset off, counted from 1.
func lineAt(text []byte, off int64) int {
	off = min(max(off, 0), int64(len(text)))
	return bytes.Count(text[:off], []byte("\n")) + 1
}

// betterOf is a row's direction from its "better" field, or, in a
// document written before it had one, from its unit as perfctl knows it.
func betterOf(word, unit string) int {
	switch word {
	case "lower":
		return -1
	case "higher":
		return 1
	}
	switch unit {
	case "sec/op", "B/op", "allocs/op":
		return -1
	case "B/s":
		return 1
	}
	return 0
}
