package profile

import (
	"cmp"
	"slices"

	"github.com/google/pprof/profile"
)

// Defaults of TreeOptions.
const (
	DefaultMinFraction = 0.005 // frames under 0.5% of the total are left out
	DefaultMaxNodes    = 2000
)

// TreeOptions bound a Tree.
type TreeOptions struct {
	// MinFraction leaves out the frames whose value (head's or, in a
	// difference, the base's) is under this fraction of the larger total;
	// 0 means DefaultMinFraction.
	MinFraction float64
	// MaxNodes caps the number of nodes; 0 means DefaultMaxNodes. The
	// smallest frames go first.
	MaxNodes int
}

// A Tree is the call tree of a profile, the root's callers first: what a
// flame graph draws. Each node's value includes its children's.
type Tree struct {
	SampleType string
	Unit       string
	Diff       bool  // a difference: nodes have Base values
	Total      int64 // head's total: the root's Value
	BaseTotal  int64 // the base's total in a difference
	Root       *Node
	Nodes      int   // nodes kept, the root included
	Dropped    int64 // head's value in frames left out
}

// A Node is a function called along one path.
type Node struct {
	Name     string
	File     string
	Value    int64 // head's (the profile's) value here and below
	Base     int64 // the base's, in a difference
	Children []*Node
}

// Self is the value of n's own code: what its children do not account for.
func (n *Node) Self() int64 {
	v := n.Value
	for _, c := range n.Children {
		v -= c.Value
	}
	return v
}

// NewTree builds the call tree of p for sampleType, bounded by opts. For
// a difference from Diff, each node has head's value and the base's, so a
// flame graph draws head's widths coloured by the change.
func NewTree(p *profile.Profile, sampleType string, opts TreeOptions) (*Tree, error) {
	idx, err := sampleIndex(p, sampleType)
	if err != nil {
		return nil, err
	}
	if opts.MinFraction <= 0 {
		opts.MinFraction = DefaultMinFraction
	}
	if opts.MaxNodes <= 0 {
		opts.MaxNodes = DefaultMaxNodes
	}
	t := &Tree{SampleType: sampleType, Unit: p.SampleType[idx].Unit, Diff: IsDiff(p), Root: &Node{Name: "root"}}
	type building struct {
		node     *Node
		children map[string]*building
	}
	root := &building{node: t.Root, children: map[string]*building{}}
	var buf []frame
	for _, s := range p.Sample {
		v := s.Value[idx]
		if v == 0 {
			continue
		}
		base := isBase(s)
		if base {
			v = -v
		}
		buf = frames(s, buf)
		cur := root
		add := func(n *Node) {
			if base {
				n.Base += v
			} else {
				n.Value += v
			}
		}
		add(cur.node)
		for i := len(buf) - 1; i >= 0; i-- {
			f := buf[i]
			key := f.name + "\x00" + f.file
			next := cur.children[key]
			if next == nil {
				next = &building{node: &Node{Name: f.name, File: f.file}, children: map[string]*building{}}
				cur.children[key] = next
			}
			add(next.node)
			cur = next
		}
	}
	// Children in a fixed order, the nodes' tree without the maps.
	var settle func(b *building)
	settle = func(b *building) {
		for _, c := range b.children {
			b.node.Children = append(b.node.Children, c.node)
			settle(c)
		}
		sortNodes(b.node.Children)
	}
	settle(root)
	t.Total, t.BaseTotal = t.Root.Value, t.Root.Base
	t.prune(opts)
	return t, nil
}

func sortNodes(ns []*Node) {
	slices.SortFunc(ns, func(a, b *Node) int {
		if c := cmp.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return cmp.Compare(a.File, b.File)
	})
}

// size is what decides whether a node is kept: the larger of its values.
func (n *Node) size() int64 { return max(abs(n.Value), abs(n.Base)) }

// prune leaves out the nodes smaller than the fraction of the total, and
// the smallest nodes beyond the cap. A node is never larger than its
// parent, so what is kept stays a tree.
func (t *Tree) prune(opts TreeOptions) {
	threshold := int64(opts.MinFraction * float64(max(t.Total, t.BaseTotal)))
	threshold = max(threshold, 1)
	var sizes []int64
	var collect func(n *Node)
	collect = func(n *Node) {
		for _, c := range n.Children {
			if c.size() >= threshold {
				sizes = append(sizes, c.size())
				collect(c)
			}
		}
	}
	collect(t.Root)
	if len(sizes)+1 > opts.MaxNodes {
		slices.Sort(sizes)
		slices.Reverse(sizes)
		// Strictly above the size of the first node that does not fit.
		threshold = sizes[opts.MaxNodes-1] + 1
	}
	t.Nodes = 1
	var cut func(n *Node)
	cut = func(n *Node) {
		kept := n.Children[:0]
		for _, c := range n.Children {
			if c.size() >= threshold && t.Nodes < opts.MaxNodes {
				kept = append(kept, c)
				t.Nodes++
				continue
			}
			t.Dropped += c.Value
		}
		clear(n.Children[len(kept):])
		n.Children = kept
		for _, c := range kept {
			cut(c)
		}
	}
	cut(t.Root)
}
