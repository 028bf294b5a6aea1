package english

import (
	"strings"
	"testing"
)

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 binaries", 1: "1 binary", 2: "2 binaries", -1: "-1 binaries"} {
		if got := Plural(n, "binary", "binaries"); got != want {
			t.Errorf("Plural(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"kind", "knid", 2}, {"hugeParam", "hugeparam", 1}, {"kitten", "sitting", 3}, {strings.Repeat("a", 65), "a", 64}} {
		if got := EditDistance(c.a, c.b); got != c.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
