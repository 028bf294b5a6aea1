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
