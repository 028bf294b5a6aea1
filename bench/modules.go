package bench

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/perfctl/perfctl/internal/gomod"
	"github.com/perfctl/perfctl/internal/usererr"
)

// measureModules runs spec in each of spec.Modules, one after the other,
// into one file: one header (read once, so that every module's results
// share it), then each module's results after a perfctl-module line that
// names it. The perfctl-modules line lists the modules, so that a later
// run (compare --baseline) measures the same ones. A module without
// packages or benchmarks (or none that match --bench) is skipped, and said
// so to Progress; a run in which no module has one is an error.
func (r *Harness) measureModules(ctx context.Context, spec *Spec, version string) (*Results, error) {
	rels := make([]string, len(spec.Modules))
	for i, m := range spec.Modules {
		rels[i] = m.Rel
	}
	header, err := NewHeader(ctx, r.Exec, spec.Modules[0].Dir, version)
	if err != nil {
		return nil, err
	}
	if err := ValidateModules(spec.Modules); err != nil {
		return nil, err
	}
	out := &Results{}
	var empty []string
	for _, m := range spec.Modules {
		ms := *spec
		ms.Dir, ms.Modules = m.Dir, nil
		h := header
		h.Dir, h.Modules, h.Module, h.section = ".", rels, m.Path, len(out.Text) > 0
		if h.Module == "" {
			h.Module = m.Label()
		}
		res, err := r.Run(ctx, &ms, func() (*Header, error) { return &h, nil })
		if errors.Is(err, ErrNoPackages) || errors.Is(err, ErrNoBenchmarks) || errors.Is(err, ErrNoMatch) {
			why := "no benchmarks to run"
			if errors.Is(err, ErrNoPackages) {
				why = "no Go packages"
			}
			empty = append(empty, m.Label())
			r.progress().Skipped("module "+m.Label(), why)
			continue
		}
		if err != nil {
			return nil, err
		}
		out.Text = append(out.Text, res.Text...)
		out.Benchmarks += res.Benchmarks
		out.Identical = append(out.Identical, res.Identical...)
		if out.CPU == "" {
			out.CPU = res.CPU
		}
	}
	if len(empty) == len(spec.Modules) {
		return nil, &PackageError{Package: strings.Join(orAllPackages(spec.Packages), " "), Err: ErrNoBenchmarks,
			Msg:  fmt.Sprintf("has no benchmarks in any of the %d modules (%s)", len(spec.Modules), strings.Join(empty, ", ")),
			Hint: "perfctl runs the Benchmark functions in _test.go files; check the --bench pattern and the modules"}
	}
	return out, nil
}

func orAllPackages(p []string) []string {
	if len(p) == 0 {
		return []string{"./..."}
	}
	return p
}

// ValidateModules checks that modules can be recorded in a results file:
// their directories are listed on one line, separated by spaces.
func ValidateModules(modules []gomod.Module) error {
	for _, m := range modules {
		if strings.ContainsAny(m.Rel, " \t\r\n") {
			return usererr.New(fmt.Sprintf("module directory %q has a space in its name: perfctl cannot record it in a results file", m.Rel),
				"run perfctl in that module alone (without --all-modules), or rename the directory")
		}
	}
	return nil
}
