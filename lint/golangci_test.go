package lint_test

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/usererr"
	"github.com/perfctl/perfctl/lint"
)

// golangciLint returns the golangci-lint the tests run: the pinned one that
// make test installs and passes in $PERFCTL_GOLANGCI_LINT. These tests are
// the integration with the real tool; they do not skip.
func golangciLint(t *testing.T) string {
	t.Helper()
	bin, version, err := lint.Locate(t.Context(), run.Exec{}, "")
	if err != nil {
		t.Fatalf("these tests run the real golangci-lint: %v (run them with `make test`, which installs %s)", err, lint.PinnedVersion)
	}
	if "v"+version != lint.PinnedVersion {
		t.Fatalf("golangci-lint %s found, the tests expect the pinned %s", version, lint.PinnedVersion)
	}
	return bin
}

// TestEveryDefaultLinterFires lints testdata/lint/mistakes, where each file
// holds one mistake for one check of the default profile, and compares with
// its EXPECTED.txt.
func TestEveryDefaultLinterFires(t *testing.T) {
	bin := golangciLint(t)
	dir := filepath.Join("..", "testdata", "lint", "mistakes")
	res, err := lint.Run(t.Context(), run.Exec{}, bin, &lint.Options{Dir: dir, Profile: lint.DefaultProfile()})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]lint.Finding{}
	for _, f := range res.Findings {
		got[f.File] = append(got[f.File], f)
	}
	expected := readExpected(t, filepath.Join(dir, "EXPECTED.txt"))
	linters := map[string]bool{}
	for file, want := range expected {
		fs := got[file]
		if len(fs) != 1 {
			t.Errorf("%s: %d findings %+v, want exactly one from %s", file, len(fs), fs, want[0])
			continue
		}
		if fs[0].Linter != want[0] || (want[1] != "-" && !strings.HasPrefix(fs[0].Message, want[1])) {
			t.Errorf("%s: finding %+v, want linter %s check %s", file, fs[0], want[0], want[1])
		}
		if fs[0].Line < 1 || fs[0].Column < 1 {
			t.Errorf("%s: finding without a position: %+v", file, fs[0])
		}
		linters[want[0]] = true
	}
	if len(res.Findings) != len(expected) {
		t.Errorf("%d findings, want %d (one per file)", len(res.Findings), len(expected))
	}
	for _, l := range lint.DefaultProfile().Linters {
		if !linters[l] {
			t.Errorf("no fixture makes default linter %s fire", l)
		}
	}
}

func readExpected(t *testing.T, path string) map[string][2]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][2]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 3 {
			continue
		}
		out[fields[0]] = [2]string{fields[1], fields[2]}
	}
	if len(out) < 13 {
		t.Fatalf("%s lists %d expectations", path, len(out))
	}
	return out
}

func TestCleanAndBrokenModules(t *testing.T) {
	bin := golangciLint(t)
	res, err := lint.Run(t.Context(), run.Exec{}, bin, &lint.Options{Dir: filepath.Join("..", "testdata", "lint", "clean"), Profile: lint.DefaultProfile()})
	if err != nil || len(res.Findings) != 0 {
		t.Fatalf("clean module: %+v, %v", res, err)
	}
	_, err = lint.Run(t.Context(), run.Exec{}, bin, &lint.Options{Dir: filepath.Join("..", "testdata", "lint", "broken"), Profile: lint.DefaultProfile()})
	var ce *lint.CompileError
	if !errors.As(err, &ce) || !strings.Contains(ce.Findings[0].Message, "undefined: defaultPort") {
		t.Fatalf("broken module: %v, want a CompileError with the compiler's messages", err)
	}
	// golangci-lint's own failure: a package pattern that matches nothing.
	_, err = lint.Run(t.Context(), run.Exec{}, bin, &lint.Options{Dir: filepath.Join("..", "testdata", "lint", "clean"),
		Packages: []string{"./nosuchdir/..."}, Profile: lint.DefaultProfile()})
	var fe *lint.FailureError
	if !errors.As(err, &fe) || fe.Hint == "" {
		t.Fatalf("missing package: %v, want a FailureError with a hint", err)
	}
}

// TestNewFromRev lints a temporary git repository where a mistake was
// committed before and another is added after the revision.
func TestNewFromRev(t *testing.T) {
	bin := golangciLint(t)
	dir := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.CommandContext(t.Context(), "git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t.invalid", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t.invalid")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/rev\n\ngo 1.26\n")
	write("old.go", "package rev\n\nimport \"fmt\"\n\n// Old is committed.\nfunc Old(n int) string { return fmt.Sprintf(\"%d\", n) }\n")
	git("init", "-q")
	git("add", "-A")
	git("commit", "-qm", "old")
	write("new.go", "package rev\n\nimport \"fmt\"\n\n// New is not.\nfunc New(n int) string { return fmt.Sprintf(\"%d\", n) }\n")

	all, err := lint.Run(t.Context(), run.Exec{}, bin, &lint.Options{Dir: dir, Profile: lint.DefaultProfile()})
	if err != nil || len(all.Findings) != 2 {
		t.Fatalf("without --new-from-rev: %+v, %v; want 2 findings", all, err)
	}
	fresh, err := lint.Run(t.Context(), run.Exec{}, bin, &lint.Options{Dir: dir, Profile: lint.DefaultProfile(), NewFromRev: "HEAD"})
	if err != nil || len(fresh.Findings) != 1 || fresh.Findings[0].File != "new.go" {
		t.Fatalf("with --new-from-rev HEAD: %+v, %v; want only new.go", fresh, err)
	}
	if _, err := lint.Run(t.Context(), run.Exec{}, bin, &lint.Options{Dir: dir, Profile: lint.DefaultProfile(), NewFromRev: "--evil"}); err == nil {
		t.Fatal("a revision starting with '-' was passed on")
	}
}

func TestLocate(t *testing.T) {
	t.Setenv(lint.EnvBinary, "")
	t.Setenv("PATH", t.TempDir())
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	var te *usererr.Error
	if _, _, err := lint.Locate(t.Context(), run.Exec{}, ""); !errors.As(err, &te) || !strings.Contains(te.Hint, "go install "+lint.Module+"@"+lint.PinnedVersion) {
		t.Fatalf("no golangci-lint anywhere: %v, want a ToolError with the install command", err)
	}
	if _, _, err := lint.Locate(t.Context(), run.Exec{}, "/no/such/golangci-lint"); !errors.As(err, &te) {
		t.Fatalf("missing --golangci-lint: %v", err)
	}
	// A golangci-lint v1 is refused.
	v1 := filepath.Join(t.TempDir(), "golangci-lint")
	if err := os.WriteFile(v1, []byte("#!/bin/sh\necho 1.64.8\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, _, err := lint.Locate(t.Context(), run.Exec{}, v1); !errors.As(err, &te) || !strings.Contains(te.Msg, "needs v2") {
		t.Fatalf("v1: %v, want a ToolError saying v2 is needed", err)
	}
	// $PERFCTL_GOLANGCI_LINT is used when no flag is given.
	// $PERFCTL_GOLANGCI_LINT is used when no flag is given, and its version
	// is asked once: the answer is remembered for the same binary.
	dir := t.TempDir()
	v2 := filepath.Join(dir, "golangci-lint")
	calls := filepath.Join(dir, "calls")
	if err := os.WriteFile(v2, []byte("#!/bin/sh\necho x >> "+calls+"\necho 2.15.0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(lint.EnvBinary, v2)
	for range 3 {
		if path, version, err := lint.Locate(t.Context(), run.Exec{}, ""); err != nil || path != v2 || version != "2.15.0" {
			t.Fatalf("from the environment: %s %s %v", path, version, err)
		}
	}
	if data, _ := os.ReadFile(calls); strings.Count(string(data), "x") != 1 {
		t.Errorf("the version was asked %d times, want once", strings.Count(string(data), "x"))
	}
}

// TestBuildTags lints a file that only builds with a tag: its finding is
// there with the tag and not without.
func TestBuildTags(t *testing.T) {
	bin := golangciLint(t)
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":   "module example.com/tags\n\ngo 1.26\n",
		"a.go":     "// Package tags has code behind a build tag.\npackage tags\n",
		"extra.go": "//go:build extra\n\npackage tags\n\n// Squares squares.\nfunc Squares(xs []int) []int {\n\tvar out []int\n\tfor _, x := range xs {\n\t\tout = append(out, x*x)\n\t}\n\treturn out\n}\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		tags string
		want int
	}{{"", 0}, {"extra", 1}} {
		res, err := lint.Run(t.Context(), run.Exec{}, bin, &lint.Options{Dir: dir, Profile: lint.DefaultProfile(), Tags: tt.tags})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Findings) != tt.want {
			t.Errorf("tags %q: %d findings %+v, want %d", tt.tags, len(res.Findings), res.Findings, tt.want)
		}
	}
}

// TestKnownGocriticChecks enables every gocritic check perfctl knows by
// name: the pinned golangci-lint refuses a name it does not know ("enabled
// check … doesn't exist"), so perfctl's list cannot hold one.
func TestKnownGocriticChecks(t *testing.T) {
	bin := golangciLint(t)
	p := lint.DefaultProfile()
	names := lint.KnownChecks("gocritic")
	if len(names) < 100 {
		t.Fatalf("%d gocritic checks known", len(names))
	}
	if err := p.EnableChecks(names...); err != nil {
		t.Fatal(err)
	}
	_, err := lint.Run(t.Context(), run.Exec{}, bin, &lint.Options{Dir: filepath.Join("..", "testdata", "lint", "clean"), Profile: p})
	if err != nil {
		t.Fatalf("golangci-lint with every known gocritic check: %v", err)
	}
}

// TestConfigRejected: a setting golangci-lint refuses is a *ConfigError
// that names it, not a failure to analyze the code.
func TestConfigRejected(t *testing.T) {
	bin := golangciLint(t)
	p := lint.DefaultProfile()
	if err := p.Set("gocritic.settings={hugeParam: {sizeThresold: 100}}"); err != nil {
		t.Fatal(err)
	}
	_, err := lint.Run(t.Context(), run.Exec{}, bin, &lint.Options{Dir: filepath.Join("..", "testdata", "lint", "mistakes"), Profile: p})
	var ce *lint.ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v (%T), want a *lint.ConfigError", err, err)
	}
	if !strings.Contains(ce.Msg, "sizethresold") || len(ce.Blame) != 1 || !strings.Contains(ce.Blame[0], "sizeThresold") {
		t.Errorf("config error %+v", ce)
	}
}
