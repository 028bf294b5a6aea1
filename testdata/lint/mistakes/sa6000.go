// Triggers: staticcheck SA6000.
// regexp.MatchString compiles the pattern on every call; inside a loop the
// same regular expression is recompiled for every element instead of being
// compiled once with regexp.MustCompile.
package mistakes

import "regexp"

// CountSemver counts the tags that look like semantic versions.
func CountSemver(tags []string) int {
	n := 0
	for _, tag := range tags {
		if ok, _ := regexp.MatchString(`^v[0-9]+\.[0-9]+\.[0-9]+$`, tag); ok {
			n++
		}
	}
	return n
}
