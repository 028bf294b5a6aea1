package wordfreq

import (
	"context"
	"maps"
	"strings"
	"testing"
)

const sample = "The cat and the hat. The end, and that's that."

func TestCounts(t *testing.T) {
	got := Counts(sample)
	want := map[string]int{"the": 3, "cat": 1, "and": 2, "hat": 1, "end": 1, "that's": 1, "that": 1}
	if !maps.Equal(got, want) {
		t.Errorf("Counts = %v, want %v", got, want)
	}
}

func TestCountsParallel(t *testing.T) {
	lines := strings.Split(strings.Repeat(sample+"\n", 50), "\n")
	got, err := CountsParallel(context.Background(), lines)
	if err != nil {
		t.Fatal(err)
	}
	if got["the"] != 150 || got["and"] != 100 {
		t.Errorf("CountsParallel: the=%d and=%d, want 150 and 100", got["the"], got["and"])
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := CountsParallel(ctx, lines); err == nil {
		t.Error("CountsParallel with a cancelled context: no error")
	}
}

func TestTop(t *testing.T) {
	got := Top(Counts(sample), 3)
	want := []Count{{"the", 3}, {"and", 2}, {"cat", 1}}
	if len(got) != len(want) {
		t.Fatalf("Top = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Top[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

var corpus = strings.Repeat(sample+" ", 200)

func BenchmarkCounts(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Counts(corpus)
	}
}

func BenchmarkTop(b *testing.B) {
	b.ReportAllocs()
	counts := Counts(corpus)
	for b.Loop() {
		Top(counts, 10)
	}
}

func BenchmarkCountsParallel(b *testing.B) {
	b.ReportAllocs()
	lines := strings.Split(strings.Repeat(sample+"\n", 200), "\n")
	for b.Loop() {
		if _, err := CountsParallel(context.Background(), lines); err != nil {
			b.Fatal(err)
		}
	}
}
