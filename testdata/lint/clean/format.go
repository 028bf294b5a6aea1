package clean

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrEmpty is returned for empty input.
var ErrEmpty = errors.New("empty input")

// PageLabel renders a page number with strconv instead of fmt.
func PageLabel(page int) string {
	return strconv.Itoa(page)
}

// JoinLabels joins labels with a strings.Builder instead of += in a loop.
func JoinLabels(labels []string) (string, error) {
	if len(labels) == 0 {
		return "", ErrEmpty
	}
	var b strings.Builder
	for i, l := range labels {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(l)
	}
	return b.String(), nil
}

// LabelWidth counts runes without converting to []byte.
func LabelWidth(label string) int {
	return utf8.RuneCountInString(label)
}

// CountUpper ranges over the string directly.
func CountUpper(s string) int {
	n := 0
	for _, r := range s {
		if r >= 'A' && r <= 'Z' {
			n++
		}
	}
	return n
}

// SameName compares case-insensitively without allocating.
func SameName(a, b string) bool {
	return strings.EqualFold(a, b)
}

// LookupCode converts the key inside the index expression (no allocation).
func LookupCode(codes map[string]int, raw []byte) int {
	return codes[string(raw)]
}
