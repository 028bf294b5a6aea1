package load

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// A Metric is what a budget bounds.
type Metric int

// The metrics of a budget.
const (
	Quantile   Metric = iota // p(N): the N-th percentile latency
	Avg                      // the mean latency
	Max                      // the largest latency
	ErrorRate                // rate(errors): the share of requests that failed
	Throughput               // successful requests per second
	RSS                      // the service's largest resident memory, in bytes
)

// An Op compares a measured value with a budget's limit.
type Op string

// The operators of a budget.
const (
	Less      Op = "<"
	LessEq    Op = "<="
	Greater   Op = ">"
	GreaterEq Op = ">="
)

// A Budget is one limit, e.g. p(95) < 200ms, as ParseBudget reads it.
type Budget struct {
	Metric Metric
	Q      float64 // the percentile of a Quantile budget, in (0, 100]
	Op     Op
	Limit  float64 // seconds, a fraction (error rate), req/s or bytes
	Text   string  // as written
	// Target, when set, is the name of the one target the budget applies
	// to ("GET /api/items"); otherwise it applies to every target.
	Target string
	Line   int // its line in the policy file, or 0
}

// A BudgetError is a budget that does not parse: Pos is the byte offset in
// Text where the problem is.
type BudgetError struct {
	Text string
	Pos  int
	Msg  string
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("budget %q, column %d: %s", e.Text, e.Pos+1, e.Msg)
}

// maxBudgetText bounds a budget's text.
const maxBudgetText = 200

// budgetGrammar is what every parse error ends with.
const budgetGrammar = "a budget reads METRIC OP VALUE: p(95) < 200ms, avg < 50ms, max <= 1s, rate(errors) < 1%, throughput > 500/s, rss < 200MiB"

// ParseBudget reads a budget: METRIC OP VALUE, where METRIC is p(N) (N in
// (0,100]), avg, max, rate(errors), throughput or rss; OP is <, <=, > or
// >=; VALUE is a duration with its unit (ns, us, µs, ms, s) for latencies,
// a percentage or a fraction for rate(errors), a number of requests per
// second (500 or 500/s) for throughput, and bytes with their unit (B, kB,
// KiB, MB, MiB, GB, GiB) for rss. Unknown metrics, operators and units are
// errors, never a budget that passes.
func ParseBudget(text string) (Budget, error) {
	b := Budget{Text: text}
	if len(text) > maxBudgetText {
		return b, &BudgetError{Text: text[:maxBudgetText] + "…", Pos: maxBudgetText, Msg: fmt.Sprintf("longer than %d bytes", maxBudgetText)}
	}
	bad := func(pos int, format string, args ...any) (Budget, error) {
		return b, &BudgetError{Text: text, Pos: pos, Msg: fmt.Sprintf(format, args...) + "; " + budgetGrammar}
	}
	i := skipSpace(text, 0)
	start := i
	for i < len(text) && (isLetter(text[i]) || isDigit(text[i]) || text[i] == '_' || text[i] == '.') {
		i++
	}
	name := text[start:i]
	arg, argPos := "", -1
	if i < len(text) && text[i] == '(' {
		end := strings.IndexByte(text[i:], ')')
		if end < 0 {
			return bad(i, "%q has no closing parenthesis", text[start:])
		}
		argPos = i + 1
		arg = text[i+1 : i+end]
		i += end + 1
	}
	switch {
	case name == "p" && argPos >= 0:
		q, err := strconv.ParseFloat(strings.TrimSpace(arg), 64)
		if err != nil || !(q > 0 && q <= 100) {
			return bad(argPos, "the percentile of p(%s) is not a number in (0, 100]", arg)
		}
		b.Metric, b.Q = Quantile, q
	case name == "rate" && argPos >= 0:
		if strings.TrimSpace(arg) != "errors" {
			return bad(argPos, "rate(%s) is not a metric: the rate perfctl measures is rate(errors)", arg)
		}
		b.Metric = ErrorRate
	case argPos >= 0:
		return bad(start, "unknown metric %q", text[start:i])
	case name == "avg":
		b.Metric = Avg
	case name == "max":
		b.Metric = Max
	case name == "throughput":
		b.Metric = Throughput
	case name == "rss":
		b.Metric = RSS
	case name == "":
		return bad(start, "no metric")
	default:
		return bad(start, "unknown metric %q", name)
	}
	i = skipSpace(text, i)
	opPos := i
	for i < len(text) && strings.IndexByte("<>=!", text[i]) >= 0 {
		i++
	}
	switch op := Op(text[opPos:i]); op {
	case Less, LessEq, Greater, GreaterEq:
		b.Op = op
	case "":
		return bad(opPos, "no operator (<, <=, > or >=) after the metric")
	default:
		return bad(opPos, "unknown operator %q: use <, <=, > or >=", op)
	}
	i = skipSpace(text, i)
	value := strings.TrimRight(text[i:], " \t")
	if value == "" {
		return bad(i, "no value after %s", b.Op)
	}
	limit, msg := parseValue(b.Metric, value)
	if msg != "" {
		return bad(i, "%s", msg)
	}
	if math.IsNaN(limit) || math.IsInf(limit, 0) || limit < 0 {
		return bad(i, "%q is not a finite value ≥ 0", value)
	}
	b.Limit = limit
	return b, nil
}

// parseValue reads VALUE for metric m in its canonical unit, or says what
// is wrong with it.
func parseValue(m Metric, value string) (float64, string) {
	num, unit := splitNumber(value)
	n, err := strconv.ParseFloat(num, 64)
	if num == "" || err != nil {
		return 0, fmt.Sprintf("%q does not start with a number", value)
	}
	switch m {
	case Quantile, Avg, Max:
		scale, ok := durationUnits[unit]
		if !ok {
			if unit == "" {
				return 0, fmt.Sprintf("%q needs a unit: ns, us, µs, ms or s", value)
			}
			return 0, fmt.Sprintf("unknown unit %q for a latency: use ns, us, µs, ms or s", unit)
		}
		return n * scale, ""
	case ErrorRate:
		switch unit {
		case "%":
			n /= 100
		case "":
			if n > 1 {
				return 0, fmt.Sprintf("%q is more than 1: write a percentage as %s%%", value, num)
			}
		default:
			return 0, fmt.Sprintf("unknown unit %q for rate(errors): write 1%% or 0.01", unit)
		}
		if n > 1 {
			return 0, fmt.Sprintf("%q is more than 100%%", value)
		}
		return n, ""
	case Throughput:
		if unit != "" && unit != "/s" {
			return 0, fmt.Sprintf("unknown unit %q for throughput: write requests per second as 500/s", unit)
		}
		return n, ""
	case RSS:
		scale, ok := byteUnits[unit]
		if !ok {
			if unit == "" {
				return 0, fmt.Sprintf("%q needs a unit: B, kB, KiB, MB, MiB, GB or GiB", value)
			}
			return 0, fmt.Sprintf("unknown unit %q for rss: use B, kB, KiB, MB, MiB, GB or GiB", unit)
		}
		return n * scale, ""
	}
	return 0, "unknown metric"
}

var durationUnits = map[string]float64{
	"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1,
}

var byteUnits = map[string]float64{
	"B": 1, "kB": 1e3, "KB": 1e3, "KiB": 1 << 10, "MB": 1e6, "MiB": 1 << 20, "GB": 1e9, "GiB": 1 << 30,
}

// splitNumber splits "12.5ms" into "12.5" and "ms" (blanks between them
// allowed).
func splitNumber(s string) (num, unit string) {
	i := 0
	for i < len(s) && (isDigit(s[i]) || s[i] == '.') {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			for i = j; i < len(s) && isDigit(s[i]); i++ {
			}
		}
	}
	return s[:i], strings.TrimLeft(s[i:], " \t")
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// String is the budget in canonical form, e.g. "p(95) < 200ms".
func (b *Budget) String() string {
	return b.MetricName() + " " + string(b.Op) + " " + formatValue(b.Metric, b.Limit)
}

// MetricName is the metric as budgets write it.
func (b *Budget) MetricName() string {
	switch b.Metric {
	case Quantile:
		return "p(" + strconv.FormatFloat(b.Q, 'g', -1, 64) + ")"
	case Avg:
		return "avg"
	case Max:
		return "max"
	case ErrorRate:
		return "rate(errors)"
	case Throughput:
		return "throughput"
	case RSS:
		return "rss"
	}
	return "?"
}

// Holds reports whether measured is within the budget.
func (b *Budget) Holds(measured float64) bool {
	switch b.Op {
	case Less:
		return measured < b.Limit
	case LessEq:
		return measured <= b.Limit
	case Greater:
		return measured > b.Limit
	case GreaterEq:
		return measured >= b.Limit
	}
	return false
}

// formatValue shows a value of metric m in the unit people read.
func formatValue(m Metric, v float64) string {
	switch m {
	case Quantile, Avg, Max:
		if v >= 1 {
			return strconv.FormatFloat(v, 'g', 4, 64) + "s"
		}
		return roundDuration(time.Duration(v * 1e9)).String()
	case ErrorRate:
		return strconv.FormatFloat(v*100, 'g', 4, 64) + "%"
	case Throughput:
		return strconv.FormatFloat(v, 'f', 1, 64) + "/s"
	case RSS:
		return strconv.FormatFloat(v/(1<<20), 'g', 4, 64) + "MiB"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// roundDuration keeps three or four significant digits.
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond)
	case d >= 10*time.Millisecond:
		return d.Round(10 * time.Microsecond)
	case d >= time.Millisecond:
		return d.Round(time.Microsecond)
	case d >= 10*time.Microsecond:
		return d.Round(10 * time.Nanosecond)
	}
	return d
}

// ParseTargetBudget reads "TARGET: EXPR" (a budget for one target, e.g.
// "GET /api/items: p(95) < 20ms") or a bare EXPR.
func ParseTargetBudget(text string) (Budget, error) {
	if i := strings.LastIndex(text, ": "); i >= 0 {
		b, err := ParseBudget(strings.TrimSpace(text[i+2:]))
		b.Target = strings.TrimSpace(text[:i])
		return b, err
	}
	return ParseBudget(strings.TrimSpace(text))
}
