package shard

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/perfctl/perfctl/bench"
)

// MaxShards bounds N: a CI matrix of more jobs than this is a mistake.
const MaxShards = 256

// A Selector is the shard a job runs, as --shard I/N says it.
type Selector struct {
	Index, Total int // 1 ≤ Index ≤ Total
}

// ParseSelector reads "I/N".
func ParseSelector(s string) (Selector, error) {
	i, n, ok := strings.Cut(strings.TrimSpace(s), "/")
	sel := Selector{}
	var err1, err2 error
	sel.Index, err1 = strconv.Atoi(i)
	sel.Total, err2 = strconv.Atoi(n)
	switch {
	case !ok || err1 != nil || err2 != nil:
		return sel, fmt.Errorf("--shard %q: write the shard as I/N, e.g. 2/3 for the second of three", s)
	case sel.Total < 1 || sel.Total > MaxShards:
		return sel, fmt.Errorf("--shard %q: the number of shards must be between 1 and %d", s, MaxShards)
	case sel.Index < 1 || sel.Index > sel.Total:
		return sel, fmt.Errorf("--shard %q: the shard must be between 1 and %d (shards count from 1, as a CI matrix index plus one)", s, sel.Total)
	}
	return sel, nil
}

// String is "I/N".
func (s Selector) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Total) }

// Weights are the expected times of benchmarks, from a stored run.
type Weights struct {
	// Source says where they come from, e.g. "baseline main".
	Source string
	// Time is the expected time of one round of a top-level benchmark, by
	// WeightKey.
	Time map[string]time.Duration
}

// WeightKey is how Weights names a top-level benchmark
// ("BenchmarkParse") of the package pkg.
func WeightKey(pkg, name string) string { return pkg + " " + name }

// WeightsFrom estimates the time of one round of each top-level benchmark
// in set, run with benchtime ("" for go's 1s): each of its sub-benchmarks
// runs at least the benchtime, or one op when that is longer; with an
// iteration count (50x), that many ops.
func WeightsFrom(set *bench.ResultSet, source, benchtime string) *Weights {
	per, iters := time.Second, 0.0
	if n, ok := strings.CutSuffix(benchtime, "x"); ok {
		v, err := strconv.Atoi(n)
		if err == nil && v > 0 {
			iters = float64(v)
		}
	} else if d, err := time.ParseDuration(benchtime); err == nil && d > 0 {
		per = d
	}
	w := &Weights{Source: source, Time: map[string]time.Duration{}}
	for m := range set.All() {
		if m.Unit != "sec/op" || len(m.Values) == 0 {
			continue
		}
		op := median(m.Values) * 1e9 // ns
		if !(op >= 0) || math.IsInf(op, 0) {
			continue // a file can say anything: a weight is a time
		}
		t := math.Max(float64(per), op)
		if iters > 0 {
			t = iters * op
		}
		w.Time[WeightKey(m.Pkg, "Benchmark"+topLevel(m.FullName))] += time.Duration(min(t, float64(time.Hour)))
	}
	return w
}

// topLevel is the top-level benchmark of a full name (without the
// Benchmark prefix): up to the first /, without a -GOMAXPROCS suffix.
func topLevel(full string) string {
	if i := strings.IndexByte(full, '/'); i >= 0 {
		full = full[:i]
	}
	if i := strings.LastIndexByte(full, '-'); i > 0 {
		if _, err := strconv.Atoi(full[i+1:]); err == nil {
			full = full[:i]
		}
	}
	return full
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// A Part is what one shard runs of a package: all its benchmarks, or the
// ones named.
type Part struct {
	Pkg string
	// Benchmarks are the top-level benchmarks ("BenchmarkParse") of a
	// package split across shards; nil: the whole package.
	Benchmarks []string
	// Of is the number of shards the package is split across (1: whole).
	Of int
	// Expected is the part's weight: its time per round with weights,
	// else its number of benchmarks (in Plan.Unit).
	Expected float64
}

// A Shard is one job's share of a plan.
type Shard struct {
	Index    int // from 1
	Parts    []Part
	Expected float64 // the sum of its parts'
}

// A Plan is the split of a run's benchmarks into shards.
type Plan struct {
	Total  int
	Shards []Shard
	// Basis says what the weights are: "baseline main", or "benchmark
	// count" without one.
	Basis string
	// Unit is "ns" (a round's time) or "benchmarks".
	Unit string
	// Ideal is the total weight over Total: what a perfect split gives
	// every shard.
	Ideal float64
	// Hash identifies the plan: the shards' parts and N.
	Hash string

	whole map[string]int            // package → shard, for whole packages
	parts map[string]map[string]int // split package → benchmark → shard
}

// SmallShare is the weight, as a fraction of the ideal, under which a part
// is placed by rendezvous hashing rather than by weight.
const SmallShare = 0.25

// Slack is how far above the ideal a light part may take a shard that its
// name prefers.
const Slack = 0.10

// New plans the packages pkgs (with their BenchNames) in n shards. w may
// be nil: every benchmark weighs the same. A package heavier than the
// ideal share is split by benchmark unless noSplit (a -bench pattern that
// cannot be narrowed to exact names).
func New(pkgs []bench.Package, n int, w *Weights, noSplit bool) *Plan {
	p := &Plan{Total: n, Basis: "benchmark count", Unit: "benchmarks", whole: map[string]int{},
		parts: map[string]map[string]int{}}
	weightOf := func(pkg, name string) float64 { return 1 }
	if w != nil && len(w.Time) > 0 {
		p.Basis, p.Unit = w.Source, "ns"
		var sum float64
		for _, t := range w.Time {
			sum += float64(t)
		}
		mean := sum / float64(len(w.Time)) // for the benchmarks it does not know
		weightOf = func(pkg, name string) float64 {
			if t, ok := w.Time[WeightKey(pkg, name)]; ok {
				return float64(t)
			}
			return mean
		}
	}
	type unit struct {
		part Part
		key  string
	}
	sorted := slices.Clone(pkgs)
	slices.SortFunc(sorted, func(a, b bench.Package) int { return cmp.Compare(a.ImportPath, b.ImportPath) })
	var total float64
	pkgWeight := make([]float64, len(sorted))
	for i := range sorted {
		for _, b := range sorted[i].BenchNames {
			pkgWeight[i] += weightOf(sorted[i].ImportPath, b)
		}
		if len(sorted[i].BenchNames) == 0 {
			pkgWeight[i] = weightOf(sorted[i].ImportPath, "")
		}
		total += pkgWeight[i]
	}
	p.Ideal = total / float64(n)
	var units []unit
	for i := range sorted {
		pkg := &sorted[i]
		names := slices.Compact(slices.Sorted(slices.Values(pkg.BenchNames)))
		if noSplit || n == 1 || len(names) < 2 || pkgWeight[i] <= p.Ideal {
			units = append(units, unit{Part{Pkg: pkg.ImportPath, Of: 1, Expected: pkgWeight[i]}, pkg.ImportPath})
			continue
		}
		// Parts of at most half the ideal (as the benchmarks allow), so
		// that they fill the shards around the other packages.
		k := min(len(names), 2*n, int(math.Ceil(2*pkgWeight[i]/p.Ideal)))
		bins := make([]Part, k)
		// Longest first, each to the lightest part.
		slices.SortStableFunc(names, func(a, b string) int {
			return cmp.Compare(weightOf(pkg.ImportPath, b), weightOf(pkg.ImportPath, a))
		})
		for _, name := range names {
			j := lightest(len(bins), func(j int) float64 { return bins[j].Expected })
			bins[j].Benchmarks = append(bins[j].Benchmarks, name)
			bins[j].Expected += weightOf(pkg.ImportPath, name)
		}
		for j := range bins {
			slices.Sort(bins[j].Benchmarks)
			bins[j].Pkg, bins[j].Of = pkg.ImportPath, k
			units = append(units, unit{bins[j], pkg.ImportPath + "#" + bins[j].Benchmarks[0]})
		}
	}

	load := make([]float64, n)
	place := func(u *unit, s int) {
		load[s] += u.part.Expected
		if u.part.Benchmarks == nil {
			p.whole[u.part.Pkg] = s
		} else {
			if p.parts[u.part.Pkg] == nil {
				p.parts[u.part.Pkg] = map[string]int{}
			}
			for _, b := range u.part.Benchmarks {
				p.parts[u.part.Pkg][b] = s
			}
		}
	}
	heavy, light := []int{}, []int{}
	for i := range units {
		if units[i].part.Expected >= SmallShare*p.Ideal && p.Ideal > 0 {
			heavy = append(heavy, i)
		} else {
			light = append(light, i)
		}
	}
	// Heavy parts: longest processing time first, ties by a hash of the
	// name (not the alphabet, which would cluster packages of a tree).
	slices.SortFunc(heavy, func(a, b int) int {
		if c := cmp.Compare(units[b].part.Expected, units[a].part.Expected); c != 0 {
			return c
		}
		return cmp.Compare(hash64(units[a].key), hash64(units[b].key))
	})
	shardOf := make([]int, len(units))
	for _, i := range heavy {
		shardOf[i] = lightest(n, func(s int) float64 { return load[s] })
		place(&units[i], shardOf[i])
	}
	// Light parts, in the order of their names' hashes: the shard the
	// name prefers unless that would pass the ideal plus Slack, then its
	// next preference, else the lightest.
	slices.SortFunc(light, func(a, b int) int { return cmp.Compare(hash64(units[a].key), hash64(units[b].key)) })
	limit := p.Ideal * (1 + Slack)
	for _, i := range light {
		u := &units[i]
		s := -1
		for _, c := range preference(u.key, n) {
			if load[c]+u.part.Expected <= limit {
				s = c
				break
			}
		}
		if s < 0 {
			s = lightest(n, func(s int) float64 { return load[s] })
		}
		shardOf[i] = s
		place(u, s)
	}
	p.Shards = make([]Shard, n)
	for s := range p.Shards {
		p.Shards[s].Index = s + 1
	}
	holders := map[string]map[int]bool{} // split package → the shards with a part
	for i := range units {
		sh := &p.Shards[shardOf[i]]
		pt := units[i].part
		sh.Expected += pt.Expected
		if pt.Benchmarks == nil {
			sh.Parts = append(sh.Parts, pt)
			continue
		}
		if holders[pt.Pkg] == nil {
			holders[pt.Pkg] = map[int]bool{}
		}
		holders[pt.Pkg][shardOf[i]] = true
		// Two parts of a package in one shard run as one.
		if j := slices.IndexFunc(sh.Parts, func(q Part) bool { return q.Pkg == pt.Pkg }); j >= 0 {
			sh.Parts[j].Benchmarks = append(sh.Parts[j].Benchmarks, pt.Benchmarks...)
			sh.Parts[j].Expected += pt.Expected
			continue
		}
		sh.Parts = append(sh.Parts, pt)
	}
	for s := range p.Shards {
		for j := range p.Shards[s].Parts {
			if pt := &p.Shards[s].Parts[j]; pt.Benchmarks != nil {
				slices.Sort(pt.Benchmarks)
				pt.Of = len(holders[pt.Pkg])
			}
		}
	}
	h := sha256.New()
	fmt.Fprintf(h, "perfctl shard plan v1\n%d\n", n)
	for s := range p.Shards {
		slices.SortFunc(p.Shards[s].Parts, func(a, b Part) int {
			if c := cmp.Compare(a.Pkg, b.Pkg); c != 0 {
				return c
			}
			return slices.Compare(a.Benchmarks, b.Benchmarks)
		})
		for _, pt := range p.Shards[s].Parts {
			fmt.Fprintf(h, "%d %s %s\n", s+1, pt.Pkg, strings.Join(pt.Benchmarks, ","))
		}
	}
	p.Hash = hex.EncodeToString(h.Sum(nil))[:16]
	return p
}

// lightest is the index of the smallest load (the first of equal ones).
func lightest(n int, load func(int) float64) int {
	best := 0
	for i := 1; i < n; i++ {
		if load(i) < load(best) {
			best = i
		}
	}
	return best
}

// preference orders the shards for key by rendezvous hashing: the shard
// with the highest hash of (key, shard) first. Adding or removing other
// keys never changes a key's preference.
func preference(key string, n int) []int {
	order := make([]int, n)
	score := make([]uint64, n)
	for s := range order {
		order[s] = s
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], uint64(s))
		score[s] = hash64(key + "\x00" + string(b[:]))
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(score[b], score[a]) })
	return order
}

func hash64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// ShardOf is the shard (from 1) that runs the benchmark name of package
// pkg. A package or benchmark the plan does not know (one only the base
// of a comparison has, or added since the plan was made) goes where
// rendezvous hashing of its name prefers, so that every job agrees.
func (p *Plan) ShardOf(pkg, name string) int {
	if s, ok := p.whole[pkg]; ok {
		return s + 1
	}
	if parts, ok := p.parts[pkg]; ok {
		if s, ok := parts[name]; ok {
			return s + 1
		}
		return preference(pkg+"#"+name, p.Total)[0] + 1
	}
	return preference(pkg, p.Total)[0] + 1
}

// Selection is the part of the plan shard sel runs, for bench.Harness.
func (p *Plan) Selection(sel Selector) *bench.Selection {
	return &bench.Selection{Shard: sel.String(), Plan: p.Hash, Pick: func(pkg *bench.Package) ([]string, bool) {
		if _, split := p.parts[pkg.ImportPath]; !split {
			return nil, p.ShardOf(pkg.ImportPath, "") == sel.Index
		}
		var mine []string
		for _, b := range pkg.BenchNames {
			if p.ShardOf(pkg.ImportPath, b) == sel.Index {
				mine = append(mine, b)
			}
		}
		return mine, len(mine) > 0
	}}
}

// Slowest is the largest expected weight of a shard.
func (p *Plan) Slowest() float64 {
	var m float64
	for _, s := range p.Shards {
		m = max(m, s.Expected)
	}
	return m
}
