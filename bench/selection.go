package bench

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// A Selection is the part of a run's benchmarks one job measures: its
// shard of a plan (package shard makes it). Runs headed by a Selection
// record it (KeyShard, KeyShardPlan).
type Selection struct {
	Shard string // "I/N"
	Plan  string // the plan's hash
	// Pick says which of p's top-level benchmarks the job runs: all of
	// them (nil, true), the ones named (names, true) or none (false).
	Pick func(p *Package) (names []string, ok bool)
}

// Configuration keys of a sharded run.
const (
	KeyShard     = "shard"      // I/N
	KeyShardPlan = "shard-plan" // the plan's hash
)

// apply keeps the packages of pkgs the selection picks, and returns the
// top-level benchmarks of those it picks only some of (by import path).
func (s *Selection) apply(pkgs []Package, parts map[string]map[string]bool) []Package {
	if s == nil {
		return pkgs
	}
	var keep []Package
	for i := range pkgs {
		names, ok := s.Pick(&pkgs[i])
		if !ok {
			continue
		}
		keep = append(keep, pkgs[i])
		if names == nil {
			continue
		}
		set := parts[pkgs[i].ImportPath]
		if set == nil {
			set = map[string]bool{}
			parts[pkgs[i].ImportPath] = set
		}
		for _, n := range names {
			set[n] = true
		}
	}
	return keep
}

// label writes the selection into h.
func (s *Selection) label(h *Header) {
	if s != nil {
		h.Shard, h.ShardPlan = s.Shard, s.Plan
	}
}

// CanNarrow reports whether a -bench pattern can be narrowed to exact
// top-level names, keeping its lower levels: a shard of a package split
// by benchmark runs such a narrowing. A pattern with an alternation at its
// top level cannot be (restrictPattern keeps it whole).
func CanNarrow(pattern string) bool {
	_, alternation := splitLevels(pattern)
	return !alternation || !strings.Contains(pattern, "/")
}

// narrow is the -test.bench pattern that runs, of p's benchmarks that
// pattern selects, the top-level ones in names (a shard's part of a split
// package): pattern with its first level replaced by their exact names.
func narrow(pattern string, p *Package, names map[string]bool) string {
	keep := map[string]bool{}
	for _, n := range p.Matching(pattern) {
		if names[n] {
			keep[n] = true
		}
	}
	if len(keep) == 0 {
		return "^$" // nothing of this part matches: run nothing
	}
	if _, alternation := splitLevels(pattern); alternation {
		// One level (CanNarrow): the names replace it whole.
		quoted := make([]string, 0, len(keep))
		for n := range keep {
			quoted = append(quoted, regexp.QuoteMeta(n))
		}
		slices.Sort(quoted)
		return "^(" + strings.Join(quoted, "|") + ")$"
	}
	return restrictPattern(pattern, keep)
}

// emptyShard is the error of a shard that has nothing to run.
func emptyShard(s *Selection, patterns []string) error {
	return &PackageError{Package: joinPatterns(patterns), Err: ErrNoBenchmarks,
		Msg:  fmt.Sprintf("has no benchmarks in shard %s: the plan (%s) gives this shard nothing", s.Shard, s.Plan),
		Hint: "use fewer shards than there are packages with benchmarks (perfctl shard plan --shards N shows the plan)"}
}

// ShardInfo says which shard of which plan a comparison measured, and
// where: what perfctl merge checks before joining the shards' comparisons.
type ShardInfo struct {
	Index, Total int    // Index 0: the shards joined (perfctl merge)
	Plan         string // the plan's hash
	// BaseCommit and HeadCommit are the commits of the two sides, as
	// their results recorded them ("" when not known; "-dirty" appended
	// for uncommitted changes).
	BaseCommit, HeadCommit string
	// Environment holds head's values of EnvironmentKeys.
	Environment map[string]string
	// Truncated says --max-time ended the shard's rounds.
	Truncated bool
}

// NewShardInfo is the shard identity of a comparison of base and head
// measured under sel.
func NewShardInfo(sel *Selection, base, head *ResultSet, truncated bool) (*ShardInfo, error) {
	var i, n int
	if _, err := fmt.Sscanf(sel.Shard, "%d/%d", &i, &n); err != nil {
		return nil, fmt.Errorf("shard %q: %w", sel.Shard, err)
	}
	info := &ShardInfo{Index: i, Total: n, Plan: sel.Plan, BaseCommit: commitOf(base), HeadCommit: commitOf(head),
		Environment: map[string]string{}, Truncated: truncated}
	for _, k := range EnvironmentKeys {
		if v := head.ConfigValue(k); v != "" {
			info.Environment[k] = v
		}
	}
	return info, nil
}

func commitOf(set *ResultSet) string {
	c := set.ConfigValue(KeyCommit)
	if c != "" && set.ConfigValue(KeyDirty) == "true" {
		c += "-dirty"
	}
	return c
}

// Runs reports whether the selection runs the benchmark fullName
// (without the Benchmark prefix, as a ResultSet names it) of package pkg.
func (s *Selection) Runs(pkg, fullName string) bool {
	top := "Benchmark" + topLevel(fullName)
	names, ok := s.Pick(&Package{ImportPath: pkg, BenchNames: []string{top}})
	return ok && (names == nil || slices.Contains(names, top))
}

// Only returns the part of set that keep keeps, by package and full name
// (a shard's part of a baseline); set itself is not changed.
func (s *ResultSet) Only(keep func(pkg, fullName string) bool) *ResultSet {
	out := *s
	out.benchmarks, out.index, out.lastPkg, out.lastIndex = nil, map[string]map[string]int{}, "", nil
	for _, b := range s.benchmarks {
		if !keep(b.pkg, b.name) {
			continue
		}
		if out.index[b.pkg] == nil {
			out.index[b.pkg] = map[string]int{}
		}
		out.index[b.pkg][b.name] = len(out.benchmarks)
		out.benchmarks = append(out.benchmarks, b)
	}
	return &out
}
