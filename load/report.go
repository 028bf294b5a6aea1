package load

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// The verdicts of a load test.
const (
	Pass  = "pass"
	Fail  = "fail"
	Error = "error" // a budget could not be evaluated
)

// A Report is what a load test measured and what its budgets say.
type Report struct {
	Spec    *Spec
	Targets []*TargetResult
	Budgets []BudgetResult
	Verdict string
}

// A TargetResult is the measured phase of one target. Latencies are in
// seconds and include failed requests, as vegeta counts them.
type TargetResult struct {
	Name      string // "GET /api/items"
	BenchName string // "BenchmarkLoad/GET_/api/items"
	Requests  uint64
	Successes uint64
	P50, P90  float64
	P95, P99  float64
	Mean, Max float64
	// Throughput is successful requests per second; ErrorRate the share
	// of requests that failed (a transport error, or a status outside
	// 2xx and 3xx).
	Throughput float64
	ErrorRate  float64
	Status     map[string]int // status code → count; "0" is a transport error
	Errors     []string       // the first distinct errors, at most maxErrors
	RSS        int64          // the largest RSS of the service's processes, bytes
	HasRSS     bool

	lat *vegeta.LatencyMetrics
}

const maxErrors = 5

func newTargetResult(t *Target, m *vegeta.Metrics) *TargetResult {
	r := &TargetResult{
		Name:       t.Name(),
		BenchName:  t.BenchName(),
		Requests:   m.Requests,
		P50:        m.Latencies.P50.Seconds(),
		P90:        m.Latencies.P90.Seconds(),
		P95:        m.Latencies.P95.Seconds(),
		P99:        m.Latencies.P99.Seconds(),
		Mean:       m.Latencies.Mean.Seconds(),
		Max:        m.Latencies.Max.Seconds(),
		Throughput: m.Throughput,
		Status:     maps.Clone(m.StatusCodes),
		lat:        &m.Latencies,
	}
	if m.Requests > 0 {
		r.ErrorRate = 1 - m.Success
		r.Successes = uint64(float64(m.Requests)*m.Success + 0.5)
	}
	r.Errors = m.Errors[:min(len(m.Errors), maxErrors)]
	return r
}

// quantile is the q-th percentile latency in seconds.
func (r *TargetResult) quantile(q float64) float64 {
	switch q {
	case 50:
		return r.P50
	case 90:
		return r.P90
	case 95:
		return r.P95
	case 99:
		return r.P99
	case 100:
		return r.Max
	}
	if r.lat == nil {
		return 0
	}
	return r.lat.Quantile(q / 100).Seconds()
}

// A BudgetResult is one budget held against one target.
type BudgetResult struct {
	Target   string
	Budget   Budget
	Measured float64 // in the budget's unit
	Status   string  // pass, fail or error
	Message  string  // e.g. "p(95) = 51.2ms, over the budget p(95) < 20ms"
}

// Value is the measured value of b's metric, or an error message when it
// cannot be measured.
func (r *TargetResult) Value(b *Budget) (float64, string) {
	switch b.Metric {
	case Quantile, Avg, Max:
		if r.Successes == 0 {
			return 0, fmt.Sprintf("no request to %s succeeded (%s), so its latency says nothing", r.Name, r.statusText())
		}
	}
	switch b.Metric {
	case Quantile:
		return r.quantile(b.Q), ""
	case Avg:
		return r.Mean, ""
	case Max:
		return r.Max, ""
	case ErrorRate:
		return r.ErrorRate, ""
	case Throughput:
		return r.Throughput, ""
	case RSS:
		if !r.HasRSS {
			return 0, "rss is measured from the service perfctl starts (on Linux): there is none here"
		}
		return float64(r.RSS), ""
	}
	return 0, "unknown metric"
}

// statusText lists the status codes, e.g. "200 ×12, 500 ×3".
func (r *TargetResult) statusText() string {
	codes := slices.Sorted(maps.Keys(r.Status))
	var s strings.Builder
	for i, c := range codes {
		if i > 0 {
			s.WriteString(", ")
		}
		name := c
		if c == "0" {
			name = "transport error"
		}
		fmt.Fprintf(&s, "%s ×%d", name, r.Status[c])
	}
	if s.Len() == 0 {
		return "no requests"
	}
	return s.String()
}

// StatusText lists the status codes and their counts.
func (r *TargetResult) StatusText() string { return r.statusText() }

// evaluate holds every target to its budgets and decides the verdict.
func (rep *Report) evaluate() {
	rep.Verdict = Pass
	for i, tr := range rep.Targets {
		t := &rep.Spec.Targets[i]
		var budgets []Budget
		for _, b := range rep.Spec.Budgets {
			if b.Target == "" || b.Target == tr.Name {
				budgets = append(budgets, b)
			}
		}
		budgets = append(budgets, t.Budgets...)
		for _, b := range budgets {
			br := BudgetResult{Target: tr.Name, Budget: b}
			v, why := tr.Value(&b)
			br.Measured = v
			switch {
			case why != "":
				br.Status, br.Message = Error, why
				rep.Verdict = Error
			case b.Holds(v):
				br.Status = Pass
				br.Message = fmt.Sprintf("%s = %s, within %s", b.MetricName(), formatValue(b.Metric, v), b.String())
			default:
				br.Status = Fail
				br.Message = fmt.Sprintf("%s = %s, over the budget %s", b.MetricName(), formatValue(b.Metric, v), b.String())
				if rep.Verdict == Pass {
					rep.Verdict = Fail
				}
			}
			rep.Budgets = append(rep.Budgets, br)
		}
	}
}

// FormatValue shows a measured value of metric m, e.g. "51.2ms".
func FormatValue(m Metric, v float64) string { return formatValue(m, v) }

// The units of the benchfmt results, and which way is better.
var benchUnits = []struct{ unit, better string }{
	{"p50-sec/op", "lower"}, {"p90-sec/op", "lower"}, {"p95-sec/op", "lower"}, {"p99-sec/op", "lower"},
	{"max-sec/op", "lower"}, {"avg-sec/op", "lower"}, {"error-rate", "lower"}, {"req/s", "higher"}, {"rss-B", "lower"},
}

// WriteBenchfmt writes the results as benchfmt text, one line per target,
// with a Unit line for each unit saying which way is better, so that
// baseline, compare, history and benchstat read them. The iteration count
// is the number of requests measured. Config lines (goos, commit …) are
// the caller's.
func (rep *Report) WriteBenchfmt(w io.Writer) error {
	if err := writeUnits(w); err != nil {
		return err
	}
	return writeResults(w, rep.Targets)
}

// writeUnits writes a Unit line for each unit of the results.
func writeUnits(w io.Writer) error {
	for _, u := range benchUnits {
		if _, err := fmt.Fprintf(w, "Unit %s better=%s\n", u.unit, u.better); err != nil {
			return err
		}
	}
	return nil
}

// writeResults writes one benchfmt line per target.
func writeResults(w io.Writer, targets []*TargetResult) error {
	for _, r := range targets {
		if r.Requests == 0 {
			continue // benchfmt needs a positive iteration count
		}
		line := fmt.Sprintf("%s %d %s p50-sec/op %s p90-sec/op %s p95-sec/op %s p99-sec/op %s max-sec/op %s avg-sec/op %s error-rate %s req/s",
			r.BenchName, r.Requests, g(r.P50), g(r.P90), g(r.P95), g(r.P99), g(r.Max), g(r.Mean), g(r.ErrorRate), g(r.Throughput))
		if r.HasRSS {
			line += " " + strconv.FormatInt(r.RSS, 10) + " rss-B"
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	return nil
}

func g(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }

// Seconds is a latency in seconds as a time.Duration, for display.
func Seconds(v float64) time.Duration { return roundDuration(time.Duration(v * 1e9)) }
