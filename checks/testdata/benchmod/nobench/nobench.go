// Package nobench has no benchmarks.
package nobench

// One returns 1.
func One() int { return 1 }
