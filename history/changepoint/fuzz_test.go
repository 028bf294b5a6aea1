package changepoint

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/perfctl/perfctl/internal/fuzzcheck"
)

// Run the fuzzer with
//
//	go test -run '^$' -fuzz FuzzDetect -fuzztime 60s ./history/changepoint
//
// Without -fuzz, `go test` runs it on its seeds and on any crasher kept
// under testdata/fuzz/FuzzDetect.

// fuzzPoints decodes data as points: each 9 bytes are a sample (the last
// 8, as float64 bits, so NaN, ±Inf, subnormals and huge values occur),
// and the first byte's low bit ends the current point. Bytes after the
// last whole sample are ignored.
func fuzzPoints(data []byte) []Point {
	var pts []Point
	var cur []float64
	for len(data) >= 9 {
		cur = append(cur, math.Float64frombits(binary.LittleEndian.Uint64(data[1:9])))
		if data[0]&1 == 1 {
			pts = append(pts, Point{Values: cur})
			cur = nil
		}
		data = data[9:]
	}
	if cur != nil {
		pts = append(pts, Point{Values: cur})
	}
	return pts
}

func fuzzSeed(vals ...float64) []byte {
	var b []byte
	for _, v := range vals {
		b = append(b, 1)
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return b
}

func sameChanges(a, b []Change) bool {
	if len(a) != len(b) {
		return false
	}
	bits := math.Float64bits
	for i := range a {
		x, y := a[i], b[i]
		if x.Index != y.Index || x.Before.N != y.Before.N || x.After.N != y.After.N ||
			bits(x.Before.Center) != bits(y.Before.Center) || bits(x.After.Center) != bits(y.After.Center) ||
			bits(x.DeltaPct) != bits(y.DeltaPct) || bits(x.PValue) != bits(y.PValue) {
			return false
		}
	}
	return true
}

func FuzzDetect(f *testing.F) {
	f.Add(fuzzSeed(1, 1, 1, 1, 2, 2, 2, 2), uint16(0), false)
	f.Add(fuzzSeed(1, 1.01, 0.99, 1, 1.2, 1.21, 1.19, 1.2, 1.2), uint16(4), false)
	f.Add(fuzzSeed(3, 3, 4, 4, 0, 0), uint16(0), true)
	f.Add(fuzzSeed(math.NaN(), math.Inf(1), 1e308, -1e308, 5e-324, 0, math.Copysign(0, -1), 1.7e308), uint16(5), false)
	f.Add(fuzzSeed(1e300, 1e300, -1e300, -1e300, 1e300, 1e300), uint16(1000), false)
	f.Fuzz(func(t *testing.T, data []byte, window uint16, exact bool) {
		defer fuzzcheck.Watchdog("Detect", data)()
		pts := fuzzPoints(data)
		opts := Options{Window: int(window), Exact: exact}
		got, err := Detect(pts, opts)
		if opts.Validate() != nil {
			if err == nil {
				t.Fatalf("window %d: no error", window)
			}
			return
		}
		if err != nil {
			t.Fatalf("valid options %+v: %v", opts, err)
		}
		last := -1
		for _, c := range got {
			if c.Index <= last || c.Index >= len(pts) || c.Index == 0 {
				t.Fatalf("index %d after %d, %d points: %+v", c.Index, last, len(pts), got)
			}
			last = c.Index
			if c.Before.N < 1 || c.After.N < 1 {
				t.Fatalf("empty side: %+v", c)
			}
			if !(c.PValue >= 0 && c.PValue <= 1) {
				t.Fatalf("p-value %v: %+v", c.PValue, c)
			}
			if !exact && !(c.PValue < DefaultMaxP) {
				t.Fatalf("p-value %v is not below MaxP: %+v", c.PValue, c)
			}
		}
		again, _ := Detect(pts, opts)
		if !sameChanges(got, again) {
			t.Fatalf("not deterministic:\n%+v\n%+v", got, again)
		}
	})
}
