package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/perfctl/perfctl/internal/english"
	"github.com/perfctl/perfctl/load"
)

// loadRenderers render a load test (DocLoad), by format. They live here,
// not in the registry's lines, so that the load report is one file.
var loadRenderers = map[Format]func(io.Writer, *load.Report) error{
	Text:     LoadText,
	JSON:     LoadJSON,
	Markdown: LoadMarkdown,
}

// loadRenderer is rs's renderer of a load test, or nil.
func (rs *renderers) loadRenderer() func(io.Writer, *load.Report) error {
	for i := range registry {
		if &registry[i].renderers == rs {
			return loadRenderers[registry[i].name]
		}
	}
	return nil
}

// RenderLoad writes a load test's report in format f.
func RenderLoad(w io.Writer, f Format, r *load.Report) error {
	render := loadRenderers[f]
	if render == nil {
		return fmt.Errorf("the %s format does not render this report", f)
	}
	return render(w, r)
}

// LoadText renders a load test for a terminal or a log: a table of the
// targets, then each budget with its measured value, then the verdict.
func LoadText(w io.Writer, r *load.Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "perfctl load: %s, %s each\n\n", english.Plural(len(r.Targets), "target", "targets"), loadPlan(r.Spec))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	width := len("target")
	for _, t := range r.Targets {
		width = max(width, len(t.Name))
	}
	// Every name padded to the widest: the table aligns numbers right and
	// names left.
	fmt.Fprintf(tw, "%-*s\trequests\tp50\tp90\tp95\tp99\tmax\terrors\tthroughput\trss\t\n", width, "target")
	for _, t := range r.Targets {
		fmt.Fprintf(tw, "%-*s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", width, t.Name, t.Requests,
			load.Seconds(t.P50), load.Seconds(t.P90), load.Seconds(t.P95), load.Seconds(t.P99), load.Seconds(t.Max),
			load.FormatValue(load.ErrorRate, t.ErrorRate), load.FormatValue(load.Throughput, t.Throughput), rssText(t))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, t := range r.Targets {
		if t.ErrorRate > 0 {
			fmt.Fprintf(&b, "\n%s: %s", t.Name, t.StatusText())
			for _, e := range t.Errors {
				fmt.Fprintf(&b, "\n  %s", e)
			}
			b.WriteString("\n")
		}
	}
	if len(r.Budgets) > 0 {
		b.WriteString("\nbudgets:\n")
		for i := range r.Budgets {
			br := &r.Budgets[i]
			fmt.Fprintf(&b, "  %-5s  %s: %s\n", strings.ToUpper(br.Status), br.Target, br.Message)
		}
	}
	fmt.Fprintf(&b, "\n%s\n", loadVerdictLine(r))
	_, err := io.WriteString(w, b.String())
	return err
}

func loadPlan(s *load.Spec) string {
	plan := strconv.FormatFloat(s.Rate, 'g', -1, 64) + "/s"
	if s.RampTo > 0 {
		plan += " ramping to " + strconv.FormatFloat(s.RampTo, 'g', -1, 64) + "/s"
	}
	plan += " for " + s.Duration.String()
	if s.Warmup > 0 {
		plan += " after a " + s.Warmup.String() + " warm-up"
	}
	return plan
}

func rssText(t *load.TargetResult) string {
	if !t.HasRSS {
		return "-"
	}
	return load.FormatValue(load.RSS, float64(t.RSS))
}

// loadVerdictLine says the verdict and why.
func loadVerdictLine(r *load.Report) string {
	count := map[string]int{}
	for i := range r.Budgets {
		br := &r.Budgets[i]
		count[br.Status]++
	}
	total := len(r.Budgets)
	switch {
	case total == 0:
		return "verdict: pass (no budgets: the numbers above are for reading)"
	case r.Verdict == load.Error:
		return fmt.Sprintf("no verdict: %s could not be measured", english.Plural(count[load.Error], "budget", "budgets"))
	case r.Verdict == load.Fail:
		return fmt.Sprintf("verdict: fail (%d of %s over)", count[load.Fail], english.Plural(total, "budget", "budgets"))
	}
	return fmt.Sprintf("verdict: pass (%s within)", english.Plural(total, "budget", "budgets"))
}

// LoadSchema is the schema of perfctl load --format json.
const LoadSchema = "perfctl/load/v1"

type loadJSON struct {
	Schema   string             `json:"schema"`
	Verdict  string             `json:"verdict"`
	Rate     float64            `json:"rate"`
	RampTo   float64            `json:"ramp_to,omitempty"`
	Duration float64            `json:"duration_sec"`
	Warmup   float64            `json:"warmup_sec"`
	Targets  []loadTargetJSON   `json:"targets"`
	Budgets  []loadBudgetResult `json:"budgets"`
}

type loadTargetJSON struct {
	Name       string         `json:"name"`
	Benchmark  string         `json:"benchmark"`
	Requests   uint64         `json:"requests"`
	P50        float64        `json:"p50_sec"`
	P90        float64        `json:"p90_sec"`
	P95        float64        `json:"p95_sec"`
	P99        float64        `json:"p99_sec"`
	Max        float64        `json:"max_sec"`
	Mean       float64        `json:"avg_sec"`
	ErrorRate  float64        `json:"error_rate"`
	Throughput float64        `json:"throughput"`
	Status     map[string]int `json:"status_codes"`
	Errors     []string       `json:"errors"`
	RSS        *int64         `json:"rss_bytes,omitempty"`
}

type loadBudgetResult struct {
	Target   string  `json:"target"`
	Budget   string  `json:"budget"`
	Metric   string  `json:"metric"`
	Op       string  `json:"op"`
	Limit    float64 `json:"limit"`
	Measured float64 `json:"measured"`
	Status   string  `json:"status"`
	Message  string  `json:"message"`
	Line     int     `json:"line,omitempty"`
}

// LoadJSON renders a load test as JSON (schema perfctl/load/v1): latencies
// in seconds, the error rate a fraction, throughput in requests per second,
// RSS in bytes; each budget's limit and measured value in those units.
func LoadJSON(w io.Writer, r *load.Report) error {
	doc := loadJSON{Schema: LoadSchema, Verdict: r.Verdict, Rate: r.Spec.Rate, RampTo: r.Spec.RampTo,
		Duration: r.Spec.Duration.Seconds(), Warmup: r.Spec.Warmup.Seconds(),
		Targets: []loadTargetJSON{}, Budgets: []loadBudgetResult{}}
	for _, t := range r.Targets {
		tj := loadTargetJSON{Name: t.Name, Benchmark: strings.TrimPrefix(t.BenchName, "Benchmark"), Requests: t.Requests,
			P50: t.P50, P90: t.P90, P95: t.P95, P99: t.P99, Max: t.Max, Mean: t.Mean,
			ErrorRate: t.ErrorRate, Throughput: t.Throughput, Status: t.Status, Errors: t.Errors}
		if tj.Errors == nil {
			tj.Errors = []string{}
		}
		if t.HasRSS {
			rss := t.RSS
			tj.RSS = &rss
		}
		doc.Targets = append(doc.Targets, tj)
	}
	for i := range r.Budgets {
		br := &r.Budgets[i]
		doc.Budgets = append(doc.Budgets, loadBudgetResult{Target: br.Target, Budget: br.Budget.String(),
			Metric: br.Budget.MetricName(), Op: string(br.Budget.Op), Limit: br.Budget.Limit, Measured: br.Measured,
			Status: br.Status, Message: br.Message, Line: br.Budget.Line})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

// LoadMarkdown renders a load test for a job summary or a PR comment.
func LoadMarkdown(w io.Writer, r *load.Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### perfctl load: %s\n\n", loadVerdictLine(r))
	fmt.Fprintf(&b, "%s, %s each.\n\n", english.Plural(len(r.Targets), "target", "targets"), loadPlan(r.Spec))
	b.WriteString("| target | requests | p50 | p95 | p99 | max | errors | throughput | rss |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, t := range r.Targets {
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s | %s | %s | %s |\n", mdCode(t.Name), t.Requests,
			load.Seconds(t.P50), load.Seconds(t.P95), load.Seconds(t.P99), load.Seconds(t.Max),
			load.FormatValue(load.ErrorRate, t.ErrorRate), load.FormatValue(load.Throughput, t.Throughput), rssText(t))
	}
	if len(r.Budgets) > 0 {
		b.WriteString("\n| | target | budget | measured |\n|---|---|---|---|\n")
		icons := map[string]string{load.Pass: "✅", load.Fail: "❌", load.Error: "⚠️"}
		for i := range r.Budgets {
			br := &r.Budgets[i]
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", icons[br.Status], mdCode(br.Target), mdCode(br.Budget.String()), mdCell(br.Message))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
