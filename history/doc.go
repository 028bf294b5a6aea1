// Package history keeps benchmark results per commit in the git repository
// itself, under a ref of its own, and shares them through any git remote.
//
// # The store
//
// The ref refs/perfctl/history points at a commit whose tree holds one
// blob per commit and environment:
//
//	<commit-sha>/<env-key>.txt
//
// The blob is a record: benchfmt text, as `go test -bench` or `perfctl
// bench` printed it, headed by the configuration lines commit, go, goos,
// goarch, cpu and recorded-at, so benchstat and perfctl compare read an
// exported record as they are. The env key is the first 12 hex digits of
// the SHA-256 of cpu, goos, goarch and go version: runners with different
// machines keep their records apart, and the environment itself is
// written inside the record.
//
// Trees and commits are built with git plumbing (hash-object, mktree,
// commit-tree) and the ref moves with update-ref given its old value, a
// compare-and-swap: the index, the working tree and the branches are never
// touched, and two perfctl processes in one repository cannot lose each
// other's records.
//
// # Sharing
//
// Push sends the ref with the explicit refspec
// refs/perfctl/history:refs/perfctl/history, never forced. When the remote
// has records the local store lacks, the remote ref is fetched into
// refs/perfctl/remote-history and merged first (Merge): a three-way merge
// of the two trees against their merge base, in which a record added on
// either side is kept, a record pruned on one side and untouched on the
// other is dropped, and two different records at one path keep the one
// with the later recorded-at (the larger blob id when the times are
// equal, so every clone decides the same). The merge commit has both
// parents; the push is retried, a bounded number of times with jitter,
// when another writer got there first.
//
// It is not for comparing or detecting changes over the records: that is
// history/changepoint's job, and compare's.
package history
