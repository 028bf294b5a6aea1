// Package profile reads pprof profiles of benchmark runs and says where
// the time and the allocations went: the functions that cost the most
// (Top), the difference between two profiles as go tool pprof -diff_base
// computes it (Diff), and the call tree that a flame graph draws (Tree),
// which a comparison document carries as a Flame (FlameOf, and TreeOf to
// check one read back).
//
// # Sample types
//
// A Go CPU profile has the sample types "samples" (count) and "cpu"
// (nanoseconds); perfctl reads "cpu". A -test.memprofile profile has
// "alloc_objects", "alloc_space", "inuse_objects" and "inuse_space": for a
// benchmark's B/op read "alloc_space", for its allocs/op "alloc_objects"
// (SampleFor says which for a benchfmt unit).
//
// # Bounds
//
// Profiles come from files the user points at or from benchmark runs of
// code under review: Read refuses a file larger than MaxFileSize and a
// gzip stream that expands beyond MaxDecodedSize, and Tree keeps at most
// a bounded number of nodes.
//
// It is not for running benchmarks (package bench runs the test binaries
// with -test.cpuprofile) nor for rendering (package report draws the
// flame graph from a Tree).
package profile
