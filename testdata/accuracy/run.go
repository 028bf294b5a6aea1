//go:build ignore

// Command run measures how accurate `perfctl compare --base-ref` is on this
// machine, next to the sequential benchstat-style reference:
//
//	(a) A/A: head == base. Every flagged row is a false positive; a trial
//	    whose verdict is fail is a false fail.
//	(b) one benchmark's function made 20% slower in the working tree: does
//	    its sec/op row come out as a regression, and is any other
//	    benchmark's sec/op row flagged?
//	(c) the same two setups measured sequentially (all base rounds, then all
//	    head rounds, `go test -bench`) and judged with `perfctl compare
//	    base.txt head.txt` (benchstat's unpaired Mann-Whitney U test).
//
// It builds a small sample module in a temporary git repository and never
// touches the perfctl repository. Run from the repository root:
//
//	go build -o /tmp/perfctl . && go run ./testdata/accuracy/run.go -perfctl /tmp/perfctl -trials 10 [-write]
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

// The sample module: four CPU-bound benchmarks of different speeds, no
// dependencies. The slowdown scenario changes hashReps from 5 to 6 — exactly
// 20% more work in BenchmarkHash and nothing else.
const sampleGoMod = "module example.com/sample\n\ngo 1.22\n"

const sampleWork = `package sample

import (
	"slices"
	"strconv"
)

// hashReps is how many times Hash walks its buffer.
const hashReps = 5

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

// MapInserts inserts n keys into a fresh map.
func MapInserts(n int) int {
	m := make(map[int]int)
	for i := 0; i < n; i++ {
		m[i*7919] = i
	}
	return len(m)
}
`

const sampleTest = `package sample

import (
	"math/rand"
	"testing"
)

var sink uint64

func BenchmarkHash(b *testing.B) {
	buf := make([]byte, 8<<10)
	rand.New(rand.NewSource(1)).Read(buf)
	b.ResetTimer() // setup bytes would otherwise show up as B/op ∝ 1/b.N
	for i := 0; i < b.N; i++ {
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
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
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
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sink += uint64(Strconv(buf, xs))
	}
}

func BenchmarkMap(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink += uint64(MapInserts(600))
	}
}
`

const target = "Hash" // the benchmark the slowdown scenario slows down

var (
	perfctl   = flag.String("perfctl", "", "path to the perfctl binary (required)")
	trials    = flag.Int("trials", 10, "trials per scenario and method")
	count     = flag.Int("count", 10, "rounds (--count / -count) per trial")
	benchtime = flag.String("benchtime", "50ms", "--benchtime / -benchtime per benchmark run")
	write     = flag.Bool("write", false, "also write the report to -out")
	out       = flag.String("out", "testdata/accuracy/RESULTS.md", "report file for -write")
	keep      = flag.Bool("keep", false, "keep the temporary directory (for inspection)")
	timeout   = flag.Duration("timeout", 10*time.Minute, "limit for one command")
)

// The parts of perfctl's JSON the harness reads.
type result struct {
	Verdict     string `json:"verdict"`
	Method      string `json:"method"`
	Rounds      int    `json:"rounds"`
	Comparisons []struct {
		Name     string   `json:"name"`
		Unit     string   `json:"unit"`
		Status   string   `json:"status"`
		DeltaPct *float64 `json:"delta_pct"`
		PValue   *float64 `json:"p_value"`
		PairedP  *float64 `json:"paired_p_value"`
		PairedD  *float64 `json:"paired_delta_pct"`
	} `json:"comparisons"`
	Warnings []string `json:"warnings"`
}

// tally is one (scenario, method) cell of the table.
type tally struct {
	scenario, method string
	trials, errors   int
	fails            int // trials with verdict fail
	flaggedTrials    int // trials with any flagged row
	flaggedRows      int // all flagged rows (any unit)
	caught           int // slowdown: target sec/op is a regression
	otherFlagged     int // trials with another benchmark's sec/op flagged
	otherRows        int // those rows
	targetDeltas     []float64
	notes            []string // one line per flagged row / error
}

var env []string

func main() {
	flag.Parse()
	if *perfctl == "" {
		fmt.Fprintln(os.Stderr, "usage: go run ./testdata/accuracy/run.go -perfctl PATH [-trials N] [-count N] [-benchtime D] [-write]")
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
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "GOWORK=off", "GOFLAGS=")

	repo := filepath.Join(tmp, "sample")
	must(os.MkdirAll(repo, 0o755))
	must(os.WriteFile(filepath.Join(repo, "go.mod"), []byte(sampleGoMod), 0o644))
	must(os.WriteFile(filepath.Join(repo, "work.go"), []byte(sampleWork), 0o644))
	must(os.WriteFile(filepath.Join(repo, "work_test.go"), []byte(sampleTest), 0o644))
	for _, args := range [][]string{
		{"init", "-q"}, {"add", "-A"}, {"-c", "commit.gpgsign=false", "commit", "-q", "-m", "sample"},
	} {
		if _, err := run(repo, "git", args...); err != nil {
			fatal(err)
		}
	}
	// The sequential reference measures the base in its own checkout.
	baseDir := filepath.Join(tmp, "base")
	if _, err := run(repo, "git", "worktree", "add", "-q", "--detach", baseDir, "HEAD"); err != nil {
		fatal(err)
	}
	defer run(repo, "git", "worktree", "remove", "--force", baseDir)

	logf("sample module in %s; %d trials × 2 methods × 2 scenarios, --count %d --benchtime %s", repo, *trials, *count, *benchtime)

	var cells []*tally
	for _, sc := range []string{"A/A (no change)", "20% slowdown in " + target} {
		slow := strings.HasPrefix(sc, "20%")
		if slow {
			src := strings.Replace(sampleWork, "const hashReps = 5", "const hashReps = 6", 1)
			must(os.WriteFile(filepath.Join(repo, "work.go"), []byte(src), 0o644))
		}
		paired := &tally{scenario: sc, method: "paired (compare --base-ref)"}
		seq := &tally{scenario: sc, method: "sequential + benchstat U"}
		cells = append(cells, paired, seq)
		for t := 1; t <= *trials; t++ {
			// Alternate which method goes first so machine drift hits both alike.
			order := []*tally{paired, seq}
			if t%2 == 0 {
				order = []*tally{seq, paired}
			}
			for _, c := range order {
				t0 := time.Now()
				var r *result
				var err error
				if c == paired {
					r, err = comparePaired(repo)
				} else {
					r, err = compareSequential(tmp, baseDir, repo, t)
				}
				c.trials++
				if err != nil {
					c.errors++
					c.notes = append(c.notes, fmt.Sprintf("trial %d: error: %v", t, err))
					logf("%s | %s | trial %d: ERROR %v", sc, c.method, t, err)
					continue
				}
				c.add(t, r, slow)
				logf("%s | %s | trial %d: %s in %v", sc, c.method, t, r.Verdict, time.Since(t0).Round(time.Second))
			}
		}
	}

	report := render(cells, time.Since(start))
	fmt.Print(report)
	if *write {
		must(os.WriteFile(*out, []byte(report), 0o644))
		logf("wrote %s", *out)
	}
}

func (c *tally) add(trial int, r *result, slow bool) {
	if r.Verdict == "fail" {
		c.fails++
	}
	flagged, other, caught := 0, 0, false
	for _, row := range r.Comparisons {
		name := strings.TrimPrefix(row.Name, "Benchmark")
		name = strings.SplitN(name, "-", 2)[0] // drop a -GOMAXPROCS suffix if any
		isTarget := name == target && row.Unit == "sec/op"
		if isTarget && row.DeltaPct != nil {
			d := *row.DeltaPct
			if row.PairedD != nil {
				d = *row.PairedD
			}
			c.targetDeltas = append(c.targetDeltas, d)
		}
		if slow && isTarget {
			if row.Status == "regression" {
				caught = true
			} else {
				c.notes = append(c.notes, fmt.Sprintf("trial %d: missed: %s %s %s Δ%s p=%s paired p=%s",
					trial, row.Name, row.Unit, row.Status, f(row.DeltaPct), f(row.PValue), f(row.PairedP)))
			}
			continue
		}
		if row.Status != "regression" && row.Status != "improvement" {
			continue
		}
		flagged++
		if row.Unit == "sec/op" { // the target's sec/op row in the slowdown scenario was handled above
			other++
		}
		c.notes = append(c.notes, fmt.Sprintf("trial %d: flagged: %s %s %s Δ%s (paired Δ%s) p=%s paired p=%s",
			trial, row.Name, row.Unit, row.Status, f(row.DeltaPct), f(row.PairedD), f(row.PValue), f(row.PairedP)))
	}
	if flagged > 0 {
		c.flaggedTrials++
		c.flaggedRows += flagged
	}
	if other > 0 {
		c.otherFlagged++
		c.otherRows += other
	}
	if caught {
		c.caught++
	}
}

func f(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.3g", *p)
}

// comparePaired is scenario (a)/(b) with the method under test.
func comparePaired(repo string) (*result, error) {
	return perfctlJSON(repo, "compare", "--base-ref", "HEAD", "--count", fmt.Sprint(*count),
		"--benchtime", *benchtime, "--format", "json")
}

// compareSequential runs all base rounds, then all head rounds, and judges
// them with perfctl's benchstat-compatible file comparison.
func compareSequential(tmp, baseDir, headDir string, trial int) (*result, error) {
	files := [2]string{filepath.Join(tmp, fmt.Sprintf("base-%d.txt", trial)), filepath.Join(tmp, fmt.Sprintf("head-%d.txt", trial))}
	for i, dir := range []string{baseDir, headDir} {
		text, err := run(dir, "go", "test", "-run", "^$", "-bench", ".", "-benchmem",
			"-count", fmt.Sprint(*count), "-benchtime", *benchtime, ".")
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(files[i], text, 0o644); err != nil {
			return nil, err
		}
	}
	return perfctlJSON(tmp, "compare", files[0], files[1], "--format", "json")
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

func render(cells []*tally, wall time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# perfctl compare --base-ref: accuracy on this machine\n\n")
	fmt.Fprintf(&b, "Generated by `make accuracy` (testdata/accuracy/run.go) on %s.\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "| scenario | method | trials | false-fail trials (A/A) | caught (20%%) | other benchmarks wrongly flagged |\n")
	fmt.Fprintf(&b, "|---|---|---|---|---|---|\n")
	for _, c := range cells {
		ok := c.trials - c.errors
		ff, caught := "—", "—"
		if strings.HasPrefix(c.scenario, "A/A") {
			ff = fmt.Sprintf("%d/%d (trials with any flagged row: %d; rows: %d)", c.fails, ok, c.flaggedTrials, c.flaggedRows)
		} else {
			caught = fmt.Sprintf("%d/%d", c.caught, ok)
		}
		trialsCol := fmt.Sprint(c.trials)
		if c.errors > 0 {
			trialsCol += fmt.Sprintf(" (%d errors)", c.errors)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %d/%d trials (%d rows, sec/op) |\n",
			c.scenario, c.method, trialsCol, ff, caught, c.otherFlagged, ok, c.otherRows)
	}
	fmt.Fprintf(&b, "\n\"other benchmarks wrongly flagged\" counts sec/op rows only (in A/A: every sec/op row; in the slowdown: every row but %s's); false fails and flagged rows count every unit.\n", target)
	fmt.Fprintf(&b, "\nMeasured size of the change in %s sec/op (median over trials of each trial's Δ%%; paired: median per-round ratio):\n\n", target)
	for _, c := range cells {
		fmt.Fprintf(&b, "- %s, %s: %s\n", c.scenario, c.method, medianStr(c.targetDeltas))
	}
	fmt.Fprintf(&b, "\nTotal wall time: %v\n\n", wall.Round(time.Second))
	fmt.Fprintf(&b, "Machine: %d CPUs (nproc), %s, %s/%s, %s\n\n", runtime.NumCPU(), cpuModel(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	fmt.Fprintf(&b, "Flags: -trials %d; paired: `perfctl compare --base-ref HEAD --count %d --benchtime %s --format json`; "+
		"sequential: `go test -run '^$' -bench . -benchmem -count %d -benchtime %s` on base then head, judged by `perfctl compare base.txt head.txt --format json`. "+
		"Slowdown: `hashReps` 5 → 6 in Hash (20%% more work). Benchmarks: Hash (FNV-1a, 8 KiB × reps), Sort (2000 ints), Strconv (800 ints), Map (600 inserts).\n",
		*trials, *count, *benchtime, *count, *benchtime)
	fmt.Fprintf(&b, "\n## Flagged rows, misses and errors\n\n")
	any := false
	for _, c := range cells {
		for _, n := range c.notes {
			fmt.Fprintf(&b, "- %s | %s | %s\n", c.scenario, c.method, n)
			any = true
		}
	}
	if !any {
		fmt.Fprintf(&b, "none\n")
	}
	return b.String()
}

func medianStr(xs []float64) string {
	if len(xs) == 0 {
		return "n/a"
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return fmt.Sprintf("%+.1f%% (range %+.1f%% … %+.1f%%, n=%d)", m, s[0], s[len(s)-1], len(s))
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
