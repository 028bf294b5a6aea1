package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/perfctl/perfctl/internal/english"
	"github.com/perfctl/perfctl/internal/usererr"
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
	Spec             // packages are relative to each side's module directory; Count is the most rounds
	BaseDir, HeadDir string
	BaseName         string // for messages, e.g. "base (origin/main)"
	HeadName         string // e.g. "head (working tree)"
	// BaseRoot and HeadRoot are the roots of the two trees (the git
	// checkouts): files a benchmark reads are compared relative to them.
	BaseRoot, HeadRoot string
	// MaxTime bounds the run: no round starts that would end after it
	// (0: no budget). Rows the budget left undecided are insufficient.
	MaxTime time.Duration
	// MinRounds is how many rounds a benchmark runs before it may be
	// settled. Settle, when set, stops running a benchmark once it is
	// settled (see settleRule); nil runs every benchmark Count rounds.
	MinRounds int
	Settle    *Options
	// SkipIdentical leaves out the packages whose test binaries are the
	// same on both sides and whose benchmarks read the same files.
	SkipIdentical bool
	// BinDir, when set, is where the test binaries are built and kept
	// (the caller removes it), so that they can run again after the
	// comparison (ABResults.BaseBinaries, HeadBinaries); else they are
	// built in a temporary directory removed on return.
	BinDir string
}

// ABResults are the two sides of an interleaved run, each as benchfmt text
// whose i-th sample of every benchmark was measured in round i.
type ABResults struct {
	Base, Head *Results
	Rounds     int  // rounds run (the most any benchmark ran)
	Stopped    bool // the time budget ended the run before every benchmark was settled or ran Count rounds
	// Identical are the packages that were not run: identical test
	// binaries and inputs on both sides. IdenticalText holds the result
	// lines of their one-iteration discovery runs, for the names and units
	// of their benchmarks (not measurements).
	Identical     []string
	IdenticalText []byte
	// Estimate is the time the run was expected to take before it started.
	Estimate time.Duration
	// BaseBinaries and HeadBinaries are each side's test binaries by
	// import path, when ABSpec.BinDir kept them; nil otherwise.
	BaseBinaries, HeadBinaries map[string]Binary
}

// abSide is one side of an A/B run.
type abSide struct {
	name string
	dir  string
	bins map[string]Binary // import path → binary
	body bytes.Buffer
	res  Results
	took map[string]time.Duration // import path → time of its last run
}

// RunAB builds both sides' test binaries once and runs them interleaved:
// base then head in odd rounds, head then base in even ones (so neither
// side always runs first), package by package, every benchmark once per
// round with allocation reporting. Packages whose binaries and inputs are
// identical are not run (SkipIdentical); benchmarks that are settled stop
// (Settle); the budget stops the run (MaxTime). Benchmarks on one side
// only come out as added or removed; a package that does not build is a
// *SideError.
func (r *Harness) RunAB(ctx context.Context, given *ABSpec, baseHeader, headHeader func() (*Header, error)) (*ABResults, error) {
	ab := *given
	ab.Spec = given.withDefaults()
	if err := ab.Validate(); err != nil {
		return nil, err
	}
	defer r.progress().Done()

	sides := [2]*abSide{{name: ab.BaseName, dir: ab.BaseDir}, {name: ab.HeadName, dir: ab.HeadDir}}
	tmp, err := os.MkdirTemp("", "perfctl-ab-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	var order []string                    // import paths, head's order first, then base-only ones
	parts := map[string]map[string]bool{} // a shard's benchmarks of split packages
	for i, s := range []*abSide{sides[1], sides[0]} {
		spec := ab.Spec
		spec.Dir = s.dir
		pkgs, err := FindPackages(ctx, r.Exec, s.dir, spec.Packages, spec.Tags)
		if err != nil {
			return nil, &SideError{Side: s.name, Err: err}
		}
		pkgs = ForBench(pkgs, spec.Bench) // build only what --bench can run
		pkgs = r.Select.apply(pkgs, parts)
		dir := fmt.Sprintf("%s/%d", tmp, i)
		if ab.BinDir != "" {
			dir = filepath.Join(ab.BinDir, strconv.Itoa(i))
		}
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
		s.took = map[string]time.Duration{}
		for _, b := range bins {
			s.bins[b.ImportPath] = b
			if !slices.Contains(order, b.ImportPath) {
				order = append(order, b.ImportPath)
			}
		}
	}
	if len(order) == 0 && r.Select != nil {
		return nil, emptyShard(r.Select, ab.Packages)
	}
	if len(order) == 0 {
		return nil, &PackageError{Package: joinPatterns(ab.Packages), Msg: "has no benchmarks on either side", Err: ErrNoBenchmarks,
			Hint: "perfctl runs the Benchmark functions in _test.go files; check the package patterns"}
	}

	out := &ABResults{}
	if ab.SkipIdentical {
		order, err = r.skipIdentical(ctx, &ab, sides, order, parts, tmp, out)
		if err != nil {
			return nil, err
		}
	}

	// active holds, per package still running, the top-level benchmarks
	// that are not settled (nil: all of them).
	active := map[string]map[string]bool{}
	for _, pkg := range order {
		active[pkg] = parts[pkg] // nil: all of them
	}
	out.Estimate = estimate(&ab, sides, order)
	r.progress().Plan(len(order), len(out.Identical), ab.Count, out.Estimate, ab.MaxTime)
	if perRound := out.Estimate / time.Duration(ab.Count); ab.MaxTime > 0 && len(order) > 0 && perRound > ab.MaxTime {
		return nil, usererr.New(fmt.Sprintf("--max-time %v cannot fit one round of the %s to run (about %v a round at --benchtime %s)",
			ab.MaxTime, english.Plural(len(order), "package", "packages"), perRound.Round(time.Second), orDefault(ab.Benchtime, "1s")),
			"raise --max-time, or lower --benchtime, or run fewer packages")
	}
	start := time.Now()
	remaining := time.Duration(-1)
	for round := 1; round <= ab.Count && len(active) > 0; round++ {
		if ab.MaxTime > 0 && round > 1 && time.Since(start)+nextRound(sides, active) > ab.MaxTime {
			out.Stopped = true
			break
		}
		first, second := sides[0], sides[1]
		if round%2 == 0 {
			first, second = second, first
		}
		for _, pkg := range order {
			tops, running := active[pkg]
			if !running {
				continue
			}
			req := runRequest{}
			if tops != nil {
				req.bench = restrictPattern(ab.Bench, tops)
				if parts[pkg] != nil {
					req.bench = narrow(ab.Bench, shardPackage(sides, pkg), tops)
				}
			}
			for _, s := range []*abSide{first, second} {
				b, ok := s.bins[pkg]
				if !ok {
					continue
				}
				r.progress().Running(round, ab.Count, pkg+" ("+s.name+")", time.Since(start), remaining)
				t := time.Now()
				n, cpu, err := r.runOnce(ctx, &ab.Spec, &b, &s.body, &req)
				if err != nil {
					if ctx.Err() != nil {
						return nil, ctx.Err()
					}
					return nil, &SideError{Side: s.name, Err: err}
				}
				s.took[pkg] = time.Since(t)
				s.res.Benchmarks += n
				if s.res.CPU == "" {
					s.res.CPU = cpu
				}
			}
		}
		if round == 1 && sides[0].res.Benchmarks+sides[1].res.Benchmarks == 0 && len(out.Identical) == 0 {
			return nil, &PackageError{Package: joinPatterns(ab.Packages),
				Msg:  fmt.Sprintf("no benchmark matches --bench %q on either side", ab.Bench),
				Hint: "check the regular expression; it is matched as go test -bench matches it"}
		}
		out.Rounds = round
		if ab.Settle != nil && round >= ab.MinRounds {
			r.settle(&ab, sides, active)
		}
		remaining = nextRound(sides, active) * time.Duration(ab.Count-round)
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
		r.Select.label(&hc)
		var text bytes.Buffer
		hc.write(&text, &spec)
		text.Write(sides[i].body.Bytes())
		sides[i].res.Text = text.Bytes()
	}
	out.Base, out.Head = &sides[0].res, &sides[1].res
	if ab.BinDir != "" {
		out.BaseBinaries, out.HeadBinaries = sides[0].bins, sides[1].bins
	}
	return out, nil
}

// settle drops the settled benchmarks from active, and the packages left
// with none.
func (r *Harness) settle(ab *ABSpec, sides [2]*abSide, active map[string]map[string]bool) {
	base, berr := Read(bytes.NewReader(sides[0].body.Bytes()), ab.BaseName)
	head, herr := Read(bytes.NewReader(sides[1].body.Bytes()), ab.HeadName)
	if berr != nil || herr != nil {
		return // nothing read yet: keep running
	}
	rule := &settleRule{Alpha: ab.Settle.Alpha, Thresholds: ab.Settle.Thresholds, MinRounds: ab.MinRounds}
	left := rule.unsettled(base, head)
	settled, running := 0, 0
	for pkg := range active {
		tops := left[pkg]
		if len(tops) == 0 {
			delete(active, pkg)
			settled++
			continue
		}
		active[pkg] = tops
		running++
	}
	r.progress().Settled(settled, running)
}

// restrictPattern narrows a -test.bench pattern to the top-level
// benchmarks tops, keeping what it says of the levels below. A pattern
// with an alternation at the top (a|b/c) is kept whole: the narrowing of
// its levels could not be said in one pattern.
func restrictPattern(pattern string, tops map[string]bool) string {
	levels, alternation := splitLevels(pattern)
	if alternation {
		return pattern
	}
	names := make([]string, 0, len(tops))
	for t := range tops {
		names = append(names, regexp.QuoteMeta(t))
	}
	slices.Sort(names)
	first := "^(" + strings.Join(names, "|") + ")$"
	return strings.Join(append([]string{first}, levels[1:]...), "/")
}

// splitLevels splits a -test.bench pattern at the slashes that separate
// its levels, as package testing does, and reports whether it has an
// alternation at the top level.
func splitLevels(s string) (levels []string, alternation bool) {
	brackets, parens := 0, 0
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			brackets++
		case ']':
			brackets = max(0, brackets-1)
		case '(':
			if brackets == 0 {
				parens++
			}
		case ')':
			if brackets == 0 {
				parens--
			}
		case '\\':
			i++
		case '/':
			if brackets == 0 && parens == 0 {
				levels = append(levels, s[start:i])
				start = i + 1
			}
		case '|':
			if brackets == 0 && parens == 0 {
				alternation = true
			}
		}
	}
	return append(levels, s[start:]), alternation
}

// nextRound predicts how long the next round takes: the last run of each
// package still running, on both sides.
func nextRound(sides [2]*abSide, active map[string]map[string]bool) time.Duration {
	var d time.Duration
	for pkg := range active {
		d += sides[0].took[pkg] + sides[1].took[pkg]
	}
	return d
}

// estimate predicts the run before it starts, from the benchmarks the
// packages declare and the time per round each is given: count rounds of
// both sides, at go's ramp-up (a benchmark runs about 1.2 times its
// benchtime, plus its setup). It is 0, unknown, for an iteration count
// (--benchtime 100x).
func estimate(ab *ABSpec, sides [2]*abSide, order []string) time.Duration {
	per := time.Second
	if ab.Benchtime != "" {
		d, err := time.ParseDuration(ab.Benchtime)
		if err != nil {
			return 0
		}
		per = d
	}
	n := 0
	for _, pkg := range order {
		for _, s := range sides {
			if b, ok := s.bins[pkg]; ok {
				n += max(1, b.Benchmarks)
			}
		}
	}
	return time.Duration(float64(per) * 1.2 * float64(n*ab.Count))
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func joinPatterns(p []string) string {
	if len(p) == 0 {
		return "./..."
	}
	return strings.Join(p, " ")
}

// skipIdentical takes the packages whose benchmarks cannot run
// differently on the two sides out of order, and records them in out. A
// package is identical when its test binaries are byte for byte the same,
// its testdata directories hold the same files (treeDigest), and every
// file its benchmarks read in a one-iteration run of head's binary (its
// test log) is the same in both trees. The environment is the same for both sides: one process runs
// them.
func (r *Harness) skipIdentical(ctx context.Context, ab *ABSpec, sides [2]*abSide, order []string, parts map[string]map[string]bool, tmp string, out *ABResults) ([]string, error) {
	var keep []string
	for _, pkg := range order {
		b, bok := sides[0].bins[pkg]
		h, hok := sides[1].bins[pkg]
		if !bok || !hok || b.Hash == "" || b.Hash != h.Hash {
			keep = append(keep, pkg)
			continue
		}
		bt, berr := treeDigest(b.Dir)
		ht, herr := treeDigest(h.Dir)
		if berr != nil || herr != nil || bt != ht {
			keep = append(keep, pkg)
			continue
		}
		logFile := filepath.Join(tmp, fmt.Sprintf("testlog-%d", len(keep)+len(out.Identical)))
		var lines bytes.Buffer
		r.progress().Running(0, ab.Count, pkg+" (comparing its inputs)", 0, -1)
		discover := runRequest{benchtime: "1x", testLog: logFile}
		if parts[pkg] != nil { // a shard's part: only its benchmarks are rows here
			discover.bench = narrow(ab.Bench, shardPackage(sides, pkg), parts[pkg])
		}
		if _, _, err := r.runOnce(ctx, &ab.Spec, &h, &lines, &discover); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			keep = append(keep, pkg) // let the real run say what is wrong
			continue
		}
		in, err := readTestLog(logFile, h.Dir)
		if err != nil || !sameInputs(ab.BaseRoot, ab.HeadRoot, in) {
			keep = append(keep, pkg)
			continue
		}
		out.Identical = append(out.Identical, pkg)
		out.IdenticalText = append(out.IdenticalText, lines.Bytes()...)
		r.progress().Skipped(pkg, "identical test binary and inputs")
	}
	return keep, nil
}

// sameInputs reports whether every file in (a benchmark read them in the
// head tree) is the same in the base tree. Files outside the head tree
// are the same file for both sides.
func sameInputs(baseRoot, headRoot string, in *testInputs) bool {
	if baseRoot == "" || headRoot == "" {
		return false
	}
	for _, f := range in.Files {
		rel, err := filepath.Rel(headRoot, f)
		if err != nil || !filepath.IsLocal(rel) {
			continue
		}
		if !sameFile(baseRoot, headRoot, rel) {
			return false
		}
	}
	return true
}

// shardPackage is pkg as both sides declare it: the top-level benchmarks
// of either, for narrowing a shard's part of it.
func shardPackage(sides [2]*abSide, pkg string) *Package {
	p := &Package{ImportPath: pkg}
	for _, s := range sides {
		if b, ok := s.bins[pkg]; ok {
			for _, n := range b.BenchNames {
				if !slices.Contains(p.BenchNames, n) {
					p.BenchNames = append(p.BenchNames, n)
				}
			}
		}
	}
	return p
}
