// Package shard splits the benchmarks of a run across the jobs of a CI
// matrix and joins what the jobs wrote back into one result.
//
// # The plan
//
// [New] makes a [Plan]: the packages with benchmarks (as bench.FindPackages
// lists them) in N shards, deterministically (the same packages and
// weights give the same plan in every job), every package in exactly one
// shard, balanced by expected time. The weight of a benchmark is the time
// of one round of it as a stored baseline predicts it ([WeightsFrom]: each
// of its sub-benchmarks runs at least the benchtime, longer when one op
// is slower, as the baseline's median time per op says); a benchmark the
// baseline does not know weighs the mean of those it knows, and without a
// baseline every benchmark counts the same. A package heavier than a
// shard's share is split by benchmark into parts of at most half the share
// (as its benchmarks allow), each run with a -bench pattern of its exact
// names. Heavy parts (a quarter of the share or more) are placed first,
// each on the least loaded shard (longest processing time first); light
// ones by rendezvous hashing, on the shard their name prefers unless that
// shard would pass 110% of the share, so that adding a package moves few
// others. No shard ends above the ideal by more than the heaviest part.
//
// [Plan.Selection] is the part one job runs, as the bench.Harness takes it;
// the plan's hash goes into every output so that [MergeResults] and
// [MergeComparisons] can tell shards of one plan from shards of another.
//
// # Merging
//
// [MergeResults] joins benchfmt files of the shards of one plan into one
// (for baseline save --from and history add); [MergeComparisons] joins
// comparisons into one, deciding every row again with the correction over
// all rows, as an unsharded run would. Both refuse a missing or a
// duplicated shard, shards of other plans, commits or environments.
//
// The package plans and merges; it neither runs benchmarks (package bench
// does, given a Selection) nor reads flags or prints.
package shard
