package checks

import (
	"errors"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/internal/usererr"
)

func TestParseErrorsNameTheLine(t *testing.T) {
	tests := []struct {
		name, doc string
		line      int
		want      string
	}{
		{"empty", "", 0, "empty"},
		{"not yaml", "version: 1\nchecks: [\n", 2, "did not find expected"},
		{"not a mapping", "- a\n- b\n", 1, "not a list"},
		{"no version", "checks:\n  - {id: a, level: MUST, kind: coverage, title: T}\n", 1, "no version"},
		{"future version", "version: 2\nchecks:\n  - {id: a, level: MUST, kind: coverage, title: T}\n", 1, "version 2"},
		{"unknown top key", "version: 1\nchekcs: []\n", 2, `unknown key "chekcs"`},
		{"no checks", "version: 1\nchecks: []\n", 1, "no checks"},
		{"unknown check key", "version: 1\nchecks:\n  - id: a\n    level: MUST\n    kind: coverage\n    title: T\n    rationle: x\n", 7, `unknown key "rationle"`},
		{"unknown kind", "version: 1\nchecks:\n  - id: a\n    level: MUST\n    kind: lnt\n    title: T\n", 5, `unknown kind "lnt"`},
		{"bad level", "version: 1\nchecks:\n  - id: a\n    level: MUSTN'T\n    kind: coverage\n    title: T\n", 4, "use MUST, SHOULD or MAY"},
		{"missing title", "version: 1\nchecks:\n  - id: a\n    level: MUST\n    kind: coverage\n", 3, "no title"},
		{"bad id", "version: 1\nchecks:\n  - id: Bad_ID\n    level: MUST\n    kind: coverage\n    title: T\n", 3, "lower-case"},
		{"duplicate id", "version: 1\nchecks:\n  - {id: a, level: MUST, kind: coverage, title: T}\n  - {id: a, level: MAY, kind: coverage, title: U}\n", 4, "used twice (first on line 3)"},
		{"unknown param", "version: 1\nchecks:\n  - id: a\n    level: MUST\n    kind: coverage\n    title: T\n    params:\n      minimum: 80\n", 8, `unknown key "minimum"`},
		{"param type", "version: 1\nchecks:\n  - id: a\n    level: MUST\n    kind: coverage\n    title: T\n    params:\n      min: lots\n", 8, "min: `lots` is not a number"},
		{"list wanted", "version: 1\nchecks:\n  - id: a\n    level: MUST\n    kind: coverage\n    title: T\n    params:\n      packages: {a: b}\n", 8, "packages: "},
		{"param value", "version: 1\nchecks:\n  - id: a\n    level: MUST\n    kind: coverage\n    title: T\n    params:\n      min: 120\n", 8, "between 0 and 100"},
		{"params not a mapping", "version: 1\nchecks:\n  - id: a\n    level: MUST\n    kind: coverage\n    title: T\n    params: [1]\n", 7, "params must be a mapping"},
		{"command not allowed", "version: 1\nchecks:\n  - id: a\n    level: MUST\n    kind: command\n    title: T\n", 5, "allow_commands: true"},
		{"bad budget unit value", "version: 1\nchecks:\n  - id: a\n    level: MAY\n    kind: budget\n    title: T\n    params:\n      budgets:\n        \"Parse/*\": {sec/op: fast}\n", 9, "not a duration"},
		{"bad budget pattern", "version: 1\nchecks:\n  - id: a\n    level: MAY\n    kind: budget\n    title: T\n    params:\n      budgets:\n        \"Parse[\": {allocs/op: 1}\n", 9, "budget pattern"},
		{"bad lint setting", "version: 1\nchecks:\n  - id: a\n    level: MUST\n    kind: lint\n    title: T\n    params:\n      set: [prealloc]\n", 8, "LINTER.KEY=VALUE"},
		{"bad bench regexp", "version: 1\nchecks:\n  - id: a\n    level: MUST\n    kind: bench-compile\n    title: T\n    params:\n      bench: \"(\"\n", 8, "bench"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc), "perfctl.yaml")
			var ie *usererr.Error
			if !errors.As(err, &ie) {
				t.Fatalf("Parse: err = %v, want an *InputError", err)
			}
			if ie.Line != tt.line || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse: %v (line %d)\nwant line %d and %q", err, ie.Line, tt.line, tt.want)
			}
			if ie.Hint == "" {
				t.Error("no hint")
			}
		})
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	doc := "version: 1\nchecks:\n  - {id: a, level: MUST, kind: nope, title: T}\n  - {id: b, level: ALWAYS, kind: coverage, title: T}\n  - {id: c, level: MAY, kind: coverage, title: T, fix: F}\n"
	_, err := Parse([]byte(doc), "p.yaml")
	var ie *usererr.Error
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v", err)
	}
	if ie.Line != 3 || len(ie.Details) != 1 || !strings.HasPrefix(ie.Details[0], "p.yaml:4: ") {
		t.Errorf("got %v with more %q; want line 3 and one more problem on line 4", err, ie.Details)
	}
}

func TestParseValid(t *testing.T) {
	doc := `version: 1
allow_commands: true
checks:
  - id: lint
    level: MUST
    kind: lint
    title: Lint
    params: {disable: unqueryvet, set: ["prealloc.simple=false"], exclude: ["^gen/"]}
  - id: budget
    level: MAY
    kind: budget
    title: Budgets
    rationale: "  spaced  "
    params:
      count: 3
      budgets:
        "Parse/*": {sec/op: 2µs, allocs/op: 3, B/op: 1KiB}
        "*": {ns/op: 1500, MB/s: 100}
  - id: cmd
    level: SHOULD
    kind: command
    title: A command
    params: {run: [go, version]}
`
	p, err := Parse([]byte(doc), "p.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Checks) != 3 || !p.AllowCommands || p.Checks[1].Rationale != "spaced" || p.Checks[1].Line != 9 {
		t.Fatalf("parsed %+v", p.Checks)
	}
	b := p.Checks[1].eval.(*budgetCheck)
	want := []limit{{"sec/op", 2e-6, "2µs", false}, {"allocs/op", 3, "3", false}, {"B/op", 1024, "1KiB", false}}
	if len(b.Budgets) != 2 || b.Budgets[0].Pattern != "Parse/*" || len(b.Budgets[0].Limits) != 3 {
		t.Fatalf("budgets = %+v", b.Budgets)
	}
	for i, l := range want {
		if got := b.Budgets[0].Limits[i]; got != l {
			t.Errorf("limit %d = %+v, want %+v", i, got, l)
		}
	}
	if l := b.Budgets[1].Limits; l[0].Value != 1.5e-6 || l[0].Unit != "sec/op" || l[1].Unit != "B/s" || !l[1].Min || l[1].Value != 1e8 {
		t.Errorf("ns/op and MB/s limits = %+v", l)
	}
	l := p.Checks[0].eval.(*lintCheck)
	if len(l.profile.Linters) != 11 || l.profile.Settings["prealloc"]["simple"] != false {
		t.Errorf("lint profile = %+v", l.profile)
	}
	// The effective policy reads back to the same checks.
	out, err := p.YAML()
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse(out, "again")
	if err != nil {
		t.Fatalf("YAML() does not parse back: %v\n%s", err, out)
	}
	if len(again.Checks) != 3 || again.Checks[2].Kind != "command" {
		t.Errorf("reparsed %+v", again.Checks)
	}
}

func TestDefaultPolicy(t *testing.T) {
	p := Default()
	levels := map[Level]int{}
	for _, c := range p.Checks {
		levels[c.Level]++
		if c.Rationale == "" || c.Fix == "" || !strings.Contains(c.Rationale, "spec") {
			t.Errorf("%s: every default check needs a rationale citing the spec and a fix", c.ID)
		}
	}
	// The seed's ten MUST items (items 4 and 10 are two checks each), the compliance
	// rule and a library's benchmarks; its five SHOULD items plus
	// coverage; its four MAY items, automated alerts as two checks (CI
	// reports results; the history has no unfixed regression).
	if levels[Must] != 14 || levels[Should] != 6 || levels[May] != 5 {
		t.Errorf("levels = %v", levels)
	}
}
