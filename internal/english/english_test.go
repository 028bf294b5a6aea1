package english

import "testing"

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 binaries", 1: "1 binary", 2: "2 binaries", -1: "-1 binaries"} {
		if got := Plural(n, "binary", "binaries"); got != want {
			t.Errorf("Plural(%d) = %q, want %q", n, got, want)
		}
	}
}
