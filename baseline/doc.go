// Package baseline stores reference benchmark results ("baselines") and
// finds them again: one benchfmt file per name under a directory
// (.perfctl/baselines by default), readable by benchstat, written atomically
// so that an interrupted save never leaves half a baseline.
//
// It does not run benchmarks (package bench does) and does not render
// anything (package report does).
package baseline
