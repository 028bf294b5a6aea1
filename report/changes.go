package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/perf/benchunit"

	"github.com/perfctl/perfctl/history"
	"github.com/perfctl/perfctl/history/trend"
	"github.com/perfctl/perfctl/internal/english"
	"github.com/perfctl/perfctl/internal/termsafe"
)

// ChangesSchema names the JSON document of perfctl history changes.
const ChangesSchema = "perfctl/changes/v1"

type changesJSON struct {
	Schema string      `json:"schema"`
	Env    history.Env `json:"env"`
	EnvKey string      `json:"env_key"`
	// Commits is how many commits of the line have a record; Walked how
	// many commits of the line were read.
	Commits int          `json:"commits"`
	Walked  int          `json:"walked"`
	Shallow bool         `json:"shallow,omitempty"`
	Recent  int          `json:"recent"`
	Series  int          `json:"series"`
	Alerts  int          `json:"alerts"`
	Changes []changeJSON `json:"changes"`
}

type changeJSON struct {
	Name     string    `json:"name"`
	Pkg      string    `json:"pkg"`
	Unit     string    `json:"unit"`
	Commit   string    `json:"commit"`
	Subject  string    `json:"subject"`
	Time     time.Time `json:"time"`
	Before   levelJSON `json:"before"`
	After    levelJSON `json:"after"`
	DeltaPct *float64  `json:"delta_pct"` // null when the level rose from 0
	PValue   float64   `json:"p_value"`
	Status   string    `json:"status"`
	New      bool      `json:"new"`
	Alert    bool      `json:"alert"`
	Exact    bool      `json:"exact,omitempty"`
}

type levelJSON struct {
	Center  float64 `json:"center"`
	Commits int     `json:"commits"`
}

// ChangesJSON writes the change points of a as a perfctl/changes/v1
// document, newest first: fields are only ever added.
func ChangesJSON(w io.Writer, a *trend.Analysis) error {
	doc := changesJSON{Schema: ChangesSchema, Env: a.Env, EnvKey: a.Key, Commits: len(a.Commits), Walked: a.Walked,
		Shallow: a.Shallow, Recent: a.Recent, Series: len(a.Series), Changes: []changeJSON{}}
	for _, r := range a.Changes() {
		s, c := r.Series, r.Change
		cm := a.Commits[c.Commit]
		if c.Alert {
			doc.Alerts++
		}
		doc.Changes = append(doc.Changes, changeJSON{
			Name: s.Name, Pkg: s.Pkg, Unit: s.Unit, Commit: cm.ID, Subject: cm.Subject, Time: cm.Time,
			Before:   levelJSON{c.Before.Center, c.Before.N},
			After:    levelJSON{c.After.Center, c.After.N},
			DeltaPct: finite(c.DeltaPct), PValue: c.PValue, Status: c.Status, New: c.New, Alert: c.Alert, Exact: s.Exact,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// changesHeadline says what was analysed and what was found, in one or two
// sentences.
func changesHeadline(a *trend.Analysis) string {
	if a.Key == "" {
		return "no results recorded on this line of history: record them with `perfctl history add` (or pull a shared store with `perfctl history pull`)"
	}
	var b strings.Builder
	changes, alerts := a.Changes(), a.Alerts()
	with := 0
	for _, s := range a.Series {
		if len(s.Changes) > 0 {
			with++
		}
	}
	fmt.Fprintf(&b, "%s in %s of %s along %s recorded (env %s: %s)",
		english.Plural(len(changes), "change point", "change points"), strconv.Itoa(with), english.Plural(len(a.Series), "series", "series"),
		english.Plural(len(a.Commits), "commit", "commits"), a.Key, a.Env)
	if len(alerts) > 0 {
		fmt.Fprintf(&b, "; %s: a regression new in the latest %s", english.Plural(len(alerts), "alert", "alerts"),
			english.Plural(a.Recent, "commit", "commits"))
	}
	return b.String()
}

// changesNotes are what the reader should know about the line itself.
func changesNotes(a *trend.Analysis) []string {
	var notes []string
	if a.Shallow {
		notes = append(notes, fmt.Sprintf("the repository is a shallow clone: only %s of history could be read; fetch the whole history (actions/checkout: fetch-depth: 0)",
			english.Plural(a.Walked, "commit", "commits")))
	}
	if n := len(a.Others); n > 0 {
		total := 0
		for _, c := range a.Others {
			total += c
		}
		notes = append(notes, fmt.Sprintf("%s in %s kept apart (choose one with --env KEY)",
			english.Plural(total, "record", "records"), english.Plural(n, "other environment", "other environments")))
	}
	if a.Key == "" && a.OffLine > 0 {
		notes = append(notes, fmt.Sprintf("the store has %s of commits that are not on this line: other branches, or history this clone does not have",
			english.Plural(a.OffLine, "record", "records")))
	}
	if a.Key != "" && len(a.Commits) < 4 {
		notes = append(notes, fmt.Sprintf("only %s recorded: a change point needs at least 4", english.Plural(len(a.Commits), "commit", "commits")))
	}
	return notes
}

// ChangesText writes the change points of a as a table, newest first.
func ChangesText(w io.Writer, a *trend.Analysis) error {
	var b strings.Builder
	b.WriteString(changesHeadline(a) + "\n")
	for _, n := range changesNotes(a) {
		b.WriteString("note: " + n + "\n")
	}
	if changes := a.Changes(); len(changes) > 0 {
		b.WriteString("\n")
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "commit\tbenchmark\tunit\tbefore\tafter\tdelta\tp\tstatus\tsubject")
		for _, r := range changes {
			s, c := r.Series, r.Change
			class := benchunit.ClassOf(s.Unit)
			name := s.Name
			if pkg := a.ShortPkg(s.Pkg); pkg != "" {
				name = pkg + "." + name
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.Commits[c.Commit].ID[:12], termsafe.String(name, false), s.Unit,
				benchunit.Scale(c.Before.Center, class), benchunit.Scale(c.After.Center, class), pctCell(c.DeltaPct, true),
				changeP(s, c), changeStatus(c), termsafe.String(shorten(a.Commits[c.Commit].Subject, 60), false))
		}
		tw.Flush()
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func changeP(s *trend.Series, c *trend.Change) string {
	if s.Exact {
		return "exact"
	}
	if c.PValue < 0.001 {
		return "<0.001"
	}
	return strconv.FormatFloat(c.PValue, 'f', 3, 64)
}

func changeStatus(c *trend.Change) string {
	switch {
	case c.Alert:
		return c.Status + " (ALERT)"
	case c.New:
		return c.Status + " (new)"
	}
	return c.Status
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// mdMaxChanges bounds the rows of the Markdown table.
const mdMaxChanges = 50

// changesMarkdown writes the change points of a for a job summary or a
// pull-request comment.
func changesMarkdown(w io.Writer, a *trend.Analysis, _ Options) error {
	var d mdDoc
	icon := "✅"
	if len(a.Alerts()) > 0 {
		icon = "❌"
	}
	d.WriteString("### " + icon + " perfctl history changes\n\n")
	d.WriteString(mdProse(changesHeadline(a)) + "\n\n")
	for _, n := range changesNotes(a) {
		d.WriteString("> " + mdProse(n) + "\n\n")
	}
	changes := a.Changes()
	if len(changes) == 0 {
		_, err := io.WriteString(w, d.String())
		return err
	}
	d.WriteString("| commit | benchmark | unit | before | after | delta | p | status |\n")
	d.WriteString("|---|---|---|--:|--:|--:|--:|---|\n")
	for i, r := range changes {
		if i == mdMaxChanges {
			fmt.Fprintf(&d, "\n… and %d more: `perfctl history changes --format json` lists all.\n", len(changes)-i)
			break
		}
		s, c := r.Series, r.Change
		class := benchunit.ClassOf(s.Unit)
		cm := a.Commits[c.Commit]
		status := mdEscape(changeStatus(c))
		if c.Alert {
			status = "**" + status + "**"
		}
		fmt.Fprintf(&d, "| %s %s | %s | %s | %s | %s | %s | %s | %s |\n", mdCode(cm.ID[:12]), mdEscape(oneLine(shorten(cm.Subject, 60))),
			mdCode(s.Name), mdEscape(s.Unit), benchunit.Scale(c.Before.Center, class), benchunit.Scale(c.After.Center, class),
			mdEscape(pctCell(c.DeltaPct, true)), mdEscape(changeP(s, c)), status)
	}
	d.WriteString("\n")
	_, err := io.WriteString(w, d.String())
	return err
}
