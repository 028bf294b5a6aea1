package checks

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

const servicesPolicy = `version: 1
allow_commands: true
services:
  - name: pg
    command: [postgres, -p, "${port}", -D, "${dir}"]
    env: {PGTZ: UTC, N: 5}
    dir: db
    ready: {tcp: "127.0.0.1:${port}"}
    ready_timeout: 1m
    export:
      DATABASE_URL: "postgres://127.0.0.1:${port}/bench"
  - name: web
    command: [./web]
    ready: {http: "http://localhost:${port}/health"}
checks:
  - {id: compiles, level: MUST, kind: bench-compile, title: T}
`

func TestParseServices(t *testing.T) {
	p, err := Parse([]byte(servicesPolicy), "perfctl.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Services) != 2 {
		t.Fatalf("Services = %+v", p.Services)
	}
	pg := p.Services[0]
	if pg.Name != "pg" || len(pg.Command) != 5 || pg.Env["N"] != "5" || pg.Dir != "db" || pg.Ready.TCP != "127.0.0.1:${port}" ||
		pg.ReadyTimeout != time.Minute || pg.Export["DATABASE_URL"] == "" || pg.Line != 4 {
		t.Errorf("pg = %+v", pg)
	}
	if p.Services[1].Ready.HTTP == "" || p.Services[1].ReadyTimeout != 0 {
		t.Errorf("web = %+v", p.Services[1])
	}
	if !p.NeedsServices(nil) {
		t.Error("a bench-compile check does not need the services")
	}
	if p.NeedsServices([]string{"compiles"}) {
		t.Error("--skip compiles: the services are still needed")
	}
	// policy show prints them, and what it prints parses to the same.
	out, err := p.YAML()
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse(out, "shown")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(again.Services) != 2 || again.Services[0].Export["DATABASE_URL"] != pg.Export["DATABASE_URL"] {
		t.Errorf("round trip lost the services:\n%s", out)
	}
}

func TestNeedsServices(t *testing.T) {
	for _, tc := range []struct {
		checks string
		want   bool
	}{
		{"  - {id: a, level: MUST, kind: benchmarks-present, title: T}\n", false},
		{"  - {id: a, level: MUST, kind: regression, title: T}\n", true},
		{"  - {id: a, level: MUST, kind: coverage, title: T}\n", true},
		{"  - {id: a, level: MUST, kind: budget, title: T, skip: not here}\n", false},
	} {
		doc := strings.Replace(servicesPolicy, "  - {id: compiles, level: MUST, kind: bench-compile, title: T}\n", tc.checks, 1)
		p, err := Parse([]byte(doc), "perfctl.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if got := p.NeedsServices(nil); got != tc.want {
			t.Errorf("%s: NeedsServices = %v", tc.checks, got)
		}
	}
	if Default().NeedsServices(nil) {
		t.Error("the default policy has services")
	}
}

func TestParseServicesErrors(t *testing.T) {
	for _, tc := range []struct{ old, new, want string }{
		{"allow_commands: true", "allow_commands: false", ":4: services run programs: allow them with 'allow_commands: true'"},
		{`command: [./web]`, `command: ./web --port 1`, ":13: command: give the program and its arguments as a list"},
		{`command: [./web]`, `command: []`, ":13: service web: command: give the program"},
		{"name: web", "name: pg", `:12: service name "pg" is used twice (first on line 4)`},
		{"name: web", "name: Web", `:12: service Web: name: "Web"`},
		{"    dir: db\n", "    dri: db\n", `:7: unknown key "dri" (did you mean "dir"?)`},
		{"ready_timeout: 1m", "ready_timeout: soon", `:9: service pg: ready_timeout: "soon" is not a positive duration`},
		{"ready_timeout: 1m", "ready_timeout: 11m", `:9: service pg: ready_timeout: 11m0s is not between`},
		{`{tcp: "127.0.0.1:${port}"}`, `{tcp: "192.168.1.5:${port}"}`, ":8: service pg: ready: tcp:"},
		{`{tcp: "127.0.0.1:${port}"}`, `{tcp: "127.0.0.1:1", http: "http://127.0.0.1/"}`, ":8: service pg: ready: give exactly one"},
		{`{http: "http://localhost:${port}/health"}`, `{http: "http://169.254.169.254/"}`, ":14: service web: ready: http:"},
		{"DATABASE_URL:", "LD_PRELOAD:", ":11: service pg: export: LD_PRELOAD would change how perfctl's tools run"},
		{"/bench", "/${db}", ":11: service pg: export: DATABASE_URL: "},
		{"PGTZ: UTC", `PGTZ: "${tz}"`, ":6: service pg: env: PGTZ: "},
		{"  - name: web\n", "  - web\n  - name: web2\n", ":12: a service is a mapping"},
	} {
		doc := strings.Replace(servicesPolicy, tc.old, tc.new, 1)
		if doc == servicesPolicy {
			t.Fatalf("%q is not in the policy", tc.old)
		}
		_, err := Parse([]byte(doc), "perfctl.yaml")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s → %s: err = %v\nwant %q", tc.old, tc.new, err, tc.want)
		}
	}
	scalar := "version: 1\nallow_commands: true\nservices: postgres\nchecks:\n  - {id: a, level: MUST, kind: bench-compile, title: T}\n"
	if _, err := Parse([]byte(scalar), "p"); err == nil || !strings.Contains(err.Error(), ":3: services: give a list of services") {
		t.Errorf("services: postgres: %v", err)
	}
	many := "version: 1\nallow_commands: true\nservices:\n" + strings.Repeat("  - {name: s, command: [x], ready: {tcp: '127.0.0.1:1'}}\n", 9) +
		"checks:\n  - {id: a, level: MUST, kind: bench-compile, title: T}\n"
	if _, err := Parse([]byte(many), "p"); err == nil || !strings.Contains(err.Error(), "perfctl starts at most 8") {
		t.Errorf("9 services: %v", err)
	}
}

// TestSchemaServices keeps the schema's services in step with the parser:
// the keys are serviceDoc's and readyDoc's, and a valid policy validates.
func TestSchemaServices(t *testing.T) {
	s, raw := loadSchema(t)
	if p := schemaProblems(t, s, []byte(servicesPolicy)); p != nil {
		t.Errorf("a policy with services does not validate: %q", p)
	}
	svc := schemaObject(t, raw, "definitions", "service", "properties")
	for name, typ := range map[string]reflect.Type{"service": reflect.TypeFor[serviceDoc](), "ready": reflect.TypeFor[readyDoc]()} {
		props := svc
		if name == "ready" {
			props = schemaObject(t, svc, "ready", "properties")
		}
		want := slices.Sorted(maps.Keys(yamlFields(typ)))
		if got := slices.Sorted(maps.Keys(props)); !slices.Equal(got, want) {
			t.Errorf("the schema's %s keys are %q; the parser's are %q", name, got, want)
		}
	}
	bad := strings.Replace(servicesPolicy, "allow_commands: true", "allow_commands: false", 1)
	if p := schemaProblems(t, s, []byte(bad)); p == nil {
		t.Error("the schema accepts services without allow_commands: true")
	}
}

// TestServicesDocExamples: the policies of docs/services.md, and those
// with services in the README, parse, have services, and validate against
// the schema.
func TestServicesDocExamples(t *testing.T) {
	s, _ := loadSchema(t)
	examples := docExamples(t, "../docs/services.md")
	if len(examples) == 0 {
		t.Fatal("docs/services.md has no example policy")
	}
	files := make([]string, 0, len(examples))
	for range examples {
		files = append(files, "docs/services.md")
	}
	readme := 0
	for _, ex := range docExamples(t, "../README.md") {
		if strings.Contains(ex.text, "\nservices:\n") {
			examples, files = append(examples, ex), append(files, "README.md")
			readme++
		}
	}
	if readme == 0 {
		t.Error("README.md has no example policy with services")
	}
	for i, ex := range examples {
		where := fmt.Sprintf("%s:%d", files[i], ex.line)
		p, err := Parse([]byte(ex.text), where)
		if err != nil {
			t.Errorf("%s: %v", where, err)
			continue
		}
		if len(p.Services) == 0 {
			t.Errorf("%s: the example has no services", where)
		}
		if errs := schemaProblems(t, s, []byte(ex.text)); errs != nil {
			t.Errorf("%s: %q", where, errs)
		}
	}
}
