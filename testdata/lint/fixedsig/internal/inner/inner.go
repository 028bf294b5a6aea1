// Package inner is internal: its exported API is the module's own.
package inner

// Big is 1 KiB.
type Big struct{ A [128]int64 }

// Process is exported, but only this module can call it. want: report
func Process(b Big) int { return int(b.A[0]) }
