package bench

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// writeTree creates the files of tree (slash-separated path → content)
// under dir.
func writeTree(t *testing.T, dir string, tree map[string]string) {
	t.Helper()
	for rel, content := range tree {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func mustTreeDigest(t *testing.T, dir string) string {
	t.Helper()
	d, err := treeDigest(dir)
	if err != nil {
		t.Fatalf("treeDigest(%s): %v", dir, err)
	}
	return d
}

// pkgTree is a package directory with every kind of file treeDigest
// tells apart.
var pkgTree = map[string]string{
	"p.go":                   "package p\n",
	"p_test.go":              "package p\n",
	"go.mod":                 "module example.com/p\n",
	"go.sum":                 "",
	"README.md":              "# p\n",
	"config.json":            `{"n": 1}`,
	"testdata/input.txt":     "input",
	"testdata/deep/more.txt": "more",
	"internal/other.txt":     "not an input",
}

func TestTreeDigest(t *testing.T) {
	want := mustTreeDigest(t, mkTree(t, nil))
	tests := []struct {
		name   string
		change func(t *testing.T, dir string)
		same   bool
	}{
		{"the same files elsewhere", func(*testing.T, string) {}, true},
		{"a testdata file changed", edit("testdata/input.txt", "changed"), false},
		{"a nested testdata file changed", edit("testdata/deep/more.txt", "changed"), false},
		{"a testdata file added", edit("testdata/new.txt", "new"), false},
		{"an empty testdata file added", edit("testdata/empty", ""), false},
		{"a testdata file renamed", rename("testdata/input.txt", "testdata/input2.txt"), false},
		{"a testdata file removed", remove("testdata/input.txt"), false},
		// Left to the test log: a working tree has untracked files there
		// that a worktree of the base revision does not.
		{"a file next to the Go files changed", edit("config.json", `{"n": 2}`), true},
		{"a file next to the Go files added", edit("notes.txt", "notes"), true},
		{"a Go file changed", edit("p.go", "package p\n\nvar X = 1\n"), true},
		{"a Go file added", edit("q_test.go", "package p\n"), true},
		{"go.mod changed", edit("go.mod", "module example.com/p\n\ngo 1.26\n"), true},
		{"go.sum changed", edit("go.sum", "example.com/q v1.0.0 h1:x\n"), true},
		{"a .git file added (a worktree)", edit(".git", "gitdir: /elsewhere/.git/worktrees/p\n"), true},
		{"a .git directory added (a clone)", edit(".git/HEAD", "ref: refs/heads/main\n"), true},
		{"a file in another subdirectory changed", edit("internal/other.txt", "changed"), true},
		{"a file in a new subdirectory", edit("cmd/x/data.txt", "data"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := mkTree(t, nil)
			tt.change(t, dir)
			if got := mustTreeDigest(t, dir); (got == want) != tt.same {
				t.Errorf("digest %s, unchanged %s: same = %v, want %v", got, want, got == want, tt.same)
			}
		})
	}
}

// mkTree writes pkgTree, changed by extra, into a new directory.
func mkTree(t *testing.T, extra map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	writeTree(t, dir, pkgTree)
	writeTree(t, dir, extra)
	return dir
}

func edit(rel, content string) func(*testing.T, string) {
	return func(t *testing.T, dir string) { writeTree(t, dir, map[string]string{rel: content}) }
}

func rename(from, to string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if err := os.Rename(filepath.Join(dir, from), filepath.Join(dir, to)); err != nil {
			t.Fatal(err)
		}
	}
}

func remove(rel string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if err := os.Remove(filepath.Join(dir, rel)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestTreeDigestSymlinks(t *testing.T) {
	// A link to a file counts by the file's content, wherever it is.
	outside := t.TempDir()
	writeTree(t, outside, map[string]string{"shared.txt": "v1"})
	dir := mkTree(t, nil)
	link := filepath.Join(dir, "testdata", "shared.txt")
	if err := os.Symlink(filepath.Join(outside, "shared.txt"), link); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	before := mustTreeDigest(t, dir)
	writeTree(t, outside, map[string]string{"shared.txt": "v2"})
	if mustTreeDigest(t, dir) == before {
		t.Error("the target of a link in testdata changed, the digest did not")
	}
	// The same content as a regular file: the same input.
	copyDir := mkTree(t, map[string]string{"testdata/shared.txt": "v2"})
	if mustTreeDigest(t, copyDir) != mustTreeDigest(t, dir) {
		t.Error("a link and a regular file of the same content digest differently")
	}

	// A dangling link is an entry too: adding one changes the digest.
	dir = mkTree(t, nil)
	before = mustTreeDigest(t, dir)
	if err := os.Symlink(filepath.Join(outside, "missing"), filepath.Join(dir, "testdata", "dangling")); err != nil {
		t.Fatal(err)
	}
	if mustTreeDigest(t, dir) == before {
		t.Error("a dangling link in testdata did not change the digest")
	}
}

func TestTreeDigestErrors(t *testing.T) {
	if _, err := treeDigest(filepath.Join(t.TempDir(), "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing directory: err = %v, want fs.ErrNotExist", err)
	}
	// One byte over the limit, as a sparse file: refused before any of it
	// is read.
	dir := mkTree(t, nil)
	f, err := os.Create(filepath.Join(dir, "testdata", "huge.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(maxTreeBytes + 1); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := treeDigest(dir); !errors.Is(err, errTooLarge) {
		t.Errorf("a tree of more than maxTreeBytes: err = %v, want errTooLarge", err)
	}
}

func TestTreeDigestFileLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 20,001 files")
	}
	dir := t.TempDir()
	td := filepath.Join(dir, "testdata")
	if err := os.Mkdir(td, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range maxTreeFiles {
		if err := os.WriteFile(filepath.Join(td, strconv.Itoa(i)), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := treeDigest(dir); err != nil {
		t.Fatalf("exactly maxTreeFiles files: %v", err)
	}
	if err := os.WriteFile(filepath.Join(td, "one-more"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := treeDigest(dir); !errors.Is(err, errTooLarge) {
		t.Errorf("maxTreeFiles+1 files: err = %v, want errTooLarge", err)
	}
}

func writeLog(t *testing.T, lines ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "testlog")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadTestLog(t *testing.T) {
	dir := filepath.FromSlash("/src/pkg")
	log := writeLog(t,
		"# test log",
		"getenv HOME",
		"open testdata/in.txt", // relative to dir
		"stat /etc/hosts",
		"stat /etc/../etc/hosts",  // the same file, cleaned
		"getenv HOME",             // once
		"open ./testdata/in.txt",  // the same file, once
		"open testdata/../go.mod", // cleaned
		"chdir /src/pkg/testdata", // the directory is an input too
		"open sub/x.txt",          // now relative to the new directory
		"stat ../y.txt",           // and so is a stat
		"getenv GOPATH",
		"", // blank lines are skipped
	)
	in, err := readTestLog(log, dir)
	if err != nil {
		t.Fatal(err)
	}
	wantFiles := []string{"/src/pkg/testdata/in.txt", "/etc/hosts", "/src/pkg/go.mod", "/src/pkg/testdata",
		"/src/pkg/testdata/sub/x.txt", "/src/pkg/y.txt"}
	for i := range wantFiles {
		wantFiles[i] = filepath.FromSlash(wantFiles[i])
	}
	if !slices.Equal(in.Files, wantFiles) {
		t.Errorf("Files = %q\nwant    %q", in.Files, wantFiles)
	}
	if want := []string{"HOME", "GOPATH"}; !slices.Equal(in.Env, want) {
		t.Errorf("Env = %q, want %q", in.Env, want)
	}
}

func TestReadTestLogErrors(t *testing.T) {
	if _, err := readTestLog(filepath.Join(t.TempDir(), "missing"), "/"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing log: err = %v, want fs.ErrNotExist", err)
	}
	if _, err := readTestLog(writeLog(t, "open /etc/hosts"), "/"); err == nil {
		t.Error("a log without its header line was read")
	}
	if _, err := readTestLog(writeLog(t, "# test log", "open /"+strings.Repeat("x", 2<<20)), "/"); err == nil {
		t.Error("a line longer than the scanner's limit was not reported")
	}

	// What perfctl cannot read, it cannot compare: as go test's cache, it
	// gives up.
	for _, bad := range []string{"exec /bin/true", "a-line-without-a-space"} {
		if _, err := readTestLog(writeLog(t, "# test log", "open /etc/hosts", bad), "/"); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("%q: err = %v, want an error naming the line", bad, err)
		}
	}

	// Variables count towards the bound as files do.
	vars := []string{"# test log"}
	for i := range maxTestInputs + 1 {
		vars = append(vars, fmt.Sprintf("getenv V%d", i))
	}
	if _, err := readTestLog(writeLog(t, vars...), "/"); !errors.Is(err, errTooLarge) {
		t.Errorf("maxTestInputs+1 variables: err = %v, want errTooLarge", err)
	}

	// At most maxTestInputs distinct inputs.
	lines := []string{"# test log"}
	for i := range maxTestInputs - 1 {
		lines = append(lines, fmt.Sprintf("open /f/%d", i))
	}
	lines = append(lines, "getenv X")
	if in, err := readTestLog(writeLog(t, lines...), "/"); err != nil || len(in.Files)+len(in.Env) != maxTestInputs {
		t.Fatalf("maxTestInputs inputs: %d files, %d variables, err %v; want %d inputs", len(in.Files), len(in.Env), err, maxTestInputs)
	}
	lines = append(lines, "open /f/one-more")
	if _, err := readTestLog(writeLog(t, lines...), "/"); !errors.Is(err, errTooLarge) {
		t.Errorf("maxTestInputs+1 inputs: err = %v, want errTooLarge", err)
	}
}

// probeModule is a module whose benchmarks read a file next to them, a
// file in testdata after changing into it, and a variable.
var probeModule = map[string]string{
	"go.mod":             "module example.com/probe\n\ngo 1.24\n",
	"testdata/input.txt": "input",
	"testdata/inner.txt": "inner",
	"settings.json":      "{}",
	"probe_test.go": `package probe

import (
	"os"
	"testing"
)

func BenchmarkParse(b *testing.B) {
	b.Run("small", func(b *testing.B) { for b.Loop() {} })
	b.Run("large", func(b *testing.B) { for b.Loop() {} })
}

func BenchmarkParseFast(b *testing.B) { for b.Loop() {} }

func BenchmarkRead(b *testing.B) {
	if _, err := os.ReadFile("settings.json"); err != nil {
		b.Fatal(err)
	}
	os.Getenv("PROBE_SETTING")
	os.Stat("missing.txt")
	b.Chdir("testdata")
	if _, err := os.ReadFile("inner.txt"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {}
}
`,
}

// buildProbe builds probeModule's test binary with the go command, in a
// new directory, and returns the binary and the package directory.
func buildProbe(t *testing.T) (exe, dir string) {
	t.Helper()
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	dir, err = filepath.EvalSymlinks(t.TempDir()) // the paths the binary sees
	if err != nil {
		t.Fatal(err)
	}
	writeTree(t, dir, probeModule)
	exe = filepath.Join(t.TempDir(), "probe.test")
	cmd := exec.CommandContext(t.Context(), gocmd, "test", "-c", "-o", exe, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false", "GOWORK=off", "GOPROXY=off", "GOTOOLCHAIN=local")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go test -c: %v\n%s", err, out)
	}
	return exe, dir
}

// runProbe runs the probe's benchmarks once each in dir.
func runProbe(t *testing.T, exe, dir string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), exe, append([]string{"-test.run=^$", "-test.benchtime=1x"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %q: %v\n%s", exe, args, err, out)
	}
	return string(out)
}

func TestReadTestLogOfARealBinary(t *testing.T) {
	exe, dir := buildProbe(t)
	logFile := filepath.Join(t.TempDir(), "testlog")
	runProbe(t, exe, dir, "-test.bench=Read", "-test.testlogfile="+logFile)
	in, err := readTestLog(logFile, dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"settings.json", "missing.txt", "testdata", "testdata/inner.txt"} {
		if p := filepath.Join(dir, filepath.FromSlash(want)); !slices.Contains(in.Files, p) {
			t.Errorf("the test log has no %s; it has %q", p, in.Files)
		}
	}
	if !slices.Contains(in.Env, "PROBE_SETTING") {
		t.Errorf("the test log has no PROBE_SETTING; it has %q", in.Env)
	}
	for _, f := range in.Files {
		if !filepath.IsAbs(f) {
			t.Errorf("%q is not absolute", f)
		}
	}
}

// benchmarksRun returns the names of the benchmarks that printed results,
// without their -GOMAXPROCS suffix.
func benchmarksRun(out string) []string {
	var names []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) > 1 && strings.HasPrefix(f[0], "Benchmark") {
			name, _ := splitProcs(f[0])
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

func TestRestrictPatternWithARealBinary(t *testing.T) {
	// What the go test binary runs under the narrowed pattern: only the
	// top-level benchmarks named, not ones whose names merely start alike,
	// and what the original pattern said of their sub-benchmarks.
	exe, dir := buildProbe(t)
	tests := []struct {
		pattern string
		tops    []string
		want    []string
	}{
		{".", []string{"BenchmarkParse"}, []string{"BenchmarkParse/large", "BenchmarkParse/small"}},
		{"Parse", []string{"BenchmarkParseFast"}, []string{"BenchmarkParseFast"}},
		{".*/small", []string{"BenchmarkParse"}, []string{"BenchmarkParse/small"}},
		{".", []string{"BenchmarkParse", "BenchmarkRead"}, []string{"BenchmarkParse/large", "BenchmarkParse/small", "BenchmarkRead"}},
	}
	for _, tt := range tests {
		tops := map[string]bool{}
		for _, name := range tt.tops {
			tops[name] = true
		}
		pattern := restrictPattern(tt.pattern, tops)
		got := benchmarksRun(runProbe(t, exe, dir, "-test.bench="+pattern))
		if !slices.Equal(got, tt.want) {
			t.Errorf("restrictPattern(%q, %v) = %q ran %q, want %q", tt.pattern, tt.tops, pattern, got, tt.want)
		}
	}
}

func TestSameFile(t *testing.T) {
	base, head := t.TempDir(), t.TempDir()
	writeTree(t, base, map[string]string{"same": "x", "differs": "a", "only-base": "b", "dir/f": "1", "dir2/f": "1"})
	writeTree(t, head, map[string]string{"same": "x", "differs": "b", "only-head": "b", "dir/f": "2", "dir2/g": "1"})
	tests := []struct {
		rel  string
		want bool
	}{
		{"same", true},
		{"differs", false},
		{"only-base", false},
		{"only-head", false},
		{"missing-from-both", true},
		{"dir", true},   // a directory by its entries' names: both have f
		{"dir2", false}, // f against g
	}
	for _, tt := range tests {
		if got := sameFile(base, head, tt.rel); got != tt.want {
			t.Errorf("sameFile(%s) = %v, want %v", tt.rel, got, tt.want)
		}
	}
}

func TestSameInputs(t *testing.T) {
	base, head, outside := t.TempDir(), t.TempDir(), t.TempDir()
	writeTree(t, base, map[string]string{"a/in.txt": "1", "a/changed.txt": "old"})
	writeTree(t, head, map[string]string{"a/in.txt": "1", "a/changed.txt": "new", "a/new.txt": "n"})
	writeTree(t, outside, map[string]string{"x": "x"})
	inHead := func(rel string) string { return filepath.Join(head, filepath.FromSlash(rel)) }
	tests := []struct {
		name  string
		files []string
		want  bool
	}{
		{"nothing read", nil, true},
		{"the same file", []string{inHead("a/in.txt")}, true},
		{"missing from both", []string{inHead("a/gone.txt")}, true},
		{"a file outside the tree", []string{filepath.Join(outside, "x"), inHead("a/in.txt")}, true},
		{"a changed file", []string{inHead("a/in.txt"), inHead("a/changed.txt")}, false},
		{"a file base lacks", []string{inHead("a/new.txt")}, false},
		{"the base tree's own file", []string{filepath.Join(base, "a", "changed.txt")}, true}, // outside head: not compared
	}
	for _, tt := range tests {
		if got := sameInputs(base, head, &testInputs{Files: tt.files}); got != tt.want {
			t.Errorf("%s: sameInputs = %v, want %v", tt.name, got, tt.want)
		}
	}
	if sameInputs("", head, &testInputs{}) || sameInputs(base, "", &testInputs{}) {
		t.Error("sameInputs without both roots said the inputs are the same")
	}
}

func TestInputsDigest(t *testing.T) {
	t.Setenv("PERFCTL_TEST_INPUT", "one")
	t.Setenv("GODEBUG", "")
	// Two checkouts of one module: root/p is the package.
	mk := func(extra map[string]string) (root string, in *testInputs) {
		root = t.TempDir()
		writeTree(t, root, map[string]string{"data/shared.txt": "shared", "p/go.mod": "module p\n"})
		writeTree(t, filepath.Join(root, "p"), pkgTree)
		writeTree(t, root, extra)
		return root, &testInputs{
			Files: []string{filepath.Join(root, "data", "shared.txt"), filepath.Join(root, "data", "absent.txt")},
			Env:   []string{"PERFCTL_TEST_INPUT"},
		}
	}
	digest := func(root string, in *testInputs) string {
		t.Helper()
		d, err := inputsDigest(filepath.Join(root, "p"), root, in)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	root, in := mk(nil)
	want := digest(root, in)

	if other, in := mk(nil); digest(other, in) != want {
		t.Error("the same files in another checkout digest differently")
	}
	reversed := &testInputs{Files: slices.Clone(in.Files), Env: []string{"PERFCTL_TEST_INPUT", "PERFCTL_TEST_INPUT"}}
	slices.Reverse(reversed.Files)
	if digest(root, reversed) != want {
		t.Error("the order of the inputs, or a variable read twice, changed the digest")
	}
	outside := filepath.Join(t.TempDir(), "outside.txt")
	writeTree(t, filepath.Dir(outside), map[string]string{"outside.txt": "1"})
	withOutside := &testInputs{Files: append(slices.Clone(in.Files), outside), Env: in.Env}
	if digest(root, withOutside) != want {
		t.Error("a file outside the module changed the digest")
	}

	differ := map[string]func() string{
		"a file read changed": func() string {
			r, in := mk(map[string]string{"data/shared.txt": "changed"})
			return digest(r, in)
		},
		"a file read as missing exists": func() string {
			r, in := mk(map[string]string{"data/absent.txt": ""})
			return digest(r, in)
		},
		"a testdata file changed": func() string {
			r, in := mk(map[string]string{"p/testdata/input.txt": "changed"})
			return digest(r, in)
		},
		"a file read is added": func() string {
			return digest(root, &testInputs{Files: append(slices.Clone(in.Files), filepath.Join(root, "p", "go.mod")), Env: in.Env})
		},
	}
	for name, d := range differ {
		if d() == want {
			t.Errorf("%s: the digest did not change", name)
		}
	}

	// The environment: the value of every variable read, whether it is
	// set, and GODEBUG, which the runtime reads without logging it.
	t.Setenv("PERFCTL_TEST_INPUT", "two")
	if digest(root, in) == want {
		t.Error("a variable read changed, the digest did not")
	}
	t.Setenv("PERFCTL_TEST_INPUT", "")
	empty := digest(root, in)
	if err := os.Unsetenv("PERFCTL_TEST_INPUT"); err != nil {
		t.Fatal(err)
	}
	if digest(root, in) == empty {
		t.Error("an unset variable digests like an empty one")
	}
	t.Setenv("PERFCTL_TEST_INPUT", "one")
	t.Setenv("GODEBUG", "perfctltest=1") // an unknown setting: the runtime ignores it
	if digest(root, in) == want {
		t.Error("GODEBUG changed, the digest did not")
	}
	t.Setenv("GODEBUG", "")
	if digest(root, in) != want {
		t.Error("the same inputs again digest differently")
	}
}
