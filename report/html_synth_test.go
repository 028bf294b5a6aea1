package report

import (
	"crypto/sha1"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/perfctl/perfctl/history"
	"github.com/perfctl/perfctl/history/changepoint"
	"github.com/perfctl/perfctl/history/trend"
)

// synthAnalysis builds, without git, an analysis of commits commits of
// benchmarks benchmarks in three units (sec/op, B/op, allocs/op), each
// commit with samples samples of ±2% noise. Every seventh benchmark's
// sec/op rose 15% at the middle commit: a regression change point, an
// alert when it is among the newest commits. It is deterministic.
func synthAnalysis(commits, benchmarks, samples int) *trend.Analysis {
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	line := &history.Line{
		Env:    history.Env{CPU: "Synthetic CPU @ 3.00GHz", GOOS: "linux", GOARCH: "amd64", Go: "go1.26.8"},
		Walked: commits,
	}
	line.Key = line.Env.Key()
	for i := range commits {
		line.Commits = append(line.Commits, history.Commit{
			ID:      fmt.Sprintf("%x", sha1.Sum([]byte(strconv.Itoa(i)))),
			Time:    start.Add(time.Duration(i) * 3 * time.Hour),
			Subject: fmt.Sprintf("parser: commit number %d of the synthetic history", i),
		})
	}
	a := &trend.Analysis{Line: line, Recent: trend.DefaultRecent}
	step := commits / 2
	units := []struct {
		unit   string
		better int
		level  float64
		exact  bool
	}{{"sec/op", -1, 1.234e-6, false}, {"B/op", -1, 4096, false}, {"allocs/op", -1, 12, true}}
	for b := range benchmarks {
		for _, u := range units {
			s := &trend.Series{Pkg: "example.com/synthetic/parser", Name: fmt.Sprintf("Parse/case=%03d", b),
				Unit: u.unit, Better: u.better, Exact: u.exact}
			level := u.level * (1 + float64(b%17)/10)
			shifted := u.unit == "sec/op" && b%7 == 0
			for c := range commits {
				l := level
				if shifted && c >= step {
					l *= 1.15
				}
				vals := make([]float64, samples)
				for k := range vals {
					if u.exact {
						vals[k] = l
					} else {
						vals[k] = l * (1 + 0.02*(rng.Float64()*2-1))
					}
				}
				s.Points = append(s.Points, trend.Point{Commit: c, Center: medianOf(vals), Values: vals})
			}
			if shifted {
				s.Changes = []trend.Change{{Commit: step, Status: trend.StatusRegression, Change: changepoint.Change{
					Index: step, Before: changepoint.Summary{Center: level, N: step}, After: changepoint.Summary{Center: level * 1.15, N: commits - step},
					DeltaPct: 15, PValue: 1e-9}}}
			}
			a.Series = append(a.Series, s)
		}
	}
	return a
}

func medianOf(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return s[n/2-1]/2 + s[n/2]/2
	}
	return s[len(s)/2]
}
