// Command tool is a main package: nothing imports it.
package main

// Big is 1 KiB.
type Big struct{ A [128]int64 }

// Process is exported in a main package. want: report
func Process(b Big) int { return int(b.A[0]) }

func main() { _ = Process(Big{}) }
