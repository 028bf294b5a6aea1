package profile

import (
	"fmt"

	"github.com/google/pprof/profile"
)

// baseLabel marks the samples of the base profile in a difference, as
// pprof marks them ("pprof::base"): pprof's reports recognize them.
const baseLabel = "pprof::base"

// Sample types perfctl reads.
const (
	CPU          = "cpu"           // nanoseconds on CPU
	AllocSpace   = "alloc_space"   // bytes allocated (B/op)
	AllocObjects = "alloc_objects" // objects allocated (allocs/op)
	Contentions  = "contentions"   // block and mutex profiles
	Delay        = "delay"         // nanoseconds blocked or waiting
)

// SampleFor is the sample type that explains a benchfmt unit: sec/op and
// ns/op by "cpu", B/op by "alloc_space", allocs/op by "alloc_objects";
// "" for other units.
func SampleFor(unit string) string {
	switch unit {
	case "sec/op", "ns/op":
		return CPU
	case "B/op":
		return AllocSpace
	case "allocs/op":
		return AllocObjects
	}
	return ""
}

// Diff returns head minus base, the profile go tool pprof -diff_base
// base head reads. It does what pprof's driver does (fetchProfiles in
// github.com/google/pprof/internal/driver/fetch.go): label the base's
// samples "pprof::base", scale them by -1 and merge the two (Merge
// refuses profiles of different sample or period types). pprof normalizes
// (scales the base to head's total, profile.Normalize) only under
// -normalize, which is off by default; Diff does not either, so that a
// function that ran twice as long shows as twice the time, not as a share.
//
// Neither argument is changed. sampleType must be a sample type of both
// (for example "cpu"): a profile of another kind is an error here rather
// than an empty difference later.
func Diff(base, head *profile.Profile, sampleType string) (*profile.Profile, error) {
	for _, p := range []struct {
		side string
		p    *profile.Profile
	}{{"base", base}, {"head", head}} {
		if _, err := sampleIndex(p.p, sampleType); err != nil {
			return nil, fmt.Errorf("%s profile: %w", p.side, err)
		}
	}
	b := base.Copy()
	b.SetLabel(baseLabel, []string{"true"})
	b.Scale(-1)
	d, err := profile.Merge([]*profile.Profile{head.Copy(), b})
	if err != nil {
		return nil, fmt.Errorf("the profiles cannot be compared: %w", err)
	}
	return d, nil
}

// isBase reports whether s is a sample of the base in a difference.
func isBase(s *profile.Sample) bool { return s.HasLabel(baseLabel, "true") }

// IsDiff reports whether p is a difference made by Diff (or by pprof).
func IsDiff(p *profile.Profile) bool {
	for _, s := range p.Sample {
		if isBase(s) {
			return true
		}
	}
	return false
}

// sampleIndex is the index of sampleType in p's sample values.
func sampleIndex(p *profile.Profile, sampleType string) (int, error) {
	var have []string
	for i, st := range p.SampleType {
		if st.Type == sampleType {
			return i, nil
		}
		have = append(have, st.Type)
	}
	return 0, fmt.Errorf("no sample type %q in the profile (it has %v)", sampleType, have)
}
