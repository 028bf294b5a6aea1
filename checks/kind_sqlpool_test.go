package checks

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/usererr"
)

// sqlPoolPolicy is a policy with one sql-pool check; params is a YAML flow
// mapping ("" for none), on line 7.
func sqlPoolPolicy(params string) string {
	p := "version: 1\nchecks:\n  - id: pool\n    level: MUST\n    kind: sql-pool\n    title: T\n"
	if params != "" {
		p += "    params: " + params + "\n"
	}
	return p
}

func TestSQLPoolKind(t *testing.T) {
	tests := []struct {
		name     string
		fixture  string // under testdata/sql-pool
		params   string
		status   Status
		msg      string   // substring of the message
		findings []string // file:line:column of each finding
		details  []string // prefixes of the details, in order
	}{
		{name: "pass", fixture: "pass", status: Pass, msg: "2 *sql.DB pools configured"},
		{name: "no open call", fixture: "pass", params: `{packages: [./nosql]}`, status: Pass,
			msg: "no sql.Open or sql.OpenDB in ./nosql (1 package checked)"},
		{name: "none in module", fixture: "fail", params: `{packages: ["./ok"]}`, status: Pass,
			msg: "no sql.Open or sql.OpenDB in ./ok (1 package checked)"},
		{name: "fail", fixture: "fail", params: `{packages: ["./..."]}`, status: Fail,
			msg:      "2 *sql.DB opened without pool limits",
			findings: []string{"cache/cache.go:8:9", "store/store.go:9:13"},
			details: []string{
				"cache/cache.go:8: *sql.DB from sql.Open is never given SetMaxOpenConns, SetMaxIdleConns, SetConnMaxLifetime in this package (it is returned by exported Open;",
				"store/store.go:9: *sql.DB from sql.Open is never given SetConnMaxLifetime: configure the pool (database/sql defaults",
			}},
		{name: "one package", fixture: "fail", params: `{packages: [./store]}`, status: Fail,
			msg: "1 *sql.DB opened without pool limits", findings: []string{"store/store.go:9:13"},
			details: []string{"store/store.go:9: *sql.DB from sql.Open is never given SetConnMaxLifetime"}},
		{name: "waived by comments", fixture: "waived", params: `{packages: [./store]}`, status: Fail,
			msg:      "2 *sql.DB opened without pool limits (3 findings waived)",
			findings: []string{"store/store.go:19:9", "store/store.go:25:10"},
			details: []string{
				"store/store.go:19: *sql.DB from sql.Open is never given",
				"store/store.go:25: *sql.DB from sql.Open is never given",
				"waived: store/store.go:8: *sql.DB from sql.Open is never given",
				"waived: store/store.go:14: *sql.DB from sql.Open is never given",
				"waived: store/store.go:24: *sql.DB from sql.Open is never given",
			}},
		{name: "waived by the policy", fixture: "waived", params: `{packages: [./legacy], waive: [{path: "legacy/*.go", reason: configured by cmd/migrate}]}`, status: Pass,
			msg:     "no *sql.DB pool left without limits: 1 finding waived",
			details: []string{"waived: legacy/legacy.go:7: *sql.DB from sql.Open is never given"}},
		{name: "a waiver path that does not match", fixture: "waived", params: `{packages: [./legacy], waive: [{path: "store/*.go", reason: r}]}`, status: Fail,
			msg: "1 *sql.DB opened without pool limits", findings: []string{"legacy/legacy.go:7:49"},
			details: []string{"legacy/legacy.go:7: *sql.DB from sql.Open is never given"}},
		{name: "a waiver without a reason", fixture: "waived", params: `{packages: [./bare]}`, status: Fail,
			msg:      "1 *sql.DB opened without pool limits, 1 waiver without a reason",
			findings: []string{"bare/bare.go:8:9", "bare/bare.go:8:0"},
			details: []string{
				"bare/bare.go:8: *sql.DB from sql.Open is never given",
				"bare/bare.go:8: perfctl:ignore without a reason: say why after --",
			}},
		{name: "does not compile", fixture: "broken", status: Error,
			msg: "cannot check the *sql.DB pools: package example.com/sqlpoolbroken has errors: broken.go:6:34: undefined: missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse([]byte(sqlPoolPolicy(tt.params)), "test.yaml")
			if err != nil {
				t.Fatal(err)
			}
			dir, err := filepath.Abs(filepath.Join("testdata", "sql-pool", tt.fixture))
			if err != nil {
				t.Fatal(err)
			}
			r := p.Checks[0].eval.Evaluate(t.Context(), &Workspace{Dir: dir, Exec: run.Exec{}})
			if r.Status != tt.status || !strings.Contains(r.Message, tt.msg) || strings.Contains(r.Message, "\n") {
				t.Errorf("%s: %q; want %s: %q", r.Status, r.Message, tt.status, tt.msg)
			}
			var got []string
			for _, f := range r.Findings {
				got = append(got, fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column))
				if f.Rule != "sql-pool" || f.Message == "" {
					t.Errorf("finding %s:%d: rule %q, message %q", f.File, f.Line, f.Rule, f.Message)
				}
			}
			if !slices.Equal(got, tt.findings) {
				t.Errorf("findings %q, want %q", got, tt.findings)
			}
			if len(r.Details) != len(tt.details) {
				t.Fatalf("details %q, want %d", r.Details, len(tt.details))
			}
			for i, d := range tt.details {
				if !strings.HasPrefix(r.Details[i], d) {
					t.Errorf("detail %q, want it to start %q", r.Details[i], d)
				}
			}
		})
	}
}

func TestSQLPoolParams(t *testing.T) {
	for _, tt := range []struct{ params, msg string }{
		{`{packages: ["-toolexec=evil"]}`, `packages: "-toolexec=evil" is not a package pattern`},
		{`{packages: ["./a", ""]}`, `packages: an empty pattern`},
		{`{package: [./a]}`, `unknown key "package"`},
		{`{packages: {a: b}}`, `packages: a mapping is not a list`},
		{`{waive: [{path: "legacy/**"}]}`, `waive[0]: give the reason`},
		{`{waive: [{reason: because}]}`, `waive[0]: give a path (a glob)`},
		{`{waive: [{path: x, target: debug, reason: r}]}`, `waive[0]: target: this kind has no targets`},
		{`{waive: [{path: "[x", reason: r}]}`, `waive[0]: path "[x" is not a valid glob`},
	} {
		_, err := Parse([]byte(sqlPoolPolicy(tt.params)), "test.yaml")
		var ie *usererr.Error
		if !errors.As(err, &ie) || ie.Line != 7 || !strings.Contains(ie.Msg, tt.msg) {
			t.Errorf("params %s: error %v, want one on line 7 containing %q", tt.params, err, tt.msg)
		}
	}
}
