package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/checks"
)

// TestTextHasNoTerminalControl: benchmark names and messages come from
// the repository; escape sequences in them went raw to the terminal.
func TestTextHasNoTerminalControl(t *testing.T) {
	const evil = "X\x1b]52;c;cGF5bG9hZA==\a\x1b[2J\u202e"
	in := strings.Repeat("Benchmark"+evil+"-8 100 10 ns/op\n", 6)
	set, err := bench.Read(strings.NewReader(in), "evil.txt")
	if err != nil {
		t.Fatal(err)
	}
	c, err := bench.Compare(set, set, bench.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	rep := &checks.Report{Verdict: checks.VerdictFail, Summary: map[checks.Level]checks.Tally{},
		Outcomes: []checks.Outcome{{Check: &checks.Check{ID: "x", Level: checks.Must, Title: "T" + evil},
			Result: checks.Result{Status: checks.Fail, Message: "m" + evil, Details: []string{"d" + evil}}}}}
	for _, color := range []bool{false, true} {
		var b bytes.Buffer
		if err := CompareText(&b, c, Options{Color: color}); err != nil {
			t.Fatal(err)
		}
		if err := CheckText(&b, rep, Options{Color: color}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, bad := range []string{"\x1b]", "\x1b[2J", "\a", "\u202e"} {
			if strings.Contains(out, bad) {
				t.Errorf("color %v: the output has %q:\n%s", color, bad, out)
			}
		}
		if !strings.Contains(out, `X\x1b]52;c;cGF5bG9hZA==\x07\x1b[2J\u202e`) {
			t.Errorf("color %v: the name is not shown escaped:\n%s", color, out)
		}
	}
}
