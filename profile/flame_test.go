package profile_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/profile"
)

// TestFlameRoundTrip: a difference's tree, carried as JSON and checked
// back, is the same tree; each function is written once.
func TestFlameRoundTrip(t *testing.T) {
	base := synth(t, map[string]int64{"main;run;slow": 100, "main;run;fast": 100, "main;gc": 50})
	head := synth(t, map[string]int64{"main;run;slow": 400, "main;run;fast": 100, "main;slow": 30})
	d, err := profile.Diff(base, head, profile.CPU)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := profile.NewTree(d, profile.CPU, profile.TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f := profile.FlameOf(tr)
	if len(f.Nodes) != tr.Nodes {
		t.Errorf("%d nodes carried, the tree has %d", len(f.Nodes), tr.Nodes)
	}
	// main, run, slow, fast, gc: slow is called from two places, named once.
	if len(f.Funcs) != 5 {
		t.Errorf("%d functions, want 5: %+v", len(f.Funcs), f.Funcs)
	}
	text, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var back profile.Flame
	if err := json.Unmarshal(text, &back); err != nil {
		t.Fatal(err)
	}
	got, err := profile.TreeOf(&back)
	if err != nil {
		t.Fatalf("TreeOf(FlameOf(tree)): %v\n%s", err, text)
	}
	if !reflect.DeepEqual(got, tr) {
		t.Errorf("the tree read back differs:\n got %+v\nwant %+v", got, tr)
	}
}

// TestTreeOfRefuses: a flame graph from a document is checked before
// anything draws it.
func TestTreeOfRefuses(t *testing.T) {
	good := func() *profile.Flame {
		return &profile.Flame{SampleType: "cpu", Unit: "nanoseconds", Total: 100, BaseTotal: 50, Diff: true,
			Funcs: []bench.ProfileFlameFunc{{Name: "a"}, {Name: "b"}},
			Nodes: []bench.ProfileFlameNode{{Func: -1, Parent: -1, Value: 100, Base: 50}, {Func: 0, Parent: 0, Value: 60, Base: 10}, {Func: 1, Parent: 1, Value: 60, Base: 10}, {Func: 1, Parent: 0, Value: 40, Base: 40}}}
	}
	if _, err := profile.TreeOf(good()); err != nil {
		t.Fatalf("a good flame graph: %v", err)
	}
	many := good()
	for len(many.Nodes) <= profile.DefaultMaxNodes {
		many.Nodes = append(many.Nodes, bench.ProfileFlameNode{Func: 0, Parent: 0})
	}
	for _, c := range []struct {
		name string
		edit func(f *profile.Flame)
		want string
	}{
		{"no nodes", func(f *profile.Flame) { f.Nodes = nil }, "no nodes"},
		{"too many nodes", func(f *profile.Flame) { *f = *many }, "more than the 2000"},
		{"more funcs than nodes", func(f *profile.Flame) {
			f.Funcs = append(f.Funcs, make([]bench.ProfileFlameFunc, 3)...)
		}, "more functions"},
		{"root not first", func(f *profile.Flame) { f.Nodes[0].Func = 0 }, "not its root"},
		{"root not the total", func(f *profile.Flame) { f.Total = 101 }, "totals"},
		{"base total, no diff", func(f *profile.Flame) { f.Diff = false }, "not a difference"},
		{"parent later", func(f *profile.Flame) { f.Nodes[1].Parent = 2 }, "not an earlier node"},
		{"parent itself", func(f *profile.Flame) { f.Nodes[2].Parent = 2 }, "not an earlier node"},
		{"parent negative", func(f *profile.Flame) { f.Nodes[2].Parent = -1 }, "not an earlier node"},
		{"func out of range", func(f *profile.Flame) { f.Nodes[3].Func = 2 }, "function 2 of 2"},
		{"negative value", func(f *profile.Flame) { f.Nodes[3].Value = -1 }, "negative"},
		{"children too wide", func(f *profile.Flame) { f.Nodes[3].Value = 41 }, "worth more"},
		{"base children too wide", func(f *profile.Flame) { f.Nodes[2].Base = 11 }, "worth more"},
		{"overflow", func(f *profile.Flame) { f.Nodes[3].Value = 1<<63 - 1 }, "worth more"},
	} {
		f := good()
		c.edit(f)
		_, err := profile.TreeOf(f)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want one saying %q", c.name, err, c.want)
		}
	}
}

// TestFlameCutsLongNames: a name is drawn in every frame of its function,
// so a flame graph carries at most MaxFlameName bytes of it.
func TestFlameCutsLongNames(t *testing.T) {
	long := strings.Repeat("é", profile.MaxFlameName) // two bytes each
	tr := &profile.Tree{SampleType: "cpu", Unit: "nanoseconds", Total: 10, Nodes: 2,
		Root: &profile.Node{Name: "root", Value: 10, Children: []*profile.Node{{Name: long, File: long + ".go", Value: 10}}}}
	f := profile.FlameOf(tr)
	for _, s := range []string{f.Funcs[0].Name, f.Funcs[0].File} {
		if len(s) > profile.MaxFlameName || !strings.HasSuffix(s, "é…") {
			t.Errorf("FlameOf kept %d bytes ending %q, want at most %d ending in é…", len(s), s[len(s)-8:], profile.MaxFlameName)
		}
	}
	f.Funcs[0].Name = long // as a document might have it
	back, err := profile.TreeOf(f)
	if err != nil {
		t.Fatal(err)
	}
	if n := back.Root.Children[0].Name; len(n) > profile.MaxFlameName || !strings.HasPrefix(long, strings.TrimSuffix(n, "…")) {
		t.Errorf("TreeOf kept %d bytes of a %d-byte name", len(n), len(long))
	}
}

// FuzzTreeOf: whatever a document says, TreeOf returns an error or a tree
// whose children fit in their parents.
func FuzzTreeOf(f *testing.F) {
	f.Add(`{"total":3,"diff":false,"funcs":[{"name":"a"}],"nodes":[{"func":-1,"parent":-1,"value":3},{"func":0,"parent":0,"value":2}]}`)
	f.Add(`{"total":3,"base_total":1,"diff":true,"funcs":[{"name":"a"}],"nodes":[{"func":-1,"parent":-1,"value":3,"base":1},{"func":0,"parent":0,"value":3,"base":1},{"func":0,"parent":1,"value":1}]}`)
	f.Fuzz(func(t *testing.T, doc string) {
		var fl profile.Flame
		if json.Unmarshal([]byte(doc), &fl) != nil {
			return
		}
		tr, err := profile.TreeOf(&fl)
		if err != nil {
			return
		}
		var check func(n *profile.Node)
		check = func(n *profile.Node) {
			var v, b int64
			for _, c := range n.Children {
				if c.Value < 0 || c.Base < 0 {
					t.Fatalf("negative node %+v", c)
				}
				v += c.Value
				b += c.Base
				check(c)
			}
			if v > n.Value || b > n.Base || v < 0 || b < 0 {
				t.Fatalf("children of %q worth %d/%d, it %d/%d", n.Name, v, b, n.Value, n.Base)
			}
		}
		check(tr.Root)
		if tr.Root.Value != tr.Total {
			t.Fatalf("root %d, total %d", tr.Root.Value, tr.Total)
		}
	})
}
