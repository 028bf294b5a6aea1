package report

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/perfctl/perfctl/checks"
)

// CheckSchema identifies the JSON document written by CheckJSON.
const CheckSchema = "perfctl/check/v1"

type checkDoc struct {
	Schema    string       `json:"schema"`
	Verdict   string       `json:"verdict"`
	Summary   checkSummary `json:"summary"`
	Checks    []checkJSON  `json:"checks"`
	Policy    string       `json:"policy"`
	Preset    *presetJSON  `json:"preset,omitempty"`
	Modules   []moduleJSON `json:"modules,omitempty"`
	Strict    bool         `json:"strict"`
	Reasons   []string     `json:"reasons"`
	DurationS float64      `json:"duration_s"`
	Omitted   int          `json:"not_selected,omitempty"`
}

// checkSummary has a tally for every level, in the order of the levels.
type checkSummary struct {
	Must   tallyJSON `json:"MUST"`
	Should tallyJSON `json:"SHOULD"`
	May    tallyJSON `json:"MAY"`
}

type tallyJSON struct {
	Passed  int `json:"passed"`
	Total   int `json:"total"`
	Skipped int `json:"skipped"`
	Failed  int `json:"failed"`
	Errors  int `json:"errors"`
}

type checkJSON struct {
	ID        string        `json:"id"`
	Level     string        `json:"level"`
	Title     string        `json:"title"`
	Status    string        `json:"status"`
	Message   string        `json:"message"`
	Kind      string        `json:"kind"`
	Rationale string        `json:"rationale"`
	Fix       string        `json:"fix"`
	Details   []string      `json:"details,omitempty"`
	Findings  []findingJSON `json:"findings,omitempty"`
	DurationS float64       `json:"duration_s"`
	// Comparison is the perfctl/compare/v1 document of a regression
	// check's comparison.
	Comparison json.RawMessage `json:"comparison,omitempty"`
}

// presetJSON is the preset a check run applied: its name, where it came
// from (detected, policy, flag) and, when detected, why.
type presetJSON struct {
	Name   string `json:"name"`
	Source string `json:"source"`
	Reason string `json:"reason,omitempty"`
}

type findingJSON struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// CheckJSON writes r as a perfctl/check/v1 document:
//
//	{"schema", "verdict", "summary": {"MUST"|"SHOULD"|"MAY": {"passed", "total", "skipped", "failed", "errors"}},
//	 "checks": [{"id", "level", "title", "status", "message", "kind", "rationale", "fix",
//	             "details", "findings": [{"file", "line", "column", "rule", "message"}], "duration_s", "comparison"}],
//	 "policy", "preset": {"name", "source", "reason"}, "modules": [{"path", "dir", "covered"}], "strict", "reasons", "duration_s"}
//
// modules is there only when more than one module is seen (go.work's,
// or nested ones).
// The summary has all three levels, even those without checks. A check's
// details and findings are left out when it has none, and comparison is
// there only for a check that compared benchmarks: it is the
// perfctl/compare/v1 document that CompareJSON writes. "not_selected"
// (absent when 0) counts the checks of the policy that --only left out,
// which are not among the checks.
func CheckJSON(w io.Writer, r *checks.Report) error {
	doc := checkDoc{
		Schema:  CheckSchema,
		Verdict: string(r.Verdict),
		Summary: checkSummary{
			Must:   tallyOf(r.Summary[checks.Must]),
			Should: tallyOf(r.Summary[checks.Should]),
			May:    tallyOf(r.Summary[checks.May]),
		},
		Checks:    make([]checkJSON, len(r.Outcomes)),
		Policy:    r.Policy,
		Modules:   modulesJSON(r.Modules),
		Strict:    r.Strict,
		Reasons:   r.Reasons,
		DurationS: seconds(r.Duration),
		Omitted:   r.NotSelected,
	}
	if doc.Reasons == nil {
		doc.Reasons = []string{}
	}
	if p := r.Preset; p.Preset != "" {
		doc.Preset = &presetJSON{Name: string(p.Preset), Source: p.Source, Reason: p.Reason}
	}
	for i := range r.Outcomes {
		o := &r.Outcomes[i]
		c := checkJSON{
			ID: o.ID, Level: string(o.Level), Title: o.Title, Status: string(o.Status), Message: o.Message,
			Kind: o.Kind, Rationale: o.Rationale, Fix: o.Fix, Details: o.Details,
			DurationS: seconds(o.Duration),
		}
		for _, f := range o.Findings {
			c.Findings = append(c.Findings, findingJSON(f))
		}
		if o.Comparison != nil {
			var buf bytes.Buffer
			if err := CompareJSON(&buf, o.Comparison); err != nil {
				return err
			}
			c.Comparison = buf.Bytes()
		}
		doc.Checks[i] = c
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // messages quote code: keep <, > and & readable
	return enc.Encode(&doc)
}

func tallyOf(t checks.Tally) tallyJSON {
	return tallyJSON{Passed: t.Passed, Total: t.Total, Skipped: t.Skipped, Failed: t.Failed, Errors: t.Errors}
}
