package profile

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/perfctl/perfctl/bench"
)

// Flame is bench.ProfileFlame: a Tree as a comparison document carries it
// (bench.RowProfile.Flame).
type Flame = bench.ProfileFlame

// MaxFlameName bounds, in bytes, a function's name and its file in a
// Flame: a flame graph repeats them in each frame's tooltip, so a long
// name, named once in a document, would be drawn up to DefaultMaxNodes
// times. Longer ones are cut, with an ellipsis.
const MaxFlameName = 1024

// cutName is s cut to MaxFlameName bytes, at a character's start.
func cutName(s string) string {
	if len(s) <= MaxFlameName {
		return s
	}
	const ellipsis = "…"
	n := MaxFlameName - len(ellipsis)
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + ellipsis
}

// FlameOf is t in the form a document carries: each function once, the
// nodes in pre-order, the root first; names longer than MaxFlameName are
// cut.
func FlameOf(t *Tree) *Flame {
	f := &Flame{SampleType: t.SampleType, Unit: t.Unit, Total: t.Total, BaseTotal: t.BaseTotal, Diff: t.Diff,
		Dropped: t.Dropped, Funcs: []bench.ProfileFlameFunc{}, Nodes: make([]bench.ProfileFlameNode, 0, t.Nodes)}
	index := map[bench.ProfileFlameFunc]int{}
	var walk func(n *Node, parent int)
	walk = func(n *Node, parent int) {
		fn := -1
		if parent >= 0 {
			key := bench.ProfileFlameFunc{Name: cutName(n.Name), File: cutName(n.File)}
			i, ok := index[key]
			if !ok {
				i = len(f.Funcs)
				index[key] = i
				f.Funcs = append(f.Funcs, key)
			}
			fn = i
		}
		self := len(f.Nodes)
		f.Nodes = append(f.Nodes, bench.ProfileFlameNode{Func: fn, Parent: parent, Value: n.Value, Base: n.Base})
		for _, c := range n.Children {
			walk(c, self)
		}
	}
	walk(t.Root, -1)
	return f
}

// TreeOf checks f, which may come from a document anyone wrote, and
// returns its tree: at most DefaultMaxNodes nodes, each node's parent an
// earlier node, every function index in range, values not negative, no
// node's children worth more than it (on either side of a difference),
// and the root's values the totals. A flame graph of the tree then stays
// within its width. Names longer than MaxFlameName are cut.
func TreeOf(f *Flame) (*Tree, error) {
	switch {
	case len(f.Nodes) == 0:
		return nil, errors.New("the flame graph has no nodes")
	case len(f.Nodes) > DefaultMaxNodes:
		return nil, fmt.Errorf("the flame graph has %d nodes, more than the %d perfctl keeps", len(f.Nodes), DefaultMaxNodes)
	case len(f.Funcs) > len(f.Nodes):
		return nil, fmt.Errorf("the flame graph has more functions (%d) than nodes (%d)", len(f.Funcs), len(f.Nodes))
	}
	r := f.Nodes[0]
	if r.Func != -1 || r.Parent != -1 {
		return nil, errors.New("the flame graph's first node is not its root (func and parent -1)")
	}
	if r.Value != f.Total || r.Base != f.BaseTotal {
		return nil, errors.New("the flame graph's root does not hold its totals")
	}
	if !f.Diff && f.BaseTotal != 0 {
		return nil, errors.New("the flame graph has a base total but is not a difference")
	}
	t := &Tree{SampleType: f.SampleType, Unit: f.Unit, Diff: f.Diff, Total: f.Total, BaseTotal: f.BaseTotal,
		Dropped: max(f.Dropped, 0), Nodes: len(f.Nodes)}
	nodes := make([]*Node, len(f.Nodes))
	sums := make([][2]int64, len(f.Nodes)) // the children's values, head and base
	for i, n := range f.Nodes {
		switch {
		case n.Value < 0 || n.Base < 0:
			return nil, fmt.Errorf("flame graph node %d has a negative value", i)
		case !f.Diff && n.Base != 0:
			return nil, fmt.Errorf("flame graph node %d has a base value but the graph is not a difference", i)
		}
		if i == 0 {
			nodes[0] = &Node{Name: "root", Value: n.Value, Base: n.Base}
			continue
		}
		if n.Parent < 0 || n.Parent >= i {
			return nil, fmt.Errorf("flame graph node %d has parent %d, not an earlier node", i, n.Parent)
		}
		if n.Func < 0 || n.Func >= len(f.Funcs) {
			return nil, fmt.Errorf("flame graph node %d has function %d of %d", i, n.Func, len(f.Funcs))
		}
		// Compared before adding, so that no sum overflows.
		s, p := &sums[n.Parent], nodes[n.Parent]
		if n.Value > p.Value-s[0] || n.Base > p.Base-s[1] {
			return nil, fmt.Errorf("flame graph node %d's children are worth more than it", n.Parent)
		}
		s[0] += n.Value
		s[1] += n.Base
		fn := f.Funcs[n.Func]
		nodes[i] = &Node{Name: cutName(fn.Name), File: cutName(fn.File), Value: n.Value, Base: n.Base}
		nodes[n.Parent].Children = append(nodes[n.Parent].Children, nodes[i])
	}
	t.Root = nodes[0]
	return t, nil
}
