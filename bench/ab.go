package bench

import (
	"bytes"
	"context"
	"fmt"
	"github.com/perfctl/perfctl/internal/usererr"
	"os"
	"slices"
	"strings"
	"time"
)

// A SideError is a failure on one side of an A/B run: which side, and why.
type SideError struct {
	Side string // "base (REF)" or "head (working tree)"
	Err  error
}

func (e *SideError) Error() string { return e.Side + ": " + e.Err.Error() }
func (e *SideError) Unwrap() error { return e.Err }

// Describe says e for a user: which side, then what went wrong there (a
// build can fail in several packages at once), indented.
func (e *SideError) Describe() *usererr.Error {
	d := &usererr.Error{Msg: "in " + e.Side + ":", Err: e.Err}
	for _, inner := range usererr.Describe(e.Err) {
		d.Details = append(d.Details, inner.Error())
		for _, line := range inner.Details {
			d.Details = append(d.Details, "    "+line)
		}
		if inner.Hint != "" {
			d.Hint = inner.Hint
		}
	}
	return d
}

// ABSpec describes an interleaved A/B run: the same benchmarks, built once
// from the module in BaseDir and once from HeadDir, run alternately.
type ABSpec struct {
	Spec              // packages are relative to each side's module directory
	BaseDir, HeadDir  string
	BaseName          string        // for messages, e.g. "base (origin/main)"
	HeadName          string        // e.g. "head (working tree)"
	MaxTime           time.Duration // stop adding rounds when spent (0: no budget)
	MinRoundsOnBudget int           // rounds run even when the budget is spent
}

// ABResults are the two sides of an interleaved run, each as benchfmt text
// whose i-th sample of every benchmark was measured in round i.
type ABResults struct {
	Base, Head *Results
	Rounds     int
	Stopped    bool // the time budget ended the run before Count rounds
}

// RunAB builds both sides' test binaries once and runs them interleaved:
// base then head in odd rounds, head then base in even ones (so neither
// side always runs first), package by package, every benchmark once per
// round with allocation reporting. Benchmarks on one side only come out as
// added or removed; a package that does not build is a *SideError.
func (r *Harness) RunAB(ctx context.Context, given *ABSpec, baseHeader, headHeader func() (*Header, error)) (*ABResults, error) {
	ab := *given
	ab.Spec = given.withDefaults()
	if err := ab.Validate(); err != nil {
		return nil, err
	}
	defer r.progress().Done()

	type side struct {
		name string
		dir  string
		bins map[string]Binary // import path → binary
		body bytes.Buffer
		res  Results
	}
	sides := [2]*side{{name: ab.BaseName, dir: ab.BaseDir}, {name: ab.HeadName, dir: ab.HeadDir}}
	tmp, err := os.MkdirTemp("", "perfctl-ab-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	var order []string // import paths, head's order first, then base-only ones
	for i, s := range []*side{sides[1], sides[0]} {
		spec := ab.Spec
		spec.Dir = s.dir
		pkgs, err := FindPackages(ctx, r.Exec, s.dir, spec.Packages, spec.Tags)
		if err != nil {
			return nil, &SideError{Side: s.name, Err: err}
		}
		dir := fmt.Sprintf("%s/%d", tmp, i)
		if err := os.Mkdir(dir, 0o755); err != nil {
			return nil, err
		}
		bins, err := r.Build(ctx, &spec, pkgs, dir)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, &SideError{Side: s.name, Err: err}
		}
		s.bins = make(map[string]Binary, len(bins))
		for _, b := range bins {
			s.bins[b.ImportPath] = b
			if !slices.Contains(order, b.ImportPath) {
				order = append(order, b.ImportPath)
			}
		}
	}
	if len(order) == 0 {
		return nil, &PackageError{Package: joinPatterns(ab.Packages), Msg: "has no benchmarks on either side", Err: ErrNoBenchmarks,
			Hint: "perfctl runs the Benchmark functions in _test.go files; check the package patterns"}
	}

	out := &ABResults{}
	start := time.Now()
	for round := 1; round <= ab.Count; round++ {
		if ab.MaxTime > 0 && round > max(ab.MinRoundsOnBudget, 1) {
			perRound := time.Since(start) / time.Duration(round-1)
			if time.Since(start)+perRound > ab.MaxTime {
				out.Stopped = true
				break
			}
		}
		first, second := sides[0], sides[1]
		if round%2 == 0 {
			first, second = second, first
		}
		for _, pkg := range order {
			for _, s := range []*side{first, second} {
				b, ok := s.bins[pkg]
				if !ok {
					continue
				}
				elapsed, remaining := eta(start, round, ab.Count)
				r.progress().Running(round, ab.Count, pkg+" ("+s.name+")", elapsed, remaining)
				n, cpu, err := r.runOnce(ctx, &ab.Spec, b, &s.body)
				if err != nil {
					if ctx.Err() != nil {
						return nil, ctx.Err()
					}
					return nil, &SideError{Side: s.name, Err: err}
				}
				s.res.Benchmarks += n
				if s.res.CPU == "" {
					s.res.CPU = cpu
				}
			}
		}
		if round == 1 && sides[0].res.Benchmarks+sides[1].res.Benchmarks == 0 {
			return nil, &PackageError{Package: joinPatterns(ab.Packages),
				Msg:  fmt.Sprintf("no benchmark matches --bench %q on either side", ab.Bench),
				Hint: "check the regular expression; it is matched as go test -bench matches it"}
		}
		out.Rounds = round
	}
	spec := ab.Spec
	spec.Count = out.Rounds
	for i, hdr := range []func() (*Header, error){baseHeader, headHeader} {
		h, err := hdr()
		if err != nil {
			return nil, err
		}
		hc := *h
		hc.CPU = sides[i].res.CPU
		var text bytes.Buffer
		hc.write(&text, &spec)
		text.Write(sides[i].body.Bytes())
		sides[i].res.Text = text.Bytes()
	}
	out.Base, out.Head = &sides[0].res, &sides[1].res
	return out, nil
}

func joinPatterns(p []string) string {
	if len(p) == 0 {
		return "./..."
	}
	return strings.Join(p, " ")
}
