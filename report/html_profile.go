package report

import (
	"fmt"
	"html/template"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/compare"
	"github.com/perfctl/perfctl/profile"
)

// htmlProfile is where a regressed row's cost went (compare --profile),
// shown under the row: the functions whose cost changed most and flame
// graphs of the difference and of head, drawn inline as SVG.
type htmlProfile struct {
	Class            string // the row's status, for colour
	What, Totals     string // "CPU time", "1.20s → 1.50s"
	Funcs            []htmlProfileFunc
	Command, Warning string
	Diff, Head       template.HTML // the flame graphs; "" when none
	DiffNote         string
	HeadNote         string
}

type htmlProfileFunc struct{ Flat, Cum, Name, At string }

// htmlMaxFlames is the most rows whose flame graphs a report draws: all
// those of one compare --profile (its benchmarks, in sec/op, B/op and
// allocs/op). A document from elsewhere may have more; each graph has up
// to 2,000 frames.
const htmlMaxFlames = compare.DefaultProfileMax * 3

// profileOf is r's profile for the HTML report, with its flame graphs
// when draw is set; nil when it has none.
func profileOf(r *bench.Row, draw bool) *htmlProfile {
	if r.Profile == nil {
		return nil
	}
	hp := &htmlProfile{Command: r.Profile.Command, Warning: r.Profile.Warning}
	what, top := rowProfileTop(r)
	if top == nil {
		hp.What = "cost"
		if hp.Warning == "" {
			hp.Warning = "no profile"
		}
		return hp
	}
	hp.What, hp.Totals = what, FormatValue(top.BaseTotal, top.Unit)+" → "+FormatValue(top.Total, top.Unit)
	for _, f := range profileFuncs(top) {
		flat, cum := deltaOf(&f)
		hp.Funcs = append(hp.Funcs, htmlProfileFunc{Flat: signedValue(flat, top.Unit), Cum: signedValue(cum, top.Unit), Name: f.Name, At: funcAt(&f)})
	}
	if r.Profile.Flame == nil {
		return hp
	}
	if !draw {
		hp.Warning = fmt.Sprintf("no flame graph: the report draws those of the first %d profiled rows", htmlMaxFlames)
		return hp
	}
	tree, err := profile.TreeOf(r.Profile.Flame)
	if err != nil {
		hp.Warning = "no flame graph: " + err.Error()
		return hp
	}
	if hp.Diff, err = FlameGraphSVG(tree); err != nil {
		hp.Warning = "no flame graph: " + err.Error()
		return hp
	}
	hp.DiffNote = fmt.Sprintf("head %s, base %s. Widths are head's; red frames cost more than in the base, blue frames less.",
		FormatValue(tree.Total, tree.Unit), FormatValue(tree.BaseTotal, tree.Unit))
	// Head on its own: the same tree, drawn as a profile.
	head := *tree
	head.Diff, head.BaseTotal = false, 0
	if hp.Head, err = FlameGraphSVG(&head); err != nil {
		hp.Warning = "no flame graph of head: " + err.Error()
		return hp
	}
	hp.HeadNote = FormatValue(tree.Total, tree.Unit) + " in total."
	if tree.Dropped > 0 {
		dropped := fmt.Sprintf(" %s in frames under 0.5%% of the total, left out.", FormatValue(tree.Dropped, tree.Unit))
		hp.DiffNote += dropped
		hp.HeadNote += dropped
	}
	return hp
}
