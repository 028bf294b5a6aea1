package compare

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/usererr"
	"github.com/perfctl/perfctl/profile"
)

// Bounds of compare --profile.
const (
	// DefaultProfileMax is the most regressed benchmarks profiled.
	DefaultProfileMax = 5
	// DefaultProfileTime bounds the profiled runs together: no benchmark
	// starts after it.
	DefaultProfileTime = 2 * time.Minute
	// DefaultProfileBenchtime is about how long the slower side's profiled
	// run takes: a CPU profile samples 100 times a second, so a second
	// gives about a hundred samples.
	DefaultProfileBenchtime = time.Second
	// maxProfileIterations bounds the iterations of a profiled run.
	maxProfileIterations = 1_000_000_000
	// DefaultProfileTop is the functions listed per difference.
	DefaultProfileTop = 5
)

// A ProfileRequest asks a comparison of interleaved runs to profile its
// regressions after the verdict: each regressed benchmark runs once more
// on each side, from the binaries already built, with a CPU profile (and
// an allocation profile when B/op or allocs/op regressed), and the row
// gets the functions whose cost changed the most (bench.Row.Profile).
// The verdict never depends on it.
type ProfileRequest struct {
	// Dir keeps the profiles (absolute; created when missing), named
	// <Bench>.base.cpu.pprof, <Bench>.head.cpu.pprof,
	// <Bench>.base.alloc.pprof, <Bench>.head.alloc.pprof; "" for a
	// temporary directory removed afterwards.
	Dir string
	// Shown is Dir as the user types it, for the commands printed.
	Shown string
	// Implied is set when the user did not ask for profiles (Markdown
	// turns them on): where they cannot be collected, nothing is said.
	Implied bool
	Max     int           // 0: DefaultProfileMax
	MaxTime time.Duration // 0: DefaultProfileTime
	// Benchtime is about how long the slower side's run takes (0:
	// DefaultProfileBenchtime): both sides run the same number of
	// iterations, so that their profiles cover the same work and their
	// difference is where the time went, as go tool pprof -diff_base
	// shows it.
	Benchtime time.Duration
	Top       int // 0: DefaultProfileTop
}

func (p *ProfileRequest) withDefaults() ProfileRequest {
	out := *p
	if out.Max <= 0 {
		out.Max = DefaultProfileMax
	}
	if out.MaxTime <= 0 {
		out.MaxTime = DefaultProfileTime
	}
	if out.Benchtime <= 0 {
		out.Benchtime = DefaultProfileBenchtime
	}
	if out.Top <= 0 {
		out.Top = DefaultProfileTop
	}
	if out.Shown == "" {
		out.Shown = out.Dir
	}
	return out
}

// profileTarget is one regressed benchmark to profile, with its rows.
type profileTarget struct {
	pkg, name, procs string
	rows             []*bench.Row
	mem              bool    // B/op or allocs/op regressed
	secPerOp         float64 // the slower side's, from the sec/op row; 0 when not known
}

// regressedTargets are the regressed benchmarks of c whose units a
// profile explains, in the order of their first row.
func regressedTargets(c *bench.Comparison) []*profileTarget {
	var out []*profileTarget
	index := map[string]*profileTarget{}
	for i := range c.Rows {
		r := &c.Rows[i]
		if r.Status != bench.StatusRegression || profile.SampleFor(r.Unit) == "" {
			continue
		}
		key := r.Pkg + "\x00" + r.Name
		t := index[key]
		if t == nil {
			t = &profileTarget{pkg: r.Pkg, name: r.Name, procs: r.Procs}
			index[key] = t
			out = append(out, t)
		}
		t.rows = append(t.rows, r)
		if r.Unit != "sec/op" {
			t.mem = true
		}
	}
	for i := range c.Rows {
		r := &c.Rows[i]
		if t := index[r.Pkg+"\x00"+r.Name]; t != nil && r.Unit == "sec/op" {
			for _, s := range []*bench.Summary{r.Base, r.Head} {
				if s != nil {
					t.secPerOp = max(t.secPerOp, s.Center)
				}
			}
		}
	}
	return out
}

// iterations is the -benchtime of t's profiled runs: the same number of
// iterations on both sides, about d on the slower one; "" when t's time
// per iteration is not known.
func (t *profileTarget) iterations(d time.Duration) string {
	if t.secPerOp <= 0 {
		return ""
	}
	n := min(max(d.Seconds()/t.secPerOp, 1), maxProfileIterations)
	return fmt.Sprintf("%dx", int64(n))
}

// profileRegressions profiles the regressions of c with the binaries of
// res (ABSpec.BinDir kept them), as pr asks. A benchmark that cannot be
// profiled gets a warning on its rows; only a failure to create pr.Dir is
// an error.
func profileRegressions(ctx context.Context, h *bench.Harness, spec *bench.Spec, given *ProfileRequest, c *bench.Comparison, res *bench.ABResults) error {
	targets := regressedTargets(c)
	if len(targets) == 0 {
		return nil
	}
	pr := given.withDefaults()
	dir := pr.Dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "perfctl-profiles-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return &usererr.Error{Msg: fmt.Sprintf("--profile-dir %s: %v", pr.Shown, err), Hint: "give a directory you can write to", Err: err}
	}
	if h.Progress != nil {
		defer h.Progress.Done()
	}
	start := time.Now()
	taken := map[string]bool{}
	for n, t := range targets {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		switch {
		case n >= pr.Max:
			t.warn(fmt.Sprintf("not profiled: compare --profile profiles the first %d regressed benchmarks", pr.Max))
			continue
		case time.Since(start) > pr.MaxTime:
			t.warn(fmt.Sprintf("not profiled: the profiles of the regressions before it took the %v compare --profile allows", pr.MaxTime))
			continue
		}
		stem := profile.Sanitize(t.name)
		for i := 2; taken[stem]; i++ {
			stem = fmt.Sprintf("%s-%d", profile.Sanitize(t.name), i)
		}
		taken[stem] = true
		if err := profileTarget1(ctx, h, spec, &pr, t, res, dir, stem); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			t.warn("not profiled: " + oneLine(err))
		}
	}
	return nil
}

func (t *profileTarget) warn(msg string) {
	for _, r := range t.rows {
		r.Profile = &bench.RowProfile{Warning: msg}
	}
}

// oneLine is the first line of err's message.
func oneLine(err error) string {
	d := usererr.Describe(err)
	msg := err.Error()
	if len(d) > 0 {
		msg = d[0].Error()
	}
	msg, _, _ = strings.Cut(msg, "\n")
	return msg
}

// profileTarget1 runs t once on each side with profiles into dir and
// attaches the differences to t's rows.
func profileTarget1(ctx context.Context, h *bench.Harness, given *bench.Spec, pr *ProfileRequest, t *profileTarget, res *bench.ABResults, dir, stem string) error {
	bins := [2]*bench.Binary{}
	for i, m := range []map[string]bench.Binary{res.BaseBinaries, res.HeadBinaries} {
		b, ok := m[t.pkg]
		if !ok {
			return fmt.Errorf("no test binary of %s on both sides", t.pkg)
		}
		bins[i] = &b
	}
	spec := *given
	spec.Bench, spec.Count, spec.Benchtime = ExactPattern(t.name, t.procs), 1, t.iterations(pr.Benchtime)
	if spec.Benchtime == "" {
		return errors.New("its time per iteration is not known, so both sides cannot run the same work")
	}
	if t.procs != "" {
		spec.CPU = t.procs
	}
	files := map[string]string{}
	for i, side := range []string{"base", "head"} {
		f := &bench.ProfileFiles{CPU: filepath.Join(dir, stem+"."+side+".cpu.pprof")}
		files[side+".cpu"] = f.CPU
		if t.mem {
			f.Mem = filepath.Join(dir, stem+"."+side+".alloc.pprof")
			files[side+".alloc"] = f.Mem
		}
		if h.Progress != nil {
			h.Progress.Running(1, 1, fmt.Sprintf("%s %s (profiling %s)", t.pkg, t.name, side), 0, -1)
		}
		if _, err := h.RunProfiled(ctx, &spec, bins[i], f); err != nil {
			return err
		}
	}
	// diff is the difference of kind's profiles in sampleType: its top
	// functions, and its pruned call tree for the flame graphs.
	diff := func(kind, sampleType string) (*profile.Top, *profile.Flame, error) {
		base, err := profile.Read(files["base."+kind])
		if err != nil {
			return nil, nil, err
		}
		head, err := profile.Read(files["head."+kind])
		if err != nil {
			return nil, nil, err
		}
		d, err := profile.Diff(base, head, sampleType)
		if err != nil {
			return nil, nil, err
		}
		top, err := profile.TopFuncs(d, sampleType, pr.Top)
		if err != nil {
			return nil, nil, err
		}
		tree, err := profile.NewTree(d, sampleType, profile.TreeOptions{})
		if err != nil {
			return nil, nil, err
		}
		return top, profile.FlameOf(tree), nil
	}
	tops := map[string]*profile.Top{}
	flames := map[string]*profile.Flame{}
	kinds := []struct{ kind, sampleType string }{{"cpu", profile.CPU}}
	if t.mem {
		kinds = append(kinds, struct{ kind, sampleType string }{"alloc", profile.AllocSpace}, struct{ kind, sampleType string }{"alloc", profile.AllocObjects})
	}
	for _, k := range kinds {
		top, flame, err := diff(k.kind, k.sampleType)
		if err != nil {
			return err
		}
		tops[k.sampleType], flames[k.sampleType] = top, flame
	}
	for _, r := range t.rows {
		p := &bench.RowProfile{}
		kind := "cpu"
		switch profile.SampleFor(r.Unit) {
		case profile.CPU:
			p.CPU = tops[profile.CPU]
		case profile.AllocSpace:
			p.AllocSpace, kind = tops[profile.AllocSpace], "alloc"
		case profile.AllocObjects:
			p.AllocObjects, kind = tops[profile.AllocObjects], "alloc"
		}
		if pr.Dir != "" {
			p.Files = map[string]string{}
			for k, f := range files {
				p.Files[k] = filepath.Join(pr.Shown, filepath.Base(f))
			}
			p.Command = "go tool pprof -http=: "
			if kind == "alloc" {
				p.Command += "-sample_index=" + profile.SampleFor(r.Unit) + " "
			}
			p.Command += "-diff_base " + shellWord(p.Files["base."+kind]) + " " + shellWord(p.Files["head."+kind])
		}
		p.Flame = flames[profile.SampleFor(r.Unit)]
		r.Profile = p
	}
	return nil
}

// ExactPattern is the go test -bench pattern that selects exactly the
// benchmark called name (without its Benchmark prefix, as a comparison
// row names it): each slash-separated element anchored, so
// Parse/small is ^BenchmarkParse$/^small$. The -GOMAXPROCS suffix procs
// that the name kept is not part of what go test matches.
func ExactPattern(name, procs string) string {
	if procs != "" {
		name = strings.TrimSuffix(name, "-"+procs)
	}
	elems := strings.Split("Benchmark"+name, "/")
	for i, e := range elems {
		elems[i] = "^" + regexp.QuoteMeta(e) + "$"
	}
	return strings.Join(elems, "/")
}

// shellWord quotes s for a POSIX shell when it needs it.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/:=+,@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
