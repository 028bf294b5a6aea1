package shard

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/english"
	"github.com/perfctl/perfctl/internal/usererr"
)

// MaxInputs bounds how many files one merge reads.
const MaxInputs = MaxShards

// identity is what every shard of one run must agree on, and where each
// shard came from.
type identity struct {
	file         string
	index, total int
	plan         string
	base, head   string            // commits; "" unknown
	env          map[string]string // EnvironmentKeys
	flags        map[string]string // how the benchmarks ran
}

// refuse is the error of shards that do not make one run.
func refuse(msg, hint string) *usererr.Error { return &usererr.Error{Msg: msg, Hint: hint} }

const sameRunHint = "merge the files of the jobs of one pipeline run: the same commit, perfctl flags and --shard N, on the same kind of runner"

// check verifies that ids are the shards 1..N of one plan, each once, of
// the same commits and environment; warnings are differences that do not
// prevent a merge (skipEnv: keys only warned about).
func check(ids []identity, skipEnv string) (warnings []string, err error) {
	if len(ids) == 0 {
		return nil, refuse("nothing to merge", "give the file of every shard")
	}
	if len(ids) > MaxInputs {
		return nil, refuse(fmt.Sprintf("%d files is more than the %d shards a plan can have", len(ids), MaxShards), "give one file per shard")
	}
	first := &ids[0]
	seen := map[int]string{}
	for i := range ids {
		id := &ids[i]
		switch {
		case id.total != first.total:
			return nil, refuse(fmt.Sprintf("%s is shard %d/%d but %s is shard %d/%d: shards of different plans", id.file, id.index, id.total, first.file, first.index, first.total),
				"run every job with the same --shard I/N total")
		case id.plan != first.plan:
			return nil, refuse(fmt.Sprintf("%s was planned differently from %s (plan %s, not %s): the jobs saw different packages, benchmarks or weights", id.file, first.file, id.plan, first.plan),
				"run every shard on the same commit with the same flags and --shard-weights; perfctl shard plan shows the plan")
		case id.base != "" && first.base != "" && id.base != first.base:
			return nil, refuse(fmt.Sprintf("%s compared against base %s but %s against %s", id.file, id.base, first.file, first.base), sameRunHint)
		case id.head != "" && first.head != "" && id.head != first.head:
			return nil, refuse(fmt.Sprintf("%s measured commit %s but %s measured %s", id.file, id.head, first.file, first.head), sameRunHint)
		}
		for _, k := range slices.Sorted(maps.Keys(id.flags)) {
			if id.flags[k] != first.flags[k] {
				return nil, refuse(fmt.Sprintf("%s ran with %s %q but %s with %q", id.file, k, id.flags[k], first.file, first.flags[k]), sameRunHint)
			}
		}
		for _, k := range bench.EnvironmentKeys {
			a, b := id.env[k], first.env[k]
			if a == "" || b == "" || a == b {
				continue
			}
			if k == skipEnv {
				warnings = append(warnings, fmt.Sprintf("the shards ran on different CPUs (%s: %q, %s: %q): each compared base and head on its own machine, so each row stands, but their times are not comparable across rows",
					first.file, b, id.file, a))
				continue
			}
			return nil, refuse(fmt.Sprintf("%s was measured with %s %q but %s with %q: different environments", id.file, k, a, first.file, b), sameRunHint)
		}
		if other, dup := seen[id.index]; dup {
			return nil, refuse(fmt.Sprintf("shard %d/%d is given twice: %s and %s", id.index, id.total, other, id.file),
				"give each shard's file once")
		}
		seen[id.index] = id.file
	}
	var missing []string
	for i := 1; i <= first.total; i++ {
		if _, ok := seen[i]; !ok {
			missing = append(missing, strconv.Itoa(i))
		}
	}
	if len(missing) > 0 {
		return nil, refuse(fmt.Sprintf("%s %s of %d missing: the merge would decide on part of the benchmarks",
			english.Plural(len(missing), "shard", "shards"), strings.Join(missing, ", "), first.total),
			"give the file of every shard; a job that failed must be run again (its gate has no verdict)")
	}
	return slices.Compact(warnings), nil
}

// A Comparison is one shard's comparison and the file it came from.
type Comparison struct {
	File string
	C    *bench.Comparison
}

// MergeComparisons joins the comparisons of every shard of one plan into
// one: the rows of all, decided again with the correction over all of
// them (bench.Comparison.Redecide), as one unsharded run would have
// decided them, and the shards' warnings once each.
func MergeComparisons(in []Comparison) (*bench.Comparison, error) {
	ids := make([]identity, len(in))
	for i := range in {
		c := in[i].C
		if c.Shard == nil || c.Shard.Index == 0 {
			what := "has no shard identity"
			if c.Shard != nil {
				what = "is a merged comparison already"
			}
			return nil, &usererr.Error{File: in[i].File, Msg: what,
				Hint: "give the output of perfctl compare --shard I/N --format json of each shard"}
		}
		s := c.Shard
		ids[i] = identity{file: in[i].File, index: s.Index, total: s.Total, plan: s.Plan, base: s.BaseCommit, head: s.HeadCommit,
			env: s.Environment, flags: map[string]string{
				"alpha": strconv.FormatFloat(c.Alpha, 'g', -1, 64), "correction": c.Correction.String(), "method": c.Method}}
	}
	warnings, err := check(ids, bench.KeyCPU)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(in, func(a, b Comparison) int { return a.C.Shard.Index - b.C.Shard.Index })
	first := in[0].C
	out := &bench.Comparison{Alpha: first.Alpha, Confidence: first.Confidence, Method: first.Method, Correction: first.Correction,
		Shard: &bench.ShardInfo{Total: first.Shard.Total, Plan: first.Shard.Plan, BaseCommit: first.Shard.BaseCommit,
			HeadCommit: first.Shard.HeadCommit, Environment: first.Shard.Environment}}
	type key struct{ pkg, name, unit, procs string }
	from := map[key]int{}
	var units []string
	byUnit := map[string][]bench.Row{}
	for _, s := range in {
		c := s.C
		out.Rounds = max(out.Rounds, c.Rounds)
		out.Incomparable = out.Incomparable || c.Incomparable
		out.Noisy += c.Noisy
		out.Shard.Truncated = out.Shard.Truncated || c.Shard.Truncated
		for _, w := range c.Warnings {
			if !slices.Contains(out.Warnings, w) {
				out.Warnings = append(out.Warnings, w)
			}
		}
		for i := range c.Rows {
			r := &c.Rows[i]
			k := key{r.Pkg, r.Name, r.Unit, r.Procs}
			if other, dup := from[k]; dup {
				return nil, refuse(fmt.Sprintf("%s (%s, %s) is in shard %d and in shard %d: the shards overlap", r.Name, r.Pkg, r.Unit, other, c.Shard.Index),
					"the files do not come from one plan's jobs; "+sameRunHint)
			}
			from[k] = c.Shard.Index
			if _, ok := byUnit[r.Unit]; !ok {
				units = append(units, r.Unit)
			}
			byUnit[r.Unit] = append(byUnit[r.Unit], *r)
		}
	}
	for _, u := range units {
		out.Rows = append(out.Rows, byUnit[u]...)
	}
	labels(out.Rows)
	out.Redecide(out.Shard.Truncated)
	out.Warnings = append(out.Warnings, warnings...)
	return out, nil
}

// labels names rows by their package too where one name is measured in
// several packages, as a comparison of one run does.
func labels(rows []bench.Row) {
	pkgs := map[string]map[string]bool{}
	for i := range rows {
		if pkgs[rows[i].Name] == nil {
			pkgs[rows[i].Name] = map[string]bool{}
		}
		pkgs[rows[i].Name][rows[i].Pkg] = true
	}
	for i := range rows {
		r := &rows[i]
		if r.Label == "" || r.Label == r.Name {
			r.Label = r.Name
			if len(pkgs[r.Name]) > 1 && r.Pkg != "" {
				r.Label = r.Pkg + "." + r.Name
			}
		}
	}
}

// A File is a file of benchmark results and its name.
type File struct {
	Name string
	Text []byte
}

// runFlags are the recorded settings every shard of a run shares.
var runFlags = []string{bench.KeyBench, bench.KeyCount, bench.KeyBenchtime, bench.KeyCPUList, bench.KeyTags, bench.KeyPackages, bench.KeyDir}

// MergeResults joins the benchfmt files of every shard of one plan
// (perfctl bench or baseline save with --shard) into one, for baseline
// save --from and history add: the files one after the other without
// their shard lines, with the first's recorded-at. The shards must be of
// one commit and one environment, cpu included: a baseline that mixed
// machines would warn in every later comparison.
func MergeResults(in []File) ([]byte, error) {
	ids := make([]identity, len(in))
	for i := range in {
		set, err := bench.Read(bytes.NewReader(in[i].Text), in[i].Name)
		if err != nil {
			return nil, err
		}
		sh := set.ConfigValue(bench.KeyShard)
		if sh == "" {
			return nil, &usererr.Error{File: in[i].Name, Msg: "has no shard line (shard: I/N), or several",
				Hint: "give the output of perfctl bench --shard I/N (or of perfctl baseline save --shard) of each shard"}
		}
		sel, err := ParseSelector(sh)
		if err != nil {
			return nil, &usererr.Error{File: in[i].Name, Msg: "has a bad shard line: " + err.Error(), Hint: "give the files perfctl wrote"}
		}
		id := identity{file: in[i].Name, index: sel.Index, total: sel.Total, plan: set.ConfigValue(bench.KeyShardPlan),
			head: commitOf(set), env: map[string]string{}, flags: map[string]string{}}
		for _, k := range bench.EnvironmentKeys {
			id.env[k] = set.ConfigValue(k)
		}
		for _, k := range runFlags {
			id.flags[k] = set.ConfigValue(k)
		}
		ids[i] = id
	}
	if _, err := check(ids, ""); err != nil {
		return nil, err
	}
	order := make([]int, len(in))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return ids[a].index - ids[b].index })
	var out bytes.Buffer
	recorded := ""
	for _, i := range order {
		for line := range strings.Lines(string(in[i].Text)) {
			switch {
			case strings.HasPrefix(line, bench.KeyShard+":"):
				continue
			case strings.HasPrefix(line, bench.KeyRecordedAt+":"):
				if recorded == "" {
					recorded = line
				}
				line = recorded
			}
			out.WriteString(line)
			if !strings.HasSuffix(line, "\n") {
				out.WriteByte('\n')
			}
		}
	}
	return out.Bytes(), nil
}

func commitOf(set *bench.ResultSet) string {
	c := set.ConfigValue(bench.KeyCommit)
	if c != "" && set.ConfigValue(bench.KeyDirty) == "true" {
		c += "-dirty"
	}
	return c
}
