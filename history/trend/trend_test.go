package trend

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/history"
	"github.com/perfctl/perfctl/history/changepoint"
)

// line makes a history of len(texts) commits whose records hold texts.
func line(t *testing.T, texts []string) *history.Line {
	t.Helper()
	l := &history.Line{Walked: len(texts)}
	for i, text := range texts {
		set, err := bench.Read(strings.NewReader(text), fmt.Sprint("record ", i))
		if err != nil {
			t.Fatal(err)
		}
		l.Commits = append(l.Commits, history.Commit{ID: fmt.Sprintf("%040x", i+1), Subject: fmt.Sprint("commit ", i)})
		l.Records = append(l.Records, &history.Record{Results: set})
	}
	return l
}

// steps is n commits of Parse in ns/op, with 2% noise around level(i), and
// allocs(i) allocations.
func steps(n int, level func(i int) float64, allocs func(i int) int) []string {
	r := rand.New(rand.NewPCG(7, 11))
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		b.WriteString("pkg: example.com/m\n")
		for range 5 {
			fmt.Fprintf(&b, "BenchmarkParse-8 100 %.2f ns/op %d allocs/op\n", level(i)*(1+0.02*r.NormFloat64()), allocs(i))
		}
		out[i] = b.String()
	}
	return out
}

func analyse(t *testing.T, l *history.Line, opts Options) *Analysis {
	t.Helper()
	a := &Analysis{Line: l, Recent: opts.Recent}
	if a.Recent == 0 {
		a.Recent = DefaultRecent
	}
	a.Series = collect(l, &opts)
	for _, s := range a.Series {
		if err := a.detect(s, opts.Detect); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

func flat(int) int { return 2 }

func TestNewAndAlert(t *testing.T) {
	at := func(k int, lo, hi float64) func(int) float64 {
		return func(i int) float64 {
			if i >= k {
				return hi
			}
			return lo
		}
	}
	for _, c := range []struct {
		name          string
		level         func(int) float64
		n, recent     int
		wantAt        int // the commit of the one change expected
		wantStatus    string
		wantNew, want bool // New, Alert
	}{
		// Found two commits after it happened: new, since the series
		// without the newest commit had no change.
		{"regression found now", at(28, 100, 130), 30, 1, 28, StatusRegression, true, true},
		// Found long ago: old news.
		{"old regression", at(15, 100, 130), 30, 1, 15, StatusRegression, false, false},
		// Within the recent window: new again.
		{"old regression, recent 16", at(15, 100, 130), 30, 16, 15, StatusRegression, true, true},
		// An improvement is news, but no alert.
		{"improvement, recent 3", at(28, 130, 100), 30, 3, 28, StatusImprovement, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := analyse(t, line(t, steps(c.n, c.level, flat)), Options{Recent: c.recent, Unit: "ns/op"})
			if len(a.Series) != 1 || a.Series[0].Name != "Parse" || a.Series[0].Unit != "sec/op" {
				t.Fatalf("series %+v, want one: Parse sec/op", a.Series)
			}
			got := a.Series[0].Changes
			if len(got) != 1 {
				t.Fatalf("changes %+v, want one at %d", got, c.wantAt)
			}
			g := got[0]
			if g.Commit != c.wantAt || g.Status != c.wantStatus || g.New != c.wantNew || g.Alert != c.want {
				t.Errorf("change at %d %s new=%v alert=%v, want at %d %s new=%v alert=%v",
					g.Commit, g.Status, g.New, g.Alert, c.wantAt, c.wantStatus, c.wantNew, c.want)
			}
			if n := len(a.Alerts()); n != map[bool]int{false: 0, true: 1}[c.want] {
				t.Errorf("Alerts() has %d, want alert=%v", n, c.want)
			}
		})
	}
}

func TestFixedRegressionIsNoAlert(t *testing.T) {
	// Slower at commit 20, fixed at 26: both are new within 12 commits,
	// but the regression was reversed.
	level := func(i int) float64 {
		if i >= 20 && i < 26 {
			return 130
		}
		return 100
	}
	a := analyse(t, line(t, steps(32, level, flat)), Options{Recent: 12, Unit: "sec/op"})
	ch := a.Series[0].Changes
	if len(ch) != 2 || ch[0].Status != StatusRegression || ch[1].Status != StatusImprovement {
		t.Fatalf("changes %+v, want a regression and its fix", ch)
	}
	if !ch[0].New || ch[0].Alert {
		t.Errorf("the fixed regression: new=%v alert=%v, want new and no alert", ch[0].New, ch[0].Alert)
	}
}

func TestExactAllocsAndUnknownDirection(t *testing.T) {
	allocs := func(i int) int {
		if i >= 10 {
			return 3
		}
		return 2
	}
	a := analyse(t, line(t, steps(12, func(int) float64 { return 100 }, allocs)), Options{Unit: "allocs/op"})
	s := a.Series[0]
	if !s.Exact || len(s.Changes) != 1 || s.Changes[0].Commit != 10 || s.Changes[0].PValue != 0 || s.Changes[0].Status != StatusRegression {
		t.Fatalf("allocs/op: exact=%v changes %+v, want one exact regression at 10", s.Exact, s.Changes)
	}
	if s.Changes[0].New {
		t.Errorf("found without the newest commit too: want not new")
	}

	// A custom unit with no direction: changed, never an alert.
	var texts []string
	for i := range 12 {
		v := 10
		if i >= 10 {
			v = 20
		}
		texts = append(texts, fmt.Sprintf("BenchmarkQ 1 %d widgets\nBenchmarkQ 1 %d widgets\n", v, v))
	}
	a = analyse(t, line(t, texts), Options{Recent: 5, Detect: changepoint.Options{Exact: true}})
	c := a.Series[0].Changes
	if len(c) != 1 || c[0].Status != StatusChanged || !c[0].New || c[0].Alert {
		t.Fatalf("widgets: %+v, want one new change of unknown direction, no alert", c)
	}
}

func TestCollect(t *testing.T) {
	texts := []string{
		"pkg: a/x\nBenchmarkParse-8 1 10 ns/op\nBenchmarkJoin/n=1-8 1 5 ns/op 3 B/op\npkg: b/x\nBenchmarkParse-8 1 7 ns/op\n",
		// GOMAXPROCS varies for Join: its names keep the suffix.
		"pkg: a/x\nBenchmarkParse-8 1 11 ns/op\nBenchmarkJoin/n=1-4 1 6 ns/op 3 B/op\nBenchmarkNew-8 1 1 ns/op\n",
	}
	a := analyse(t, line(t, texts), Options{})
	var got []string
	for _, s := range a.Series {
		got = append(got, fmt.Sprintf("%s %d", s.Key(), len(s.Points)))
	}
	want := []string{"a/x.Parse sec/op 2", "a/x.Join/n=1-4 sec/op 1", "a/x.Join/n=1-4 B/op 1", "a/x.New sec/op 1",
		"a/x.Join/n=1-8 sec/op 1", "a/x.Join/n=1-8 B/op 1", "b/x.Parse sec/op 1"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("series:\n%s\nwant (newest record's first):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if p := a.Series[0].Points; p[0].Commit != 0 || p[1].Commit != 1 || p[0].Center != 10e-9 {
		t.Errorf("Parse's points %+v, want commits 0 and 1, oldest first, in seconds", p)
	}
	if a.ShortPkg("a/x") != "a/x" || a.ShortPkg("") != "" {
		t.Errorf("ShortPkg: two packages end in x, so the whole path names them")
	}

	a = analyse(t, line(t, texts), Options{Bench: regexp.MustCompile(`^b/x\.Parse$|^New`), Unit: "ns/op"})
	got = got[:0]
	for _, s := range a.Series {
		got = append(got, s.Key())
	}
	if strings.Join(got, "; ") != "a/x.New sec/op; b/x.Parse sec/op" {
		t.Errorf("filtered series %q", got)
	}
}
