package report

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/perfctl/perfctl/history"
	"github.com/perfctl/perfctl/history/changepoint"
	"github.com/perfctl/perfctl/history/trend"
)

// hostileAnalysis has a regression raising the alert, an improvement from
// 0 (no delta), and a commit subject and name that try to break out of
// every format.
func hostileAnalysis() *trend.Analysis {
	commits := make([]history.Commit, 6)
	for i := range commits {
		commits[i] = history.Commit{ID: strings.Repeat(string(rune('a'+i)), 40), Time: time.Date(2026, 1, 1+i, 0, 0, 0, 0, time.UTC), Subject: "plain"}
	}
	commits[4].Subject = "fix | <b>bold</b> *x* \x1b[31mred\x1b[0m [link](http://x)"
	line := &history.Line{Commits: commits, Key: "0123456789ab", Env: history.Env{CPU: "cpu", GOOS: "linux", GOARCH: "amd64", Go: "go1.26.0"}, Walked: 6}
	reg := &trend.Series{Pkg: "example.com/m", Name: "Parse|`x`", Unit: "sec/op", Better: -1}
	reg.Changes = []trend.Change{{Commit: 4, Status: trend.StatusRegression, New: true, Alert: true,
		Change: changepoint.Change{Before: changepoint.Summary{Center: 1e-6, N: 4}, After: changepoint.Summary{Center: 1.3e-6, N: 2}, DeltaPct: 30, PValue: 1e-5}}}
	imp := &trend.Series{Pkg: "example.com/m", Name: "Zero", Unit: "B/op", Better: -1, Exact: true}
	imp.Changes = []trend.Change{{Commit: 2, Status: trend.StatusRegression,
		Change: changepoint.Change{Before: changepoint.Summary{Center: 0, N: 2}, After: changepoint.Summary{Center: 64, N: 4}, DeltaPct: math.NaN()}}}
	return &trend.Analysis{Line: line, Recent: 1, Series: []*trend.Series{reg, imp}}
}

func TestChangesJSON(t *testing.T) {
	var b bytes.Buffer
	if err := ChangesJSON(&b, hostileAnalysis()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schema  string
		Alerts  int
		Changes []map[string]any
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b.String())
	}
	if doc.Schema != ChangesSchema || doc.Alerts != 1 || len(doc.Changes) != 2 {
		t.Fatalf("schema %q, %d alerts, %d changes", doc.Schema, doc.Alerts, len(doc.Changes))
	}
	first, second := doc.Changes[0], doc.Changes[1]
	if first["commit"] != strings.Repeat("e", 40) || first["alert"] != true || first["delta_pct"] != 30.0 {
		t.Errorf("newest first, with its alert and delta: %v", first)
	}
	if second["delta_pct"] != nil || second["exact"] != true {
		t.Errorf("a change from 0 has a null delta_pct: %v", second)
	}
	for _, k := range []string{"name", "pkg", "unit", "commit", "before", "after", "delta_pct", "p_value", "status"} {
		if _, ok := first[k]; !ok {
			t.Errorf("the change lacks %q, which perfctl/changes/v1 promises", k)
		}
	}
}

func TestChangesTextAndMarkdownEscape(t *testing.T) {
	a := hostileAnalysis()
	var text bytes.Buffer
	if err := ChangesText(&text, a); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text.String(), "\x1b") {
		t.Errorf("text output carries a terminal escape from a commit subject:\n%q", text.String())
	}
	if !strings.Contains(text.String(), "regression (ALERT)") || !strings.Contains(text.String(), "1 alert: a regression new in the latest 1 commit") {
		t.Errorf("text output does not show the alert:\n%s", text.String())
	}
	var md bytes.Buffer
	if err := changesMarkdown(&md, a, Options{}); err != nil {
		t.Fatal(err)
	}
	out := md.String()
	for _, bad := range []string{"<b>", "[link](", "| <", "Parse|`"} {
		if strings.Contains(out, bad) {
			t.Errorf("markdown carries %q unescaped:\n%s", bad, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "| `eeee") && strings.Count(strings.ReplaceAll(line, `\|`, ""), "|") != 9 {
			t.Errorf("a row has the wrong number of cells: %s", line)
		}
	}
	if !strings.HasPrefix(out, "### ❌ perfctl history changes") {
		t.Errorf("markdown headline: %s", out)
	}
}

func TestChangesEmpty(t *testing.T) {
	a := &trend.Analysis{Line: &history.Line{OffLine: 3}, Recent: 1}
	var b bytes.Buffer
	if err := ChangesText(&b, a); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "no results recorded on this line") || !strings.Contains(b.String(), "3 records of commits that are not on this line") {
		t.Errorf("empty line:\n%s", b.String())
	}
}
