package compare

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/gomod"
	"github.com/perfctl/perfctl/internal/usererr"
)

// measuredModules decides the modules a measurement covers and sets them
// in spec (spec.Modules, when more than one; spec.Dir is then the
// layout's root): with packages given, the directory perfctl runs in
// alone; else those the command line chose (req.Set.Modules), else those
// the baseline recorded (recorded, directories relative to the layout's
// root), else those req.Layout covers. It tells env.Covering and returns
// the layout with the covered modules marked (nil for one module alone).
func measuredModules(env *Env, req *Request, spec *bench.Spec, recorded []gomod.Module) (*gomod.Layout, error) {
	if len(req.Packages) > 0 { // the packages given, where perfctl runs
		if req.Layout != nil && env.Covering != nil {
			env.Covering(req.Layout)
		}
		return req.Layout, nil
	}
	layout := req.Layout
	if len(recorded) > 0 && !req.Set.Modules {
		var err error
		if layout, err = recordedModules(env.Dir, req, recorded); err != nil {
			return nil, err
		}
	}
	if layout == nil {
		return nil, nil
	}
	var covered []gomod.Module
	for _, m := range layout.Modules {
		if m.Covered {
			covered = append(covered, m)
		}
	}
	if env.Covering != nil {
		env.Covering(layout)
	}
	if len(covered) > 1 || layout.Current < 0 || !layout.Modules[layout.Current].Covered {
		if err := bench.ValidateModules(covered); err != nil {
			return nil, err
		}
		spec.Modules, spec.Dir, spec.Packages = covered, layout.Root, nil
	}
	return layout, nil
}

// recordedModules marks in the layout seen from dir the modules a baseline
// recorded. A recorded module the layout does not have is an error: the
// comparison would leave it out without saying so.
func recordedModules(dir string, req *Request, recorded []gomod.Module) (*gomod.Layout, error) {
	layout, err := gomod.Discover(dir)
	if err != nil {
		return nil, err
	}
	var missing []string
	for i := range layout.Modules {
		layout.Modules[i].Covered = false
	}
	for _, r := range recorded {
		i := slices.IndexFunc(layout.Modules, func(m gomod.Module) bool { return m.Rel == r.Rel })
		if i < 0 {
			missing = append(missing, r.Label())
			continue
		}
		layout.Modules[i].Covered = true
	}
	if len(missing) > 0 {
		return nil, &usererr.Error{Msg: fmt.Sprintf("baseline %q recorded modules that are not seen from %s now: %v", req.Ref.Baseline, layout.Root, missing),
			Hint: "run perfctl where the baseline was saved (its modules are relative to go.work's directory or the root module), pass --all-modules to measure the modules seen now, or save the baseline again"}
	}
	return layout, nil
}

// setModules records in c the modules seen and measured, when there is
// more than one.
func setModules(c *bench.Comparison, layout *gomod.Layout) {
	if layout != nil && len(layout.Modules) > 1 {
		c.Modules = layout.Modules
	}
}

// runModulesAB runs ab in each of its modules (ab.Modules) in turn, base
// and head interleaved within each, and joins the results: rows stay
// distinct, as each module's packages have their own import paths. A
// module the base revision does not have, or without benchmarks, is left
// out with a warning; --max-time is one budget for them all.
func runModulesAB(ctx context.Context, h *bench.Harness, ab *bench.ABSpec,
	header func(dir string) func() (*bench.Header, error)) (*bench.ABResults, []string, error) {
	out := &bench.ABResults{Base: &bench.Results{}, Head: &bench.Results{}}
	var warnings []string
	start := time.Now()
	ran := 0
	for _, m := range ab.Modules {
		one := *ab
		one.Modules = nil
		one.Dir, one.HeadDir = m.Dir, m.Dir
		rel, err := filepath.Rel(ab.HeadRoot, m.Dir)
		if err != nil {
			return nil, nil, err
		}
		one.BaseDir = filepath.Join(ab.BaseRoot, rel)
		if st, err := os.Stat(filepath.Join(one.BaseDir, "go.mod")); err != nil || !st.Mode().IsRegular() {
			warnings = append(warnings, fmt.Sprintf("module %s is not in %s: its benchmarks are not compared", m.Name(), ab.BaseName))
			continue
		}
		if ab.MaxTime > 0 {
			left := ab.MaxTime - time.Since(start)
			if left <= 0 {
				out.Stopped = true
				warnings = append(warnings, fmt.Sprintf("--max-time %v was spent before module %s: its benchmarks are not compared", ab.MaxTime, m.Name()))
				continue
			}
			one.MaxTime = left
		}
		res, err := h.RunAB(ctx, &one, header(one.BaseDir), header(one.HeadDir))
		if errors.Is(err, bench.ErrNoBenchmarks) {
			continue // a module without benchmarks has nothing to compare
		}
		if errors.Is(err, bench.ErrNoPackages) {
			warnings = append(warnings, fmt.Sprintf("module %s has no Go packages to compare (%v)", m.Name(), err))
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		ran++
		for _, side := range [][2]*bench.Results{{out.Base, res.Base}, {out.Head, res.Head}} {
			side[0].Text = append(side[0].Text, side[1].Text...)
			side[0].Benchmarks += side[1].Benchmarks
			side[0].Identical = append(side[0].Identical, side[1].Identical...)
			if side[0].CPU == "" {
				side[0].CPU = side[1].CPU
			}
		}
		out.Rounds = max(out.Rounds, res.Rounds)
		out.Stopped = out.Stopped || res.Stopped
		out.Identical = append(out.Identical, res.Identical...)
		out.IdenticalText = append(out.IdenticalText, res.IdenticalText...)
		out.Estimate += res.Estimate
	}
	if ran == 0 {
		return nil, nil, &bench.PackageError{Package: "./...", Msg: fmt.Sprintf("has no benchmarks to compare in any of the %d modules", len(ab.Modules)),
			Hint: "perfctl runs the Benchmark functions in _test.go files; check the modules and --bench", Err: bench.ErrNoBenchmarks}
	}
	return out, warnings, nil
}
