package checks

import (
	"slices"
	"strings"
	"testing"
)

func TestParseWaiverComment(t *testing.T) {
	for _, tc := range []struct {
		line   string
		ok     bool
		kinds  []string
		reason string
	}{
		{`db, err := sql.Open("pgx", dsn) //perfctl:ignore sql-pool -- set by the caller`, true, []string{"sql-pool"}, "set by the caller"},
		{`	// perfctl:ignore sql-pool,build-flags -- two kinds`, true, []string{"sql-pool", "build-flags"}, "two kinds"},
		{`	go build -race . # perfctl:ignore build-flags -- race build for bug reports`, true, []string{"build-flags"}, "race build for bug reports"},
		{`x := 1 //perfctl:ignore sql-pool`, true, []string{"sql-pool"}, ""},
		{`x := 1 //perfctl:ignore sql-pool --   `, true, []string{"sql-pool"}, ""},
		{`/* perfctl:ignore sql-pool -- in a block */`, false, nil, ""}, // only // and # comments
		{`echo "perfctl:ignore is a word"`, false, nil, ""},
		{`x := 1 // no waiver here`, false, nil, ""},
	} {
		w, ok := parseWaiverComment(tc.line)
		if ok != tc.ok || !slices.Equal(w.kinds, tc.kinds) || w.reason != tc.reason {
			t.Errorf("%s: got %v %q %q, want %v %q %q", tc.line, ok, w.kinds, w.reason, tc.ok, tc.kinds, tc.reason)
		}
	}
	long, _ := parseWaiverComment("// perfctl:ignore sql-pool -- " + strings.Repeat("why ", 100))
	if n := len([]rune(long.reason)); n > maxWaiverReason {
		t.Errorf("a reason of %d runes is shown whole", n)
	}
}

func TestCommentWaiver(t *testing.T) {
	src := []byte("a\n// perfctl:ignore sql-pool -- above\nb\nc // perfctl:ignore build-flags -- same line\nd\n")
	for _, tc := range []struct {
		line   int
		kind   string
		reason string
		at     int
	}{
		{3, "sql-pool", "above", 2},
		{2, "sql-pool", "above", 2},
		{4, "sql-pool", "", 0}, // two lines below: not waived
		{4, "build-flags", "same line", 4},
		{5, "build-flags", "", 0}, // the comment ends the statement above: it is that statement's
		{1, "sql-pool", "", 0},
		{99, "sql-pool", "", 0},
	} {
		reason, at, _ := commentWaiver(src, tc.line, tc.kind)
		if reason != tc.reason || at != tc.at {
			t.Errorf("line %d %s: %q at %d, want %q at %d", tc.line, tc.kind, reason, at, tc.reason, tc.at)
		}
	}
}
