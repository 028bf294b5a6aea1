// Package compare answers "did head get slower than what?": it knows the
// references a comparison can be made against, checks that a request names
// one of them sensibly, and runs it to a bench.Comparison.
//
// # References
//
//   - two files of results (perfctl compare BASE HEAD), either one "-" for
//     standard input;
//   - a stored baseline (--baseline NAME): head is measured now, the way the
//     baseline was recorded unless the request overrides it, or read from
//     a file (--head FILE);
//   - a git revision (--base-ref REF, or --merge-base BRANCH for the merge
//     base of HEAD and BRANCH): both sides are built, base in a temporary
//     worktree, and run interleaved, and the rounds are compared pairwise.
//
// A request with a [ShardRequest] (--shard I/N) measures one shard of the
// benchmarks: [PlanFor] makes the plan every job of a matrix makes alike,
// balanced by a baseline's times when there is one, and the comparison
// records the shard's identity (bench.ShardInfo) for perfctl merge.
//
// [Reference.Validate] holds every rule about which of these go together,
// with one message each; [Run] is what perfctl compare and the regression
// check of perfctl check both call; it points the regressions of the
// module's benchmarks at their functions (bench.LocateRegressions). The
// package measures and decides; it does not print (package report renders
// a comparison) and it does not parse flags (package cmd does), though
// [Request.Args] says a request as the flags that make it again, for the
// reports' reproduce commands.
package compare
