package changepoint

import "testing"

// BenchmarkDetect is a history of 1,000 commits of 10 samples each, with a
// level shift every 150 commits and 2% noise.
func BenchmarkDetect(b *testing.B) {
	pts := noisy(1, 1000, 10, 0.02, func(i int) float64 { return 100 * (1 + 0.05*float64(i/150%3)) })
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Detect(pts, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDetectWindow1000 searches the same history with the largest
// window, which is the whole of it.
func BenchmarkDetectWindow1000(b *testing.B) {
	pts := noisy(1, 1000, 10, 0.02, func(i int) float64 { return 100 * (1 + 0.05*float64(i/150%3)) })
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Detect(pts, Options{Window: MaxWindow}); err != nil {
			b.Fatal(err)
		}
	}
}
