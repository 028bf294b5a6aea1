// Triggers: staticcheck SA6003.
// Converting the string to []rune allocates and decodes the whole string
// up front; ranging over the string decodes runes in place.
package mistakes

// CountUpper counts upper-case ASCII letters in s.
func CountUpper(s string) int {
	n := 0
	for _, r := range []rune(s) {
		if r >= 'A' && r <= 'Z' {
			n++
		}
	}
	return n
}
