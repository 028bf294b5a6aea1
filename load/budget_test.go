package load

import (
	"errors"
	"strings"
	"testing"
)

func TestParseBudget(t *testing.T) {
	for _, tc := range []struct {
		text   string
		metric Metric
		q      float64
		op     Op
		limit  float64
		canon  string
	}{
		{"p(95) < 200ms", Quantile, 95, Less, 0.2, "p(95) < 200ms"},
		{"p(99) <= 0.5s", Quantile, 99, LessEq, 0.5, "p(99) <= 500ms"},
		{"  p( 99.9 )<1s ", Quantile, 99.9, Less, 1, "p(99.9) < 1s"},
		{"avg < 50us", Avg, 0, Less, 50e-6, "avg < 50µs"},
		{"max < 1.5 s", Max, 0, Less, 1.5, "max < 1.5s"},
		{"max < 100s", Max, 0, Less, 100, "max < 100s"},
		{"rate(errors) < 1%", ErrorRate, 0, Less, 0.01, "rate(errors) < 1%"},
		{"rate(errors) <= 0.001", ErrorRate, 0, LessEq, 0.001, "rate(errors) <= 0.1%"},
		{"throughput > 500/s", Throughput, 0, Greater, 500, "throughput > 500.0/s"},
		{"throughput >= 20", Throughput, 0, GreaterEq, 20, "throughput >= 20.0/s"},
		{"rss < 200MiB", RSS, 0, Less, 200 << 20, "rss < 200MiB"},
		{"rss < 1e3 kB", RSS, 0, Less, 1e6, "rss < 0.9537MiB"},
	} {
		b, err := ParseBudget(tc.text)
		if err != nil {
			t.Errorf("ParseBudget(%q): %v", tc.text, err)
			continue
		}
		if b.Metric != tc.metric || b.Q != tc.q || b.Op != tc.op || !near(b.Limit, tc.limit) {
			t.Errorf("ParseBudget(%q) = %+v", tc.text, b)
		}
		if got := b.String(); got != tc.canon {
			t.Errorf("ParseBudget(%q).String() = %q, want %q", tc.text, got, tc.canon)
		}
	}
}

func near(a, b float64) bool { return a == b || (a-b)/b < 1e-12 && (b-a)/b < 1e-12 }

func TestParseBudgetErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"p95 < 200ms", `column 1: unknown metric "p95"`},
		{"http_req_duration < 200ms", `column 1: unknown metric "http_req_duration"`},
		{"p(0) < 1s", "column 3: the percentile of p(0) is not a number in (0, 100]"},
		{"p(101) < 1s", "column 3: the percentile"},
		{"p(95 < 1s", "column 2: \"p(95 < 1s\" has no closing parenthesis"},
		{"rate(fails) < 1%", "column 6: rate(fails) is not a metric"},
		{"count(x) < 1", `column 1: unknown metric "count(x)"`},
		{"p(95) 200ms", "column 7: no operator"},
		{"p(95) == 200ms", `column 7: unknown operator "=="`},
		{"p(95) =< 200ms", `unknown operator "=<"`},
		{"p(95) < 200", `column 9: "200" needs a unit`},
		{"p(95) < 200xs", `column 9: unknown unit "xs" for a latency`},
		{"p(95) <", "column 8: no value after <"},
		{"p(95) < fast", `column 9: "fast" does not start with a number`},
		{"rate(errors) < 5", `is more than 1`},
		{"rate(errors) < 101%", `more than 100%`},
		{"rate(errors) < 1‰", `unknown unit "‰"`},
		{"throughput > 5/min", `unknown unit "/min"`},
		{"rss < 200", `"200" needs a unit`},
		{"rss < 200mb", `unknown unit "mb" for rss`},
		{"", "column 1: no metric"},
		{strings.Repeat("x", 300), "longer than 200 bytes"},
	} {
		_, err := ParseBudget(tc.text)
		var be *BudgetError
		if !errors.As(err, &be) {
			t.Errorf("ParseBudget(%q): error %v is not a *BudgetError", tc.text, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseBudget(%q):\n got %v\nwant …%s…", tc.text, err, tc.want)
		}
	}
}

func TestParseTargetBudget(t *testing.T) {
	b, err := ParseTargetBudget("GET /api/items: p(95) < 20ms")
	if err != nil || b.Target != "GET /api/items" || b.Q != 95 {
		t.Errorf("got %+v, %v", b, err)
	}
	b, err = ParseTargetBudget("p(95) < 20ms")
	if err != nil || b.Target != "" {
		t.Errorf("got %+v, %v", b, err)
	}
}

func TestBudgetHolds(t *testing.T) {
	for _, tc := range []struct {
		text string
		v    float64
		want bool
	}{
		{"p(95) < 20ms", 0.019, true}, {"p(95) < 20ms", 0.02, false}, {"p(95) <= 20ms", 0.02, true},
		{"throughput > 10", 10, false}, {"throughput >= 10", 10, true}, {"throughput > 10", 11, true},
	} {
		b, err := ParseBudget(tc.text)
		if err != nil {
			t.Fatal(err)
		}
		if got := b.Holds(tc.v); got != tc.want {
			t.Errorf("%s holds for %g: %v, want %v", tc.text, tc.v, got, tc.want)
		}
	}
}

func FuzzParseBudget(f *testing.F) {
	for _, s := range []string{"p(95) < 200ms", "rate(errors) < 1%", "throughput > 500/s", "rss < 200MiB", "avg<1e-3s", "p(", "max <= 1e999s", "GET /: p(50) < 1s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseTargetBudget(s)
		if err != nil {
			var be *BudgetError
			if !errors.As(err, &be) {
				t.Fatalf("%q: error %v is not a *BudgetError", s, err)
			}
			if be.Pos < 0 || be.Pos > len(be.Text) {
				t.Fatalf("%q: position %d outside the text %q", s, be.Pos, be.Text)
			}
			return
		}
		if b.Limit < 0 || b.Limit != b.Limit {
			t.Fatalf("%q: limit %g", s, b.Limit)
		}
		// The canonical form parses to the same metric and operator.
		c, err := ParseBudget(b.String())
		if err != nil {
			t.Fatalf("%q: canonical %q does not parse: %v", s, b.String(), err)
		}
		if c.Metric != b.Metric || c.Op != b.Op || c.Q != b.Q {
			t.Fatalf("%q: canonical %q reads %+v, not %+v", s, b.String(), c, b)
		}
	})
}
