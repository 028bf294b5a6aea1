package brokenbench

import "testing"

func BenchmarkWorks(b *testing.B) {
	for b.Loop() {
	}
}

func BenchmarkPanics(b *testing.B) {
	var m map[string]int
	m["boom"] = 1
}
