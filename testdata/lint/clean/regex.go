package clean

import "regexp"

var semverRE = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+$`)

// CountSemver uses a regular expression compiled once at init.
func CountSemver(tags []string) int {
	n := 0
	for _, tag := range tags {
		if semverRE.MatchString(tag) {
			n++
		}
	}
	return n
}
