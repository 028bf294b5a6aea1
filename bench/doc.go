// Package bench reads Go benchmark results and compares two sets of them
// the way benchstat does, but ends in a verdict a CI gate can trust.
//
// # Reading results
//
// [ReadFile] and [Read] parse the text that `go test -bench` prints (the
// benchfmt format of golang.org/x/perf) into a [ResultSet]: every
// measurement grouped by benchmark name and unit. Configuration lines such
// as "commit:" or "pkg:" never split a group; they are kept per file so that
// an environment mismatch (goos, goarch, cpu, go version) can be reported.
// Anything a CI gate must not silently accept — a malformed benchmark line,
// an empty file, NaN or negative values — is an [*usererr.Error] that names the
// file and line and says how to fix it.
//
// # Comparing
//
// [Compare] summarises each group with benchmath (median and 95% interval,
// Mann-Whitney U test — the numbers benchstat prints) and gives every row a
// [Status]. A regression is a change in the worse direction for its unit that
// is significant at alpha and larger than the unit's threshold. Allocation
// counts are deterministic, so allocs/op is gated exactly: any increase of the
// median beyond its threshold (0 by default) is a regression without waiting
// for significance.
//
// # Running
//
// [Harness] finds the packages with benchmarks ([FindPackages]), builds each
// test binary once, and runs every benchmark once per round with allocation
// reporting ([Harness.Run], [Harness.Measure]); [Harness.RunAB] runs two
// trees' binaries interleaved, base and head alternating first, so that a
// noisy machine slows both sides alike. The output is benchfmt text headed
// by a [Header] that records where the numbers come from and how they were
// run ([RecordedSpec] reads it back). A [Selection] (Harness.Select) runs
// one shard of a plan (package shard makes both): only its packages, and of
// a package split by benchmark only its benchmarks, with "shard:" and
// "shard-plan:" in the header. [Comparison.Redecide] decides the rows of
// shards' comparisons joined into one again, with the correction over all.
//
// # Sources
//
// [LocateRegressions] finds the Benchmark function of each regression of a
// comparison in the module's _test.go files ([Row].Source), bounded and
// inside the module, so that code review tools can point at it.
//
// It does not decide what to compare with (package compare does) and does
// not render reports (package report does).
package bench
