package bench

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/perfctl/perfctl/internal/usererr"
)

// group is the samples of one benchmark in one unit on both sides.
type group struct {
	name, unit string
	pkg        string // the benchmark's package ("" if the files name none)
	label      string // name, qualified with the package when ambiguous
	procs      string // the -GOMAXPROCS suffix name keeps ("" when none)
	base, head []float64
	baseProcs  string // -GOMAXPROCS suffix on each side, for warnings
	headProcs  string
}

// pairing is the outcome of lining up two result sets.
type pairing struct {
	groups []group
}

// omitRemoved drops the groups that only base has.
func (p *pairing) omitRemoved() {
	kept := p.groups[:0]
	for i := range p.groups {
		if p.groups[i].head != nil {
			kept = append(kept, p.groups[i])
		}
	}
	p.groups = kept
}

// warnings are the problems of the pairing that do not prevent a verdict.
// Rows of the packages notRun left out are not missing.
func (p *pairing) warnings(baseName, headName string, notRun map[string]string) []string {
	return append(procsWarnings(p.groups), missingUnitWarnings(p.groups, baseName, headName, notRun)...)
}

// pair lines up the groups of base and head: one group per benchmark and
// unit, grouped by unit in the order units were first seen, and within a
// unit in the order benchmarks were first seen (base first, then what head
// adds).
//
// Configuration lines never split a group, with two exceptions that tell
// different benchmarks apart: a name measured in several packages (pkg:)
// is kept apart per package, and a name run with several GOMAXPROCS values
// (go test -cpu 1,2,4) keeps its -N suffix. Otherwise names lose the suffix,
// so results of machines with different core counts still pair (with a
// warning).
func pair(base, head *ResultSet, filter *regexp.Regexp, requireCommon bool) (*pairing, error) {
	multi := multiProcs(base, head)
	shared := sharedNames(multi, base, head)
	type key struct{ pkg, name, unit string }
	index := make(map[key]int)
	var groups []group
	var unitOrder []string
	matched, common := 0, 0

	add := func(set *ResultSet, isBase bool) {
		for _, b := range set.benchmarks {
			name, procs := displayName(b.name, multi)
			if filter != nil && !filter.MatchString(name) {
				continue
			}
			matched++
			kept := "" // the suffix, when name keeps it
			if name == b.name {
				kept = procs
			}
			pkgKey, label := "", name
			if shared[name] {
				pkgKey, label = b.pkg, name+" ["+shortPkg(b.pkg, shared[name])+"]"
			}
			for _, u := range b.units {
				if !slices.Contains(unitOrder, u.unit) {
					unitOrder = append(unitOrder, u.unit)
				}
				k := key{pkgKey, name, u.unit}
				i, ok := index[k]
				if !ok {
					i = len(groups)
					index[k] = i
					groups = append(groups, group{name: name, unit: u.unit, pkg: b.pkg, label: label, procs: kept})
				}
				g := &groups[i]
				if isBase {
					g.base, g.baseProcs = u.values, procs
				} else {
					g.head, g.headProcs = u.values, procs
					if g.base != nil {
						common++
					}
				}
			}
		}
	}
	add(base, true)
	add(head, false)

	if filter != nil && matched == 0 {
		return nil, &usererr.Error{Msg: fmt.Sprintf("--filter %q matches no benchmark", filter.String()),
			Hint: "names are matched without the Benchmark prefix and -GOMAXPROCS suffix, e.g. --filter '^Parse/'"}
	}
	if common == 0 && requireCommon {
		return nil, &usererr.Error{
			Msg: fmt.Sprintf("no benchmark in common: %s has %s, %s has %s",
				base.Source, describe(base, multi), head.Source, describe(head, multi)),
			Hint: "compare results of the same packages and benchmarks (check --filter and the -bench pattern used)"}
	}

	p := &pairing{groups: make([]group, 0, len(groups))}
	for _, u := range unitOrder {
		for i := range groups {
			if groups[i].unit == u {
				p.groups = append(p.groups, groups[i])
			}
		}
	}
	return p, nil
}

// multiProcs returns the names (without -GOMAXPROCS) that a file ran with
// more than one GOMAXPROCS value in one package.
func multiProcs(sets ...*ResultSet) map[string]bool {
	multi := make(map[string]bool)
	for _, set := range sets {
		type key struct{ pkg, name string }
		procs := make(map[key]string)
		for _, b := range set.benchmarks {
			name, p := splitProcs(b.name)
			k := key{b.pkg, name}
			if prev, ok := procs[k]; ok && prev != p {
				multi[name] = true
			}
			procs[k] = p
		}
	}
	return multi
}

// sharedNames returns the display names that a file measured in more than
// one package, mapped to whether the last elements of those package paths
// are unique (so a short label suffices).
func sharedNames(multi map[string]bool, sets ...*ResultSet) map[string]bool {
	pkgs := make(map[string][]string)
	for _, set := range sets {
		seen := make(map[string][]string)
		for _, b := range set.benchmarks {
			name, _ := displayName(b.name, multi)
			if !slices.Contains(seen[name], b.pkg) {
				seen[name] = append(seen[name], b.pkg)
			}
		}
		for name, ps := range seen {
			if len(ps) > 1 {
				for _, p := range ps {
					if !slices.Contains(pkgs[name], p) {
						pkgs[name] = append(pkgs[name], p)
					}
				}
			}
		}
	}
	shared := make(map[string]bool, len(pkgs))
	for name, ps := range pkgs {
		short := make(map[string]bool)
		for _, p := range ps {
			short[path.Base(p)] = true
		}
		shared[name] = len(short) == len(ps)
	}
	return shared
}

func shortPkg(pkg string, short bool) string {
	if pkg == "" {
		return "no pkg"
	}
	if short {
		return path.Base(pkg)
	}
	return pkg
}

// displayName strips the -GOMAXPROCS suffix unless the name ran with several.
func displayName(full string, multi map[string]bool) (name, procs string) {
	name, procs = splitProcs(full)
	if multi[name] {
		return full, procs
	}
	return name, procs
}

// SplitProcs splits a full benchmark name into its name as compare shows
// it and its -GOMAXPROCS suffix: "Join/n=10-8" into "Join/n=10" and "8".
func SplitProcs(full string) (name, procs string) { return splitProcs(full) }

// splitProcs splits "Join/n=10-8" into "Join/n=10" and "8".
func splitProcs(full string) (name, procs string) {
	i := len(full) - 1
	for i >= 0 && full[i] >= '0' && full[i] <= '9' {
		i--
	}
	if i > 0 && i < len(full)-1 && full[i] == '-' {
		return full[:i], full[i+1:]
	}
	return full, ""
}

func procsWarnings(groups []group) []string {
	type pair struct{ base, head string }
	var first []string
	seen := map[pair]bool{}
	for i := range groups {
		g := &groups[i]
		if g.base == nil || g.head == nil || g.baseProcs == g.headProcs {
			continue
		}
		k := pair{g.baseProcs, g.headProcs}
		if !seen[k] {
			seen[k] = true
			first = append(first, fmt.Sprintf("GOMAXPROCS differs: base ran %s with %s, head with %s: the results were measured on different parallelism and may not be comparable",
				g.name, orOne(g.baseProcs), orOne(g.headProcs)))
		}
	}
	return first
}

func orOne(procs string) string {
	if procs == "" {
		return "1"
	}
	return procs
}

// missingUnitWarnings warns when one side has no result at all in a unit the
// other side measured: typically head recorded without -benchmem, which
// would otherwise silently switch off the allocation gate.
func missingUnitWarnings(groups []group, baseName, headName string, notRun map[string]string) []string {
	type count struct{ base, head int }
	counts := map[string]*count{}
	var units []string
	for i := range groups {
		g := &groups[i]
		if notRun[g.pkg] != "" {
			continue
		}
		c := counts[g.unit]
		if c == nil {
			c = &count{}
			counts[g.unit] = c
			units = append(units, g.unit)
		}
		if g.base != nil {
			c.base++
		}
		if g.head != nil {
			c.head++
		}
	}
	var w []string
	for _, u := range units {
		c := counts[u]
		hint := ""
		if u == "B/op" || u == "allocs/op" {
			hint = " (recorded without -benchmem?)"
		}
		switch {
		case c.head == 0:
			w = append(w, fmt.Sprintf("%s has no %s results while %s has %d%s: those rows cannot be compared", headName, u, baseName, c.base, hint))
		case c.base == 0:
			w = append(w, fmt.Sprintf("%s has no %s results while %s has %d%s: those rows cannot be compared", baseName, u, headName, c.head, hint))
		}
	}
	return w
}

// describe summarises the benchmarks of a set, for error messages.
func describe(set *ResultSet, multi map[string]bool) string {
	names := set.Names()
	if len(names) == 1 {
		n, _ := displayName(names[0], multi)
		return "only " + n
	}
	shown := make([]string, 0, 3)
	for _, n := range names[:min(3, len(names))] {
		d, _ := displayName(n, multi)
		shown = append(shown, d)
	}
	more := ""
	if len(names) > 3 {
		more = ", …"
	}
	return fmt.Sprintf("%d benchmarks (%s%s)", len(names), strings.Join(shown, ", "), more)
}
