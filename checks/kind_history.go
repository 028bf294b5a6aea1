package checks

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"

	"golang.org/x/perf/benchunit"

	"github.com/perfctl/perfctl/history"
	"github.com/perfctl/perfctl/history/changepoint"
	"github.com/perfctl/perfctl/history/trend"
	"github.com/perfctl/perfctl/internal/english"
	"github.com/perfctl/perfctl/internal/run"
)

var historyKind = &Kind{
	Name: "history",
	Summary: "no benchmark of the history store (perfctl history) has a new regression that no later change fixed: " +
		"the change points along HEAD's first-parent history, as perfctl history changes finds them",
	New: func() Evaluator { return &historyCheck{} },
}

// defaultHistoryRecent is how many of the newest recorded commits a
// regression keeps a history check red for, unless fixed or accepted.
const defaultHistoryRecent = 10

// minHistoryCommits is the fewest recorded commits in which a change can
// be found: two on each side.
const minHistoryCommits = 4

// historyCheck reads the history store's records along HEAD's
// first-parent history and fails on a trend alert: a regression, new
// within the Recent newest recorded commits, that no later change
// reverses.
type historyCheck struct {
	Bench        string   `yaml:"bench"`         // RE2 regexp of benchmark names (as compare shows them, or pkg.Name)
	Unit         string   `yaml:"unit"`          // one unit; "" for all
	Env          string   `yaml:"env"`           // an environment key or prefix; "" for the one with the most records
	Recent       *int     `yaml:"recent"`        // default defaultHistoryRecent
	Window       *int     `yaml:"window"`        // change-point window, default changepoint.DefaultWindow
	MaxP         *float64 `yaml:"max_p"`         // default changepoint.DefaultMaxP
	MinMagnitude *float64 `yaml:"min_magnitude"` // relative, 0.05 is 5%; default 0
	Accept       []string `yaml:"accept"`        // commit id prefixes whose changes are accepted

	re        *regexp.Regexp // Bench, compiled by validate
	validated bool
}

var (
	envKeyPattern   = regexp.MustCompile(`^[0-9a-f]{1,12}$`)
	commitIDPattern = regexp.MustCompile(`^[0-9a-fA-F]{4,64}$`)
)

// maxUnitLen bounds the unit parameter.
const maxUnitLen = 64

func (c *historyCheck) validate() error {
	if c.Bench != "" {
		re, err := regexp.Compile(c.Bench)
		if err != nil {
			return fmt.Errorf("bench: %q is not a valid regular expression: %w", c.Bench, err)
		}
		c.re = re
	}
	if len(c.Unit) > maxUnitLen || strings.ContainsFunc(c.Unit, func(r rune) bool { return r < 0x20 || r == 0x7f || r == ' ' }) {
		return fmt.Errorf("unit: %q is not a unit (such as sec/op, B/op or allocs/op)", c.Unit)
	}
	if c.Env != "" && !envKeyPattern.MatchString(c.Env) {
		return fmt.Errorf("env: %q is not an environment key (up to 12 hex digits, as the env column of perfctl history log shows)", c.Env)
	}
	if c.Recent != nil && (*c.Recent < 1 || *c.Recent > history.MaxLine) {
		return fmt.Errorf("recent: %d is out of range: give how many of the newest recorded commits a regression is news in, 1 to %d (default %d)",
			*c.Recent, history.MaxLine, defaultHistoryRecent)
	}
	if c.Window != nil && (*c.Window < changepoint.MinWindow || *c.Window > changepoint.MaxWindow) {
		return fmt.Errorf("window: %d is out of range: give %d to %d commits (default %d)",
			*c.Window, changepoint.MinWindow, changepoint.MaxWindow, changepoint.DefaultWindow)
	}
	if c.MaxP != nil && !(*c.MaxP > 0 && *c.MaxP <= 1) { // NaN is neither
		return fmt.Errorf("max_p: %v is out of range: give a p-value above 0 and at most 1 (default %v)", *c.MaxP, changepoint.DefaultMaxP)
	}
	if m := c.MinMagnitude; m != nil && !(*m >= 0 && !math.IsInf(*m, 1)) {
		return fmt.Errorf("min_magnitude: %v is out of range: give a relative change of 0 or more, such as 0.05 for 5%% (default 0)", *m)
	}
	for i, a := range c.Accept {
		if !commitIDPattern.MatchString(a) {
			return fmt.Errorf("accept: %q is not a commit id or a prefix of one (4 to 64 hex digits)", a)
		}
		c.Accept[i] = strings.ToLower(a)
	}
	c.validated = true
	return nil
}

// recent is the Recent parameter or its default.
func (c *historyCheck) recent() int {
	if c.Recent == nil {
		return defaultHistoryRecent
	}
	return *c.Recent
}

// options are the trend options the parameters say.
func (c *historyCheck) options() trend.Options {
	o := trend.Options{LineRequest: history.LineRequest{Env: c.Env}, Bench: c.re, Unit: c.Unit, Recent: c.recent()}
	if c.Window != nil {
		o.Detect.Window = *c.Window
	}
	if c.MaxP != nil {
		o.Detect.MaxP = *c.MaxP
	}
	if c.MinMagnitude != nil {
		o.Detect.MinMagnitude = *c.MinMagnitude
	}
	return o
}

// startRecording says how to start keeping a history.
const startRecording = "record results on the main branch with `perfctl history add` (or `perfctl bench --history`) " +
	"and share them with `perfctl history push origin`; CI reads them after `perfctl history pull origin`"

// fullClone says how to get the history a shallow clone lacks.
const fullClone = "the clone is shallow: fetch the whole history (actions/checkout with fetch-depth: 0, or git fetch --unshallow)"

func (c *historyCheck) Evaluate(ctx context.Context, ws *Workspace) Result {
	if !c.validated { // not built by Parse
		if err := c.validate(); err != nil {
			return errResult("invalid params: " + err.Error())
		}
	}
	store := &history.Store{Git: ws.Exec, Dir: ws.Dir}
	if r, ok := historyReadable(ctx, store); !ok {
		return r
	}
	opts := c.options()
	a, err := trend.Analyze(ctx, store, &opts)
	if err != nil {
		return describedResult(err, Error)
	}
	line := a.Line
	if line.Key == "" {
		return noRecords(line.Shallow, line.OffLine, line.Walked)
	}
	n := len(line.Commits)
	if n < minHistoryCommits {
		msg := fmt.Sprintf("only %s along HEAD's first-parent history (env %s): a change point needs %d",
			english.Plural(n, "commit is recorded", "commits are recorded"), line.Key, minHistoryCommits)
		if line.Shallow {
			return Result{Status: Skip, Message: msg + "; " + fullClone}
		}
		return Result{Status: Skip, Message: msg + "; keep recording: " + startRecording}
	}
	var alerts, accepted []trend.Ref
	for _, ref := range a.Alerts() {
		if c.accepted(a.Commits[ref.Change.Commit].ID) {
			accepted = append(accepted, ref)
		} else {
			alerts = append(alerts, ref)
		}
	}
	scope := fmt.Sprintf("the newest %d of %s (env %s, %s)", min(a.Recent, n),
		english.Plural(n, "recorded commit", "recorded commits"), line.Key, english.Plural(len(a.Series), "series", "series"))
	if len(alerts) == 0 {
		r := pass("no unfixed regression new in " + scope)
		if len(a.Series) == 0 {
			r.Message = fmt.Sprintf("no benchmark along %s matches the check's bench and unit", scope)
		}
		if len(accepted) > 0 {
			r.Message += "; accepted: " + english.Plural(len(accepted), "regression", "regressions")
			for _, ref := range accepted[:min(len(accepted), maxHistoryDetails)] {
				r.Details = append(r.Details, "accepted: "+describeChange(a, ref))
			}
		}
		return r
	}
	first := alerts[0]
	r := fail(fmt.Sprintf("%s new in %s: %s %s %s at %s", english.Plural(len(alerts), "unfixed regression", "unfixed regressions"), scope,
		seriesName(a, first.Series), first.Series.Unit, deltaText(first.Change), a.Commits[first.Change.Commit].ID[:12]))
	if len(alerts) > 1 {
		r.Message += fmt.Sprintf(" and %d more", len(alerts)-1)
	}
	ids := map[string]bool{}
	var accept []string
	for i, ref := range alerts {
		if i < maxHistoryDetails {
			r.Details = append(r.Details, describeChange(a, ref))
		}
		if id := a.Commits[ref.Change.Commit].ID[:12]; !ids[id] {
			ids[id] = true
			accept = append(accept, id)
		}
	}
	if len(alerts) > maxHistoryDetails {
		r.Details = append(r.Details, fmt.Sprintf("… and %d more (perfctl history changes lists them all)", len(alerts)-maxHistoryDetails))
	}
	for i, ref := range accepted {
		if i == maxHistoryDetails {
			r.Details = append(r.Details, fmt.Sprintf("… and %d more accepted", len(accepted)-maxHistoryDetails))
			break
		}
		r.Details = append(r.Details, "accepted: "+describeChange(a, ref))
	}
	r.Details = append(r.Details, fmt.Sprintf("fix the regression, or, if it was meant, add accept: [%s] to this check's params",
		strings.Join(limitList(accept, 10), ", ")))
	return r
}

// maxHistoryDetails bounds the changes a history check lists: a new
// runner can shift every benchmark at once.
const maxHistoryDetails = 50

// accepted reports whether a commit's changes are accepted.
func (c *historyCheck) accepted(id string) bool {
	for _, p := range c.Accept {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}

// describeChange is one change for a message: the benchmark, the unit,
// the shift, the commit (short id and subject) and the p-value.
func describeChange(a *trend.Analysis, ref trend.Ref) string {
	s, ch := ref.Series, ref.Change
	sc := benchunit.CommonScale([]float64{ch.Before.Center, ch.After.Center}, benchunit.ClassOf(s.Unit))
	levels := fmt.Sprintf("%s → %s", sc.Format(ch.Before.Center), sc.Format(ch.After.Center))
	delta := fmt.Sprintf("%s (%s)", deltaText(ch), levels)
	if math.IsNaN(ch.DeltaPct) {
		delta = levels
	}
	p := "exact"
	if !s.Exact {
		p = fmt.Sprintf("p=%.2g", ch.PValue)
	}
	cm := a.Commits[ch.Commit]
	ago := "the newest recorded commit"
	if k := len(a.Commits) - 1 - ch.Commit; k > 0 {
		ago = english.Plural(k, "recorded commit", "recorded commits") + " ago"
	}
	return fmt.Sprintf("%s %s: %s, %s, at %s %q (%s)", seriesName(a, s), s.Unit, delta, p, cm.ID[:12], cm.Subject, ago)
}

// seriesName is a series' benchmark, qualified by its package's short
// name.
func seriesName(a *trend.Analysis, s *trend.Series) string {
	if pkg := a.ShortPkg(s.Pkg); pkg != "" {
		return pkg + "." + s.Name
	}
	return s.Name
}

// deltaText is a change's shift in percent, or its levels when it has no
// percentage (from 0).
func deltaText(ch *trend.Change) string {
	if math.IsNaN(ch.DeltaPct) {
		return fmt.Sprintf("%.4g → %.4g", ch.Before.Center, ch.After.Center)
	}
	return fmt.Sprintf("%+.1f%%", ch.DeltaPct)
}

// historyReadable reports whether the module is in a git repository with
// a commit, or the result that says why there is nothing to read.
func historyReadable(ctx context.Context, store *history.Store) (Result, bool) {
	if err := store.Check(ctx); err != nil {
		var nf *run.NotFoundError
		if errors.As(err, &nf) || ctx.Err() != nil {
			return describedResult(err, Error), false
		}
		return skip("not in a git repository: the history store lives in the repository's git objects"), false
	}
	if _, err := store.Resolve(ctx, "HEAD"); err != nil {
		if ctx.Err() != nil {
			return describedResult(err, Error), false
		}
		return skip("the repository has no commit yet: " + startRecording), false
	}
	return Result{}, true
}

// noRecords is the result when no commit along HEAD's history has a
// record.
func noRecords(shallow bool, offLine, walked int) Result {
	msg := "no benchmark results are recorded for HEAD's history in the history store (" + history.Ref + ")"
	if offLine > 0 {
		msg = fmt.Sprintf("none of the history store's %s is of the %s of HEAD's first-parent history",
			english.Plural(offLine, "record", "records"), english.Plural(walked, "commit", "commits"))
	}
	if shallow {
		return Result{Status: Skip, Message: msg + "; " + fullClone}
	}
	return Result{Status: Skip, Message: msg + ": " + startRecording}
}
