package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/perfctl/perfctl/history"
	"github.com/perfctl/perfctl/internal/termsafe"
)

// HistoryLogSchema names the JSON document of perfctl history log.
const HistoryLogSchema = "perfctl/history/v1"

type historyLogJSON struct {
	Schema  string              `json:"schema"`
	Records []historyRecordJSON `json:"records"`
}

type historyRecordJSON struct {
	Commit     string      `json:"commit"`
	Env        history.Env `json:"env"`
	EnvKey     string      `json:"env_key"`
	RecordedAt time.Time   `json:"recorded_at"`
	Benchmarks int         `json:"benchmarks"`
}

// HistoryLogJSON writes the records as a perfctl/history/v1 document:
// fields are only ever added.
func HistoryLogJSON(w io.Writer, log *history.Log) error {
	doc := historyLogJSON{Schema: HistoryLogSchema, Records: make([]historyRecordJSON, 0, len(log.Records))}
	for _, r := range log.Records {
		doc.Records = append(doc.Records, historyRecordJSON{Commit: r.Commit, Env: r.Env, EnvKey: r.Key, RecordedAt: r.RecordedAt, Benchmarks: r.Benchmarks})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// HistoryLogText writes one line per record, newest first.
func HistoryLogText(w io.Writer, log *history.Log) error {
	if log.Total == 0 {
		_, err := fmt.Fprintln(w, "no records yet: record one with `perfctl history add`")
		return err
	}
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "commit\trecorded at\tenv\tbenchmarks\tenvironment")
	for _, r := range log.Records {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", r.Commit[:12], r.RecordedAt.Format("2006-01-02 15:04 UTC"), r.Key, r.Benchmarks, termsafe.String(r.Env.String(), false))
	}
	tw.Flush()
	if n := log.Total - len(log.Records); n > 0 {
		fmt.Fprintf(&b, "… %d more (--limit 0 lists all)\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
