package checks

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/internal/fuzzcheck"
	"github.com/perfctl/perfctl/internal/usererr"
)

// Run the fuzzers of this package one at a time, for example
//
//	go test -run '^$' -fuzz '^FuzzParse$' -fuzztime 3m ./checks
//
// Without -fuzz, `go test` runs each one on its seeds and on the inputs
// kept under testdata/fuzz/FuzzXxx.

// maxFuzzInput bounds what the fuzzers look at: Go's minimizer spends
// minutes on every new input of several KiB (see maxFuzzInput in
// bench/fuzz_test.go), and a few lines exercise every path of a reader.
const maxFuzzInput = 1 << 10

// policySeeds returns realistic policies: each check of the default policy
// on its own, and the examples of docs/policy.md.
func policySeeds() [][]byte {
	var seeds [][]byte
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			seeds = append(seeds, []byte("version: 1\nchecks:\n"+strings.Join(cur, "\n")+"\n"))
		}
		cur = nil
	}
	for line := range strings.Lines(string(DefaultPolicyYAML)) {
		line = strings.TrimSuffix(line, "\n")
		switch {
		case strings.HasPrefix(line, "  - id:"):
			flush()
			cur = []string{line}
		case cur != nil && (strings.HasPrefix(line, "    ") || line == ""):
			cur = append(cur, line)
		default:
			flush()
		}
	}
	flush()
	if doc, err := os.ReadFile("../docs/policy.md"); err == nil {
		for _, m := range regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(doc, -1) {
			seeds = append(seeds, m[1])
		}
	}
	return seeds
}

// hostilePolicies are small policies written to hurt: flags where packages
// go, anchors and aliases, deep nesting, numbers out of range.
var hostilePolicies = []string{
	"version: 1\nchecks:\n  - {id: c, level: MUST, kind: coverage, title: T, params: {args: [-exec=x]}}\n",
	"version: 1\nchecks:\n  - {id: c, level: MUST, kind: coverage, title: T, params: {packages: -exec=x}}\n",
	"version: 1\nchecks:\n  - {id: c, level: MUST, kind: coverage, title: T, params: {packages: ['./...', ' -x']}}\n",
	"version: 1\nchecks:\n  - {id: c, level: MUST, kind: coverage, title: T, params: {coverpkg: -x, min: .nan}}\n",
	"version: 1\nchecks:\n  - {id: c, level: MUST, kind: coverage, title: T, params: {min: 1e999, args: [-run, x]}}\n",
	"version: 1\nchecks:\n  - {id: c, level: MUST, kind: lint, title: T, params: {packages: [-E=custom], set: ['gocritic.settings={ruleguard: {rules: x}}']}}\n",
	"version: 1\nchecks:\n  - {id: c, level: MUST, kind: lint, title: T, params: {enable: ['--config=x'], disable: [-x], exclude: ['(']}}\n",
	"version: 1\nchecks:\n  - {id: c, level: MAY, kind: budget, title: T, params: {count: 99999999999999999999, budgets: {X: {sec/op: 1s}}}}\n",
	"version: 1\nchecks:\n  - {id: c, level: MAY, kind: budget, title: T, params: {budgets: {'[': {ns/op: 1}}}}\n",
	"version: 1\nchecks:\n  - {id: c, level: MAY, kind: budget, title: T, params: {benchtime: 99999999999x, budgets: {X: {B/op: 1e400KiB, MB/s: .nan, B/s: -1, x/op: .inf, sec/op: 1e308}}}}\n",
	"version: 1\nchecks:\n  - {id: c, level: MAY, kind: budget, title: T, params: {budgets: {X: {}, Y: [1], Z: 1}}}\n",
	"version: 1\nchecks:\n  - {id: c, level: MAY, kind: budget, title: T, params: {budgets: [a]}}\n",
	"version: 1\nchecks:\n  - {id: c, level: MUST, kind: command, title: T, params: {run: [-x]}}\n",
	"version: 1\nallow_commands: true\nchecks:\n  - {id: c, level: MUST, kind: command, title: T, params: {run: sh -c x, timeout: -1s, dir: ../..}}\n",
	"version: 1\nchecks:\n  - {id: c, level: MUST, kind: docs, title: T, params: {topics: [{name: x, any: ['/(/']}]}}\n",
	"version: 1\nchecks:\n  - {id: c, level: MUST, kind: file, title: T, params: {paths: ['/etc/passwd', '[x'], contains: '('}}\n",
	"version: 1\nchecks:\n  - {id: c, level: MUST, kind: ci, title: T, params: {files: ['a[b'], require: x}}\n",
	"version: 1\nchecks:\n  - {id: c, level: MUST, kind: build-flags, title: T, params: {profile: dev, pgo: true}}\n",
	"version: 1\nchecks:\n  - {id: c, level: MUST, kind: sql-pool, title: T, params: {packages: [\"a\\nb\"]}}\n",
	// Anchors and aliases.
	"version: 1\nchecks:\n  - &c {id: a, level: MUST, kind: ci, title: T}\n  - *c\n",
	"version: 1\nchecks:\n  - {id: a, level: MUST, kind: ci, title: &t T, params: {require: *t}}\n",
	"version: 1\nchecks:\n  - {id: a, level: MUST, kind: coverage, title: T, params: &p {packages: [./...]}}\n  - {id: b, level: MUST, kind: coverage, title: T, params: *p}\n",
	"version: 1\nchecks:\n  - {id: a, level: MUST, kind: coverage, title: T, params: {packages: &p [./a]}}\n  - {id: b, level: MUST, kind: lint, title: T, params: {packages: *p}}\n",
	"version: 1\nchecks:\n  - {id: &x a, level: MUST, kind: coverage, title: T, params: {coverpkg: *x}}\n",
	"version: 1\nchecks: *x\n",
	"version: &v 1\nchecks:\n  - {id: a, level: MUST, kind: budget, title: T, params: {count: *v, budgets: {X: {allocs/op: *v}}}}\n",
	"version: 1\nchecks:\n  - {id: a, level: MUST, kind: lint, title: T, params: {<<: {tests: true}, set: [prealloc.simple=false]}}\n",
	// Deep nesting.
	"version: 1\nchecks:\n  - {id: a, level: MUST, kind: ci, title: T, params: {files: " + strings.Repeat("[", 200) + strings.Repeat("]", 200) + "}}\n",
	"version: 1\nchecks: " + strings.Repeat("[", 300) + "\n",
	"version: 1\nchecks:\n" + strings.Repeat(" ", 200) + "- x\n",
	// Odd scalars and documents.
	"version: 1.0\nchecks:\n  - {id: a, level: MUST, kind: ci, title: T}\n",
	"version: 0x1\nchecks:\n  - {id: a, level: MUST, kind: ci, title: T}\n---\nversion: 2\n",
	"version: 1\nchecks:\n  - {id: a, level: MUST, kind: ci, title: !!binary VA==}\n",
	"version: 1\nchecks:\n  - {id: a, level: MUST, kind: ci, title: T, title: U}\n",
	"version: 1\nchecks:\n  - {id: a, level: MUST, kind: ci, title: T}\n  - {id: a, level: MUST, kind: ci, title: T}\n",
	"version: 1\nchecks:\n\t- id: a\n",
	"version: 1\r\nchecks:\r\n  - {id: a, level: MUST, kind: ci, title: T, params: {require: x}}\r\n",
	"version: 1\rchecks:\r  - {id: a, level: MUST, kind: ci, title: T, params: {require: x}}\r",
	"\xff\xfev\x00:\x00 \x001\x00\n\x00",
	"", "---", "~", "[]", "- a", "a", "\x00", "version: 1\nchecks: []\n", "%YAML 1.1\n---\nversion: 1\n",
}

// policyAliasBomb is a "billion laughs": each level repeats the one before
// nine times, decoded where the packages of a check go.
const policyAliasBomb = `version: 1
checks:
  - id: a
    level: MUST
    kind: coverage
    title: T
    params:
      args: &a [x, x, x, x, x, x, x, x, x]
      coverpkg: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
      min: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
      packages: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
  - id: b
    level: MUST
    kind: lint
    title: T
    params:
      enable: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
      packages: [*e, *e, *e, *e, *e, *e, *e, *e, *e]
      set: ["prealloc.simple={a: &a [x,x,x,x,x,x,x,x,x], b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a], c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b], d: [*c,*c,*c,*c,*c,*c,*c,*c,*c]}"]
`

var moreLine = regexp.MustCompile(`^policy\.yaml:(\d+): .`)

func FuzzParse(f *testing.F) {
	for _, s := range policySeeds() {
		f.Add(s)
	}
	for _, s := range hostilePolicies {
		f.Add([]byte(s))
	}
	f.Add([]byte(policyAliasBomb))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		defer fuzzcheck.Watchdog("Parse", data)()
		const name = "policy.yaml"
		p, err := Parse(data, name)
		p2, err2 := Parse(data, name)
		if fmt.Sprint(err) != fmt.Sprint(err2) {
			t.Fatalf("Parse is not deterministic: %v, then %v", err, err2)
		}
		if err != nil {
			var ie *usererr.Error
			switch {
			case !errors.As(err, &ie):
				t.Fatalf("Parse refused the input with %T %q, want an *InputError", err, err)
			case p != nil:
				t.Fatalf("Parse returned a policy together with the error %v", err)
			case ie.Msg == "" || ie.Hint == "" || ie.File != name:
				t.Fatalf("an input error without message, hint or file: %#v", ie)
			case ie.Line < 0 || ie.Line > fuzzcheck.YAMLLines(data)+1:
				t.Fatalf("error on line %d of a %d-line policy: %v", ie.Line, fuzzcheck.YAMLLines(data), err)
			case len(ie.Details) > 10:
				t.Fatalf("the error lists %d more problems, at most 10 (the last one a count): %q", len(ie.Details), ie.Details)
			}
			for _, m := range ie.Details {
				if strings.HasPrefix(m, "… and ") {
					continue
				}
				sm := moreLine.FindStringSubmatch(m)
				if sm == nil {
					t.Fatalf("further problem %q does not start with %s:LINE:", m, name)
				}
				if n, _ := strconv.Atoi(sm[1]); n < ie.Line || n > fuzzcheck.YAMLLines(data)+1 {
					t.Fatalf("further problem on line %d (the first one is on line %d, the policy has %d): %q", n, ie.Line, fuzzcheck.YAMLLines(data), m)
				}
			}
			return
		}
		checkPolicy(t, p, data)
		y, err := p.YAML()
		if y2, _ := p2.YAML(); err != nil || !bytes.Equal(y, y2) {
			t.Fatalf("YAML: %v, or two parses render differently:\n%s\n%s", err, y, y2)
		}
		// policy show prints YAML(): it must read back as the same policy.
		back, err := Parse(y, name)
		if err != nil {
			t.Fatalf("the policy rendered by YAML does not parse: %v\n%s", err, y)
		}
		if yb, _ := back.YAML(); !bytes.Equal(y, yb) || back.AllowCommands != p.AllowCommands || len(back.Checks) != len(p.Checks) {
			t.Fatalf("the policy rendered by YAML reads back differently:\n%s\n%s", y, yb)
		}
		for i, c := range back.Checks {
			o := p.Checks[i]
			if c.ID != o.ID || c.Level != o.Level || c.Kind != o.Kind || c.Title != o.Title || c.Rationale != o.Rationale || c.Fix != o.Fix {
				t.Fatalf("check %d reads back as %+v, was %+v", i, c, o)
			}
		}
	})
}

// checkPolicy checks what Parse promises of a policy it accepts.
func checkPolicy(t *testing.T, p *Policy, data []byte) {
	t.Helper()
	if len(p.Checks) == 0 {
		t.Fatal("Parse accepted a policy without checks")
	}
	seen := map[string]bool{}
	for i, c := range p.Checks {
		switch {
		case !idPattern.MatchString(c.ID):
			t.Fatalf("check %d: id %q", i, c.ID)
		case seen[c.ID]:
			t.Fatalf("id %q twice", c.ID)
		case KindNamed(c.Kind) == nil || c.eval == nil:
			t.Fatalf("check %s: kind %q, evaluator %v", c.ID, c.Kind, c.eval)
		case !slices.Contains(Levels, c.Level):
			t.Fatalf("check %s: level %q", c.ID, c.Level)
		case c.Title == "":
			t.Fatalf("check %s has no title", c.ID)
		case p.Extends != "" && (c.Line < 0 || c.Line > fuzzcheck.YAMLLines(data)):
			// Checks of the extended policy the file does not mention
			// have no line in it (0).
			t.Fatalf("check %s on line %d of %d", c.ID, c.Line, fuzzcheck.YAMLLines(data))
		case p.Extends == "" && (c.Line < 1 || c.Line > fuzzcheck.YAMLLines(data)):
			t.Fatalf("check %s on line %d of %d", c.ID, c.Line, fuzzcheck.YAMLLines(data))
		case p.Extends == "" && i > 0 && c.Line < p.Checks[i-1].Line:
			t.Fatalf("check %s on line %d, after check %s on line %d", c.ID, c.Line, p.Checks[i-1].ID, p.Checks[i-1].Line)
		case c.Kind == commandKind.Name && !p.AllowCommands:
			t.Fatalf("check %s runs a command without allow_commands", c.ID)
		}
		seen[c.ID] = true
		// Nothing of the policy becomes an option of go or golangci-lint.
		if pkgs, ok := packagesOf(c.eval); ok {
			for _, pkg := range pkgs {
				if strings.TrimSpace(pkg) == "" || strings.HasPrefix(pkg, "-") || strings.ContainsAny(pkg, "\x00\r\n") {
					t.Fatalf("check %s: package pattern %q", c.ID, pkg)
				}
			}
		}
		switch e := c.eval.(type) {
		case *coverageCheck:
			if m := e.min(); !(m >= 0 && m <= 100) {
				t.Fatalf("check %s: min %v", c.ID, m)
			}
			if strings.HasPrefix(e.Coverpkg, "-") {
				t.Fatalf("check %s: coverpkg %q", c.ID, e.Coverpkg)
			}
			for _, a := range e.Args {
				name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
				if _, ok := goTestFlags[name]; !ok || !strings.HasPrefix(a, "-") || strings.HasPrefix(a, "---") {
					t.Fatalf("check %s: go test argument %q", c.ID, a)
				}
			}
		case *budgetCheck:
			if e.Count < 0 || e.Count > maxBudgetCount {
				t.Fatalf("check %s: count %d", c.ID, e.Count)
			}
			for _, b := range e.Budgets {
				if len(b.Limits) == 0 || b.Line < 1 || b.Line > fuzzcheck.YAMLLines(data) {
					t.Fatalf("check %s: budget %q on line %d with %d limits", c.ID, b.Pattern, b.Line, len(b.Limits))
				}
				for _, l := range b.Limits {
					if math.IsNaN(l.Value) || math.IsInf(l.Value, 0) || l.Value < 0 || l.Unit == "" {
						t.Fatalf("check %s: budget %q: limit %+v", c.ID, b.Pattern, l)
					}
				}
			}
		case *lintCheck:
			for _, l := range e.profile.Linters {
				if strings.HasPrefix(l, "-") || l == "custom" {
					t.Fatalf("check %s: linter %q", c.ID, l)
				}
			}
			if _, err := e.profile.Config(); err != nil {
				t.Fatalf("check %s: the lint configuration: %v", c.ID, err)
			}
		}
	}
}
