//go:build ignore

// Command run measures how accurate and how fast `perfctl compare
// --base-ref` is on this machine. It builds a sample module of six
// packages (three benchmarks each) in a temporary git repository, changes
// the working tree, and compares it with HEAD, trials times per scenario:
//
//	A/A (binaries change)  every package gets an unused exported function
//	                       at the top of its file: every test binary
//	                       differs (line numbers move), the speed does not.
//	                       Any flagged row is a false alarm; a fail verdict
//	                       is a false fail.
//	A/A (identical)        nothing changes: every package is identical and
//	                       the verdict should take about the time of the
//	                       build.
//	10% / 20% slowdown     Hash in package p3 does 10% (20%) more work; the
//	                       other five packages are untouched.
//
// each under two conditions: a quiet machine, and one core kept busy by a
// shell loop. perfctl runs as a user runs it (adaptive rounds, identical
// packages not run, Holm across rows); a full run of everything (--full
// --correction none, the method before adaptive rounds) gives the
// reference machine time, over fewer trials.
//
// A large-suite A/A (one package of 64 sub-benchmarks, binaries changed,
// one core busy) counts false-fail verdicts with and without the
// correction.
//
// With -study, it instead compares per-round benchtimes at a fixed machine
// budget (more short rounds or fewer long ones) on the 10% slowdown and an
// A/A of the same package, every round run (--full).
//
// It never touches the perfctl repository. Run from the repository root:
//
//	make accuracy            # or: go run ./testdata/accuracy/run.go -perfctl PATH [-write]
//	make accuracy-benchtime  # the -study table
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"
)

const modulePath = "example.com/sample"

// packages are the six packages of the sample module; target is the one
// the slowdown scenarios change.
var packages = []string{"p1", "p2", "p3", "p4", "p5", "p6"}

const target, targetBench = "p3", "Hash"

// work is each package's code. hashReps 10 → 11 is 10% more work in
// Hash, → 12 is 20%.
const work = `package %s

import (
	"slices"
	"strconv"
)

// hashReps is how many times Hash walks its buffer.
const hashReps = 10

// Hash is FNV-1a over buf, hashReps times.
func Hash(buf []byte) uint64 {
	h := uint64(14695981039346656037)
	for r := 0; r < hashReps; r++ {
		for _, c := range buf {
			h ^= uint64(c)
			h *= 1099511628211
		}
	}
	return h
}

// SortInts copies src into dst and sorts it.
func SortInts(dst, src []int) {
	copy(dst, src)
	slices.Sort(dst)
}

// Strconv formats and parses every number in xs.
func Strconv(buf []byte, xs []int64) int64 {
	var sum int64
	for _, x := range xs {
		buf = strconv.AppendInt(buf[:0], x, 10)
		v, err := strconv.ParseInt(string(buf), 10, 64)
		if err != nil {
			panic(err)
		}
		sum += v
	}
	return sum
}
`

const workTest = `package %s

import (
	"math/rand"
	"testing"
)

var sink uint64

func BenchmarkHash(b *testing.B) {
	buf := make([]byte, 4<<10)
	rand.New(rand.NewSource(1)).Read(buf)
	for b.Loop() {
		sink += Hash(buf)
	}
}

func BenchmarkSort(b *testing.B) {
	r := rand.New(rand.NewSource(2))
	src := make([]int, 2000)
	for i := range src {
		src[i] = r.Int()
	}
	dst := make([]int, len(src))
	for b.Loop() {
		SortInts(dst, src)
	}
	sink += uint64(dst[0])
}

func BenchmarkStrconv(b *testing.B) {
	r := rand.New(rand.NewSource(3))
	xs := make([]int64, 800)
	for i := range xs {
		xs[i] = r.Int63()
	}
	buf := make([]byte, 0, 32)
	for b.Loop() {
		sink += uint64(Strconv(buf, xs))
	}
}
`

// unused is the A/A change: a function nothing calls, which the linker
// drops, after the imports, which moves the line numbers the binary
// records of everything below.
const unused = "\n// Unused is called by nobody.\nfunc Unused() int { return 42 }\n"

// big is the large suite: 64 sub-benchmarks of four kinds of work.
const big = `package big

import (
	"fmt"
	"math/rand"
	"slices"
	"strconv"
	"testing"
)

var sink uint64

func BenchmarkSuite(b *testing.B) {
	for _, kind := range []string{"hash", "sort", "strconv", "map"} {
		for i := 1; i <= 16; i++ {
			n := 64 * i
			b.Run(fmt.Sprintf("%s/n=%d", kind, n), func(b *testing.B) {
				r := rand.New(rand.NewSource(int64(i)))
				buf := make([]byte, n*8)
				r.Read(buf)
				xs := make([]int, n)
				for j := range xs {
					xs[j] = r.Int()
				}
				dst := make([]int, n)
				m := make(map[int]int, n)
				num := make([]byte, 0, 32)
				for b.Loop() {
					switch kind {
					case "hash":
						h := uint64(14695981039346656037)
						for _, c := range buf {
							h ^= uint64(c)
							h *= 1099511628211
						}
						sink += h
					case "sort":
						copy(dst, xs)
						slices.Sort(dst)
						sink += uint64(dst[0])
					case "strconv":
						for _, x := range xs[:n/4] {
							num = strconv.AppendInt(num[:0], int64(x), 10)
							v, _ := strconv.ParseInt(string(num), 10, 64)
							sink += uint64(v)
						}
					case "map":
						clear(m)
						for _, x := range xs[:n/4] {
							m[x] = x
						}
						sink += uint64(len(m))
					}
				}
			})
		}
	}
}
`

var (
	perfctl    = flag.String("perfctl", "", "path to the perfctl binary (required)")
	trials     = flag.Int("trials", 10, "trials per scenario, condition and method")
	refTrials  = flag.Int("ref-trials", 3, "trials of the full reference run per scenario and condition")
	count      = flag.Int("count", 20, "--count (the most rounds) per trial")
	benchtime  = flag.String("benchtime", "", "--benchtime per round (empty: perfctl's default)")
	conditions = flag.String("conditions", "quiet,busy", "machine conditions: quiet, busy (one core kept busy)")
	large      = flag.Bool("large", true, "run the large-suite A/A")
	largeBench = flag.String("large-benchtime", "20ms", "--benchtime of the large suite")
	study      = flag.String("study", "", "instead, compare per-round benchtimes at one budget: ROUNDSxBENCHTIME,… e.g. 40x25ms,20x50ms,10x100ms,8x125ms")
	write      = flag.Bool("write", false, "also write the report to -out")
	out        = flag.String("out", "testdata/accuracy/RESULTS.md", "report file for -write")
	keep       = flag.Bool("keep", false, "keep the temporary directory (for inspection)")
	timeout    = flag.Duration("timeout", 20*time.Minute, "limit for one command")
)

// The parts of perfctl's JSON the harness reads.
type result struct {
	Verdict     string `json:"verdict"`
	Rounds      int    `json:"rounds"`
	Tested      int    `json:"tested"`
	NotRun      int    `json:"not_run"`
	Comparisons []struct {
		Name      string   `json:"name"`
		Unit      string   `json:"unit"`
		Pkg       string   `json:"pkg"`
		Status    string   `json:"status"`
		Note      string   `json:"note"`
		NotRun    string   `json:"not_run"`
		DeltaPct  *float64 `json:"delta_pct"`
		PValue    *float64 `json:"p_value"`
		PairedP   *float64 `json:"paired_p_value"`
		PairedD   *float64 `json:"paired_delta_pct"`
		PAdjusted *float64 `json:"p_adjusted"`
		Head      *struct {
			N int `json:"n"`
		} `json:"head"`
	} `json:"comparisons"`
}

// A scenario is a change of the working tree.
type scenario struct {
	name  string
	slow  int  // percent more work in the target's Hash; 0 for A/A
	touch bool // A/A: move the line numbers of every package
	full  bool // also time the full run (the others take the same time)
}

var scenarios = []scenario{
	{name: "A/A, binaries changed", touch: true, full: true},
	{name: "A/A, identical"},
	{name: "10% slowdown in p3.Hash", slow: 10, full: true},
	{name: "20% slowdown in p3.Hash", slow: 20},
}

// tally is one cell: a scenario, condition and method.
type tally struct {
	scenario  scenario
	condition string
	method    string
	trials    int
	errors    int
	fails     int // trials with verdict fail
	flagged   int // trials with a row flagged that should not be
	rows      int // those rows
	caught    int // slowdown: the target's sec/op is a regression
	notRun    []float64
	tested    []float64
	rounds    []float64
	wall      []float64 // seconds
	deltas    []float64 // the target's measured change
	notes     []string
}

var env []string

// buildTimes are the seconds a build of one tree's test binaries takes.
var buildTimes []float64

func main() {
	flag.Parse()
	if *perfctl == "" {
		fmt.Fprintln(os.Stderr, "usage: go run ./testdata/accuracy/run.go -perfctl PATH [-trials N] [-count N] [-benchtime D] [-study …] [-write]")
		os.Exit(2)
	}
	p, err := filepath.Abs(*perfctl)
	if err != nil {
		fatal(err)
	}
	*perfctl = p
	start := time.Now()

	tmp, err := os.MkdirTemp("", "perfctl-accuracy-")
	if err != nil {
		fatal(err)
	}
	if !*keep {
		defer os.RemoveAll(tmp)
	}
	env = append(os.Environ(), "GIT_AUTHOR_NAME=perfctl accuracy", "GIT_AUTHOR_EMAIL=accuracy@example.com",
		"GIT_COMMITTER_NAME=perfctl accuracy", "GIT_COMMITTER_EMAIL=accuracy@example.com",
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "GOWORK=off", "GOFLAGS=", "NO_COLOR=1")

	repo := filepath.Join(tmp, "sample")
	writeModule(repo)
	for _, args := range [][]string{
		{"init", "-q"}, {"add", "-A"}, {"-c", "commit.gpgsign=false", "commit", "-q", "-m", "sample"},
	} {
		if _, err := run(repo, "git", args...); err != nil {
			fatal(err)
		}
	}
	var report string
	if *study != "" {
		report = runStudy(repo)
	} else {
		report = runAccuracy(repo)
	}
	report += fmt.Sprintf("\nTotal wall time: %v. Machine: %d CPUs (nproc), %s, %s/%s, %s.\n",
		time.Since(start).Round(time.Second), runtime.NumCPU(), cpuModel(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	fmt.Print(report)
	if *write {
		must(os.WriteFile(*out, []byte(report), 0o644))
		logf("wrote %s", *out)
	}
}

// writeModule writes the sample module (six packages) and the large suite
// (its own module, in big/) under repo.
func writeModule(repo string) {
	for _, p := range packages {
		dir := filepath.Join(repo, p)
		must(os.MkdirAll(dir, 0o755))
		must(os.WriteFile(filepath.Join(dir, "work.go"), []byte(fmt.Sprintf(work, p)), 0o644))
		must(os.WriteFile(filepath.Join(dir, "work_test.go"), []byte(fmt.Sprintf(workTest, p)), 0o644))
	}
	must(os.WriteFile(filepath.Join(repo, "go.mod"), []byte("module "+modulePath+"\n\ngo 1.24\n"), 0o644))
	must(os.MkdirAll(filepath.Join(repo, "big"), 0o755))
	must(os.WriteFile(filepath.Join(repo, "big", "go.mod"), []byte("module example.com/big\n\ngo 1.24\n"), 0o644))
	must(os.WriteFile(filepath.Join(repo, "big", "big_test.go"), []byte(big), 0o644))
}

// apply changes the working tree to sc (from a clean tree).
func apply(repo string, sc scenario) {
	if _, err := run(repo, "git", "checkout", "-q", "--", "."); err != nil {
		fatal(err)
	}
	switch {
	case sc.touch:
		for _, p := range packages {
			src := withUnused(fmt.Sprintf(work, p))
			must(os.WriteFile(filepath.Join(repo, p, "work.go"), []byte(src), 0o644))
		}
	case sc.slow > 0:
		src := strings.Replace(fmt.Sprintf(work, target), "const hashReps = 10", fmt.Sprintf("const hashReps = %d", 10+sc.slow/10), 1)
		must(os.WriteFile(filepath.Join(repo, target, "work.go"), []byte(src), 0o644))
	}
}

// withUnused adds unused after the imports of src.
func withUnused(src string) string {
	i := strings.Index(src, "\n)\n")
	if i < 0 {
		fatal(errors.New("no import block"))
	}
	return src[:i+3] + unused + src[i+3:]
}

// busyLoop keeps one core busy until stopped.
func busyLoop() (stop func()) {
	cmd := exec.Command("sh", "-c", "while :; do :; done")
	must(cmd.Start())
	return func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
}

func withCondition(cond string, f func()) {
	if cond == "busy" {
		stop := busyLoop()
		defer stop()
	}
	f()
}

func runAccuracy(repo string) string {
	var cells []*tally
	for _, cond := range strings.Split(*conditions, ",") {
		withCondition(cond, func() {
			for _, sc := range scenarios {
				apply(repo, sc)
				adaptive := &tally{scenario: sc, condition: cond, method: "perfctl"}
				cells = append(cells, adaptive)
				var full *tally
				if sc.full {
					full = &tally{scenario: sc, condition: cond, method: "full run"}
					cells = append(cells, full)
				}
				for t := 1; t <= max(*trials, *refTrials); t++ {
					if t <= *trials {
						trial(repo, adaptive, t, nil)
					}
					if full != nil && t <= *refTrials {
						trial(repo, full, t, []string{"--full", "--correction", "none"})
					}
				}
			}
		})
	}
	apply(repo, scenario{name: "clean"})
	for range 3 {
		t0 := time.Now()
		if _, err := run(repo, "go", "test", "-count=1", "-run", "^$", "./..."); err != nil {
			fatal(err)
		}
		buildTimes = append(buildTimes, time.Since(t0).Seconds())
	}
	var largeCells []*tally
	if *large {
		withCondition("busy", func() {
			bigDir := filepath.Join(repo, "big")
			src := withUnused(big)
			must(os.WriteFile(filepath.Join(bigDir, "big_test.go"), []byte(src), 0o644))
			sc := scenario{name: "large suite A/A, binaries changed", touch: true}
			for _, m := range []struct{ name, corr string }{{"no correction", "none"}, {"Holm", "holm"}} {
				c := &tally{scenario: sc, condition: "busy", method: m.name}
				largeCells = append(largeCells, c)
				for t := 1; t <= *trials; t++ {
					trial(bigDir, c, t, []string{"--correction", m.corr, "--benchtime", *largeBench})
				}
			}
		})
		_, _ = run(repo, "git", "checkout", "-q", "--", ".")
	}
	return renderAccuracy(cells, largeCells)
}

// trial runs one comparison of dir's working tree with HEAD into c.
func trial(dir string, c *tally, t int, extra []string) {
	args := []string{"compare", "--base-ref", "HEAD", "--count", fmt.Sprint(*count), "--format", "json"}
	if *benchtime != "" {
		args = append(args, "--benchtime", *benchtime)
	}
	args = append(args, extra...)
	t0 := time.Now()
	r, err := perfctlJSON(dir, args...)
	wall := time.Since(t0)
	c.trials++
	if err != nil {
		c.errors++
		c.notes = append(c.notes, fmt.Sprintf("trial %d: error: %v", t, err))
		logf("%s | %s | %s | trial %d: ERROR %v", c.scenario.name, c.condition, c.method, t, err)
		return
	}
	c.wall = append(c.wall, wall.Seconds())
	c.add(t, r)
	logf("%s | %s | %s | trial %d: %s in %v, %d rounds, %d rows not run", c.scenario.name, c.condition, c.method, t, r.Verdict,
		wall.Round(100*time.Millisecond), r.Rounds, r.NotRun)
}

func (c *tally) add(trial int, r *result) {
	if r.Verdict == "fail" {
		c.fails++
	}
	c.notRun = append(c.notRun, float64(r.NotRun))
	c.tested = append(c.tested, float64(r.Tested))
	c.rounds = append(c.rounds, float64(r.Rounds))
	flagged, caught := 0, false
	for _, row := range r.Comparisons {
		isTarget := c.scenario.slow > 0 && row.Pkg == modulePath+"/"+target && row.Name == targetBench && row.Unit == "sec/op"
		if isTarget {
			if row.PairedD != nil {
				c.deltas = append(c.deltas, *row.PairedD)
			}
			if row.Status == "regression" {
				caught = true
			} else {
				c.notes = append(c.notes, fmt.Sprintf("trial %d: missed: %s %s Δ%s paired p=%s adjusted p=%s %s",
					trial, row.Status, row.Unit, f(row.PairedD), f(row.PairedP), f(row.PAdjusted), row.Note))
			}
			continue
		}
		if row.Status != "regression" && row.Status != "improvement" {
			continue
		}
		flagged++
		c.notes = append(c.notes, fmt.Sprintf("trial %d: flagged: %s %s %s %s Δ%s paired p=%s adjusted p=%s",
			trial, row.Pkg, row.Name, row.Unit, row.Status, f(row.PairedD), f(row.PairedP), f(row.PAdjusted)))
	}
	if flagged > 0 {
		c.flagged++
		c.rows += flagged
	}
	if caught {
		c.caught++
	}
}

func renderAccuracy(cells, largeCells []*tally) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# perfctl compare --base-ref: accuracy and machine time on this machine\n\n")
	fmt.Fprintf(&b, "Generated by `make accuracy` (testdata/accuracy/run.go) on %s.\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	bt := ""
	if *benchtime != "" {
		bt = " --benchtime " + *benchtime
	}
	fmt.Fprintf(&b, "A module of six packages, three benchmarks each (Hash, Sort, Strconv; 54 rows with B/op and allocs/op). "+
		"`perfctl compare --base-ref HEAD --count %d%s --format json` (per-round benchtime: perfctl's default unless given) as a user runs it (adaptive rounds, identical packages not run, Holm), "+
		"and the full run it replaces (`--full --correction none`: every package, every round), timed for reference. %d trials each (%d of the full run).\n\n",
		*count, bt, *trials, *refTrials)
	fmt.Fprintf(&b, "| condition | scenario | method | trials | false-fail verdicts | caught | rows wrongly flagged (trials) | rows not run | rounds | wall time per trial |\n")
	fmt.Fprintf(&b, "|---|---|---|---|---|---|---|---|---|---|\n")
	for _, c := range cells {
		ok := c.trials - c.errors
		ff, caught := "—", "—"
		if c.scenario.slow == 0 {
			ff = fmt.Sprintf("%d/%d", c.fails, ok)
		} else {
			caught = fmt.Sprintf("%d/%d", c.caught, ok)
		}
		tr := fmt.Sprint(c.trials)
		if c.errors > 0 {
			tr += fmt.Sprintf(" (%d errors)", c.errors)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %d (%d) | %s | %s | %s |\n", c.condition, c.scenario.name, c.method, tr, ff, caught,
			c.rows, c.flagged, medianOf(c.notRun, "%.0f"), medianOf(c.rounds, "%.0f"), spread(c.wall, "s"))
	}
	fmt.Fprintf(&b, "\nrows wrongly flagged: regressions or improvements of rows that did not change (every row in A/A; every row but p3 Hash sec/op in a slowdown), in every unit. "+
		"Wall time: median (min … max) of the whole command, build included; rounds: the most any benchmark ran (median).\n")

	fmt.Fprintf(&b, "\nTime of a verdict, perfctl against the full run of the same condition (median wall time; the full run of the A/A stands for the identical tree, whose full run is the same work):\n\n")
	fullOf := map[string]*tally{}
	for _, c := range cells {
		if c.method == "full run" && (fullOf[c.condition] == nil || c.scenario.slow > 0) {
			fullOf[c.condition+c.scenario.name] = c
			if c.scenario.slow == 0 {
				fullOf[c.condition] = c
			}
		}
	}
	for _, a := range cells {
		f := fullOf[a.condition+a.scenario.name]
		if f == nil {
			f = fullOf[a.condition]
		}
		if a.method != "perfctl" || f == nil || len(a.wall) == 0 || len(f.wall) == 0 {
			continue
		}
		fmt.Fprintf(&b, "- %s, %s: %.2f× (%.1fs against %.1fs)\n", a.condition, a.scenario.name,
			median(a.wall)/median(f.wall), median(a.wall), median(f.wall))
	}
	if len(buildTimes) > 0 {
		fmt.Fprintf(&b, "\nBuilding the six test binaries of one tree (`go test -count=1 -run '^$' ./...`, build cache warm, median of %d): %s; perfctl builds both trees.\n",
			len(buildTimes), spread(buildTimes, "s"))
	}
	fmt.Fprintf(&b, "\nMeasured size of the slowdowns (median per-round ratio of p3 Hash sec/op, over trials):\n\n")
	for _, c := range cells {
		if c.scenario.slow > 0 {
			fmt.Fprintf(&b, "- %s, %s, %s: %s\n", c.condition, c.scenario.name, c.method, spread(c.deltas, "%"))
		}
	}
	if len(largeCells) > 0 {
		fmt.Fprintf(&b, "\n## Large suite: one package of 64 sub-benchmarks, binaries changed, one core busy\n\n")
		fmt.Fprintf(&b, "| correction | trials | false-fail verdicts | rows wrongly flagged (trials) | rows tested (median) | wall time per trial |\n|---|---|---|---|---|---|\n")
		for _, c := range largeCells {
			fmt.Fprintf(&b, "| %s | %d | %d/%d | %d (%d) | %s | %s |\n", c.method, c.trials, c.fails, c.trials-c.errors, c.rows, c.flagged,
				medianOf(c.tested, "%.0f"), spread(c.wall, "s"))
		}
	}
	fmt.Fprintf(&b, "\n## Flagged rows, misses and errors\n\n")
	any := false
	for _, c := range append(cells, largeCells...) {
		for _, n := range c.notes {
			fmt.Fprintf(&b, "- %s | %s | %s | %s\n", c.condition, c.scenario.name, c.method, n)
			any = true
		}
	}
	if !any {
		fmt.Fprintf(&b, "none\n")
	}
	return b.String()
}

// runStudy compares per-round benchtimes at one machine budget on p3
// alone: the 10% slowdown and an A/A of p3 (binary changed), every round
// run, one core busy.
func runStudy(repo string) string {
	type cell struct {
		config    string
		aa, slow  *tally
		rounds    int
		benchtime string
	}
	var cells []*cell
	for _, cfg := range strings.Split(*study, ",") {
		r, bt, ok := strings.Cut(cfg, "x")
		var n int
		if _, err := fmt.Sscan(r, &n); !ok || err != nil {
			fatal(fmt.Errorf("-study %q: want ROUNDSxBENCHTIME", cfg))
		}
		cells = append(cells, &cell{config: cfg, rounds: n, benchtime: bt,
			aa:   &tally{scenario: scenario{name: "A/A p3", touch: true}, condition: "busy", method: cfg},
			slow: &tally{scenario: scenario{name: "10% slowdown", slow: 10}, condition: "busy", method: cfg}})
	}
	withCondition("busy", func() {
		for t := 1; t <= *trials; t++ {
			for _, c := range cells {
				for _, tl := range []*tally{c.aa, c.slow} {
					if tl.scenario.slow > 0 {
						apply(repo, tl.scenario)
					} else {
						apply(repo, scenario{})
						src := withUnused(fmt.Sprintf(work, target))
						must(os.WriteFile(filepath.Join(repo, target, "work.go"), []byte(src), 0o644))
					}
					*count, *benchtime = c.rounds, c.benchtime
					trial(repo, tl, t, []string{"--full", "./" + target})
				}
			}
		}
	})
	_, _ = run(repo, "git", "checkout", "-q", "--", ".")
	var b strings.Builder
	fmt.Fprintf(&b, "# Per-round benchtime at a fixed budget\n\nGenerated by `make accuracy-benchtime` on %s: package p3 alone, one core busy, every round run (`--full`), %d trials each.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), *trials)
	fmt.Fprintf(&b, "| rounds × benchtime | A/A false fails | A/A rows flagged | 10%% caught | measured change (median, min … max) | wall time per trial |\n|---|---|---|---|---|---|\n")
	for _, c := range cells {
		fmt.Fprintf(&b, "| %s | %d/%d | %d | %d/%d | %s | %s |\n", c.config, c.aa.fails, c.aa.trials-c.aa.errors, c.aa.rows,
			c.slow.caught, c.slow.trials-c.slow.errors, spread(c.slow.deltas, "%"), spread(append(c.aa.wall, c.slow.wall...), "s"))
	}
	fmt.Fprintf(&b, "\n## Flagged rows, misses and errors\n\n")
	for _, c := range cells {
		for _, tl := range []*tally{c.aa, c.slow} {
			for _, n := range tl.notes {
				fmt.Fprintf(&b, "- %s | %s | %s\n", c.config, tl.scenario.name, n)
			}
		}
	}
	return b.String()
}

func f(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.3g", *p)
}

// perfctlJSON runs perfctl and decodes its JSON; exit 0 and 1 are verdicts.
func perfctlJSON(dir string, args ...string) (*result, error) {
	stdout, err := run(dir, *perfctl, args...)
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
		return nil, err
	}
	var r result
	if err := json.Unmarshal(stdout, &r); err != nil {
		return nil, fmt.Errorf("perfctl %s: decoding JSON: %v", strings.Join(args, " "), err)
	}
	return &r, nil
}

func run(dir, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 2000 {
			msg = msg[len(msg)-2000:]
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 1 && name == *perfctl {
			return stdout.Bytes(), err
		}
		return stdout.Bytes(), fmt.Errorf("%s %s: %w: %s", filepath.Base(name), strings.Join(args, " "), err, msg)
	}
	return stdout.Bytes(), nil
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 0 {
		return (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return s[len(s)/2]
}

func medianOf(xs []float64, format string) string {
	if len(xs) == 0 {
		return "—"
	}
	return fmt.Sprintf(format, median(xs))
}

// spread is "median (min … max)" of xs with unit.
func spread(xs []float64, unit string) string {
	if len(xs) == 0 {
		return "—"
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if unit == "%" {
		return fmt.Sprintf("%+.1f%% (%+.1f … %+.1f)", median(s), s[0], s[len(s)-1])
	}
	return fmt.Sprintf("%.1f%s (%.1f … %.1f)", median(s), unit, s[0], s[len(s)-1])
}

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%s] %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

func must(err error) {
	if err != nil {
		fatal(err)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "accuracy:", err)
	os.Exit(2)
}
