package bench

import (
	"fmt"
	"math"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"

	"github.com/perfctl/perfctl/internal/gomod"
)

// Status is the verdict on one row of a comparison.
type Status string

// The statuses of a row.
const (
	StatusRegression   Status = "regression"   // worse, significant and beyond the threshold
	StatusImprovement  Status = "improvement"  // better, significant and beyond the threshold
	StatusUnchanged    Status = "unchanged"    // no significant change beyond the threshold
	StatusAdded        Status = "added"        // only in head
	StatusRemoved      Status = "removed"      // only in base
	StatusInsufficient Status = "insufficient" // too few samples to decide
)

// DefaultAlpha is the significance level used when none is given.
const DefaultAlpha = 0.05

// DefaultConfidence is the confidence level of the reported intervals.
const DefaultConfidence = 0.95

// Options configure Compare. The zero value is not useful; start from
// DefaultOptions.
type Options struct {
	// Alpha is the significance level: a change is significant when the
	// p-value is at most Alpha.
	Alpha float64
	// Confidence is the level of the intervals around each center.
	Confidence float64
	// Thresholds are the smallest relative changes that count.
	Thresholds Thresholds
	// Filter, when set, keeps only benchmarks whose name matches.
	Filter *regexp.Regexp
	// OmitRemoved leaves out the benchmarks only base has, for a head that
	// measured a deliberate subset (compare --baseline with --bench).
	OmitRemoved bool
	// Paired says base and head were measured in interleaved rounds, the
	// i-th sample of each side in round i: the signed-rank test on the
	// per-round ratios decides (see MethodPaired).
	Paired bool
	// Correction controls the false-alarm rate of the whole comparison
	// rather than of each row: CorrectionHolm (the default) or
	// CorrectionNone.
	Correction Correction
	// NotRun names the packages whose benchmarks were not measured, with
	// why (identical test binaries and inputs). Their rows are unchanged,
	// with the reason: from base when base has them (a baseline), else
	// from NotRunRows (the names and units a one-iteration run found).
	NotRun     map[string]string
	NotRunRows *ResultSet
	// Truncated says a time budget ended the measurements: a row that is
	// neither significant nor shown to be inside its threshold is
	// insufficient, not unchanged.
	Truncated bool
}

// A Correction is how the p-values of a comparison's rows are adjusted for
// their number.
type Correction uint8

// The corrections.
const (
	// CorrectionHolm is Holm's step-down method: the chance that any row of
	// the comparison is a false regression or improvement stays at most
	// alpha (family-wise), whatever the number of rows.
	CorrectionHolm Correction = iota
	// CorrectionNone judges each row at alpha on its own, as benchstat does.
	CorrectionNone
)

// String is the correction's name: holm or none.
func (c Correction) String() string {
	if c == CorrectionNone {
		return "none"
	}
	return "holm"
}

// ParseCorrection reads a correction's name.
func ParseCorrection(name string) (Correction, error) {
	switch name {
	case "holm":
		return CorrectionHolm, nil
	case "none":
		return CorrectionNone, nil
	}
	return 0, fmt.Errorf("unknown correction %q: use holm or none", name)
}

// DefaultOptions returns alpha 0.05, 95% intervals, DefaultThresholds and
// Holm's correction.
func DefaultOptions() Options {
	return Options{Alpha: DefaultAlpha, Confidence: DefaultConfidence, Thresholds: DefaultThresholds()}
}

// A Summary describes one side of a row: the center of its samples and the
// confidence interval around it. Low and High are infinite when there are too
// few samples for an interval at the requested confidence.
type Summary struct {
	Center, Low, High float64
	N                 int
}

// A Row compares one benchmark in one unit.
type Row struct {
	Name string // benchmark name, without "Benchmark" and (see Procs) -GOMAXPROCS
	Unit string // tidied unit: sec/op, B/op, allocs/op, B/s, …
	Pkg  string // the benchmark's package, from the files' pkg: lines
	// Procs is the -GOMAXPROCS suffix that Name keeps, without its dash
	// ("4" for "Encode-4"): a name keeps it when the benchmark ran with
	// several GOMAXPROCS values (go test -cpu 1,4), to tell the runs
	// apart. It is "" when Name has none. go test matches a -bench pattern
	// against the name without it.
	Procs string
	// Label is how to show the row to a person: Name, with the package
	// added when the same name was measured in several packages.
	Label string

	Base, Head *Summary // nil on the side where the benchmark is missing

	// DeltaPct is the change of the center in percent; NaN when it is not
	// defined (one side missing, or a base of 0).
	DeltaPct float64
	// PValue is benchmath's p-value; NaN when one side is missing.
	PValue      float64
	Significant bool
	Threshold   float64 // fraction: 0.05 = 5%
	// Better is -1 when lower values are better, +1 when higher, 0 unknown.
	Better int
	// Exact is set when the row is decided without statistics: its values
	// are the same in every sample on each side (allocation counts,
	// usually), or its unit is declared assume=exact. Any change beyond the
	// threshold then decides.
	Exact  bool
	Status Status
	// Note explains the status when it needs explaining, e.g. how many
	// samples would be needed.
	Note string

	// Method is the test that decided: MethodUnpaired (benchstat's
	// Mann-Whitney U, PValue) or MethodPaired (interleaved rounds).
	Method string
	// PairedP, PairedDeltaPct (median of the per-round ratios) and Pairs
	// (rounds that differed) describe the paired test; zero otherwise.
	PairedP, PairedDeltaPct float64
	Pairs                   int
	// PAdjusted is the p-value of the deciding test (PairedP in paired
	// rows, PValue otherwise) after the correction for the number of rows
	// tested; NaN for rows decided without a test (exact, one side
	// missing, not run).
	PAdjusted float64
	// EquivalenceP is the p-value of the paired test that the change lies
	// within ±Threshold (two one-sided tests); NaN in unpaired rows.
	EquivalenceP float64
	// NotRun says why the row's benchmarks were not measured ("identical
	// test binary and inputs"); Base and/or Head are nil then.
	NotRun string
	// Profile says where the cost of a regression went, when compare
	// --profile collected it; nil otherwise.
	Profile *RowProfile
	// Source is where the benchmark's function is declared, when known:
	// LocateRegressions finds it for the regressions.
	Source *Source
}

// A Geomean summarises one unit over the benchmarks present on both sides,
// as benchstat's geomean row does.
type Geomean struct {
	Unit       string
	Base, Head float64 // NaN when a center is not positive
	DeltaPct   float64 // from the geometric mean of the ratios; NaN if undefined
	N          int     // number of benchmarks in the geomean
}

// A Comparison is the outcome of comparing two result sets.
type Comparison struct {
	Alpha      float64
	Confidence float64
	Method     string // MethodPaired or MethodUnpaired
	Rounds     int    // interleaved rounds, when Method is MethodPaired
	Rows       []Row  // grouped by unit, in the order units were first seen
	Correction Correction
	Tested     int // rows decided by a statistical test: the size of the family corrected for
	Geomeans   []Geomean
	// Warnings are problems that do not prevent a verdict, such as results
	// recorded on different CPUs.
	Warnings []string
	// Noisy is the number of rows whose samples vary by more than twice
	// their threshold within one side (the noise warning's count; see
	// Spread).
	Noisy int
	// Incomparable is set when the two sides were measured in different
	// environments (cpu, go version, GOMAXPROCS, …; see EnvironmentKeys).
	Incomparable bool
	// Modules are the modules seen where the comparison measured, with
	// those it measured marked Covered; nil when there is one module only
	// (or nothing was measured: two files).
	Modules []gomod.Module
	// Shard says which shard of a plan the comparison measured (compare
	// --shard), or that it joins a plan's shards (Index 0); nil otherwise.
	Shard *ShardInfo
}

// Count returns how many rows have status s.
func (c *Comparison) Count(s Status) int {
	n := 0
	for i := range c.Rows {
		if c.Rows[i].Status == s {
			n++
		}
	}
	return n
}

// NotRun counts the rows whose benchmarks were not measured.
func (c *Comparison) NotRun() int {
	n := 0
	for i := range c.Rows {
		if c.Rows[i].NotRun != "" {
			n++
		}
	}
	return n
}

// Failed reports whether any row is a regression.
func (c *Comparison) Failed() bool { return c.Count(StatusRegression) > 0 }

// A Verdict is the outcome of a gate, as the exit codes 0, 1 and 2 say it.
// A comparison passes or fails; a policy (package checks) can also end
// without a verdict.
type Verdict string

// The verdicts.
const (
	VerdictPass  Verdict = "pass"
	VerdictFail  Verdict = "fail"  // the gate said no
	VerdictError Verdict = "error" // no verdict could be reached
)

// Word is the verdict in capitals, as reports headline it: PASS.
func (v Verdict) Word() string { return strings.ToUpper(string(v)) }

// Verdict is fail when any row is a regression, else pass.
func (c *Comparison) Verdict() Verdict {
	if c.Failed() {
		return VerdictFail
	}
	return VerdictPass
}

// Compare compares head against base. It fails only when there is nothing to
// compare: no benchmark in common, or a filter that matches nothing.
func Compare(base, head *ResultSet, opts Options) (*Comparison, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	p, err := pair(base, head, opts.Filter, len(opts.NotRun) == 0)
	if err != nil {
		return nil, err
	}
	if opts.OmitRemoved {
		p.omitRemoved()
	}
	units := mergeUnits(base.Units, head.Units)
	thr := benchmath.Thresholds{CompareAlpha: opts.Alpha}
	c := &Comparison{Alpha: opts.Alpha, Confidence: opts.Confidence, Rows: make([]Row, len(p.groups)), Method: MethodUnpaired,
		Correction: opts.Correction}
	if opts.Paired {
		c.Method = MethodPaired
	}
	parallel(len(p.groups), func(i int) {
		c.Rows[i] = measureGroup(&p.groups[i], units, &thr, opts)
	})
	c.Rows = append(c.Rows, notRunRows(&opts, c.Rows)...)
	c.Tested = correct(c.Rows, &opts)
	for i := range c.Rows {
		decide(&c.Rows[i], opts, c.Tested)
	}
	c.Geomeans = geomeans(c.Rows)
	if base.Len() > 0 && head.Len() > 0 {
		// A side that ran nothing (every package identical) has no
		// environment to differ.
		c.Warnings = environmentWarnings(base, head)
		c.Incomparable = environmentDiffers(base, head)
	}
	c.Warnings = append(c.Warnings, p.warnings(base.Source, head.Source, opts.NotRun)...)
	c.Warnings = append(c.Warnings, thresholdWarnings(opts.Thresholds, c.Rows)...)
	if w, n := noiseWarning(c.Rows, p.groups); w != "" {
		c.Noisy = n
		c.Warnings = append(c.Warnings, w)
	}
	return c, nil
}

// exactCounts reports whether a row of counts can be decided without
// statistics: allocs/op or B/op whose values are the same in every sample
// on each side. A count of allocations is exact from one sample on (as
// perfctl always gated it); bytes need two samples a side to show they do
// not vary. Times are never exact: equal times are the resolution of the
// clock, not the absence of noise.
func exactCounts(unit string, base, head []float64) bool {
	switch unit {
	case ExactUnit:
		return constant(base) && constant(head)
	case "B/op":
		return len(base) >= 2 && len(head) >= 2 && constant(base) && constant(head)
	}
	return false
}

// notRunRows are the rows of the packages not run that no side has (an
// interleaved run that skipped them): from the names and units of
// NotRunRows, after the rows present.
func notRunRows(opts *Options, present []Row) []Row {
	if opts.NotRunRows == nil || opts.NotRunRows.Len() == 0 {
		return nil
	}
	p, err := pair(opts.NotRunRows, opts.NotRunRows, opts.Filter, false)
	if err != nil {
		return nil
	}
	type key struct{ pkg, name, unit string }
	have := map[key]bool{}
	for i := range present {
		have[key{present[i].Pkg, present[i].Name, present[i].Unit}] = true
	}
	var out []Row
	for i := range p.groups {
		g := &p.groups[i]
		if have[key{g.pkg, g.name, g.unit}] {
			continue
		}
		reason := opts.NotRun[g.pkg]
		if reason == "" {
			continue
		}
		out = append(out, Row{Name: g.name, Unit: g.unit, Pkg: g.pkg, Label: g.label, Procs: g.procs,
			DeltaPct: math.NaN(), PValue: math.NaN(), PAdjusted: math.NaN(), EquivalenceP: math.NaN(),
			Threshold: opts.Thresholds.For(g.unit), Status: StatusUnchanged, NotRun: reason})
	}
	return out
}

// correct adjusts the p-values of the rows decided by a statistical test
// for their number (Options.Correction) and sets their significance. It
// returns how many rows were tested.
func correct(rows []Row, opts *Options) int {
	var tested []int
	for i := range rows {
		if r := &rows[i]; r.Base != nil && r.Head != nil && !r.Exact && r.NotRun == "" {
			tested = append(tested, i)
		}
	}
	p := func(i int) float64 {
		if rows[i].Method == MethodPaired {
			return rows[i].PairedP
		}
		return rows[i].PValue
	}
	if opts.Correction == CorrectionNone {
		for _, i := range tested {
			rows[i].PAdjusted = p(i)
		}
	} else {
		// Holm: the k-th smallest of m p-values is compared with
		// alpha/(m-k+1); as adjusted p-values, (m-k+1)·p, made monotone.
		// A test that gave no p-value (NaN) counts as p = 1: it must sort
		// last, not wherever the comparison of NaN leaves it.
		key := func(i int) float64 {
			if v := p(i); !math.IsNaN(v) {
				return v
			}
			return 1
		}
		slices.SortStableFunc(tested, func(a, b int) int { return cmpFloat(key(a), key(b)) })
		m, running := len(tested), 0.0
		for k, i := range tested {
			adj := math.Min(1, float64(m-k)*key(i))
			running = math.Max(running, adj)
			rows[i].PAdjusted = running
		}
	}
	for _, i := range tested {
		rows[i].Significant = atMost(rows[i].PAdjusted, opts.Alpha)
	}
	return len(tested)
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// noiseWarning points out rows whose samples vary far more than the change
// they are judged by — a Spread on either side above 10% and above twice
// the row's threshold: a verdict on them is fragile (a noisy machine, or
// too few samples), and a regression or improvement among them deserves a
// second run. groups are the samples of the first rows (those measured).
func noiseWarning(rows []Row, groups []group) (string, int) {
	noisy, widest, widestName := 0, 0.0, ""
	for i := range rows {
		r := &rows[i]
		if r.Exact || r.NotRun != "" || i >= len(groups) {
			continue // a row not measured now has no noise of this run
		}
		w := math.Max(Spread(r.Base, groups[i].base), Spread(r.Head, groups[i].head))
		if w > 0.10 && w > 2*r.Threshold {
			noisy++
			if w > widest {
				widest, widestName = w, r.Label+" "+r.Unit
			}
		}
	}
	if noisy == 0 {
		return "", 0
	}
	return fmt.Sprintf("%d of %d rows vary by more than twice their threshold within one side (widest: ±%.0f%% for %s): "+
		"the machine is noisy or there are too few samples; raise --count or use a quieter runner before trusting their status",
		noisy, len(rows), widest*100, widestName), noisy
}

// overlaps reports whether the center of a or b lies within the other's
// interval. An interval the samples are too few for (±∞) says nothing.
func overlaps(a, b *Summary) bool {
	inside := func(x float64, s *Summary) bool {
		return !math.IsInf(s.Low, 0) && !math.IsInf(s.High, 0) && s.Low <= x && x <= s.High
	}
	return inside(a.Center, b) || inside(b.Center, a)
}

// Spread is how much the samples of one side of a row vary, as a fraction
// of their center: the measure of the noise warning.
//
// With enough samples for the interval around the median (6 at 95%
// confidence), it is the interval's relative half-width, the larger of
// High/Center-1 and 1-Low/Center. With fewer (2 to 5 at 95%), where the
// interval is ±∞, it is the same measure of the samples' range, Max and
// Min in place of High and Low: at the smallest sample count that has an
// interval (6 to 8 at 95%), the interval is that range, so the measure
// does not jump where one takes over from the other. One sample, or a
// center that is not positive, has no spread (0).
func Spread(s *Summary, samples []float64) float64 {
	if s == nil || s.Center <= 0 {
		return 0
	}
	if !math.IsInf(s.Low, 0) && !math.IsInf(s.High, 0) {
		return halfWidth(s)
	}
	if len(samples) < 2 {
		return 0
	}
	lo, hi := slices.Min(samples), slices.Max(samples)
	return math.Max(hi/s.Center-1, 1-lo/s.Center)
}

// halfWidth is the relative half-width of a summary's interval, or 0 when
// it has none.
func halfWidth(s *Summary) float64 {
	if s == nil || s.Center <= 0 || math.IsInf(s.Low, 0) || math.IsInf(s.High, 0) {
		return 0
	}
	return math.Max(s.High/s.Center-1, 1-s.Low/s.Center)
}

// parallel calls f(0) … f(n-1) on all CPUs. The rows of a comparison are
// independent and the Mann-Whitney U test dominates the cost.
func parallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n/64+1)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				f(i)
			}
		})
	}
	wg.Wait()
}

// thresholdWarnings points out thresholds set for units that no row has:
// most likely a typo that leaves the intended unit on the default.
func thresholdWarnings(t Thresholds, rows []Row) []string {
	var w []string
	for unit := range t.ByUnit {
		if unit == ExactUnit || slices.ContainsFunc(rows, func(r Row) bool { return r.Unit == unit }) {
			continue
		}
		w = append(w, fmt.Sprintf("threshold for unit %q matches no result: the units here are %s", unit, strings.Join(unitsOf(rows), ", ")))
	}
	slices.Sort(w)
	return w
}

func unitsOf(rows []Row) []string {
	var units []string
	for i := range rows {
		if !slices.Contains(units, rows[i].Unit) {
			units = append(units, rows[i].Unit)
		}
	}
	return units
}

// Validate checks that the options are usable.
func (o *Options) Validate() error {
	if !(o.Alpha > 0 && o.Alpha < 1) {
		return fmt.Errorf("alpha %v is out of range: it must be between 0 and 1, e.g. 0.05", o.Alpha)
	}
	if !(o.Confidence > 0 && o.Confidence < 1) {
		return fmt.Errorf("confidence %v is out of range: it must be between 0 and 1, e.g. 0.95", o.Confidence)
	}
	return nil
}

// measureGroup summarises one group and runs its test; decide sets its
// status once the correction has adjusted the p-values of all rows.
func measureGroup(g *group, units benchfmt.UnitMetadataMap, thr *benchmath.Thresholds, opts Options) Row {
	row := Row{
		Name: g.name, Unit: g.unit, Pkg: g.pkg, Label: g.label, Procs: g.procs,
		DeltaPct: math.NaN(), PValue: math.NaN(), PAdjusted: math.NaN(), EquivalenceP: math.NaN(),
		Better: units.GetBetter(g.unit),
	}
	assumption := units.GetAssumption(g.unit)
	var bs, hs *benchmath.Sample
	if g.base != nil {
		bs = benchmath.NewSample(clone(g.base), thr)
		row.Base = summarize(assumption, bs, opts.Confidence)
	}
	if g.head != nil {
		hs = benchmath.NewSample(clone(g.head), thr)
		row.Head = summarize(assumption, hs, opts.Confidence)
	}
	if reason := opts.NotRun[g.pkg]; reason != "" && g.head == nil {
		row.NotRun = reason // a baseline's benchmark, not measured now
	}
	// Decided exactly: counts that do not vary on either side (allocations,
	// bytes), or a unit declared assume=exact.
	row.Exact = assumption == benchmath.AssumeExact || g.base != nil && g.head != nil && exactCounts(g.unit, g.base, g.head)
	row.Threshold = rowThreshold(opts.Thresholds, g.unit, row.Exact)
	if bs == nil || hs == nil {
		return row
	}
	b, h := row.Base.Center, row.Head.Center
	row.DeltaPct = deltaPct(b, h)
	// The U test's p-value can exceed 1 by a rounding error (1.0000000000000002).
	row.PValue = min(assumption.Compare(bs, hs).P, 1)
	row.Method = MethodUnpaired
	if opts.Paired && len(g.base) == len(g.head) {
		// Interleaved rounds: g.base[i] and g.head[i] ran back to back.
		row.Method = MethodPaired
		row.PairedP, row.PairedDeltaPct, row.Pairs = pairedTest(g.base, g.head, row.Threshold)
		row.EquivalenceP = equivalenceP(g.base, g.head, row.Threshold)
	}
	if row.Exact {
		row.Significant = b != h
	}
	return row
}

// atMost reports whether p <= alpha, forgiving the rounding error of an
// exact p-value computed in floating point (2/C(6,3) comes out as
// 0.10000000000000002).
func atMost(p, alpha float64) bool {
	return p <= alpha*(1+1e-9)
}

// intervalSamples is the smallest sample size with a finite median interval
// at the given confidence (6 at 95%).
func intervalSamples(confidence float64) int {
	// The interval [x(1), x(n)] covers the median with probability
	// 1 - 2·0.5^n.
	n := 2
	for ; n < 1000 && 1-2*math.Pow(0.5, float64(n)) < confidence; n++ {
	}
	return n
}

// decide sets the status of a row (and its note) from its statistics.
func decide(row *Row, opts Options, tested int) {
	switch {
	case row.NotRun != "":
		row.Status = StatusUnchanged
		return
	case row.Base == nil:
		row.Status = StatusAdded
		return
	case row.Head == nil:
		row.Status = StatusRemoved
		return
	}
	row.Status, row.Note = judge(row, opts, tested)
	if row.Note == "" && !row.Exact && (math.IsInf(row.Base.Low, 0) || math.IsInf(row.Head.Low, 0) ||
		math.IsInf(row.Base.High, 0) || math.IsInf(row.Head.High, 0)) {
		row.Note = fmt.Sprintf("the %v%% interval needs at least %d samples per side (-count %d); ± ∞ marks its absence",
			opts.Confidence*100, intervalSamples(opts.Confidence), intervalSamples(opts.Confidence))
	}
}

// judge decides a row that both sides measured.
func judge(row *Row, opts Options, tested int) (Status, string) {
	alpha := opts.Alpha
	b, h := row.Base.Center, row.Head.Center
	if row.Method == MethodPaired && !row.Exact && !math.IsNaN(row.PairedDeltaPct) {
		// Judge the per-round ratios: their median is the change.
		b, h = 1, 1+row.PairedDeltaPct/100
	}
	// With the correction, the smallest p-value must beat alpha shared
	// among the rows tested (Holm's first step).
	level := alpha
	if opts.Correction != CorrectionNone && tested > 1 {
		level = alpha / float64(tested)
	}
	if !row.Significant {
		if opts.Truncated && !row.Exact && !atMost(row.EquivalenceP, alpha) {
			return StatusInsufficient, fmt.Sprintf("the --max-time budget ended the run after %d rounds, before this row was decided", row.Head.N)
		}
		// Too few samples matter only when the change is big enough to count.
		if !row.Exact && beyond(b, h, row.Threshold) {
			if row.Method == MethodPaired && atMost(minSignedRankP(row.Pairs), level) {
				// Enough rounds to decide, and the median change is past
				// the threshold, but not in enough of them: not shown to
				// be a change, and not shown to be none.
				return StatusInsufficient, fmt.Sprintf("undecided after %d rounds: the median change (%+.1f%%) is beyond the threshold, but not in enough rounds for alpha %v%s; more rounds decide it (--count %d)",
					row.Head.N, (h/b-1)*100, alpha, familyNote(opts, tested), 2*row.Head.N)
			}
			if row.Method == MethodPaired {
				need := pairsNeeded(level)
				return StatusInsufficient, fmt.Sprintf("too few rounds to detect a change at alpha %v%s: %d differ, need at least %d (--count %d)",
					alpha, familyNote(opts, tested), row.Pairs, need, need)
			}
			if !canBeSignificant(row.Base.N, row.Head.N, level) {
				need := samplesNeeded(level)
				return StatusInsufficient, fmt.Sprintf("too few samples to detect a change at alpha %v%s: have %d+%d, need at least %d per side (-count %d)",
					alpha, familyNote(opts, tested), row.Base.N, row.Head.N, need, need)
			}
		}
		return StatusUnchanged, ""
	}
	if !beyond(b, h, row.Threshold) {
		return StatusUnchanged, ""
	}
	if row.Method == MethodUnpaired && !row.Exact && overlaps(row.Base, row.Head) {
		// One side's median inside the other's interval: a change smaller
		// than the spread the run measured is noise that happened to pass
		// the test (a busy runner slows some samples of one side).
		return StatusUnchanged, fmt.Sprintf("the change (%+.1f%%) is within the spread of the samples: one side's median lies in the other's %v%% interval",
			(h/b-1)*100, opts.Confidence*100)
	}
	switch {
	case row.Better == 0:
		return StatusUnchanged, fmt.Sprintf("direction of %s unknown: declare it with a line `Unit %s better=lower` (or higher)", row.Unit, row.Unit)
	case (h > b) == (row.Better > 0):
		return StatusImprovement, ""
	default:
		return StatusRegression, ""
	}
}

// familyNote says, in a note, that the level is shared among the rows.
func familyNote(opts Options, tested int) string {
	if opts.Correction == CorrectionNone || tested <= 1 {
		return ""
	}
	return fmt.Sprintf(" across %d rows (Holm)", tested)
}

// pairsNeeded is the smallest number of rounds whose signed-rank test can
// be significant at alpha (6 at 0.05).
func pairsNeeded(alpha float64) int {
	n := 1
	for ; n < 1000 && !atMost(minSignedRankP(n), alpha); n++ {
	}
	return n
}

func summarize(a benchmath.Assumption, s *benchmath.Sample, confidence float64) *Summary {
	sum := a.Summary(s, confidence)
	return &Summary{Center: sum.Center, Low: sum.Lo, High: sum.Hi, N: len(s.Values)}
}

// deltaPct is the relative change from b to h in percent, as benchstat
// computes it.
func deltaPct(b, h float64) float64 {
	switch b {
	case h:
		return 0
	case 0:
		return math.NaN()
	}
	return (h/b - 1) * 100
}

// beyond reports whether the change from b to h is larger than threshold
// (a fraction). From 0 to anything else is always beyond.
func beyond(b, h, threshold float64) bool {
	if b == 0 {
		return h != 0
	}
	// The margin forgives rounding: 11 against 10 is a 10% change, not
	// 10.000000000000009%.
	return math.Abs(h/b-1) > threshold+1e-9
}

// canBeSignificant reports whether a two-sided Mann-Whitney U test on
// samples of n1 and n2 values can reach p <= alpha at all: its smallest
// p-value, for completely separated samples, is 2/C(n1+n2, n1).
func canBeSignificant(n1, n2 int, alpha float64) bool {
	return atMost(minUTestP(n1, n2), alpha)
}

func minUTestP(n1, n2 int) float64 {
	// C(n1+n2, n1) computed in floating point; exact enough for a bound.
	c := 1.0
	for i := 1; i <= n1; i++ {
		c = c * float64(n2+i) / float64(i)
	}
	return math.Min(1, 2/c)
}

// samplesNeeded is the smallest n such that n samples per side can be
// significant at alpha.
func samplesNeeded(alpha float64) int {
	n := 2
	for ; n < 1000 && !canBeSignificant(n, n, alpha); n++ {
	}
	return n
}

func clone(v []float64) []float64 { return append([]float64(nil), v...) }

// mergeUnits combines the unit metadata of both files; base wins on
// conflicts.
func mergeUnits(base, head benchfmt.UnitMetadataMap) benchfmt.UnitMetadataMap {
	m := make(benchfmt.UnitMetadataMap, len(base)+len(head))
	for k, v := range head {
		m[k] = v
	}
	for k, v := range base {
		m[k] = v
	}
	return m
}

// Redecide decides every row of c again from its statistics, with the
// correction over all of them, and recomputes the geomeans: for a
// comparison joined from the comparisons of shards (perfctl merge), as
// one run of all of them would have decided. truncated says a time budget
// ended some of the measurements (Options.Truncated).
func (c *Comparison) Redecide(truncated bool) {
	opts := Options{Alpha: c.Alpha, Confidence: c.Confidence, Correction: c.Correction, Truncated: truncated}
	if opts.Confidence == 0 {
		opts.Confidence = DefaultConfidence
	}
	c.Tested = correct(c.Rows, &opts)
	for i := range c.Rows {
		decide(&c.Rows[i], opts, c.Tested)
	}
	c.Geomeans = geomeans(c.Rows)
}
