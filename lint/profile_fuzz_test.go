package lint

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// Run with
//
//	go test -run '^$' -fuzz '^FuzzProfileSet$' -fuzztime 3m ./lint

// fuzzSetSeeds are settings as perfctl lint --set and the lint kind's set
// take them, and ones they must refuse.
var fuzzSetSeeds = []string{
	"prealloc.simple=false",
	"prealloc.range-loops=true",
	"govet.enable=[fieldalignment]",
	"govet.settings={printf: {funcs: [Logf]}}",
	"gocritic.enabled-tags=[performance,diagnostic]",
	"gocritic.enabled-checks=[ruleguard]",
	"gocritic.settings={hugeParam: {sizeThreshold: 512}}",
	"gocritic.settings={ruleguard: {rules: rules.go}}",
	"gocritic.settings={RuleGuard: {rules: rules.go}}",
	"gocritic.settings={hugeParam: {sizeThreshold: 80}, ruleguard: {rules: '${config-path}/rules.go'}}",
	"gocritic.settings={<<: {ruleguard: {rules: x}}}",
	"gocritic.settings=[{ruleguard: x}]",
	// Spellings of ruleguard's settings that golangci-lint v2.15.0 reads
	// (checked with it): the case of keys does not matter, a dot in a key
	// nests, and a key of another type is its text.
	"gocritic.Settings={ruleguard: {rules: rules.go}}",
	"gocritic.settings.ruleguard={rules: rules.go}",
	"gocritic.settings={ruleguard.rules: rules.go}",
	"gocritic.settings={!!binary cnVsZWd1YXJk: {rules: rules.go}}",
	"gocritic.settings={0: {}, ruleguard: {rules: rules.go}}",
	"staticcheck.checks=[SA6000, SA6001]",
	"perfsprint.strconcat=false",
	"custom.evil={path: /tmp/evil.so}",
	"goheader.template-path=/etc/shadow",
	"depguard.rules={main: {files: [/]}}",
	"novalue", "=x", "linter=1", ".key=1", "x.y=[unclosed", "", "=", ".=", "a.=1", ".b=1",
	"prealloc.simple=a=b", "prealloc.simple=", "prealloc.simple=~", "prealloc.simple=.nan",
	"prealloc.simple={a: 1, a: 2}", "prealloc.simple=!!binary aGk=", "prealloc.simple={1: a, 1.5: b, true: c}",
	"prealloc.simple=\"\\xff\"", "prealloc.simple=2001-12-14", "prealloc.simple=&a [*a]",
	"prealloc.simple=[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
	"prealloc.simple=---\na: 1\n---\nb: 2",
	"prealloc.simple=\"\\n\"", "prealloc.simple=\"\\t\\n\"", "prealloc.simple=\"\\na\"", "prealloc.simple={\"\\n\": 1}",
	"prealloc.\n=1", "prealloc.simple=a\tb", "prealloc.simple=%", "prealloc.simple=@x", "prealloc.simple=`x`",
	// An alias bomb: each level repeats the one before nine times.
	"prealloc.simple={a: &a [x,x,x,x,x,x,x,x,x], b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a], c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]," +
		" d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c], e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d], f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]}",
}

// golangciKeyPaths returns the paths of keys under v as golangci-lint reads
// its configuration (viper): keys are case-insensitive, a dot in a key
// separates nested keys, and a key of any other type is its text.
func golangciKeyPaths(v any, prefix []string, out *[][]string) {
	visit := func(k, x any) {
		path := slices.Clone(prefix)
		path = append(path, strings.Split(strings.ToLower(fmt.Sprint(k)), ".")...)
		*out = append(*out, path)
		golangciKeyPaths(x, path, out)
	}
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			visit(k, x)
		}
	case map[any]any:
		for k, x := range v {
			visit(k, x)
		}
	case []any:
		for _, x := range v {
			golangciKeyPaths(x, prefix, out)
		}
	}
}

// lookup follows keys in a decoded YAML document. A mapping with a key
// that is not a plain string (a name that is not UTF-8 is written as
// !!binary) decodes to a map[any]any.
func lookup(v any, keys ...string) (any, bool) {
	for _, k := range keys {
		switch m := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = m[k]; !ok {
				return nil, false
			}
		case map[any]any:
			var ok bool
			if v, ok = m[k]; !ok {
				return nil, false
			}
		default:
			return nil, false
		}
	}
	return v, true
}

func FuzzProfileSet(f *testing.F) {
	for _, s := range fuzzSetSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		if len(spec) > 1<<10 {
			return // see maxFuzzInput in bench/fuzz_test.go
		}
		done := make(chan struct{})
		timer := time.AfterFunc(10*time.Second, func() {
			select {
			case <-done:
			default:
				panic(fmt.Sprintf("Set and Config did not finish within 10s on %q", spec))
			}
		})
		defer func() { close(done); timer.Stop() }()

		p := DefaultProfile()
		before, err := p.Config()
		if err != nil {
			t.Fatal(err)
		}
		err = p.Set(spec)
		q := DefaultProfile()
		if err2 := q.Set(spec); fmt.Sprint(err) != fmt.Sprint(err2) {
			t.Fatalf("Set(%q) is not deterministic: %v, then %v", spec, err, err2)
		}
		key, _, _ := strings.Cut(spec, "=")
		linter, name, _ := strings.Cut(key, ".")
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("Set(%q) failed without a message", spec)
			}
			after, cerr := p.Config()
			if cerr != nil || !bytes.Equal(before, after) {
				t.Errorf("Set(%q) failed with %v but changed the configuration:\n%s", spec, err, after)
			}
			return
		}
		if !slices.Contains(settableLinters, linter) {
			t.Fatalf("Set(%q) changed the settings of %q, which is not among %v", spec, linter, settableLinters)
		}
		if err := p.Enable(linter); err != nil { // govet is not in the default profile
			t.Fatalf("Enable(%q): %v", linter, err)
		}
		cfg, err := p.Config()
		if err != nil {
			t.Fatalf("after Set(%q), Config: %v", spec, err)
		}
		if err := q.Enable(linter); err != nil {
			t.Fatal(err)
		}
		if cfg2, _ := q.Config(); !bytes.Equal(cfg, cfg2) {
			t.Fatalf("Set(%q) gives two configurations:\n%s\n%s", spec, cfg, cfg2)
		}
		var doc any
		if err := yaml.Unmarshal(cfg, &doc); err != nil {
			t.Fatalf("after Set(%q) the configuration does not parse: %v\n%s", spec, err, cfg)
		}
		settings, ok := lookup(doc, "linters", "settings")
		if !ok {
			t.Fatalf("after Set(%q) the configuration has no linters.settings:\n%s", spec, cfg)
		}
		sm, ok := settings.(map[string]any)
		if !ok {
			t.Fatalf("after Set(%q) linters.settings is a %T", spec, settings)
		}
		for l := range sm {
			if !slices.Contains(settableLinters, l) {
				t.Errorf("after Set(%q) the configuration has settings for %q", spec, l)
			}
		}
		if slices.ContainsFunc(resolvedKeys[linter], func(k string) bool { return strings.EqualFold(k, name) }) {
			// perfctl works these out into gocritic's enabled-checks (or
			// staticcheck's checks): TestSetDisabledChecksWorks and
			// TestDisableAndEnableChecks check what they become.
			if l, _ := lookup(settings, "gocritic", "enabled-checks"); slices.Contains(list(l), "ruleguard") {
				t.Fatalf("Set(%q) enabled ruleguard:\n%s", spec, cfg)
			}
			return
		}
		// What golangci-lint reads is what was set.
		got, ok := lookup(settings, linter, name)
		if !ok {
			t.Fatalf("after Set(%q) the configuration has no %s.%s:\n%s", spec, linter, name, cfg)
		}
		want, _ := yaml.Marshal(p.Settings[linter][name])
		if again, _ := yaml.Marshal(got); !bytes.Equal(want, again) {
			t.Errorf("Set(%q): the configuration holds\n%s\nnot\n%s", spec, again, want)
		}
		// gocritic's ruleguard loads rule files: no spelling of its
		// settings that golangci-lint understands gets through.
		if linter == "gocritic" {
			var paths [][]string
			golangciKeyPaths(sm["gocritic"], nil, &paths)
			for _, path := range paths {
				if len(path) >= 2 && path[0] == "settings" && path[1] == "ruleguard" {
					t.Fatalf("Set(%q) let ruleguard settings (%s) through:\n%s", spec, strings.Join(path, "."), cfg)
				}
			}
		}
	})
}
