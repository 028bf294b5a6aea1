package bench

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"golang.org/x/perf/benchunit"
)

// DefaultThreshold is the smallest relative change (5%) that counts as a
// regression or improvement when no threshold is configured.
const DefaultThreshold = 0.05

// ExactUnit is the unit gated exactly by default: allocation counts do not
// vary between runs, so any increase is a regression.
const ExactUnit = "allocs/op"

// Thresholds holds the smallest relative change, as a fraction (0.05 = 5%),
// that counts as a regression or improvement, per unit.
type Thresholds struct {
	// Default applies to units without their own threshold.
	Default float64
	// ByUnit maps a tidied unit (sec/op, B/op, allocs/op, B/s, …) to its
	// threshold.
	ByUnit map[string]float64
}

// DefaultThresholds returns the thresholds used when none are given: 5% for
// every unit, and 0 for allocs/op.
func DefaultThresholds() Thresholds {
	return Thresholds{Default: DefaultThreshold, ByUnit: map[string]float64{ExactUnit: 0}}
}

// For returns the threshold of unit.
func (t Thresholds) For(unit string) float64 {
	if v, ok := t.ByUnit[unit]; ok {
		return v
	}
	return t.Default
}

// Set applies one threshold specification: "5%", "0.05", or with a unit
// prefix, "allocs/op=0" or "B/op=10%". Units are tidied as benchfmt does, so
// ns/op means sec/op and MB/s means B/s.
func (t *Thresholds) Set(spec string) error {
	unit, value, hasUnit := strings.Cut(spec, "=")
	if !hasUnit {
		value, unit = spec, ""
	}
	f, err := ParsePercent(value)
	if err != nil {
		return err
	}
	if !hasUnit {
		t.Default = f
		return nil
	}
	unit = strings.TrimSpace(unit)
	if unit == "" {
		return fmt.Errorf("%q has no unit before '=': write UNIT=VALUE, e.g. B/op=10%%", spec)
	}
	_, tidy := benchunit.Tidy(1, unit)
	if t.ByUnit == nil {
		t.ByUnit = make(map[string]float64)
	}
	t.ByUnit[tidy] = f
	return nil
}

// ParsePercent parses a relative amount written as a percentage ("5%",
// "2.5%") or a fraction below 1 ("0.05"). A bare number of 1 or more is
// refused as ambiguous.
func ParsePercent(s string) (float64, error) {
	s = strings.TrimSpace(s)
	pct := strings.HasSuffix(s, "%")
	num := strings.TrimSuffix(s, "%")
	f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is not a percentage: write it as 5%% or 0.05", s)
	}
	if f < 0 {
		return 0, fmt.Errorf("%q is negative: a threshold is a size of change, such as 5%% or 0.05", s)
	}
	f = math.Abs(f) // -0 is 0
	if pct {
		return f / 100, nil
	}
	if f >= 1 {
		return 0, fmt.Errorf("%q is ambiguous: write %s%% for a percentage or a fraction such as 0.05", s, num)
	}
	return f, nil
}
