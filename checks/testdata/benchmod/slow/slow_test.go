package slow

import "testing"

func TestSum(t *testing.T) {
	if Sum([]int{1, 2}) != 3 {
		t.Fatal("Sum")
	}
}

func BenchmarkSum(b *testing.B) {
	xs := make([]int, 100)
	for b.Loop() {
		Sum(xs)
	}
}
