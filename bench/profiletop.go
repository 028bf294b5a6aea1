package bench

// The types of this file are filled by package profile, which reads pprof
// profiles; bench holds them because a comparison row carries them
// (Row.Profile).

// A ProfileTop is the functions that cost the most in a profile, or whose cost
// changed the most in a difference, ranked twice: by flat cost (the
// function's own code) and by cumulative cost (with what it calls).
type ProfileTop struct {
	SampleType string `json:"sample_type"`
	Unit       string `json:"unit"`  // of the values: nanoseconds, bytes, count
	Total      int64  `json:"total"` // head's total (a profile's total when not a difference)
	// BaseTotal is the base's total in a difference, else 0.
	BaseTotal int64         `json:"base_total,omitempty"`
	Diff      bool          `json:"diff"`
	Flat      []ProfileFunc `json:"flat"`
	Cum       []ProfileFunc `json:"cum"`
}

// A ProfileFunc is one function's cost.
type ProfileFunc struct {
	Name string `json:"name"`
	// File and Line place it: the line that costs the most (or whose cost
	// changed the most); empty for code without symbols.
	File    string  `json:"file,omitempty"`
	Line    int64   `json:"line,omitempty"`
	Flat    int64   `json:"flat"` // head's
	Cum     int64   `json:"cum"`
	FlatPct float64 `json:"flat_pct"` // of ProfileTop.Total
	CumPct  float64 `json:"cum_pct"`
	// Delta is head minus base in a difference.
	Delta *ProfileDelta `json:"delta,omitempty"`
}

// ProfileDelta is how much a function's cost changed, head minus base; its
// percentages are of head's total, as ProfileFunc's are.
type ProfileDelta struct {
	Flat    int64   `json:"flat"`
	Cum     int64   `json:"cum"`
	FlatPct float64 `json:"flat_pct"`
	CumPct  float64 `json:"cum_pct"`
}

// A RowProfile says where a regressed row's cost went: the difference
// of profiles of one run of its benchmark on each side, made after the
// verdict (package compare, --profile). Only the kind that explains the
// row's unit is set: CPU for sec/op, AllocSpace for B/op, AllocObjects
// for allocs/op.
type RowProfile struct {
	CPU          *ProfileTop `json:"cpu,omitempty"`
	AllocSpace   *ProfileTop `json:"alloc_space,omitempty"`
	AllocObjects *ProfileTop `json:"alloc_objects,omitempty"`
	// Files are the profiles kept (--profile-dir), by side and kind:
	// "base.cpu", "head.cpu", "base.alloc", "head.alloc"; nil when none
	// were kept.
	Files map[string]string `json:"files,omitempty"`
	// Command opens the difference in go tool pprof; "" when the files
	// were not kept.
	Command string `json:"command,omitempty"`
	// Warning says why there is no profile (the benchmark failed under
	// profiling, the budget ran out); the verdict stands either way.
	Warning string `json:"warning,omitempty"`
	// Flame is the call tree of the same difference, pruned, for the flame
	// graphs of the HTML report (of the difference, and of head); nil when
	// there is no profile.
	Flame *ProfileFlame `json:"flame,omitempty"`
}

// A ProfileFlame is the call tree of a profile or of a difference of two,
// as a flame graph draws it, in a form JSON carries across CI jobs: the
// functions once, then the nodes in pre-order, the root first, each
// naming its function and its parent (an earlier node). Package profile
// makes it from a pruned tree (profile.FlameOf) and checks one read from
// a document before drawing it (profile.TreeOf).
type ProfileFlame struct {
	SampleType string `json:"sample_type"`
	Unit       string `json:"unit"`
	Total      int64  `json:"total"` // head's: the root's value
	// BaseTotal is the base's total in a difference, else 0.
	BaseTotal int64 `json:"base_total,omitempty"`
	Diff      bool  `json:"diff"`
	// Dropped is head's value in the frames pruned away.
	Dropped int64              `json:"dropped,omitempty"`
	Funcs   []ProfileFlameFunc `json:"funcs"`
	Nodes   []ProfileFlameNode `json:"nodes"`
}

// A ProfileFlameFunc is a function of a ProfileFlame.
type ProfileFlameFunc struct {
	Name string `json:"name"`
	File string `json:"file,omitempty"`
}

// A ProfileFlameNode is a function called along one path: its value
// includes its children's.
type ProfileFlameNode struct {
	Func   int   `json:"func"`           // index in Funcs; -1 for the root
	Parent int   `json:"parent"`         // index in Nodes; -1 for the root
	Value  int64 `json:"value"`          // head's (the profile's)
	Base   int64 `json:"base,omitempty"` // the base's, in a difference
}
