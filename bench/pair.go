package bench

import (
	"fmt"
	"regexp"
	"strings"
)

// pair lines up the groups of base and head: one group per (name, unit),
// grouped by unit in the order units were first seen, and within a unit in
// the order benchmarks were first seen (base first, then what head adds).
//
// Names lose their -GOMAXPROCS suffix unless a file ran the same benchmark
// with several GOMAXPROCS values (go test -cpu 1,2,4); then the suffix is what
// tells the rows apart and is kept.
func pair(base, head *ResultSet, filter *regexp.Regexp) ([]group, error) {
	multi := multiProcs(base, head)
	type key struct{ name, unit string }
	index := make(map[key]int)
	var groups []group
	var unitOrder []string
	seenUnit := make(map[string]bool)
	matched, common := 0, 0

	add := func(set *ResultSet, isBase bool) {
		for _, b := range set.benchmarks {
			name := displayName(b.name, multi)
			if filter != nil && !filter.MatchString(name) {
				continue
			}
			matched++
			for _, u := range b.units {
				if !seenUnit[u.unit] {
					seenUnit[u.unit] = true
					unitOrder = append(unitOrder, u.unit)
				}
				k := key{name, u.unit}
				i, ok := index[k]
				if !ok {
					i = len(groups)
					index[k] = i
					groups = append(groups, group{name: name, unit: u.unit})
				}
				if isBase {
					groups[i].base = u.values
				} else {
					groups[i].head = u.values
					if groups[i].base != nil {
						common++
					}
				}
			}
		}
	}
	add(base, true)
	add(head, false)

	if filter != nil && matched == 0 {
		return nil, &InputError{Msg: fmt.Sprintf("--filter %q matches no benchmark", filter.String()),
			Hint: "names are matched without the Benchmark prefix and -GOMAXPROCS suffix, e.g. --filter '^Parse/'"}
	}
	if common == 0 {
		return nil, &InputError{
			Msg: fmt.Sprintf("no benchmark in common: %s has %s, %s has %s",
				base.Source, sample(base, multi), head.Source, sample(head, multi)),
			Hint: "compare results of the same packages and benchmarks (check --filter and the -bench pattern used)"}
	}

	// Order by unit, keeping first-seen order within a unit.
	ordered := make([]group, 0, len(groups))
	for _, u := range unitOrder {
		for _, g := range groups {
			if g.unit == u {
				ordered = append(ordered, g)
			}
		}
	}
	return ordered, nil
}

// multiProcs returns the base names (without -GOMAXPROCS) that a file ran with
// more than one GOMAXPROCS value.
func multiProcs(sets ...*ResultSet) map[string]bool {
	multi := make(map[string]bool)
	for _, set := range sets {
		procs := make(map[string]string)
		for _, b := range set.benchmarks {
			name, p := splitProcs(b.name)
			if prev, ok := procs[name]; ok && prev != p {
				multi[name] = true
			}
			procs[name] = p
		}
	}
	return multi
}

func displayName(full string, multi map[string]bool) string {
	name, _ := splitProcs(full)
	if multi[name] {
		return full
	}
	return name
}

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

// sample describes the benchmarks of a set briefly, for error messages.
func sample(set *ResultSet, multi map[string]bool) string {
	names := set.Names()
	switch len(names) {
	case 0:
		return "no benchmarks"
	case 1:
		return "only " + displayName(names[0], multi)
	}
	shown := make([]string, 0, 3)
	for _, n := range names[:min(3, len(names))] {
		shown = append(shown, displayName(n, multi))
	}
	more := ""
	if len(names) > 3 {
		more = ", …"
	}
	return fmt.Sprintf("%d benchmarks (%s%s)", len(names), strings.Join(shown, ", "), more)
}
