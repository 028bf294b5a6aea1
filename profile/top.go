package profile

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/google/pprof/profile"

	"github.com/perfctl/perfctl/bench"
)

// Top, Func and Delta are defined in package bench, where a comparison
// row carries them (bench.RowProfile); profile computes them.
type (
	// Top is bench.ProfileTop.
	Top = bench.ProfileTop
	// Func is bench.ProfileFunc.
	Func = bench.ProfileFunc
	// Delta is bench.ProfileDelta.
	Delta = bench.ProfileDelta
)

// funcCost accumulates one function's values.
type funcCost struct {
	name, file        string
	flat, cum         int64 // head
	baseFlat, baseCum int64
	lines             map[int64]int64 // line → cum (head) or cum change (difference)
}

// A frame is one function in a stack: locations hold inlined calls, the
// innermost first.
type frame struct {
	name, file string
	line       int64
}

// frames returns the frames of s, the leaf first.
func frames(s *profile.Sample, buf []frame) []frame {
	buf = buf[:0]
	for _, loc := range s.Location {
		if len(loc.Line) == 0 {
			buf = append(buf, frame{name: unknownName(loc)})
			continue
		}
		for _, ln := range loc.Line {
			f := frame{line: ln.Line, name: "?"}
			if ln.Function != nil {
				f.name, f.file = ln.Function.Name, ln.Function.Filename
			}
			buf = append(buf, f)
		}
	}
	return buf
}

func unknownName(loc *profile.Location) string {
	return "0x" + strconv.FormatUint(loc.Address, 16)
}

// TopFuncs returns the n functions of p that cost the most of sampleType
// (or, when p is a difference from Diff, whose cost changed the most, up
// or down), by flat and by cumulative value. Functions whose ranked value
// is zero are left out. The order is deterministic: by the ranked value's
// magnitude, then name and file.
func TopFuncs(p *profile.Profile, sampleType string, n int) (*Top, error) {
	idx, err := sampleIndex(p, sampleType)
	if err != nil {
		return nil, err
	}
	t := &Top{SampleType: sampleType, Unit: p.SampleType[idx].Unit, Diff: IsDiff(p)}
	costs := map[string]*funcCost{}
	var buf []frame
	seen := map[string]bool{}
	for _, s := range p.Sample {
		v := s.Value[idx]
		base := isBase(s)
		if base {
			v = -v
			t.BaseTotal += v
		} else {
			t.Total += v
		}
		if v == 0 {
			continue
		}
		buf = frames(s, buf)
		clear(seen)
		for i, f := range buf {
			key := f.name + "\x00" + f.file
			c := costs[key]
			if c == nil {
				c = &funcCost{name: f.name, file: f.file, lines: map[int64]int64{}}
				costs[key] = c
			}
			if i == 0 {
				if base {
					c.baseFlat += v
				} else {
					c.flat += v
				}
			}
			if seen[key] {
				continue // recursion: once per sample
			}
			seen[key] = true
			if base {
				c.baseCum += v
				c.lines[f.line] -= v
			} else {
				c.cum += v
				c.lines[f.line] += v
			}
		}
	}
	all := make([]Func, 0, len(costs))
	for _, c := range costs {
		f := Func{Name: c.name, File: c.file, Line: hottestLine(c.lines), Flat: c.flat, Cum: c.cum,
			FlatPct: pct(c.flat, t.Total), CumPct: pct(c.cum, t.Total)}
		if t.Diff {
			d := &Delta{Flat: c.flat - c.baseFlat, Cum: c.cum - c.baseCum}
			d.FlatPct, d.CumPct = pct(d.Flat, t.Total), pct(d.Cum, t.Total)
			f.Delta = d
		}
		if f.File == "" {
			f.Line = 0
		}
		all = append(all, f)
	}
	t.Flat = rank(all, n, func(f *Func) int64 {
		if f.Delta != nil {
			return f.Delta.Flat
		}
		return f.Flat
	})
	t.Cum = rank(all, n, func(f *Func) int64 {
		if f.Delta != nil {
			return f.Delta.Cum
		}
		return f.Cum
	})
	return t, nil
}

// hottestLine is the line with the largest value (in magnitude), the
// first of equals.
func hottestLine(lines map[int64]int64) int64 {
	var best, bestV int64
	for l, v := range lines {
		v = abs(v)
		if v > bestV || (v == bestV && (best == 0 || l < best)) {
			best, bestV = l, v
		}
	}
	return best
}

func rank(all []Func, n int, value func(*Func) int64) []Func {
	var out []Func
	for i := range all {
		if value(&all[i]) != 0 {
			out = append(out, all[i])
		}
	}
	slices.SortFunc(out, func(a, b Func) int {
		if c := cmp.Compare(abs(value(&b)), abs(value(&a))); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return cmp.Compare(a.File, b.File)
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

func pct(v, total int64) float64 {
	if total == 0 {
		return 0
	}
	return float64(v) / float64(total) * 100
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
