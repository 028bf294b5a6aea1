package checks

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/usererr"
)

// The helpers below are shared by the tests of the file, command, docs,
// ci and build-flags kinds.

// kindPolicy is a policy with one check of kind; params (a YAML flow
// mapping) is on line kindParamsLine.
func kindPolicy(kind, params string) string {
	return "version: 1\nallow_commands: true\nchecks:\n  - id: x\n    level: MUST\n    kind: " + kind +
		"\n    title: T\n    params: " + params + "\n"
}

const kindParamsLine = 8

// kindEvaluator parses a check of kind with params.
func kindEvaluator(t *testing.T, kind, params string) Evaluator {
	t.Helper()
	p, err := Parse([]byte(kindPolicy(kind, params)), "test.yaml")
	if err != nil {
		t.Fatalf("params %s: %v", params, err)
	}
	return p.Checks[0].eval
}

// kindWorkspace is a workspace on the fixture directory testdata/dir.
func kindWorkspace(t *testing.T, dir string) *Workspace {
	t.Helper()
	abs, err := filepath.Abs(filepath.Join("testdata", filepath.FromSlash(dir)))
	if err != nil {
		t.Fatal(err)
	}
	return &Workspace{Dir: abs, Exec: run.Exec{}}
}

// A kindCase is one evaluation of a kind on a fixture.
type kindCase struct {
	name     string
	fixture  string // under testdata
	params   string
	status   Status
	msg      []string // substrings of the message
	details  []string // substrings of some detail each
	findings []string // file:line of each finding, in order; nil: none
}

func runKindCases(t *testing.T, kind string, cases []kindCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ws := kindWorkspace(t, tc.fixture)
			ws.TrustCommands = kind == "command" // TestCommandKindUntrusted tests the other way
			r := kindEvaluator(t, kind, tc.params).Evaluate(context.Background(), ws)
			if r.Status != tc.status {
				t.Errorf("status %s, want %s: %q\ndetails:\n  %s", r.Status, tc.status, r.Message, strings.Join(r.Details, "\n  "))
			}
			if strings.Contains(r.Message, "\n") {
				t.Errorf("message has more than one line: %q", r.Message)
			}
			for _, m := range tc.msg {
				if !strings.Contains(r.Message, m) {
					t.Errorf("message %q does not contain %q", r.Message, m)
				}
			}
			for _, d := range tc.details {
				if !slices.ContainsFunc(r.Details, func(s string) bool { return strings.Contains(s, d) }) {
					t.Errorf("no detail contains %q; details:\n  %s", d, strings.Join(r.Details, "\n  "))
				}
			}
			var got []string
			for _, f := range r.Findings {
				got = append(got, fmt.Sprintf("%s:%d", f.File, f.Line))
				if f.Rule != kind || f.Message == "" {
					t.Errorf("finding %s:%d has rule %q, message %q", f.File, f.Line, f.Rule, f.Message)
				}
			}
			if !slices.Equal(got, tc.findings) {
				t.Errorf("findings %q, want %q", got, tc.findings)
			}
		})
	}
}

// A paramsCase is a params mapping that Parse must reject.
type paramsCase struct {
	params string
	msg    string // substring of the error
}

func runParamsCases(t *testing.T, kind string, cases []paramsCase) {
	t.Helper()
	for _, tc := range cases {
		_, err := Parse([]byte(kindPolicy(kind, tc.params)), "test.yaml")
		var ie *usererr.Error
		switch {
		case !errors.As(err, &ie):
			t.Errorf("params %s: error %v, want an input error", tc.params, err)
		case ie.Line != kindParamsLine || !strings.Contains(ie.Msg, tc.msg):
			t.Errorf("params %s: error on line %d: %q; want line %d containing %q", tc.params, ie.Line, ie.Msg, kindParamsLine, tc.msg)
		}
	}
}

func TestFileKind(t *testing.T) {
	runKindCases(t, "file", []kindCase{
		{name: "exists", fixture: "file/present", params: `{paths: [".golangci.y*ml"]}`,
			status: Pass, msg: []string{"found .golangci.yml"}},
		{name: "exists at any depth", fixture: "file/present", params: `{paths: ["./**/notes.txt"]}`,
			status: Pass, msg: []string{"found deep/a/b/notes.txt"}},
		{name: "several match", fixture: "file/present", params: `{paths: ["**/*.md", "**/*.txt"]}`,
			status: Pass, msg: []string{"found README.md (and 1 more"}},
		{name: "missing", fixture: "file/empty", params: `{paths: [".golangci.y*ml", "golangci.toml"]}`,
			status: Fail, msg: []string{"no file matches .golangci.y*ml, golangci.toml"}},
		{name: "contains", fixture: "file/present", params: `{paths: [".golangci.y*ml"], contains: 'prealloc|nilness'}`,
			status: Pass, msg: []string{".golangci.yml:4 matches /prealloc|nilness/"}},
		{name: "multi-line regexp", fixture: "file/present", params: `{paths: ["**/*.yml"], contains: '(?m)enable:\n\s+- prealloc$'}`,
			status: Pass, msg: []string{".golangci.yml:3 matches"}},
		{name: "does not contain", fixture: "file/present", params: `{paths: ["**/*.yml", "**/*.md"], contains: nilness}`,
			status: Fail, msg: []string{"no file matching **/*.yml, **/*.md contains /nilness/ (searched 2 file(s))"},
			details: []string{".golangci.yml", "README.md"}},
		{name: "contains but nothing matches", fixture: "file/empty", params: `{paths: ["**/*.go"], contains: pprof}`,
			status: Fail, msg: []string{"no file matches **/*.go"}},
		{name: "absent", fixture: "file/empty", params: `{paths: ["**/*.txt"], absent: true}`,
			status: Pass, msg: []string{"no file matches **/*.txt"}},
		{name: "not absent", fixture: "file/present", params: `{paths: ["**/*.txt", "**/*.yml"], absent: true}`,
			status: Fail, msg: []string{"no file may match **/*.txt, **/*.yml, but 2 do: .golangci.yml, deep/a/b/notes.txt"},
			findings: []string{".golangci.yml:0", "deep/a/b/notes.txt:0"}},
		{name: "absent content", fixture: "file/present", params: `{paths: ["**/*.md"], contains: pprof, absent: true}`,
			status: Pass, msg: []string{"none of the 1 file(s) matching **/*.md contains /pprof/"}},
		{name: "absent content found", fixture: "file/present", params: `{paths: ["**/*"], contains: pprof, absent: true}`,
			status: Fail, msg: []string{"/pprof/ must not appear in **/*, but it does at deep/a/b/notes.txt:3 and 1 more"},
			details:  []string{"deep/a/b/notes.txt:3: TODO: remove the pprof handler"},
			findings: []string{"deep/a/b/notes.txt:3", "deep/a/b/notes.txt:5"}},
	})
}

func TestFileKindParams(t *testing.T) {
	runParamsCases(t, "file", []paramsCase{
		{`{}`, "paths: give at least one glob"},
		{`{paths: []}`, "paths: give at least one glob"},
		{`{paths: ["a/[b"]}`, `paths: "a/[b" is not a valid glob`},
		{`{paths: ["/etc/passwd"]}`, `paths: "/etc/passwd" is absolute`},
		{`{paths: [a], contains: "x("}`, "contains: error parsing regexp: missing closing )"},
		{`{paths: [a], content: x}`, `unknown key "content"`},
	})
}

func TestFileKindDirect(t *testing.T) {
	// An evaluator not built by Parse validates its params itself.
	ws := kindWorkspace(t, "file/present")
	r := (&fileCheck{Paths: []string{"./**/*.yml"}, Contains: "perfsprint"}).Evaluate(context.Background(), ws)
	if r.Status != Pass || r.Message != ".golangci.yml:5 matches /perfsprint/" {
		t.Errorf("got %s %q", r.Status, r.Message)
	}
	r = (&fileCheck{}).Evaluate(context.Background(), ws)
	if r.Status != Error || !strings.Contains(r.Message, "paths") {
		t.Errorf("no paths: got %s %q", r.Status, r.Message)
	}
}

// TestLoadTestGlobs checks the default policy's load-tests-before-release
// paths: path segments and file names that say "load test", not any name
// with "load" and "test" in it.
func TestLoadTestGlobs(t *testing.T) {
	proposedLoadTestGlobs := Default().check("load-tests-before-release").eval.(*fileCheck).Paths
	if err := validateGlobs("paths", slices.Clone(proposedLoadTestGlobs)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file string
		want bool
	}{
		{"internal/tls/tls_certificate_loader_test.go", false}, // matched **/*load*test*
		{"internal/http/download_test.go", false},
		{"internal/config/load/load.go", false}, // a package that loads configuration
		{"internal/reader/payload_test.go", false},
		{"api/feeds_load_test.go", true},
		{"loadtest/main.go", true},
		{"cmd/loadtest/main.go", true},
		{"test/load-tests/feeds.js", true},
		{"bench/load/scenario.yaml", true},
		{"test/load/feeds.js", true},
		{"scripts/feeds.k6.js", true},
		{"k6/feeds.js", true},
		{"tools/vegeta/targets.txt", true},
		{"locustfile.py", true},
		{"store/store_stress_test.go", true},
	} {
		if got := len(matchFiles([]string{tc.file}, proposedLoadTestGlobs)) == 1; got != tc.want {
			t.Errorf("%s: matches %v, want %v", tc.file, got, tc.want)
		}
	}
	// The current default's glob matches a TLS certificate loader's test.
	if len(matchFiles([]string{"internal/tls/tls_certificate_loader_test.go"}, []string{"**/*load*test*"})) != 1 {
		t.Error("**/*load*test* no longer matches the certificate loader's test: update the comment above")
	}
}
