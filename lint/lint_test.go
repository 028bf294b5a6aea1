package lint

import (
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestDefaultProfileConfig(t *testing.T) {
	p := DefaultProfile()
	cfg, err := p.Config()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version string
		Run     struct {
			Tests            bool
			RelativePathMode string `yaml:"relative-path-mode"`
		}
		Linters struct {
			Default  string
			Enable   []string
			Settings map[string]map[string]any
		}
	}
	if err := yaml.Unmarshal(cfg, &doc); err != nil {
		t.Fatalf("the generated config is not YAML: %v\n%s", err, cfg)
	}
	if doc.Version != "2" || doc.Linters.Default != "none" || doc.Run.Tests || doc.Run.RelativePathMode != "wd" {
		t.Errorf("config %+v", doc)
	}
	for _, want := range []string{"prealloc", "perfsprint", "gocritic", "staticcheck", "makezero", "bodyclose", "noctx",
		"sqlclosecheck", "rowserrcheck", "mirror", "fatcontext", "unqueryvet"} {
		if !strings.Contains(strings.Join(doc.Linters.Enable, " "), want) {
			t.Errorf("default profile lacks %s", want)
		}
		if Reason(want) == "" {
			t.Errorf("no documented reason for %s", want)
		}
	}
	checks, _ := doc.Linters.Settings["staticcheck"]["checks"].([]any)
	if len(checks) != 6 || checks[0] != "SA6000" {
		t.Errorf("staticcheck checks %v, want SA6000…SA6006", checks)
	}
	// The performance tag, resolved to its checks (TestDefaultGocriticChecks).
	if checks, _ := doc.Linters.Settings["gocritic"]["enabled-checks"].([]any); !slices.Contains(checks, any("hugeParam")) {
		t.Errorf("gocritic checks %v, want the performance tag's", checks)
	}
}

func TestProfileChanges(t *testing.T) {
	p := DefaultProfile()
	p.Disable("unqueryvet", "staticcheck")
	if err := p.Enable("govet", "prealloc"); err != nil {
		t.Fatal(err)
	}
	if err := p.Set("govet.enable=[fieldalignment]"); err != nil {
		t.Fatal(err)
	}
	p.ExcludePaths = []string{"generated/"}
	cfg, err := p.Config()
	if err != nil {
		t.Fatal(err)
	}
	s := string(cfg)
	for _, want := range []string{"- govet", "fieldalignment", "generated/"} {
		if !strings.Contains(s, want) {
			t.Errorf("config lacks %q:\n%s", want, s)
		}
	}
	for _, unwanted := range []string{"unqueryvet", "SA6000"} { // settings of disabled linters go too
		if strings.Contains(s, unwanted) {
			t.Errorf("config still has %q:\n%s", unwanted, s)
		}
	}
	if strings.Count(s, "- prealloc") != 1 {
		t.Errorf("prealloc enabled twice:\n%s", s)
	}
	for _, bad := range []string{"novalue", "=x", "linter=1", ".key=1", "x.y=[unclosed"} {
		if err := p.Set(bad); err == nil {
			t.Errorf("Set(%q) accepted", bad)
		}
	}
	p.Disable(p.Linters...)
	if _, err := p.Config(); err == nil {
		t.Error("an empty profile produced a config")
	}
}

// golangciJSON is output of golangci-lint v2.15.0 (--output.json.path stdout),
// trimmed.
const golangciJSON = `{"Issues":[
{"FromLinter":"perfsprint","Text":"concat-loop: string concatenation in a loop","Severity":"","SourceLines":["\t\ts += p"],"Pos":{"Filename":"join.go","Offset":423,"Line":27,"Column":3},"ExpectNoLint":false,"ExpectedNoLintLinter":""},
{"FromLinter":"prealloc","Text":"Consider preallocating out","Pos":{"Filename":"a/a.go","Line":5,"Column":2}},
{"FromLinter":"staticcheck","Text":"SA6000: calling regexp.MatchString in a loop has poor performance","Pos":{"Filename":"a/a.go","Line":3,"Column":9}}],
"Report":{"Linters":[{"Name":"prealloc","Enabled":true}]}}`

func TestParseJSON(t *testing.T) {
	fs, err := ParseJSON([]byte(golangciJSON))
	if err != nil {
		t.Fatal(err)
	}
	want := []Finding{
		{Linter: "staticcheck", File: "a/a.go", Line: 3, Column: 9, Message: "SA6000: calling regexp.MatchString in a loop has poor performance"},
		{Linter: "prealloc", File: "a/a.go", Line: 5, Column: 2, Message: "Consider preallocating out"},
		{Linter: "perfsprint", File: "join.go", Line: 27, Column: 3, Message: "concat-loop: string concatenation in a loop"},
	}
	if len(fs) != len(want) {
		t.Fatalf("got %+v", fs)
	}
	for i := range want {
		if fs[i] != want[i] {
			t.Errorf("finding %d = %+v, want %+v", i, fs[i], want[i])
		}
	}
	if fs, err := ParseJSON([]byte(`{"Issues":null,"Report":{}}`)); err != nil || len(fs) != 0 {
		t.Errorf("no issues: %v, %v", fs, err)
	}
	for _, bad := range []string{"", "not json", `{"Issues":[{"Text":"x"}]}`} {
		if _, err := ParseJSON([]byte(bad)); err == nil {
			t.Errorf("ParseJSON(%q) accepted", bad)
		}
	}
}

func FuzzParseJSON(f *testing.F) {
	f.Add([]byte(golangciJSON))
	f.Add([]byte(`{"Issues":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fs, err := ParseJSON(data)
		if err != nil {
			return
		}
		for i := 1; i < len(fs); i++ {
			if fs[i-1].File > fs[i].File {
				t.Fatalf("findings not sorted by file: %+v", fs)
			}
		}
		for _, f := range fs {
			if f.Linter == "" || f.File == "" {
				t.Fatalf("finding without linter or file: %+v", f)
			}
		}
	})
}

// TestProfileRefusesPluginsAndFiles: a profile comes from a policy, which
// comes with the repository; it may not load plugins or name files.
func TestProfileRefusesPluginsAndFiles(t *testing.T) {
	p := DefaultProfile()
	for _, spec := range []string{
		"custom.evil={path: /tmp/evil.so}",
		"goheader.template-path=/etc/shadow",
		"depguard.rules={main: {files: [/]}}",
		"gocritic.settings={ruleguard: {rules: rules.go}}",
		"gocritic.settings={RuleGuard: {rules: rules.go}}",
	} {
		if err := p.Set(spec); err == nil {
			t.Errorf("Set(%q) succeeded", spec)
		}
	}
	for _, name := range []string{"custom", "-E", "--config=x", "a b", ""} {
		if err := p.Enable(name); err == nil {
			t.Errorf("Enable(%q) succeeded", name)
		}
	}
	for _, spec := range []string{"prealloc.simple=false", "govet.enable=[fieldalignment]", "gocritic.settings={hugeParam: {sizeThreshold: 512}}"} {
		if err := p.Set(spec); err != nil {
			t.Errorf("Set(%q): %v", spec, err)
		}
	}
	if err := p.Enable("govet", "gosec"); err != nil {
		t.Errorf("Enable(govet, gosec): %v", err)
	}
	cfg, err := p.Config()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(cfg), "custom") || strings.Contains(string(cfg), "ruleguard") {
		t.Errorf("the configuration has a plugin or rule file:\n%s", cfg)
	}
}
