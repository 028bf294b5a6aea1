package profile

import "testing"

func TestUniqueNames(t *testing.T) {
	taken := map[string]bool{}
	var got []string
	for _, stem := range []string{"parser", "parser", "Parse", "parser", "Parse"} {
		got = append(got, unique(taken, stem, ".cpu.pprof"))
	}
	want := []string{"parser", "parser-2", "Parse", "parser-3", "Parse-2"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("names %v, want %v", got, want)
			break
		}
	}
	// Kinds are apart: a binary may share its stem with a profile.
	if n := unique(taken, "parser", ".test"); n != "parser" {
		t.Errorf("binary name %q, want parser", n)
	}
	if lastElem("example.com/m/parser") != "parser" || lastElem("m") != "m" {
		t.Error("lastElem")
	}
}
