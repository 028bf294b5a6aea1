package checks

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/perfctl/perfctl/bench"

	"github.com/perfctl/perfctl/internal/gomod"
	"github.com/perfctl/perfctl/internal/usererr"
)

// A Verdict is the outcome of a whole evaluation: the same verdicts as a
// comparison's, with error when a deciding check could not be evaluated.
type Verdict = bench.Verdict

// The verdicts, as the exit codes 0, 1 and 2.
const (
	VerdictPass  = bench.VerdictPass
	VerdictFail  = bench.VerdictFail
	VerdictError = bench.VerdictError
)

// Options select the checks to evaluate and how strictly.
type Options struct {
	Only   []string // ids to run; empty means all
	Skip   []string // ids not to run
	Strict bool     // SHOULD failures fail the verdict
	// Preset is the preset the run applies (Workspace.ChoosePreset):
	// checks that apply to other presets only are skipped.
	Preset PresetChoice
	// Started, when set, is called as each check starts, and Finished as
	// it ends (from the goroutine that ran it).
	Started  func(c *Check)
	Finished func(c *Check, r *Result)
}

// An Outcome is one check with its result.
type Outcome struct {
	*Check
	Result
}

// A Tally counts the checks of one level.
type Tally struct {
	Passed  int // checks that passed
	Total   int // checks evaluated: skipped ones are not counted
	Skipped int
	Failed  int
	Errors  int
}

// A Report is the result of evaluating a policy.
type Report struct {
	Policy string // where the policy came from
	// Preset is the preset applied, and why (zero when the policy does
	// not use presets).
	Preset   PresetChoice
	Verdict  Verdict
	Strict   bool
	Reasons  []string // why the verdict is not pass, in order
	Outcomes []Outcome
	Summary  map[Level]Tally
	Duration time.Duration
	// NotSelected counts the checks of the policy that perfctl check
	// --only left out: they were not evaluated and are not in Outcomes.
	NotSelected int
	// Modules are the modules seen where perfctl runs, with those checked
	// marked Covered (Workspace.Modules); nil when there is one module
	// only.
	Modules []gomod.Module
}

// Select validates --only and --skip against the policy's ids.
func (p *Policy) Select(only, skipIDs []string) error {
	for _, list := range [][]string{only, skipIDs} {
		for _, id := range list {
			if p.check(id) == nil {
				return &usererr.Error{Msg: fmt.Sprintf("no check with id %q in %s", id, p.Source),
					Hint: "the ids are " + strings.Join(p.ids(), ", ")}
			}
		}
	}
	return nil
}

func (p *Policy) check(id string) *Check {
	for _, c := range p.Checks {
		if c.ID == id {
			return c
		}
	}
	return nil
}

func (p *Policy) ids() []string {
	ids := make([]string, len(p.Checks))
	for i, c := range p.Checks {
		ids[i] = c.ID
	}
	return ids
}

// Evaluate runs the policy's selected checks and decides the verdict. The
// checks that measure benchmark timings run one at a time after the others
// (which run concurrently), so that no other work disturbs them.
// Evaluate returns ctx's error when it is cancelled.
func Evaluate(ctx context.Context, p *Policy, ws *Workspace, opts *Options) (*Report, error) {
	if err := p.Select(opts.Only, opts.Skip); err != nil {
		return nil, err
	}
	start := time.Now()
	outs := make([]Outcome, len(p.Checks))
	var concurrent, measuring []int
	for i, c := range p.Checks {
		outs[i].Check = c
		switch {
		case len(opts.Only) > 0 && !slices.Contains(opts.Only, c.ID):
			outs[i].Result = skip("not selected (--only)")
		case slices.Contains(opts.Skip, c.ID):
			outs[i].Result = skip("not selected (--skip)")
		case c.Skip != "":
			outs[i].Result = skip("skipped by the policy: " + c.Skip)
		case !c.appliesTo(opts.Preset.Preset):
			outs[i].Result = skip(c.notForReason(opts.Preset))
		case KindNamed(c.Kind).Measures:
			measuring = append(measuring, i)
		default:
			concurrent = append(concurrent, i)
		}
	}
	evaluate := func(i int) {
		c := outs[i].Check
		if opts.Started != nil {
			opts.Started(c)
		}
		t := time.Now()
		r := evaluateCheck(ctx, c, ws)
		r.Duration = time.Since(t)
		outs[i].Result = r
		if opts.Finished != nil {
			opts.Finished(c, &outs[i].Result)
		}
	}
	var wg sync.WaitGroup
	for _, i := range concurrent {
		wg.Go(func() { evaluate(i) })
	}
	wg.Wait()
	for _, i := range measuring {
		if ctx.Err() != nil {
			break
		}
		evaluate(i)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := &Report{Policy: p.Source, Preset: opts.Preset, Strict: opts.Strict, Outcomes: outs, Duration: time.Since(start)}
	r.decide()
	return r, nil
}

// decide tallies the outcomes and sets the verdict: error when a MUST
// check (or, strictly, a SHOULD check) could not be evaluated; fail when
// one failed or any regression check found a regression; pass otherwise.
func (r *Report) decide() {
	r.Summary = map[Level]Tally{}
	var errs, fails []string
	for i := range r.Outcomes {
		o := &r.Outcomes[i]
		t := r.Summary[o.Level]
		switch o.Status {
		case Pass:
			t.Passed++
			t.Total++
		case Fail:
			t.Failed++
			t.Total++
		case Error:
			t.Errors++
			t.Total++
		case Skip:
			t.Skipped++
		}
		r.Summary[o.Level] = t
		switch {
		case !r.Decisive(o):
		case o.Status == Error:
			errs = append(errs, fmt.Sprintf("%s %s could not be evaluated", o.Level, o.ID))
		case o.Level == Must || (r.Strict && o.Level == Should):
			fails = append(fails, fmt.Sprintf("%s %s failed", o.Level, o.ID))
		default:
			fails = append(fails, o.ID+" found a regression")
		}
	}
	switch {
	case len(errs) > 0:
		r.Verdict = VerdictError
	case len(fails) > 0:
		r.Verdict = VerdictFail
	default:
		r.Verdict = VerdictPass
	}
	r.Reasons = slices.Concat(errs, fails)
}

// Decisive reports whether o's failure or error decides the verdict: a
// MUST check, a SHOULD check when the evaluation is strict, and a failed
// regression check at any level. Any other failure is a warning.
func (r *Report) Decisive(o *Outcome) bool {
	binding := o.Level == Must || (r.Strict && o.Level == Should)
	switch o.Status {
	case Fail:
		return binding || o.Kind == regressionKind.Name
	case Error:
		return binding
	}
	return false
}

// SummaryLine is the one-line summary, e.g.
// "MUST 10/10 · SHOULD 3/5 · MAY 1/4 · verdict PASS".
func (r *Report) SummaryLine() string {
	var b strings.Builder
	for _, l := range Levels {
		t := r.Summary[l]
		if t.Total == 0 && t.Skipped == 0 {
			continue
		}
		fmt.Fprintf(&b, "%s %d/%d", l, t.Passed, t.Total)
		if t.Skipped > 0 {
			fmt.Fprintf(&b, " (%d skipped)", t.Skipped)
		}
		b.WriteString(" · ")
	}
	b.WriteString("verdict " + r.Verdict.Word())
	return b.String()
}
