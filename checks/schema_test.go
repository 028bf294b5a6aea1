package checks

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xeipuuv/gojsonschema"

	"github.com/perfctl/perfctl/history/changepoint"
	"gopkg.in/yaml.v3"
)

// The JSON Schema of perfctl.yaml for editors, and the policy reference
// whose examples must be valid policies.
const (
	schemaFile    = "../docs/perfctl.schema.json"
	policyDocFile = "../docs/policy.md"
)

// loadSchema compiles the schema as a draft-07 schema, validating it
// against the draft-07 meta-schema, and returns it with its raw JSON.
func loadSchema(t *testing.T) (*gojsonschema.Schema, map[string]any) {
	t.Helper()
	data, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatalf("%s is not JSON: %v", schemaFile, err)
	}
	if raw["$schema"] != "http://json-schema.org/draft-07/schema#" {
		t.Fatalf("%s: $schema is %v, want draft-07", schemaFile, raw["$schema"])
	}
	sl := gojsonschema.NewSchemaLoader()
	sl.Draft = gojsonschema.Draft7
	sl.Validate = true // against the meta-schema
	s, err := sl.Compile(gojsonschema.NewBytesLoader(data))
	if err != nil {
		t.Fatalf("%s is not a valid draft-07 schema: %v", schemaFile, err)
	}
	return s, raw
}

// yamlToJSON decodes a YAML document into the JSON data model: mappings
// with string keys, sequences, scalars.
func yamlToJSON(data []byte) (any, error) {
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	return jsonValue(v), nil
}

func jsonValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = jsonValue(e)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[fmt.Sprint(k)] = jsonValue(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = jsonValue(e)
		}
		return out
	case time.Time: // an unquoted date: a string in JSON
		return v.Format(time.RFC3339)
	}
	return v
}

// schemaProblems validates a YAML policy against the schema and returns
// what the schema finds wrong (nil when valid).
func schemaProblems(t *testing.T, s *gojsonschema.Schema, policy []byte) []string {
	t.Helper()
	doc, err := yamlToJSON(policy)
	if err != nil {
		t.Fatalf("not YAML: %v\n%s", err, policy)
	}
	res, err := s.Validate(gojsonschema.NewGoLoader(doc))
	if err != nil {
		t.Fatalf("validating: %v", err)
	}
	var out []string
	for _, e := range res.Errors() {
		out = append(out, e.String())
	}
	return out
}

// A docExample is a whole policy in a ```yaml block of docs/policy.md.
type docExample struct {
	line int // of the block's first line
	text string
}

// policyDocExamples returns the ```yaml blocks of docs/policy.md that
// start with "version: 1": the whole policies. Other blocks are fragments.
func policyDocExamples(t *testing.T) []docExample {
	t.Helper()
	return docExamples(t, policyDocFile)
}

// docExamples returns the whole policies of the Markdown file at path.
func docExamples(t *testing.T, path string) []docExample {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []docExample
	var block *docExample
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case block == nil && strings.TrimSpace(line) == "```yaml":
			block = &docExample{line: n + 1}
		case block != nil && strings.TrimSpace(line) == "```":
			if strings.HasPrefix(block.text, "version: 1\n") {
				out = append(out, *block)
			}
			block = nil
		case block != nil:
			block.text += line + "\n"
		}
	}
	if block != nil {
		t.Fatalf("%s:%d: the ```yaml block is not closed", path, block.line-1)
	}
	return out
}

func TestSchemaIsValidDraft07(t *testing.T) {
	loadSchema(t)
}

func TestSchemaAcceptsDefaultPolicy(t *testing.T) {
	s, _ := loadSchema(t)
	if p := schemaProblems(t, s, DefaultPolicyYAML); p != nil {
		t.Errorf("checks/default.yaml does not validate against %s:\n  %s", schemaFile, strings.Join(p, "\n  "))
	}
}

func TestSchemaAcceptsPolicyDocExamples(t *testing.T) {
	s, _ := loadSchema(t)
	examples := policyDocExamples(t)
	kinds := map[string]bool{}
	for _, ex := range examples {
		where := fmt.Sprintf("%s:%d", policyDocFile, ex.line)
		if p := schemaProblems(t, s, []byte(ex.text)); p != nil {
			t.Errorf("%s: the example does not validate against the schema:\n  %s", where, strings.Join(p, "\n  "))
		}
		p, err := Parse([]byte(ex.text), where)
		if err != nil {
			t.Errorf("%s: the example does not parse: %v", where, err)
			continue
		}
		for _, c := range p.Checks {
			kinds[c.Kind] = true
		}
	}
	for _, k := range KindNames() {
		if !kinds[k] {
			t.Errorf("%s has no example policy (a ```yaml block starting with version: 1) with a check of kind %s", policyDocFile, k)
		}
	}
}

// schemaObject walks the schema along keys.
func schemaObject(t *testing.T, raw map[string]any, keys ...string) map[string]any {
	t.Helper()
	cur := raw
	for i, k := range keys {
		next, ok := cur[k].(map[string]any)
		if !ok {
			t.Fatalf("%s: no object at %s", schemaFile, strings.Join(keys[:i+1], "."))
		}
		cur = next
	}
	return cur
}

// TestSchemaParamsMatchKinds keeps the schema in step with the code: the
// kinds, and each kind's params, are those of the registry and of the
// yaml tags of its evaluator.
func TestSchemaParamsMatchKinds(t *testing.T) {
	s, raw := loadSchema(t)
	kind := schemaObject(t, raw, "definitions", "check", "properties", "kind")
	var enum []string
	for _, v := range kind["enum"].([]any) {
		enum = append(enum, v.(string))
	}
	if want := KindNames(); !slices.Equal(slices.Sorted(slices.Values(enum)), slices.Sorted(slices.Values(want))) {
		t.Errorf("the schema's kind enum is %q; the kinds are %q", enum, want)
	}
	defs := schemaObject(t, raw, "definitions")
	for name := range defs {
		if k, ok := strings.CutSuffix(name, "-params"); ok && KindNamed(k) == nil {
			t.Errorf("the schema defines %s, but there is no kind %s", name, k)
		}
	}
	for _, k := range Kinds() {
		def := schemaObject(t, raw, "definitions", k.Name+"-params")
		got := slices.Sorted(maps.Keys(schemaObject(t, def, "properties")))
		want := slices.Sorted(maps.Keys(yamlFields(reflect.TypeOf(k.New()).Elem())))
		if !slices.Equal(got, want) {
			t.Errorf("kind %s: the schema's params are %q; its evaluator's yaml fields are %q", k.Name, got, want)
		}
		if def["additionalProperties"] != false {
			t.Errorf("kind %s: the schema's params allow unknown keys", k.Name)
		}
		// The definition is wired to the kind: an unknown param is
		// rejected, by the schema as by Parse.
		doc := fmt.Sprintf("version: 1\nallow_commands: true\nchecks:\n  - id: a\n    level: MUST\n    kind: %s\n    title: T\n    params: {no-such-param: 1}\n", k.Name)
		if schemaProblems(t, s, []byte(doc)) == nil {
			t.Errorf("kind %s: the schema accepts an unknown param", k.Name)
		}
		if _, err := Parse([]byte(doc), "p.yaml"); err == nil {
			t.Errorf("kind %s: Parse accepts an unknown param", k.Name)
		}
	}
}

// TestSchemaDescribesEveryProperty: editors show the descriptions.
func TestSchemaDescribesEveryProperty(t *testing.T) {
	_, raw := loadSchema(t)
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if props, ok := v["properties"].(map[string]any); ok && !strings.Contains(path, ".then") && !strings.Contains(path, ".if") && !strings.Contains(path, ".not") {
				for name, p := range props {
					if d, _ := p.(map[string]any)["description"].(string); d == "" {
						t.Errorf("%s.properties.%s has no description", path, name)
					}
				}
			}
			for _, k := range slices.Sorted(maps.Keys(v)) {
				walk(path+"."+k, v[k])
			}
		case []any:
			for i, e := range v {
				walk(fmt.Sprintf("%s[%d]", path, i), e)
			}
		}
	}
	walk("#", raw)
}

// TestSchemaDefaultsMatchCode compares the defaults the schema states with
// those of the code, where the code names them.
func TestSchemaDefaultsMatchCode(t *testing.T) {
	_, raw := loadSchema(t)
	def := func(kind, param string) any {
		return schemaObject(t, raw, "definitions", kind+"-params", "properties", param)["default"]
	}
	strs := func(v any) []string {
		var out []string
		for _, e := range v.([]any) {
			out = append(out, e.(string))
		}
		return out
	}
	for _, tc := range []struct {
		kind string
		want []string
	}{{"build-flags", defaultBuildFiles}, {"ci", defaultCIFiles}, {"docs", defaultDocFiles}, {"tracked", defaultTrackedFiles}} {
		if got := strs(def(tc.kind, "files")); !slices.Equal(got, tc.want) {
			t.Errorf("%s files: the schema's default is %q, the code's %q", tc.kind, got, tc.want)
		}
	}
	if got, want := def("coverage", "min"), (&coverageCheck{}).min(); got != want {
		t.Errorf("coverage min: the schema's default is %v, the code's %v", got, want)
	}
	if d, err := time.ParseDuration(def("command", "timeout").(string)); err != nil || d != defaultCommandTimeout {
		t.Errorf("command timeout: the schema's default is %v, the code's %v", def("command", "timeout"), defaultCommandTimeout)
	}
	if got := def("history", "recent"); got != float64(defaultHistoryRecent) {
		t.Errorf("history recent: the schema's default is %v, the code's %d", got, defaultHistoryRecent)
	}
	if got := def("history", "window"); got != float64(changepoint.DefaultWindow) {
		t.Errorf("history window: the schema's default is %v, the code's %d", got, changepoint.DefaultWindow)
	}
	if got := def("history", "max_p"); got != changepoint.DefaultMaxP {
		t.Errorf("history max_p: the schema's default is %v, the code's %v", got, changepoint.DefaultMaxP)
	}
	if got := def("build-flags", "profile"); got != profileRelease {
		t.Errorf("build-flags profile: the schema's default is %v, the code's %s", got, profileRelease)
	}
	if got := def("ci", "require"); got != ciPerf {
		t.Errorf("ci require: the schema's default is %v, the code's %s", got, ciPerf)
	}
	for _, k := range Kinds() {
		if p, ok := schemaObject(t, raw, "definitions", k.Name+"-params", "properties")["packages"].(map[string]any); ok {
			if got := strs(p["default"]); !slices.Equal(got, orAll(nil)) {
				t.Errorf("%s packages: the schema's default is %q, the code's %q", k.Name, got, orAll(nil))
			}
		}
	}
}

// policyWith is a policy with one check of kind; params is YAML (a flow
// mapping) or "" for none.
func policyWith(kind, params string) string {
	doc := "version: 1\nallow_commands: true\nchecks:\n  - id: a\n    level: MUST\n    kind: " + kind + "\n    title: T\n"
	if params != "" {
		doc += "    params: " + params + "\n"
	}
	return doc
}

// TestSchemaAndParseAgree: documents the schema rejects, Parse rejects
// too, and the other way round for those it accepts.
func TestSchemaAndParseAgree(t *testing.T) {
	s, _ := loadSchema(t)
	const head = "version: 1\nchecks:\n  - id: a\n    level: MUST\n    kind: coverage\n    title: T\n"
	reject := []struct{ name, doc string }{
		{"unknown top key", head + "extra: true\n"},
		{"no version", "checks:\n  - {id: a, level: MUST, kind: coverage, title: T}\n"},
		{"version 2", "version: 2\nchecks:\n  - {id: a, level: MUST, kind: coverage, title: T}\n"},
		{"no checks", "version: 1\nchecks: []\n"},
		{"unknown check key", head + "    rationle: x\n"},
		{"unknown param", head + "    params:\n      minimum: 80\n"},
		{"bad level", "version: 1\nchecks:\n  - {id: a, level: MUSTN'T, kind: coverage, title: T}\n"},
		{"lower-case level", "version: 1\nchecks:\n  - {id: a, level: must, kind: coverage, title: T}\n"},
		{"missing title", "version: 1\nchecks:\n  - {id: a, level: MUST, kind: coverage}\n"},
		{"empty title", "version: 1\nchecks:\n  - {id: a, level: MUST, kind: coverage, title: ''}\n"},
		{"missing id", "version: 1\nchecks:\n  - {level: MUST, kind: coverage, title: T}\n"},
		{"bad id", "version: 1\nchecks:\n  - {id: Bad_ID, level: MUST, kind: coverage, title: T}\n"},
		{"unknown kind", "version: 1\nchecks:\n  - {id: a, level: MUST, kind: lnt, title: T}\n"},
		{"params not a mapping", head + "    params: [1]\n"},
		{"coverage min not a number", head + "    params: {min: lots}\n"},
		{"coverage min a quoted number", head + "    params: {min: \"90\"}\n"},
		{"coverage min above 100", head + "    params: {min: 120}\n"},
		{"coverage args not flags", head + "    params: {args: [-short, ./...]}\n"},
		{"command not allowed", "version: 1\nchecks:\n  - {id: a, level: MUST, kind: command, title: T, params: {run: [go, vet]}}\n"},
		{"command without params", policyWith("command", "")},
		{"command run and shell", policyWith("command", "{run: [go, vet], shell: go vet}")},
		{"command run a string", policyWith("command", "{run: go vet ./...}")},
		{"command bad env", policyWith("command", "{run: [go, vet], env: [NOEQUALS]}")},
		{"command bad timeout", policyWith("command", "{run: [go, vet], timeout: soon}")},
		{"docs without topics", policyWith("docs", "")},
		{"docs topic without phrases", policyWith("docs", "{topics: [{name: x, any: []}]}")},
		{"docs topic unknown key", policyWith("docs", "{topics: [{name: x, any: [y], all: [z]}]}")},
		{"file without paths", policyWith("file", "{contains: x}")},
		{"file absolute path", policyWith("file", "{paths: [/etc/passwd]}")},
		{"ci unknown require", policyWith("ci", "{require: always}")},
		{"build-flags unknown profile", policyWith("build-flags", "{profile: debug}")},
		{"build-flags dev with pgo", policyWith("build-flags", "{profile: dev, pgo: true}")},
		{"build-flags dev with require_trimpath", policyWith("build-flags", "{profile: dev, require_trimpath: false}")},
		{"budget count negative", policyWith("budget", "{count: -1}")},
		{"budget bad benchtime", policyWith("budget", "{benchtime: fast}")},
		{"budget limits not a mapping", policyWith("budget", "{budgets: {\"Parse/*\": 3}}")},
		{"budget no limits", policyWith("budget", "{budgets: {\"Parse/*\": {}}}")},
		{"budget negative limit", policyWith("budget", "{budgets: {\"Parse/*\": {allocs/op: -1}}}")},
		{"lint bad setting", policyWith("lint", "{set: [prealloc]}")},
		{"regression params", policyWith("regression", "{baseline: main}")},
		{"sql-pool flag as package", policyWith("sql-pool", "{packages: [-tags]}")},
		{"history recent 0", policyWith("history", "{recent: 0}")},
		{"history recent negative", policyWith("history", "{recent: -3}")},
		{"history short accept", policyWith("history", "{accept: [abc]}")},
		{"history accept not hex", policyWith("history", "{accept: [main]}")},
		{"history env not hex", policyWith("history", "{env: linux}")},
		{"history max_p 0", policyWith("history", "{max_p: 0}")},
		{"history window 3", policyWith("history", "{window: 3}")},
		{"history negative magnitude", policyWith("history", "{min_magnitude: -1}")},
		{"tracked no files", policyWith("tracked", "{files: []}")},
		{"tracked absolute", policyWith("tracked", "{files: [/etc/x]}")},
	}
	for _, tc := range reject {
		t.Run("reject/"+tc.name, func(t *testing.T) {
			if schemaProblems(t, s, []byte(tc.doc)) == nil {
				t.Errorf("the schema accepts:\n%s", tc.doc)
			}
			if _, err := Parse([]byte(tc.doc), "p.yaml"); err == nil {
				t.Errorf("Parse accepts:\n%s", tc.doc)
			}
		})
	}
	accept := []struct{ name, doc string }{
		{"minimal", head},
		{"rationale and fix", head + "    rationale: Why.\n    fix: How.\n"},
		{"coverage fraction", head + "    params: {min: 72.5, coverpkg: ./..., args: [-short]}\n"},
		{"command run", policyWith("command", "{run: [go, vet, ./...], dir: cmd, timeout: 90s, env: [GOFLAGS=-mod=mod]}")},
		{"command shell", policyWith("command", "{shell: 'make smoke | tee out.txt'}")},
		{"regression empty params", policyWith("regression", "{}")},
		{"budget", policyWith("budget", "{count: 3, benchtime: 100x, budgets: {\"Parse/*\": {sec/op: 2µs, allocs/op: 3, B/op: 1KiB}, Read: {MB/s: 40}}}")},
		{"budget count 0", policyWith("budget", "{count: 0, benchtime: 1.5s}")},
		{"build-flags dev", policyWith("build-flags", "{profile: dev, files: [Makefile]}")},
		{"build-flags release", policyWith("build-flags", "{require_trimpath: false, pgo: true}")},
		{"docs", policyWith("docs", "{files: [./docs/**], topics: [{name: profiling, any: [pprof, '/go tool (pprof|trace)/']}]}")},
		{"file absent", policyWith("file", "{paths: ['**/*.pprof'], absent: true}")},
		{"lint", policyWith("lint", "{enable: [gosec], disable: [noctx], set: [prealloc.simple=false], exclude: [_gen\\.go$], tests: true}")},
		{"ci", policyWith("ci", "{require: report, files: [.github/workflows/perf.yml]}")},
		{"benchmarks-present", policyWith("benchmarks-present", "{packages: [./internal/parse], each: true}")},
		{"allocs-reported", policyWith("allocs-reported", "{ci: false}")},
		{"sql-pool", policyWith("sql-pool", "{packages: [./store/...]}")},
		{"bench-compile", policyWith("bench-compile", "{bench: ^BenchmarkParse}")},
		{"history", policyWith("history", "{bench: '^Parse', unit: ns/op, env: 0f1e, recent: 1, window: 4, max_p: 1, min_magnitude: 0, accept: [ABCD, 0123456789abcdef0123456789abcdef01234567]}")},
		{"history no params", policyWith("history", "")},
		{"tracked", policyWith("tracked", "{files: [./results/*.txt]}")},
	}
	for _, tc := range accept {
		t.Run("accept/"+tc.name, func(t *testing.T) {
			if p := schemaProblems(t, s, []byte(tc.doc)); p != nil {
				t.Errorf("the schema rejects:\n%s\n  %s", tc.doc, strings.Join(p, "\n  "))
			}
			if _, err := Parse([]byte(tc.doc), "p.yaml"); err != nil {
				t.Errorf("Parse rejects:\n%s\n%v", tc.doc, err)
			}
		})
	}
}
