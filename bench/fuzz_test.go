package bench_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchunit"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/usererr"
)

// Run the fuzzers with, for example,
//
//	go test -run '^$' -fuzz FuzzRead -fuzztime 60s ./bench
//
// Without -fuzz, `go test` runs each one on its seeds (f.Add) and on any
// crasher kept under testdata/fuzz/FuzzXxx.

// fuzzReadSeeds are realistic inputs for FuzzRead: what `go test -bench`
// prints, with and without -benchmem, several packages, GOMAXPROCS variants,
// unit metadata, custom units and the usual surrounding noise, plus inputs
// Read must refuse.
var fuzzReadSeeds = []string{
	// A typical -benchmem run.
	`goos: linux
goarch: amd64
pkg: example.com/parse
cpu: AMD EPYC 7B13
BenchmarkParse-8   	 1000000	      1207 ns/op	      64 B/op	       1 allocs/op
BenchmarkParse-8   	 1000000	      1214 ns/op	      64 B/op	       1 allocs/op
BenchmarkParse/small-8         	 3000000	       402.5 ns/op	      16 B/op	       1 allocs/op
BenchmarkParse/small-8         	 3000000	       398.1 ns/op	      16 B/op	       1 allocs/op
PASS
ok  	example.com/parse	5.021s
`,
	// Two packages with the same benchmark name.
	`pkg: example.com/store
BenchmarkNew-8   	  120000	     10012 ns/op
BenchmarkNew-8   	  120000	     10031 ns/op
pkg: example.com/store/cache
BenchmarkNew-8   	12000000	       100.2 ns/op
BenchmarkNew-8   	12000000	       100.5 ns/op
`,
	// go test -cpu 1,4: the same name with several GOMAXPROCS values.
	`BenchmarkSort     	   10000	    104312 ns/op
BenchmarkSort-4   	   30000	     40211 ns/op
BenchmarkSort     	   10000	    104999 ns/op
BenchmarkSort-4   	   30000	     40002 ns/op
`,
	// Throughput, custom units and unit metadata.
	`Unit frames/op better=higher assume=exact
Unit latency-ns better=lower
BenchmarkEncode-8 	 50000	     24012 ns/op	 170.55 MB/s	 3 frames/op	 812 latency-ns
BenchmarkEncode-8 	 50000	     23980 ns/op	 170.77 MB/s	 3 frames/op	 799 latency-ns
`,
	// Zeros and huge values; commit lines between results.
	`commit: 1111111111111111111111111111111111111111
BenchmarkNoop-8   	1000000000	         0.2500 ns/op	       0 B/op	       0 allocs/op
BenchmarkNoop-8   	1000000000	         0.2510 ns/op	       0 B/op	       0 allocs/op
commit: 2222222222222222222222222222222222222222
BenchmarkHuge-8   	       1	1e300 ns/op	1.5e308 B/op
`,
	// Refused: a malformed line, NaN, a negative value, an overflow once
	// tidied, nothing at all, no result.
	"BenchmarkParse-8 \t many \t 1207 ns/op\n",
	"BenchmarkParse-8 \t 1000 \t NaN ns/op\n",
	"BenchmarkParse-8 \t 1000 \t 1 ns/op \t -64 B/op\n",
	"BenchmarkParse-8 \t 1 \t 1e308 MB/s\n",
	"BenchmarkParse-8 \t 1 \t +Inf ns/op\n",
	"",
	"PASS\nok  \texample.com/parse\t0.005s\n",
	"goos: linux\ngoarch: amd64\n",
	"Benchmark\n",
	"BenchmarkX 1\n",
	"BenchmarkX-8 1 1 ns/op 2 ns/op\n",
	"BenchmarkX-8 1 1 ns/op\nBenchmarkX-08 1 2 ns/op\n",
	"BenchmarkX 1 -0 ns/op\n",
	"\xff\xfeBenchmark\x00 1 1 ns/op\n",
	"pkg: a\nBenchmarkX-8 1 1 ns/op\npkg:\nBenchmarkX-8 1 2 ns/op\n",
}

// maxFuzzInput bounds what FuzzRead looks at. Go's fuzzer minimizes every
// new interesting input by removing bytes one at a time, for up to
// -fuzzminimizetime (60s) each: with inputs of several KiB (the parity
// fixtures whole) it spent minutes minimizing and executed nothing new.
// A few lines exercise every path of the reader.
const maxFuzzInput = 1 << 10

func FuzzRead(f *testing.F) {
	for _, s := range fuzzReadSeeds {
		f.Add([]byte(s))
	}
	// The parity fixtures are real `go test -bench` output: their first
	// lines are seeds.
	fixtures, _ := filepath.Glob(filepath.Join("..", "testdata", "compare", "*.txt"))
	for _, path := range fixtures {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(firstLines(data, maxFuzzInput))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return // not interesting: see maxFuzzInput
		}
		// Go's fuzzer does not notice an input that never finishes: the
		// worker just stops. A watchdog turns a hang into a failure, so
		// that the input is kept under testdata/fuzz.
		done := make(chan struct{})
		timer := time.AfterFunc(fuzzDeadline, func() {
			select {
			case <-done:
			default:
				panic(fmt.Sprintf("Read and Compare did not finish within %v on this %d-byte input:\n%q", fuzzDeadline, len(data), truncate(data, 2000)))
			}
		})
		defer func() { close(done); timer.Stop() }()

		set, err := bench.Read(bytes.NewReader(data), "fuzz.txt")
		if err != nil {
			var ie *usererr.Error
			if !errors.As(err, &ie) {
				t.Fatalf("Read refused the input with %T %q, want an *InputError", err, err)
			}
			if set != nil {
				t.Fatalf("Read returned a result set together with the error %v", err)
			}
			if ie.Msg == "" {
				t.Fatalf("Read refused the input with an InputError without a message: %#v", ie)
			}
			return
		}
		if set == nil || set.Len() == 0 || len(set.Names()) != set.Len() {
			t.Fatalf("Read succeeded with set %v (Len %d, %d names)", set, set.Len(), len(set.Names()))
		}
		checkSamples(t, data, set)
		checkSelfCompare(t, set)
	})
}

// fuzzDeadline bounds the time Read and Compare may take on one fuzz input;
// the inputs are small, so it is generous.
const fuzzDeadline = 10 * time.Second

// firstLines returns the whole lines of data that fit in n bytes.
func firstLines(data []byte, n int) []byte {
	if len(data) <= n {
		return data
	}
	if i := bytes.LastIndexByte(data[:n], '\n'); i >= 0 {
		return data[:i+1]
	}
	return data[:n]
}

func truncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// checkSamples re-reads data with benchfmt, the reference, and checks that
// every (package, benchmark, unit) it finds has in set exactly the values
// it has there, all finite and not negative.
func checkSamples(t *testing.T, data []byte, set *bench.ResultSet) {
	t.Helper()
	type key struct{ pkg, name, unit string }
	want := make(map[key][]float64)
	var order []key
	names := make(map[[2]string]bool)
	r := benchfmt.NewReader(bytes.NewReader(data), "fuzz.txt")
	for r.Scan() {
		res, ok := r.Result().(*benchfmt.Result)
		if !ok {
			continue
		}
		pkg := ""
		if i, ok := res.ConfigIndex("pkg"); ok {
			pkg = string(res.Config[i].Value)
		}
		names[[2]string{pkg, string(res.Name)}] = true
		for _, v := range res.Values {
			unit := v.Unit
			if v.OrigUnit == "" { // benchfmt leaves 0 ns/op untidied; Read tidies it
				_, unit = benchunit.Tidy(1, unit)
			}
			k := key{pkg, string(res.Name), unit}
			if _, ok := want[k]; !ok {
				order = append(order, k)
			}
			want[k] = append(want[k], v.Value)
		}
	}
	if set.Len() != len(names) {
		t.Errorf("Read found %d benchmarks, benchfmt %d", set.Len(), len(names))
	}
	for _, k := range order {
		got := set.Samples(k.pkg, k.name, k.unit)
		if len(got) != len(want[k]) {
			t.Errorf("Samples(%q, %q, %q) has %d values, benchfmt read %d", k.pkg, k.name, k.unit, len(got), len(want[k]))
			continue
		}
		for i, v := range got {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				t.Errorf("Samples(%q, %q, %q)[%d] = %v: Read accepted a value that is not finite and >= 0", k.pkg, k.name, k.unit, i, v)
			}
			if v != want[k][i] && !(math.IsNaN(v) && math.IsNaN(want[k][i])) {
				t.Errorf("Samples(%q, %q, %q)[%d] = %v, benchfmt read %v", k.pkg, k.name, k.unit, i, v, want[k][i])
			}
		}
	}
}

// checkSelfCompare compares set against itself: there is always something
// in common, and nothing can have changed.
func checkSelfCompare(t *testing.T, set *bench.ResultSet) {
	t.Helper()
	c, err := bench.Compare(set, set, bench.DefaultOptions())
	if err != nil {
		t.Fatalf("Compare(set, set): %v", err)
	}
	if c.Failed() {
		t.Errorf("Compare(set, set) failed the gate")
	}
	if len(c.Rows) == 0 {
		t.Fatalf("Compare(set, set) has no rows")
	}
	for _, r := range c.Rows {
		where := r.Label + " " + r.Unit
		switch {
		case r.Status == bench.StatusRegression:
			t.Errorf("%s: regression against itself (base %+v head %+v, p %v)", where, *r.Base, *r.Head, r.PValue)
		case r.Status != bench.StatusUnchanged && r.Status != bench.StatusInsufficient:
			t.Errorf("%s: status %s against itself, want unchanged or insufficient", where, r.Status)
		case r.Base == nil || r.Head == nil:
			t.Errorf("%s: a side is missing against itself", where)
		case r.Base.Center != r.Head.Center || r.DeltaPct != 0:
			t.Errorf("%s: centers %v and %v, delta %v%% against itself", where, r.Base.Center, r.Head.Center, r.DeltaPct)
		}
	}
}

// fuzzPercentSeeds are threshold values as people write them, and near
// misses.
var fuzzPercentSeeds = []string{
	"5%", "0.05", "2.5%", " 10% ", "150%", "0", "0%", "100%", "0.999",
	"5", "1", "-5%", "-0", "-0%", "abc", "", "%", "5%%", "NaN%", "Inf%", "+Inf",
	"1e-3", "1e2%", "0x1p-4", "5 %", ".5%", "1e400%", "1e-400", "٥%",
}

func FuzzParsePercent(f *testing.F) {
	for _, s := range fuzzPercentSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := bench.ParsePercent(s)
		if err == nil && (math.IsNaN(v) || math.IsInf(v, 0) || v < 0) {
			t.Errorf("ParsePercent(%q) = %v: accepted a value that is not finite and >= 0", s, v)
		}
		if err != nil && v != 0 {
			t.Errorf("ParsePercent(%q) = %v with error %v, want 0 with an error", s, v, err)
		}
		if err == nil && !strings.Contains(s, "%") && v >= 1 {
			t.Errorf("ParsePercent(%q) = %v: a bare number of 1 or more must be refused as ambiguous", s, v)
		}
		// "X%" is X/100 for every finite X >= 0 that strconv reads.
		x, perr := strconv.ParseFloat(s, 64)
		if perr != nil || math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
			return
		}
		got, err := bench.ParsePercent(s + "%")
		if err != nil {
			t.Fatalf("ParsePercent(%q) refused a finite, non-negative percentage: %v", s+"%", err)
		}
		if got != x/100 {
			t.Errorf("ParsePercent(%q) = %v, want %v/100 = %v", s+"%", got, x, x/100)
		}
		// A bare fraction below 1 is itself.
		if x < 1 {
			if got, err := bench.ParsePercent(s); err != nil || got != x {
				t.Errorf("ParsePercent(%q) = %v, %v; want %v", s, got, err, x)
			}
		}
	})
}

func FuzzThresholdsSet(f *testing.F) {
	for _, s := range fuzzPercentSeeds {
		f.Add(s)
	}
	for _, s := range []string{"allocs/op=0", "B/op=10%", "ns/op=0.5%", "MB/s=1%", "sec/op=5%",
		"custom/op=0.2", "=5%", "B/op=", " B/op = 10% ", "a=b=c", "B/op=-1%", "x=5", "ns/op=1e2%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		th := bench.DefaultThresholds()
		err := th.Set(spec)
		check := func(what string, v float64) {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				t.Errorf("after Set(%q) %s is %v, not finite and >= 0", spec, what, v)
			}
		}
		check("the default", th.Default)
		for unit, v := range th.ByUnit {
			check("the threshold of "+strconv.Quote(unit), v)
		}
		if err != nil {
			def := bench.DefaultThresholds()
			if th.Default != def.Default || len(th.ByUnit) != len(def.ByUnit) || th.ByUnit[bench.ExactUnit] != 0 {
				t.Errorf("Set(%q) failed with %v but changed the thresholds to %+v", spec, err, th)
			}
			return
		}
		unit, value, hasUnit := strings.Cut(spec, "=")
		if !hasUnit {
			want, perr := bench.ParsePercent(spec)
			if perr != nil || th.Default != want {
				t.Errorf("Set(%q): default %v, ParsePercent gives %v, %v", spec, th.Default, want, perr)
			}
			return
		}
		want, perr := bench.ParsePercent(value)
		if perr != nil {
			t.Fatalf("Set(%q) accepted a value ParsePercent(%q) refuses: %v", spec, value, perr)
		}
		_, tidy := benchunit.Tidy(1, strings.TrimSpace(unit))
		if got, ok := th.ByUnit[tidy]; !ok || got != want || th.For(tidy) != want {
			t.Errorf("Set(%q): ByUnit[%q] = %v, %v; want %v", spec, tidy, got, ok, want)
		}
		if strings.TrimSpace(unit) == "" {
			t.Errorf("Set(%q) accepted a threshold without a unit", spec)
		}
	})
}
