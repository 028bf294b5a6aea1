// Package changepoint finds the points in a series of benchmark results
// where the level shifted: the commits along first-parent history after
// which a benchmark became slower or faster and stayed so. It is pure: it
// reads no files and runs nothing; package history gives it the series.
//
// # Method
//
// [Detect] is E-Divisive means (Matteson and James, 2014) with a
// deterministic significance test, as Hunter and Apache Otava use it. Each
// commit is reduced to the median of its samples. Within a window of
// [Options.Window] commits, the split that maximises the energy divergence
// between the commits before it and after it is tested with Student's
// t-test (pooled variance, as Hunter and Otava do), its p-value multiplied
// by the number of splits the search could have chosen (which they do
// not); a significant split is kept and each side is searched again. When
// no split is significant, the stretch of commits that differs most from
// the rest of its segment (circular binary segmentation's step, for a
// shift that was reverted a few commits later) is tested the same way;
// the search stops when neither is significant. The window slides by half
// its length (or to the last change found), so a long history costs
// O(n·Window) rather than O(n²). The splits found are then merged the way
// Otava does: every change is re-tested against its neighbouring changes
// over the whole series, and the weakest one (the largest p-value at or
// above [Options.MaxP], else the smallest shift below
// [Options.MinMagnitude]) is removed and its neighbours re-tested, until
// every change passes. The windowed search accepts splits at ten times MaxP
// so that the merge, which sees more data, decides. A change within three
// commits of its segment's end is then moved to the least-squares
// position, so that a shift in the newest commits is placed where it
// happened, and the merge runs once more. docs/history.md has the
// measurements behind these choices.
//
// There is no randomness (no permutation test): the same input gives the
// same output.
//
// # Exact units
//
// Allocation counts do not vary from run to run, so with [Options.Exact]
// every commit whose count differs from the previous commit's is a change,
// with p-value 0.
//
// # What it is not for
//
// It does not decide whether a change is a regression: that depends on the
// unit (lower is better for sec/op, higher for MB/s), which the caller
// knows. It does not read history or resolve commits: [Change.Index] is a
// position in the slice it was given.
package changepoint
