// Triggers: mirror.
// Converting the string to []byte just to call utf8.RuneCount copies the
// whole string into a new allocation; utf8.RuneCountInString counts the
// runes of the string in place.
package mistakes

import "unicode/utf8"

// LabelWidth returns the number of runes in a column label.
func LabelWidth(label string) int {
	return utf8.RuneCount([]byte(label))
}
