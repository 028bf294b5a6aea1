// Package english writes counts in perfctl's messages: "1 finding",
// "3 findings". One place, so that every message counts the same way.
package english

import "strconv"

// Plural returns n and the noun in the form n calls for, e.g.
// Plural(1, "finding", "findings") is "1 finding". Plurals are given, not
// made: "binary", "binaries".
func Plural(n int, one, many string) string {
	return strconv.Itoa(n) + " " + Noun(n, one, many)
}

// Noun returns one when n is 1, else many.
func Noun(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// EditDistance is the Levenshtein distance of a and b, for "did you
// mean" suggestions. Strings longer than 64 bytes are no misspelling of a
// name: their distance is 64, which also bounds the work on hostile
// input.
func EditDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 64
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
