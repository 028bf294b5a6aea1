// Package hook is perfctl's git pre-commit hook: installing it (chaining
// any hook that was there, which uninstalling puts back byte for byte) and
// the fast check it runs on what is staged — the performance lint of the
// packages with staged Go changes, limited to findings on staged lines, and
// a compile check of those packages' benchmarks.
//
// The hook judges the staged content, not the working tree: when the
// working tree differs from the index in Go files, it checks a snapshot of
// the index, kept under the git directory so that the build caches stay
// warm between commits.
//
// It is not the full gate: perfctl check is.
package hook
