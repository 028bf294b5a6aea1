// Package wordfreq counts words: the example module perfctl's README runs
// 'perfctl check' on.
package wordfreq

import (
	"context"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// A Count is a word and how often it occurs.
type Count struct {
	Word string `json:"word"`
	N    int    `json:"n"`
}

// Counts returns how often each word occurs in text, ignoring case.
func Counts(text string) map[string]int {
	counts := make(map[string]int, len(text)/8)
	for _, w := range strings.FieldsFunc(text, notWord) {
		counts[strings.ToLower(w)]++
	}
	return counts
}

// CountsParallel counts the lines of text on up to GOMAXPROCS goroutines
// and merges their counts. It stops early when ctx is cancelled.
func CountsParallel(ctx context.Context, lines []string) (map[string]int, error) {
	workers := min(runtime.GOMAXPROCS(0), max(1, len(lines)))
	parts := make([]map[string]int, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			part := make(map[string]int)
			for j := i; j < len(lines) && ctx.Err() == nil; j += workers {
				for w, n := range Counts(lines[j]) {
					part[w] += n
				}
			}
			parts[i] = part
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	total := parts[0]
	for _, part := range parts[1:] {
		for w, n := range part {
			total[w] += n
		}
	}
	return total, nil
}

// Top returns the n most frequent words, most frequent first; ties are in
// alphabetical order.
func Top(counts map[string]int, n int) []Count {
	all := make([]Count, 0, len(counts))
	for w, c := range counts {
		all = append(all, Count{w, c})
	}
	slices.SortFunc(all, func(a, b Count) int {
		if a.N != b.N {
			return b.N - a.N
		}
		return strings.Compare(a.Word, b.Word)
	})
	return all[:min(n, len(all))]
}

func notWord(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }
