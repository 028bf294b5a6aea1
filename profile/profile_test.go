package profile_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"

	pprofile "github.com/google/pprof/profile"

	"github.com/perfctl/perfctl/internal/usererr"
	"github.com/perfctl/perfctl/profile"
)

// synth builds a CPU profile of stacks (root first, "a;b;c") and their
// values.
func synth(t *testing.T, stacks map[string]int64) *pprofile.Profile {
	t.Helper()
	p := &pprofile.Profile{
		SampleType: []*pprofile.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}},
		PeriodType: &pprofile.ValueType{Type: "cpu", Unit: "nanoseconds"},
		Period:     10_000_000,
	}
	funcs := map[string]*pprofile.Function{}
	locs := map[string]*pprofile.Location{}
	for stack, v := range stacks {
		names := strings.Split(stack, ";")
		var ls []*pprofile.Location
		for i := len(names) - 1; i >= 0; i-- {
			n := names[i]
			if funcs[n] == nil {
				funcs[n] = &pprofile.Function{ID: uint64(len(funcs) + 1), Name: n, Filename: "example.com/m/" + n + ".go", StartLine: 1}
				p.Function = append(p.Function, funcs[n])
				locs[n] = &pprofile.Location{ID: uint64(len(locs) + 1), Line: []pprofile.Line{{Function: funcs[n], Line: 10}}}
				p.Location = append(p.Location, locs[n])
			}
			ls = append(ls, locs[n])
		}
		p.Sample = append(p.Sample, &pprofile.Sample{Location: ls, Value: []int64{v / 10_000_000, v}})
	}
	if err := p.CheckValid(); err != nil {
		t.Fatal(err)
	}
	return p
}

func names(fs []profile.Func) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Name)
	}
	return out
}

func TestTopFuncs(t *testing.T) {
	p := synth(t, map[string]int64{
		"main;run;parse":  300,
		"main;run;encode": 500,
		"main;run":        100,
		"main;gc":         100,
	})
	top, err := profile.TopFuncs(p, profile.CPU, 3)
	if err != nil {
		t.Fatal(err)
	}
	if top.Total != 1000 || top.Diff || top.Unit != "nanoseconds" {
		t.Errorf("total %d diff %v unit %q, want 1000 false nanoseconds", top.Total, top.Diff, top.Unit)
	}
	if got, want := strings.Join(names(top.Flat), " "), "encode parse gc"; got != want {
		t.Errorf("flat order %q, want %q (ties by name: gc before run)", got, want)
	}
	if got, want := strings.Join(names(top.Cum), " "), "main run encode"; got != want {
		t.Errorf("cum order %q, want %q", got, want)
	}
	e := top.Flat[0]
	if e.Flat != 500 || e.Cum != 500 || e.FlatPct != 50 || e.File != "example.com/m/encode.go" || e.Line != 10 || e.Delta != nil {
		t.Errorf("encode: %+v", e)
	}
	if run := top.Cum[1]; run.Flat != 100 || run.Cum != 900 || run.CumPct != 90 {
		t.Errorf("run: %+v", run)
	}
}

func TestDiffSyntheticRanksTheChange(t *testing.T) {
	base := synth(t, map[string]int64{"main;run;parse": 300, "main;run;encode": 500, "main;gc": 200})
	head := synth(t, map[string]int64{"main;run;parse": 900, "main;run;encode": 400, "main;gc": 200})
	d, err := profile.Diff(base, head, profile.CPU)
	if err != nil {
		t.Fatal(err)
	}
	if len(base.Sample) != 3 || base.Sample[0].Value[1] < 0 {
		t.Error("Diff changed its base")
	}
	top, err := profile.TopFuncs(d, profile.CPU, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !top.Diff || top.Total != 1500 || top.BaseTotal != 1000 {
		t.Fatalf("diff %v total %d base %d", top.Diff, top.Total, top.BaseTotal)
	}
	if got, want := strings.Join(names(top.Flat), " "), "parse encode"; got != want {
		t.Errorf("flat by change %q, want %q (gc did not change)", got, want)
	}
	p := top.Flat[0]
	if p.Flat != 900 || p.Delta.Flat != 600 || p.Delta.FlatPct != 40 {
		t.Errorf("parse: %+v %+v", p, p.Delta)
	}
	if e := top.Flat[1]; e.Delta.Flat != -100 {
		t.Errorf("encode shrank by 100: %+v", e.Delta)
	}
	if got := strings.Join(names(top.Cum), " "); got != "parse main run encode" {
		t.Errorf("cum by change %q", got)
	}
}

func TestDiffRefusesOtherKinds(t *testing.T) {
	cpu := synth(t, map[string]int64{"main": 1})
	if _, err := profile.Diff(cpu, cpu, profile.AllocSpace); err == nil || !strings.Contains(err.Error(), `"alloc_space"`) {
		t.Errorf("want an error naming the sample type, got %v", err)
	}
	other := synth(t, map[string]int64{"main": 1})
	other.PeriodType = &pprofile.ValueType{Type: "space", Unit: "bytes"}
	if _, err := profile.Diff(cpu, other, profile.CPU); err == nil {
		t.Error("profiles of different period types were merged")
	}
}

func TestSampleFor(t *testing.T) {
	for unit, want := range map[string]string{"sec/op": "cpu", "ns/op": "cpu", "B/op": "alloc_space", "allocs/op": "alloc_objects", "MB/s": ""} {
		if got := profile.SampleFor(unit); got != want {
			t.Errorf("SampleFor(%q) = %q, want %q", unit, got, want)
		}
	}
}

func TestTree(t *testing.T) {
	p := synth(t, map[string]int64{
		"main;run;parse":  3000,
		"main;run;encode": 5000,
		"main;run;tiny":   40, // under 0.5% of 10000
		"main;gc":         1960,
	})
	tr, err := profile.NewTree(p, profile.CPU, profile.TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Total != 10000 || tr.Root.Value != 10000 || tr.Dropped != 40 {
		t.Fatalf("total %d root %d dropped %d", tr.Total, tr.Root.Value, tr.Dropped)
	}
	main := tr.Root.Children[0]
	if len(tr.Root.Children) != 1 || main.Name != "main" || len(main.Children) != 2 {
		t.Fatalf("root children %+v", tr.Root.Children)
	}
	run := main.Children[1] // gc, run: by name
	if run.Name != "run" || run.Value != 8040 || len(run.Children) != 2 || run.Self() != 40 {
		t.Errorf("run: %+v self %d", run, run.Self())
	}
	if tr.Nodes != 6 {
		t.Errorf("nodes %d, want 6 (root main gc run encode parse)", tr.Nodes)
	}

	capped, err := profile.NewTree(p, profile.CPU, profile.TreeOptions{MaxNodes: 3})
	if err != nil {
		t.Fatal(err)
	}
	if capped.Nodes > 3 || capped.Root.Children[0].Children[0].Name != "run" {
		t.Errorf("capped to 3 nodes: %d, %+v", capped.Nodes, capped.Root.Children[0].Children)
	}
}

func TestTreeOfADiff(t *testing.T) {
	base := synth(t, map[string]int64{"main;slow": 100, "main;fast": 100})
	head := synth(t, map[string]int64{"main;slow": 400, "main;fast": 100})
	d, err := profile.Diff(base, head, profile.CPU)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := profile.NewTree(d, profile.CPU, profile.TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	slow := tr.Root.Children[0].Children[1]
	if !tr.Diff || slow.Name != "slow" || slow.Value != 400 || slow.Base != 100 || tr.BaseTotal != 200 {
		t.Errorf("diff tree: %+v, slow %+v", tr, slow)
	}
}

func TestReadBounds(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.pprof")
	if err := os.WriteFile(big, make([]byte, profile.MaxFileSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := profile.Read(big)
	var ue *usererr.Error
	if !errors.As(err, &ue) || !strings.Contains(ue.Msg, "larger than 64 MiB") {
		t.Errorf("a file over the cap: %v", err)
	}

	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestSpeed)
	chunk := make([]byte, 1<<20)
	for range profile.MaxDecodedSize>>20 + 1 {
		if _, err := zw.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	zw.Close()
	if _, err := profile.Parse("bomb", bomb.Bytes()); err == nil || !strings.Contains(err.Error(), "expands to more than") {
		t.Errorf("a gzip bomb: %v", err)
	}
	if _, err := profile.Parse("junk", []byte("not a profile")); err == nil {
		t.Error("junk parsed")
	}
	if _, err := profile.Read(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
}

// slowPath and fastPath do the same work, in their own code.
//
//go:noinline
func slowPath(n int) uint64 {
	x := uint64(1)
	for i := range n {
		x = x*6364136223846793005 + uint64(i)
	}
	return x
}

//go:noinline
func fastPath(n int) uint64 {
	x := uint64(1)
	for i := range n {
		x = x*6364136223846793005 + uint64(i)
	}
	return x
}

var sink uint64

// cpuProfile profiles work in this process and reads the profile back.
func cpuProfile(t *testing.T, work func()) *pprofile.Profile {
	t.Helper()
	var buf bytes.Buffer
	if err := pprof.StartCPUProfile(&buf); err != nil {
		t.Fatal(err)
	}
	work()
	pprof.StopCPUProfile()
	p, err := profile.Parse("cpu", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDiffRealCPUProfiles profiles the same work twice, the second time
// with slowPath doing four times as much: the difference names slowPath
// first, by flat and by cumulative time.
func TestDiffRealCPUProfiles(t *testing.T) {
	// Enough work for some 30 samples of base (100 a second of CPU time),
	// however busy the machine: double it until the profiles have them.
	var base, head *pprofile.Profile
	for n := 1 << 26; ; n *= 2 {
		base = cpuProfile(t, func() { sink += slowPath(n) + fastPath(n) })
		head = cpuProfile(t, func() { sink += slowPath(4*n) + fastPath(n) })
		if samples(base) >= 30 || n > 1<<34 {
			break
		}
	}
	// The closures differ (func1, func2): only slowPath and fastPath are in
	// both.
	d, err := profile.Diff(base, head, profile.CPU)
	if err != nil {
		t.Fatal(err)
	}
	top, err := profile.TopFuncs(d, profile.CPU, 5)
	if err != nil {
		t.Fatal(err)
	}
	const want = "github.com/perfctl/perfctl/profile_test.slowPath"
	if len(top.Flat) == 0 || top.Flat[0].Name != want {
		t.Fatalf("flat by change: %v, want %s first", names(top.Flat), want)
	}
	sp := top.Flat[0]
	if sp.Delta.Flat <= 0 || sp.Delta.Cum <= 0 || !strings.HasSuffix(sp.File, "profile_test.go") || sp.Line == 0 {
		t.Errorf("slowPath: %+v %+v", sp, sp.Delta)
	}
	for _, f := range top.Flat {
		if f.Name == "github.com/perfctl/perfctl/profile_test.fastPath" && abs(f.Delta.Flat) >= sp.Delta.Flat {
			t.Errorf("fastPath changed as much as slowPath: %+v vs %+v", f.Delta, sp.Delta)
		}
	}
}

func abs(v int64) int64 { return max(v, -v) }

// samples is the number of samples of a CPU profile.
func samples(p *pprofile.Profile) int64 {
	var n int64
	for _, s := range p.Sample {
		n += s.Value[0]
	}
	return n
}

//go:noinline
func allocHeavy(n int) [][]byte {
	out := make([][]byte, 0, n)
	for range n {
		out = append(out, make([]byte, 256))
	}
	return out
}

// TestDiffRealAllocProfiles: the allocations between two snapshots of the
// process's allocation profile are allocHeavy's.
func TestDiffRealAllocProfiles(t *testing.T) {
	old := runtime.MemProfileRate
	runtime.MemProfileRate = 1
	defer func() { runtime.MemProfileRate = old }()
	snapshot := func() *pprofile.Profile {
		runtime.GC()
		runtime.GC()
		var buf bytes.Buffer
		if err := pprof.Lookup("allocs").WriteTo(&buf, 0); err != nil {
			t.Fatal(err)
		}
		p, err := profile.Parse("allocs", buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	base := snapshot()
	keep := allocHeavy(10000)
	head := snapshot()
	_ = keep
	for _, st := range []string{profile.AllocSpace, profile.AllocObjects} {
		d, err := profile.Diff(base, head, st)
		if err != nil {
			t.Fatal(err)
		}
		top, err := profile.TopFuncs(d, st, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(top.Flat) == 0 || top.Flat[0].Name != "github.com/perfctl/perfctl/profile_test.allocHeavy" {
			t.Errorf("%s: flat by change %v, want allocHeavy first", st, names(top.Flat))
			continue
		}
		if st == profile.AllocObjects && top.Flat[0].Delta.Flat < 10000 {
			t.Errorf("allocHeavy allocated %d objects more, want at least 10000", top.Flat[0].Delta.Flat)
		}
	}
}

func TestSanitize(t *testing.T) {
	for in, want := range map[string]string{
		"Pipeline":                   "Pipeline",
		"Parse/n=10":                 "Parse_n_10",
		"../../etc/passwd":           "_.._etc_passwd",
		"-rf":                        "rf",
		"":                           "bench",
		"...":                        "bench",
		"ünïcode":                    "__n__code",
		strings.Repeat("a", 100):     strings.Repeat("a", profile.MaxNameLen),
		"a b\tc\nd;e$(f)`g`'h'\"i\"": "a_b_c_d_e__f__g__h__i_",
	} {
		if got := profile.Sanitize(in); got != want {
			t.Errorf("Sanitize(%q) = %q, want %q", in, got, want)
		}
	}
}
