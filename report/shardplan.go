package report

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/perfctl/perfctl/internal/english"
	"github.com/perfctl/perfctl/internal/termsafe"
	"github.com/perfctl/perfctl/shard"
)

// ShardPlanSchema identifies the JSON document of perfctl shard plan.
const ShardPlanSchema = "perfctl/shard-plan/v1"

type shardPlanDoc struct {
	Schema  string          `json:"schema"`
	Plan    string          `json:"plan"`
	Total   int             `json:"total"`
	Basis   string          `json:"basis"`
	Unit    string          `json:"unit"`
	Ideal   float64         `json:"ideal"`
	Slowest float64         `json:"slowest"`
	Shards  []shardPlanJSON `json:"shards"`
}

type shardPlanJSON struct {
	Index    int            `json:"index"`
	Expected float64        `json:"expected"`
	Parts    []shardPartDoc `json:"packages"`
}

type shardPartDoc struct {
	Pkg        string   `json:"pkg"`
	Benchmarks []string `json:"benchmarks,omitempty"`
	// Bench is the -bench pattern of a part of a split package.
	Bench    string  `json:"bench,omitempty"`
	Part     string  `json:"part,omitempty"`
	Expected float64 `json:"expected"`
}

func shardPlanJSONWrite(w io.Writer, p *shard.Plan) error {
	doc := shardPlanDoc{Schema: ShardPlanSchema, Plan: p.Hash, Total: p.Total, Basis: p.Basis, Unit: p.Unit, Ideal: p.Ideal,
		Slowest: p.Slowest(), Shards: make([]shardPlanJSON, len(p.Shards))}
	for i, s := range p.Shards {
		doc.Shards[i] = shardPlanJSON{Index: s.Index, Expected: s.Expected, Parts: []shardPartDoc{}}
		for _, pt := range s.Parts {
			d := shardPartDoc{Pkg: pt.Pkg, Benchmarks: pt.Benchmarks, Expected: pt.Expected}
			if pt.Benchmarks != nil {
				d.Bench, d.Part = exactNames(pt.Benchmarks), fmt.Sprintf("split across %d shards", pt.Of)
			}
			doc.Shards[i].Parts = append(doc.Shards[i].Parts, d)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(&doc)
}

// exactNames is the -bench pattern of exactly the top-level benchmarks
// names.
func exactNames(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = regexp.QuoteMeta(n)
	}
	return "^(" + strings.Join(q, "|") + ")$"
}

// weight says a weight of p in its unit.
func weight(p *shard.Plan, v float64) string {
	if p.Unit == "ns" {
		return time.Duration(v).Round(time.Millisecond).String()
	}
	if v == 1 {
		return "1 benchmark"
	}
	return fmt.Sprintf("%.3g %s", v, p.Unit)
}

func shardPlanText(w io.Writer, p *shard.Plan) error {
	var b strings.Builder
	ratio := 1.0
	if p.Ideal > 0 {
		ratio = p.Slowest() / p.Ideal
	}
	fmt.Fprintf(&b, "plan %s: %s, balanced by %s; ideal %s a shard, slowest %s (%.2f× the ideal)\n",
		p.Hash, english.Plural(p.Total, "shard", "shards"), termsafe.String(p.Basis, false)+unitWord(p), weight(p, p.Ideal), weight(p, p.Slowest()), ratio)
	for _, s := range p.Shards {
		fmt.Fprintf(&b, "\nshard %d/%d  %s\n", s.Index, p.Total, weight(p, s.Expected))
		for _, pt := range s.Parts {
			fmt.Fprintf(&b, "  %s  %s", termsafe.String(pt.Pkg, false), weight(p, pt.Expected))
			if pt.Benchmarks != nil {
				fmt.Fprintf(&b, "  (split across %d shards) --bench '%s'", pt.Of, termsafe.String(exactNames(pt.Benchmarks), false))
			}
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// unitWord says what a weight of p is, after its basis.
func unitWord(p *shard.Plan) string {
	if p.Unit == "ns" {
		return " (the expected time of a round)"
	}
	return ""
}
