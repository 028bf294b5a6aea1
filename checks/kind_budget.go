package checks

import (
	"context"
	"fmt"
	"math"
	"path"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/english"
)

var budgetKind = &Kind{
	Name:     "budget",
	Summary:  "absolute per-benchmark limits (e.g. Parse/*: {sec/op: 2µs, allocs/op: 3}) on the median of the measured samples",
	Measures: true,
	New:      func() Evaluator { return &budgetCheck{} },
}

// budgetCheck runs the benchmarks and holds their medians to limits.
type budgetCheck struct {
	Packages  []string `yaml:"packages"`  // default ./...
	Bench     string   `yaml:"bench"`     // -bench regexp, default "."
	Count     int      `yaml:"count"`     // samples per benchmark, default 5
	Benchtime string   `yaml:"benchtime"` // default go's (1s)
	// Budgets maps a benchmark name pattern (path.Match syntax against the
	// name without "Benchmark" and -GOMAXPROCS, e.g. "Parse/*") to limits
	// per unit.
	Budgets budgetMap `yaml:"budgets"`
}

// A budgetMap keeps the patterns in the order the policy gives them.
type budgetMap []budget

type budget struct {
	Pattern string
	Line    int
	Limits  []limit
}

// A limit bounds one unit: a maximum, or a minimum for units where higher
// is better (B/s).
type limit struct {
	Unit  string  // tidied: sec/op, B/op, allocs/op, B/s, or a custom unit
	Value float64 // in the tidied unit
	Text  string  // as written
	Min   bool
}

// UnmarshalYAML reads PATTERN: {UNIT: LIMIT, …} keeping the order.
func (m *budgetMap) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: budgets is a mapping of benchmark patterns to limits, e.g. \"Parse/*\": {sec/op: 2µs, allocs/op: 3}", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		if _, err := path.Match(key.Value, ""); err != nil {
			return fmt.Errorf("line %d: budget pattern %q: %w", key.Line, key.Value, err)
		}
		if val.Kind != yaml.MappingNode || len(val.Content) == 0 {
			return fmt.Errorf("line %d: the limits of %q are a mapping of unit to limit, e.g. {sec/op: 2µs, allocs/op: 3}", val.Line, key.Value)
		}
		b := budget{Pattern: key.Value, Line: key.Line}
		for j := 0; j+1 < len(val.Content); j += 2 {
			l, err := parseLimit(val.Content[j].Value, val.Content[j+1].Value)
			if err != nil {
				return fmt.Errorf("line %d: %q: %w", val.Content[j].Line, key.Value, err)
			}
			b.Limits = append(b.Limits, l)
		}
		*m = append(*m, b)
	}
	return nil
}

// parseLimit reads a limit in a unit: sec/op (or ns/op) as a duration or
// a number of seconds (nanoseconds); B/op as bytes with an optional
// KB/KiB/MB/MiB suffix; B/s or MB/s as a minimum; anything else as a number.
func parseLimit(unit, text string) (limit, error) {
	l := limit{Unit: unit, Text: text}
	var err error
	switch unit {
	case "sec/op", "ns/op":
		if d, derr := time.ParseDuration(text); derr == nil {
			l.Value = d.Seconds()
		} else if v, nerr := strconv.ParseFloat(text, 64); nerr == nil {
			l.Value = v
			if unit == "ns/op" {
				l.Value = v / 1e9
			}
		} else {
			err = fmt.Errorf("%s limit %q is not a duration like 2µs or 1.5ms", unit, text)
		}
		l.Unit = "sec/op"
	case "B/op":
		l.Value, err = parseBytes(text)
	case "B/s":
		l.Value, err = parseBytes(strings.TrimSuffix(text, "/s"))
		l.Min = true
	case "MB/s":
		l.Value, err = strconv.ParseFloat(text, 64)
		l.Value *= 1e6
		l.Unit, l.Min = "B/s", true
	default:
		l.Value, err = strconv.ParseFloat(text, 64)
	}
	if err != nil {
		if strings.Contains(err.Error(), "limit") {
			return l, err
		}
		return l, fmt.Errorf("%s limit %q is not a number", unit, text)
	}
	if l.Value < 0 || math.IsNaN(l.Value) || math.IsInf(l.Value, 0) {
		return l, fmt.Errorf("%s limit %q must be a finite number ≥ 0", unit, text)
	}
	return l, nil
}

var byteSuffixes = []struct {
	suffix string
	scale  float64
}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}

func parseBytes(text string) (float64, error) {
	s := strings.TrimSpace(text)
	scale := 1.0
	for _, b := range byteSuffixes {
		if strings.HasSuffix(s, b.suffix) {
			s, scale = strings.TrimSpace(strings.TrimSuffix(s, b.suffix)), b.scale
			break
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	return v * scale, err
}

// Bounds of a budget check's run: a policy must not be able to keep the
// gate busy for hours.
const (
	maxBudgetCount     = 100
	maxBudgetBenchtime = 10 * time.Second
	maxBudgetIters     = 1_000_000_000
)

func (c *budgetCheck) validate() error {
	if c.Count < 0 || c.Count > maxBudgetCount {
		return fmt.Errorf("count %d: give 1 to %d (omitted, it is 5)", c.Count, maxBudgetCount)
	}
	s := bench.Spec{Bench: c.Bench, Benchtime: c.Benchtime, Count: c.Count}
	if err := s.Validate(); err != nil {
		return err
	}
	if n, ok := strings.CutSuffix(c.Benchtime, "x"); ok {
		if v, _ := strconv.Atoi(n); v > maxBudgetIters {
			return fmt.Errorf("benchtime %s: at most %dx", c.Benchtime, maxBudgetIters)
		}
	} else if d, err := time.ParseDuration(c.Benchtime); err == nil && d > maxBudgetBenchtime {
		return fmt.Errorf("benchtime %s: at most %v per benchmark and round", c.Benchtime, maxBudgetBenchtime)
	}
	return nil
}

func (c *budgetCheck) Evaluate(ctx context.Context, ws *Workspace) Result {
	if len(c.Budgets) == 0 {
		return skip("no budgets set: add budgets: {PATTERN: {sec/op: 2µs, allocs/op: 3}} to this check")
	}
	count := c.Count
	if count == 0 {
		count = 5
	}
	set, err := runBenchmarks(ctx, ws, &bench.Spec{Packages: c.Packages, Bench: c.Bench, Count: count, Benchtime: c.Benchtime}, true)
	if err != nil {
		return benchError(err, Error)
	}
	rows, err := bench.Summarize(set, bench.DefaultConfidence, nil)
	if err != nil {
		return errResult(err.Error())
	}
	return c.judge(rows)
}

// judge holds each summarized row to the limits of the first budget whose
// pattern matches its name.
func (c *budgetCheck) judge(rows []bench.SummaryRow) Result {
	checked, matched := 0, make([]bool, len(c.Budgets))
	var over, unmeasured []string
	for i := range rows {
		row := &rows[i]
		for bi := range c.Budgets {
			b := &c.Budgets[bi]
			if ok, _ := path.Match(b.Pattern, row.Name); !ok {
				continue
			}
			matched[bi] = true
			for _, l := range b.Limits {
				if l.Unit != row.Unit {
					continue
				}
				checked++
				if (l.Min && row.Center < l.Value) || (!l.Min && row.Center > l.Value) {
					rel := "above"
					if l.Min {
						rel = "below"
					}
					over = append(over, fmt.Sprintf("%s %s: median %s is %s the budget %s (%s, n=%d)",
						row.Label, row.Unit, formatValue(row.Center, row.Unit), rel, l.Text, b.Pattern, row.N))
				}
			}
			break
		}
	}
	for bi, ok := range matched {
		if !ok {
			unmeasured = append(unmeasured, fmt.Sprintf("budget %q (policy line %d) matches no benchmark that ran", c.Budgets[bi].Pattern, c.Budgets[bi].Line))
		}
	}
	if len(unmeasured) > 0 {
		return errResult(unmeasured[0], append(unmeasured[1:], "check the pattern: it is matched against names like Parse/small, without Benchmark and -8")...)
	}
	if len(over) > 0 {
		return fail(fmt.Sprintf("%d of %s over budget", len(over), english.Plural(checked, "limit", "limits")), over...)
	}
	return pass(english.Plural(checked, "limit", "limits") + " within budget")
}

// formatValue shows a measured value in its unit for people.
func formatValue(v float64, unit string) string {
	switch unit {
	case "sec/op":
		return time.Duration(v * 1e9).String()
	case "B/op":
		return strconv.FormatFloat(v, 'f', -1, 64) + " B"
	case "B/s":
		return strconv.FormatFloat(v/1e6, 'f', 2, 64) + " MB/s"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}
