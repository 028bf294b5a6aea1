package shard

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/perfctl/perfctl/bench"
)

func TestParseSelector(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Selector
		ok   bool
	}{
		{"1/3", Selector{1, 3}, true},
		{" 3/3 ", Selector{3, 3}, true},
		{"1/1", Selector{1, 1}, true},
		{"0/3", Selector{}, false},
		{"4/3", Selector{}, false},
		{"1/0", Selector{}, false},
		{"1/257", Selector{}, false},
		{"1", Selector{}, false},
		{"a/b", Selector{}, false},
		{"-1/3", Selector{}, false},
	} {
		got, err := ParseSelector(tt.in)
		if (err == nil) != tt.ok || tt.ok && got != tt.want {
			t.Errorf("ParseSelector(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// module makes packages p00… with the benchmark counts given, and weights
// (one round's time of each benchmark) from weight(package, benchmark).
func module(counts []int, weight func(p, b int) time.Duration) ([]bench.Package, *Weights) {
	w := &Weights{Source: "baseline test", Time: map[string]time.Duration{}}
	var pkgs []bench.Package
	for i, n := range counts {
		p := bench.Package{ImportPath: fmt.Sprintf("example.com/m/p%02d", i), Benchmarks: n}
		for j := range n {
			name := fmt.Sprintf("BenchmarkB%02d", j)
			p.BenchNames = append(p.BenchNames, name)
			if weight != nil {
				w.Time[WeightKey(p.ImportPath, name)] = weight(i, j)
			}
		}
		pkgs = append(pkgs, p)
	}
	if weight == nil {
		w = nil
	}
	return pkgs, w
}

// assignment is which shard runs each benchmark of pkgs, by Selection,
// as the harness asks: it fails the test when a benchmark runs in no
// shard or in several.
func assignment(t *testing.T, p *Plan, pkgs []bench.Package) map[string]int {
	t.Helper()
	got := map[string]int{}
	for i := 1; i <= p.Total; i++ {
		sel := p.Selection(Selector{i, p.Total})
		for k := range pkgs {
			names, ok := sel.Pick(&pkgs[k])
			if !ok {
				continue
			}
			if names == nil {
				names = pkgs[k].BenchNames
			}
			for _, n := range names {
				key := WeightKey(pkgs[k].ImportPath, n)
				if s, dup := got[key]; dup {
					t.Fatalf("%s runs in shard %d and in shard %d", key, s, i)
				}
				got[key] = i
			}
		}
	}
	for k := range pkgs {
		for _, n := range pkgs[k].BenchNames {
			if _, ok := got[WeightKey(pkgs[k].ImportPath, n)]; !ok {
				t.Fatalf("%s %s runs in no shard", pkgs[k].ImportPath, n)
			}
		}
	}
	return got
}

func randomModule(r *rand.Rand, n int) ([]bench.Package, *Weights) {
	counts := make([]int, n)
	for i := range counts {
		counts[i] = 1 + r.IntN(8)
	}
	scale := make([]float64, n)
	for i := range scale {
		scale[i] = math.Exp(r.NormFloat64()) // lognormal: a few heavy packages
	}
	return module(counts, func(p, _ int) time.Duration {
		return time.Duration(scale[p] * float64(50*time.Millisecond) * (0.5 + r.Float64()))
	})
}

// TestPlanCovers: every benchmark runs in exactly one shard, for any N,
// with and without weights, and the plan is the same whatever the order of
// the packages.
func TestPlanCovers(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 40 {
		pkgs, w := randomModule(r, 1+r.IntN(30))
		if trial%2 == 1 {
			w = nil
		}
		for _, n := range []int{1, 2, 3, 5, 8} {
			p := New(pkgs, n, w, false)
			got := assignment(t, p, pkgs)
			shuffled := slices.Clone(pkgs)
			r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			q := New(shuffled, n, w, false)
			if q.Hash != p.Hash {
				t.Fatalf("trial %d, %d shards: the order of the packages changed the plan", trial, n)
			}
			for k, s := range assignment(t, q, shuffled) {
				if got[k] != s {
					t.Fatalf("trial %d: %s in shard %d, then %d", trial, k, got[k], s)
				}
			}
			var sum float64
			for _, s := range p.Shards {
				sum += s.Expected
			}
			if math.Abs(sum-p.Ideal*float64(n)) > 1e-6*sum+1e-9 {
				t.Fatalf("the shards' weights sum to %v, not N × ideal %v", sum, p.Ideal*float64(n))
			}
		}
	}
}

// TestPlanBound: no shard ends above the ideal by more than the heaviest
// part, the bound of placing every part that overflows on the lightest
// shard (list scheduling); light parts placed by hash stay within Slack.
func TestPlanBound(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		pkgs, w := randomModule(r, 2+r.IntN(40))
		for _, n := range []int{2, 3, 4, 6} {
			p := New(pkgs, n, w, false)
			heaviest := 0.0
			for _, s := range p.Shards {
				for _, pt := range s.Parts {
					heaviest = max(heaviest, pt.Expected)
				}
			}
			if got := p.Slowest(); got > max(p.Ideal*(1+Slack), p.Ideal+heaviest)*(1+1e-9) {
				t.Fatalf("%d shards: slowest %v, above the ideal %v plus the heaviest part %v", n, got, p.Ideal, heaviest)
			}
		}
	}
}

// TestPlanSkewed is the case: one package ten times slower than
// the others. Split by benchmark, the slowest shard is within 1.3× of the
// ideal; when the slow package has one benchmark and cannot be split, it
// is a shard of its own and the others share the rest.
func TestPlanSkewed(t *testing.T) {
	counts := []int{4, 4, 4, 4, 4, 4, 4, 4, 4, 4}
	weight := func(p, _ int) time.Duration {
		if p == 3 {
			return 10 * time.Second
		}
		return time.Second
	}
	for _, n := range []int{2, 3, 4, 5} {
		pkgs, w := module(counts, weight)
		p := New(pkgs, n, w, false)
		assignment(t, p, pkgs)
		if ratio := p.Slowest() / p.Ideal; ratio > 1.3 {
			t.Errorf("%d shards: the slowest is %.2f× the ideal, want at most 1.3", n, ratio)
		} else {
			t.Logf("%d shards: slowest %.3f× the ideal", n, ratio)
		}
	}
	// Without weights, the same module by benchmark count: 40 benchmarks
	// in packages of 4 make 3, 3, 2 and 2 packages a shard at best.
	pkgs, _ := module(counts, nil)
	if p := New(pkgs, 4, nil, false); p.Slowest() != 12 || p.Unit != "benchmarks" {
		t.Errorf("by count: slowest %v %s, want 12 benchmarks", p.Slowest(), p.Unit)
	}
	// One benchmark per package: the slow one cannot be split.
	pkgs, w := module([]int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, weight)
	p := New(pkgs, 3, w, false)
	if got, want := p.Slowest(), float64(10*time.Second); got != want {
		t.Errorf("unsplittable: slowest %v, want the slow package alone (%v)", time.Duration(got), time.Duration(want))
	}
	for _, s := range p.Shards {
		if len(s.Parts) > 1 && s.Expected > float64(5*time.Second) {
			t.Errorf("shard %d: %v, want the nine fast packages shared by the other two shards", s.Index, time.Duration(s.Expected))
		}
	}
	// noSplit keeps the slow package whole: the bound is then its weight.
	pkgs, w = module(counts, weight)
	if p := New(pkgs, 3, w, true); p.Slowest() < float64(40*time.Second) {
		t.Errorf("noSplit: slowest %v, want the slow package whole (40s)", time.Duration(p.Slowest()))
	}
}

// lpt is plain longest-processing-time-first of whole packages, the
// reference the moves are measured against.
func lpt(pkgs []bench.Package, n int, w *Weights) map[string]int {
	type pw struct {
		pkg string
		w   float64
	}
	var ps []pw
	for _, p := range pkgs {
		var s float64
		for _, b := range p.BenchNames {
			s += float64(w.Time[WeightKey(p.ImportPath, b)])
		}
		ps = append(ps, pw{p.ImportPath, s})
	}
	slices.SortFunc(ps, func(a, b pw) int {
		if c := cmp.Compare(b.w, a.w); c != 0 {
			return c
		}
		return cmp.Compare(a.pkg, b.pkg)
	})
	load := make([]float64, n)
	out := map[string]int{}
	for _, p := range ps {
		s := lightest(n, func(i int) float64 { return load[i] })
		load[s] += p.w
		out[p.pkg] = s
	}
	return out
}

// TestPlanMoves measures how many packages change shards when one package
// is added, against plain LPT. Rendezvous hashing of the light packages
// keeps them where their names put them; only overflow moves them. The
// bound asserted is what 300 random modules measured, with a margin; the
// log shows both.
func TestPlanMoves(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const trials = 300
	movedPlan, movedLPT := 0, 0
	worst := 0
	for range trials {
		pkgs, w := randomModule(r, 20+r.IntN(40))
		n := 2 + r.IntN(5)
		more, mw := randomModule(r, 1)
		added := more[0]
		added.ImportPath = "example.com/m/zz-added"
		for k, v := range mw.Time {
			w.Time["example.com/m/zz-added"+k[len("example.com/m/p00"):]] = v
		}
		before := New(pkgs, n, w, true)
		after := New(append(slices.Clone(pkgs), added), n, w, true)
		lb, la := lpt(pkgs, n, w), lpt(append(slices.Clone(pkgs), added), n, w)
		moved := 0
		for _, p := range pkgs {
			if before.ShardOf(p.ImportPath, "") != after.ShardOf(p.ImportPath, "") {
				moved++
			}
			if lb[p.ImportPath] != la[p.ImportPath] {
				movedLPT++
			}
		}
		movedPlan += moved
		worst = max(worst, moved)
	}
	avgPlan, avgLPT := float64(movedPlan)/trials, float64(movedLPT)/trials
	t.Logf("packages moved by adding one (mean over %d modules of 20-59 packages): plan %.2f (worst %d), plain LPT %.2f", trials, avgPlan, worst, avgLPT)
	if avgPlan > avgLPT/2 {
		t.Errorf("the plan moves %.2f packages on average, plain LPT %.2f: want at most half of LPT's", avgPlan, avgLPT)
	}
}

// TestWeightsFrom: one round of a benchmark is at least the benchtime per
// sub-benchmark, one op when that is longer, n ops with an iteration
// count.
func TestWeightsFrom(t *testing.T) {
	text := "pkg: example.com/m\n" +
		"BenchmarkFast/a-2 100 10 ns/op\nBenchmarkFast/b-2 100 10 ns/op\n" +
		"BenchmarkSlow-2 1 3000000000 ns/op\n"
	set, err := bench.Read(strings.NewReader(text), "w.txt")
	if err != nil {
		t.Fatal(err)
	}
	w := WeightsFrom(set, "baseline w", "100ms")
	if got := w.Time[WeightKey("example.com/m", "BenchmarkFast")]; got != 200*time.Millisecond {
		t.Errorf("Fast: %v, want 2 sub-benchmarks × 100ms", got)
	}
	if got := w.Time[WeightKey("example.com/m", "BenchmarkSlow")]; got != 3*time.Second {
		t.Errorf("Slow: %v, want one op of 3s", got)
	}
	if got := WeightsFrom(set, "x", "50x").Time[WeightKey("example.com/m", "BenchmarkFast")]; got != 1000*time.Nanosecond {
		t.Errorf("Fast at 50x: %v, want 2 × 50 × 10ns", got)
	}
}
