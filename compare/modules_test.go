package compare

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/gomod"
)

func TestMeasuredModules(t *testing.T) {
	t.Setenv("GOWORK", "")
	dir := t.TempDir()
	for name, content := range map[string]string{
		"go.work":  "go 1.26\n\nuse (\n\t./a\n\t./b\n)\n",
		"a/go.mod": "module example.com/a\n",
		"b/go.mod": "module example.com/b\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	a := filepath.Join(dir, "a")
	layoutA := func(all bool) *gomod.Layout {
		l, err := gomod.Discover(a)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.Cover(all); err != nil {
			t.Fatal(err)
		}
		return l
	}
	recorded := []gomod.Module{{Rel: "a"}, {Rel: "b"}}

	// A baseline's recorded modules win over the command line's default.
	var told *gomod.Layout
	env := &Env{Dir: a, Covering: func(l *gomod.Layout) { told = l }}
	spec := bench.Spec{Dir: a}
	l, err := measuredModules(env, &Request{Ref: Reference{Baseline: "main"}, Layout: layoutA(false)}, &spec, recorded)
	if err != nil {
		t.Fatal(err)
	}
	if len(spec.Modules) != 2 || spec.Modules[1].Dir != filepath.Join(dir, "b") || spec.Dir != dir || told != l {
		t.Errorf("spec %+v, told %v", spec, told)
	}

	// --all-modules=false given: the module alone, as one module's run.
	spec = bench.Spec{Dir: a}
	if _, err := measuredModules(env, &Request{Layout: layoutA(false), Set: Overrides{Modules: true}}, &spec, recorded); err != nil {
		t.Fatal(err)
	}
	if spec.Modules != nil || spec.Dir != a {
		t.Errorf("--all-modules=false: spec %+v", spec)
	}

	// Packages given: where perfctl runs, whatever was recorded.
	spec = bench.Spec{Dir: a}
	if _, err := measuredModules(env, &Request{Packages: []string{"./..."}, Layout: layoutA(true)}, &spec, recorded); err != nil {
		t.Fatal(err)
	}
	if spec.Modules != nil {
		t.Errorf("packages given: spec %+v", spec)
	}

	// A recorded module that is gone is an error, not a silent narrowing.
	spec = bench.Spec{Dir: a}
	_, err = measuredModules(env, &Request{Ref: Reference{Baseline: "main"}}, &spec, []gomod.Module{{Rel: "a"}, {Rel: "gone"}})
	if err == nil || !strings.Contains(err.Error(), "[./gone]") {
		t.Errorf("a recorded module that is gone: %v", err)
	}
}
