// Package slow is half tested and its benchmarks do not report
// allocations.
package slow

// Sum adds the numbers.
func Sum(xs []int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}

// Untested is never called by a test.
func Untested(xs []int) []int {
	out := make([]int, 0, len(xs))
	for _, x := range xs {
		if x > 0 {
			out = append(out, x)
		}
	}
	return out
}
