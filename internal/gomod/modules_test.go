package gomod

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// tree writes files (path → content) under a new directory and returns it.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func rels(l *Layout) []string {
	var out []string
	for _, m := range l.Modules {
		out = append(out, m.Rel+"="+m.Path)
	}
	return out
}

func TestDiscoverNested(t *testing.T) {
	t.Setenv("GOWORK", "")
	dir := tree(t, map[string]string{
		"go.mod":                       "module example.com/root\n",
		"a.go":                         "package root\n",
		"benchmarks/go.mod":            "module example.com/root/benchmarks\n",
		"tools/go.mod":                 "module example.com/root/tools\n",
		"tools/deep/go.mod":            "module example.com/root/tools/deep\n", // nested in a nested module: still listed
		"pkg/sub/x.go":                 "package sub\n",
		"vendor/v/go.mod":              "module v\n",
		"testdata/t/go.mod":            "module t\n",
		"node_modules/n/go.mod":        "module n\n",
		".hidden/h/go.mod":             "module h\n",
		"_skip/s/go.mod":               "module s\n",
		"notamodule/go.mod/keep.txt":   "a directory called go.mod is no go.mod\n",
		"exp/go.mod":                   "module example.com/root/exp\n",
		"exp/internal/nothing/file.go": "package nothing\n",
	})
	l, err := Discover(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{".=example.com/root", "benchmarks=example.com/root/benchmarks", "exp=example.com/root/exp",
		"tools=example.com/root/tools", "tools/deep=example.com/root/tools/deep"}
	if got := rels(l); !slices.Equal(got, want) {
		t.Errorf("modules = %q, want %q", got, want)
	}
	if l.Work != "" || l.Root != dir || l.Current != 0 || len(l.Notes) != 0 {
		t.Errorf("layout = %+v", l)
	}
	covered, err := l.Cover(false)
	if err != nil || len(covered) != 1 || covered[0].Rel != "." {
		t.Fatalf("Cover(false) = %v, %v", covered, err)
	}
	line := l.Coverage("--all-modules")
	wantLine := "covering module example.com/root (.); not covering 4 nested modules: ./benchmarks, ./exp, ./tools, ./tools/deep (use --all-modules)"
	if line != wantLine {
		t.Errorf("Coverage =\n%s\nwant\n%s", line, wantLine)
	}
	if covered, _ := l.Cover(true); len(covered) != 5 {
		t.Errorf("Cover(true) covers %d modules", len(covered))
	}
	if line := l.Coverage("--all-modules"); !strings.HasPrefix(line, "covering 5 modules: example.com/root (.), example.com/root/benchmarks (./benchmarks),") {
		t.Errorf("Coverage = %s", line)
	}

	// From inside a nested module, that module is the root of the walk.
	l, err = Discover(filepath.Join(dir, "tools"))
	if err != nil {
		t.Fatal(err)
	}
	if got := rels(l); !slices.Equal(got, []string{".=example.com/root/tools", "deep=example.com/root/tools/deep"}) {
		t.Errorf("from tools: modules = %q", got)
	}
}

func TestDiscoverSingleModule(t *testing.T) {
	t.Setenv("GOWORK", "")
	dir := tree(t, map[string]string{"go.mod": "module example.com/one\n", "x/y.go": "package x\n"})
	l, err := Discover(filepath.Join(dir, "x"))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Modules) != 1 || l.Current != 0 || l.Coverage("--all-modules") != "" {
		t.Errorf("layout = %+v, coverage %q", l, l.Coverage("--all-modules"))
	}
	if _, err := Discover(t.TempDir()); err == nil || !strings.Contains(err.Error(), "not inside a Go module") {
		t.Errorf("outside a module: %v", err)
	}
}

func TestDiscoverSymlinkNotFollowed(t *testing.T) {
	t.Setenv("GOWORK", "")
	outside := tree(t, map[string]string{"go.mod": "module example.com/outside\n"})
	dir := tree(t, map[string]string{"go.mod": "module example.com/root\n"})
	if err := os.Symlink(outside, filepath.Join(dir, "linked")); err != nil {
		t.Fatal(err)
	}
	l, err := Discover(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := rels(l); !slices.Equal(got, []string{".=example.com/root"}) {
		t.Errorf("a symbolic link to a module was followed: %q", got)
	}
}

func TestDiscoverCaps(t *testing.T) {
	t.Setenv("GOWORK", "")
	// The real caps, lowered to keep the test quick.
	if MaxModules < 100 || MaxWalkDirs < 10_000 {
		t.Errorf("caps %d modules, %d directories: too low for real repositories", MaxModules, MaxWalkDirs)
	}
	defer func(m, d int) { maxModules, maxWalkDirs = m, d }(maxModules, maxWalkDirs)
	maxModules, maxWalkDirs = 20, 300
	files := map[string]string{"go.mod": "module example.com/root\n"}
	for i := range maxModules + 5 {
		files[fmt.Sprintf("m%03d/go.mod", i)] = fmt.Sprintf("module example.com/m%03d\n", i)
	}
	l, err := Discover(tree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Modules) != maxModules {
		t.Errorf("%d modules listed, want the cap %d", len(l.Modules), maxModules)
	}
	if len(l.Notes) != 1 || !strings.Contains(l.Notes[0], fmt.Sprintf("at %d modules", maxModules)) {
		t.Errorf("notes = %q", l.Notes)
	}

	dirs := map[string]string{"go.mod": "module example.com/root\n", "zzz/go.mod": "module example.com/zzz\n"}
	for i := range maxWalkDirs + 1 {
		dirs[fmt.Sprintf("d%03d/%03d/f.go", i/100, i%100)] = "package f\n"
	}
	l, err = Discover(tree(t, dirs))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Notes) != 1 || !strings.Contains(l.Notes[0], fmt.Sprintf("after %d directories", maxWalkDirs)) {
		t.Errorf("notes = %q", l.Notes)
	}
	if got := rels(l); !slices.Equal(got, []string{".=example.com/root"}) {
		t.Errorf("modules = %q: the walk went past its cap", got)
	}
}

func TestDiscoverWorkspace(t *testing.T) {
	t.Setenv("GOWORK", "")
	dir := tree(t, map[string]string{
		"go.work":       "go 1.26\n\nuse (\n\t./a\n\t./b\n\t./a\n)\n",
		"a/go.mod":      "module example.com/a\n",
		"b/go.mod":      "module example.com/b\n",
		"b/sub/x.go":    "package sub\n",
		"c/go.mod":      "module example.com/c\n", // not used: not listed
		"a/nest/go.mod": "module example.com/a/nest\n",
	})
	l, err := Discover(filepath.Join(dir, "b", "sub"))
	if err != nil {
		t.Fatal(err)
	}
	if got := rels(l); !slices.Equal(got, []string{"a=example.com/a", "b=example.com/b"}) {
		t.Errorf("modules = %q", got)
	}
	if l.Work != filepath.Join(dir, "go.work") || l.Root != dir || l.Current != 1 {
		t.Errorf("layout = %+v", l)
	}
	if _, err := l.Cover(true); err != nil {
		t.Fatal(err)
	}
	if line := l.Coverage("--all-modules"); line != "covering 2 modules: example.com/a (./a), example.com/b (./b) (the modules go.work uses)" {
		t.Errorf("Coverage = %s", line)
	}
	if _, err := l.Cover(false); err != nil {
		t.Fatal(err)
	}
	if line := l.Coverage("--all-modules"); line != "covering module example.com/b (./b); not covering 1 workspace module: ./a (use --all-modules)" {
		t.Errorf("Coverage = %s", line)
	}

	// At the workspace's directory, which is no module: no current one.
	l, err = Discover(dir)
	if err != nil {
		t.Fatal(err)
	}
	if l.Current != -1 {
		t.Errorf("Current = %d at the workspace root", l.Current)
	}
	if _, err := l.Cover(false); err == nil {
		t.Error("Cover(false) outside any module: no error")
	}

	// A module the workspace does not use.
	if _, err := Discover(filepath.Join(dir, "c")); err == nil || !strings.Contains(err.Error(), "does not use") {
		t.Errorf("in an unused module: %v", err)
	}

	// GOWORK=off: the module alone, with its nested modules.
	t.Setenv("GOWORK", "off")
	l, err = Discover(filepath.Join(dir, "a"))
	if err != nil {
		t.Fatal(err)
	}
	if got := rels(l); !slices.Equal(got, []string{".=example.com/a", "nest=example.com/a/nest"}) || l.Work != "" {
		t.Errorf("GOWORK=off: modules = %q, work %q", got, l.Work)
	}
}

func TestDiscoverHostileWorkspace(t *testing.T) {
	t.Setenv("GOWORK", "")
	outside := tree(t, map[string]string{"go.mod": "module example.com/outside\n"})
	for _, tc := range []struct {
		name, use, want string
		link            string // a symbolic link "inside" → outside
	}{
		{name: "parent", use: "../../outside", want: "outside the workspace's directory"},
		{name: "dotdot", use: "./a/../../x", want: "outside the workspace's directory"},
		{name: "absolute", use: outside, want: "outside the workspace's directory"},
		{name: "symlink", use: "./inside", link: "inside", want: "symbolic link leads outside"},
		{name: "missing", use: "./nope", want: "no such directory"},
		{name: "nogomod", use: "./empty", want: "has no go.mod"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := tree(t, map[string]string{
				"go.work":     "go 1.26\n\nuse ./a\nuse " + tc.use + "\n",
				"a/go.mod":    "module example.com/a\n",
				"empty/x.txt": "",
			})
			if tc.link != "" {
				if err := os.Symlink(outside, filepath.Join(dir, tc.link)); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Discover(filepath.Join(dir, "a"))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("use %s: err = %v, want %q", tc.use, err, tc.want)
			}
			if !strings.Contains(err.Error(), "go.work:4") {
				t.Errorf("the error does not give go.work's line: %v", err)
			}
		})
	}

	// A go.mod that is a symbolic link out of the workspace.
	dir := tree(t, map[string]string{"go.work": "go 1.26\n\nuse ./a\n"})
	if err := os.Mkdir(filepath.Join(dir, "a"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "go.mod"), filepath.Join(dir, "a", "go.mod")); err != nil {
		t.Fatal(err)
	}
	if _, err := Discover(dir); err == nil || !strings.Contains(err.Error(), "go.mod is a symbolic link") {
		t.Errorf("go.mod linked outside: %v", err)
	}

	// Too many use directives, and a malformed file.
	var b strings.Builder
	b.WriteString("go 1.26\n")
	for i := range MaxModules + 1 {
		fmt.Fprintf(&b, "use ./m%d\n", i)
	}
	dir = tree(t, map[string]string{"go.work": b.String()})
	if _, err := Discover(dir); err == nil || !strings.Contains(err.Error(), "at most") {
		t.Errorf("too many use directives: %v", err)
	}
	dir = tree(t, map[string]string{"go.work": "go 1.26\nuse (\n"})
	if _, err := Discover(dir); err == nil || !strings.Contains(err.Error(), "cannot parse") {
		t.Errorf("malformed go.work: %v", err)
	}
}
