package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The bad-input catalog: inputs that once crashed perfctl, ran what they
// should not have, passed the gate, or misled the user, each run as a user
// would (a perfctl process in a fresh directory) and held to what it must
// do now. docs and the README count its cases; TestBadInputCatalogCount
// keeps that number true.
//
// What a subprocess cannot show has a test of its own, named in the
// "elsewhere" list below: races between concurrent runs, interrupts,
// file modes, the test setup itself.

// A badInput is one case.
type badInput struct {
	name   string
	origin string            // where it comes from, e.g. "issue 11 #1"
	files  map[string]string // written into the directory first
	git    bool              // make the directory a git repository with one commit of files
	shell  string            // run `sh -c shell` (perfctl on PATH) instead of perfctl args
	args   []string
	env    []string
	code   int
	stderr string // regexp that stderr must match ("" for anything)
	stdout string // regexp that stdout must match; "-" for empty
	absent []string
	check  func(t *testing.T, dir string, stdout []byte)
}

// elsewhere lists the defects of the audit whose tests are not catalog
// cases, and where their tests are.
var elsewhere = map[string]string{
	"issue 11 #3":  "hook.TestConcurrentRunsNeverPass",
	"issue 11 #4":  "atomicfile.TestCommitNewRace, baseline.TestConcurrentSaves",
	"issue 11 #5":  "worktree.TestConcurrentAdd, worktree.TestRemoveStale, script compareref_interrupt",
	"issue 11 #7":  "worktree.TestInterruptedIsNotABadRepository",
	"issue 11 #8":  "script bench_interrupt_build",
	"issue 11 #17": "TestRealGoEnvEmptyGOFLAGS",
	"issue 11 #19": "bench.FuzzRead (maxFuzzInput)",
}

const benchModule = `-- go.mod --
module example.com/cat

go 1.26
-- x.go --
package cat

func Sum(n int) int {
	t := 0
	for i := range n {
		t += i
	}
	return t
}
-- x_test.go --
package cat

import "testing"

func BenchmarkSum(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Sum(100)
	}
}
`

// files parses a txtar-like text of "-- name --" sections.
func files(txt string) map[string]string {
	out := map[string]string{}
	name := ""
	for _, line := range strings.SplitAfter(txt, "\n") {
		if strings.HasPrefix(line, "-- ") && strings.HasSuffix(strings.TrimSpace(line), " --") {
			name = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(line), "-- "), " --")
			out[name] = ""
			continue
		}
		if name != "" {
			out[name] += line
		}
	}
	return out
}

func with(base map[string]string, more map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range more {
		out[k] = v
	}
	return out
}

func policy(kind, params string) string {
	return fmt.Sprintf("version: 1\nchecks:\n  - id: c\n    level: MUST\n    kind: %s\n    title: T\n    params: %s\n", kind, params)
}

func results(name string, ns ...string) string {
	var b strings.Builder
	for _, v := range ns {
		fmt.Fprintf(&b, "Benchmark%s-8 1000 %s ns/op\n", name, v)
	}
	return b.String()
}

var badInputs = []badInput{
	// A policy never runs what it was not allowed to (issue 11 #1).
	{name: "coverage -exec", origin: "issue 11 #1", files: with(files(benchModule), map[string]string{
		"p.yaml": policy("coverage", `{args: ['-exec=sh -c "touch pwned"']}`)}),
		args: []string{"check", "--policy", "p.yaml"}, code: 2, stdout: "-",
		stderr: `p\.yaml:7: check c: args: -exec=sh -c "touch pwned" is not a go test flag a policy may set`, absent: []string{"pwned"}},
	{name: "coverage -toolexec", origin: "issue 11 #1", files: with(files(benchModule), map[string]string{
		"p.yaml": policy("coverage", `{args: ['-toolexec=touch pwned']}`)}),
		args: []string{"check", "--policy", "p.yaml"}, code: 2, stderr: `-toolexec=touch pwned is not a go test flag`, absent: []string{"pwned"}},
	{name: "coverage -ldflags=-extld", origin: "issue 11 #1", files: with(files(benchModule), map[string]string{
		"p.yaml": policy("coverage", `{args: ['-ldflags=-extld=./evil']}`)}),
		args: []string{"check", "--policy", "p.yaml"}, code: 2, stderr: `-ldflags=-extld=\./evil is not a go test flag`},
	{name: "a flag among the packages", origin: "issue 11 #1", files: with(files(benchModule), map[string]string{
		"p.yaml": policy("coverage", `{packages: ['-exec=touch pwned', ./...]}`)}),
		args: []string{"check", "--policy", "p.yaml"}, code: 2, stderr: `packages: "-exec=touch pwned" is not a package pattern`, absent: []string{"pwned"}},
	{name: "a lint plugin", origin: "issue 11 #1", files: with(files(benchModule), map[string]string{
		"p.yaml": policy("lint", `{enable: [evil], set: ["custom.evil={path: ./evil.so}"]}`)}),
		args: []string{"check", "--policy", "p.yaml"}, code: 2, stderr: `perfctl sets only the settings of`},
	{name: "allow_commands in the policy is not trust", origin: "issue 11 #1", files: with(files(benchModule), map[string]string{
		"p.yaml": "version: 1\nallow_commands: true\nchecks:\n  - {id: c, level: MUST, kind: command, title: T, params: {run: [touch, pwned]}}\n"}),
		args: []string{"check", "--policy", "p.yaml"}, code: 2, stdout: `was not run: the policy allows commands`,
		stderr: `no verdict: MUST c could not be evaluated`, absent: []string{"pwned"}},
	// Repository content that could crash the gate (issue 11 #2, #14).
	{name: "a Makefile that refers to itself a hundred times", origin: "issue 11 #2", files: with(files(benchModule), map[string]string{
		"Makefile": "A = " + strings.Repeat("$(A)", 100) + "\nbuild:\n\tgo build -trimpath $(A) ./...\n"}),
		args: []string{"check", "--preset", "cli", "--only", "release-build-optimized,perf-tests-in-ci"}, code: 1, stdout: `MUST 1/2 \(11 skipped\)`},
	{name: "a Makefile whose variable doubles forty times", origin: "issue 11 #2", files: with(files(benchModule), map[string]string{
		"Makefile": laughs()}),
		args: []string{"check", "--preset", "cli", "--only", "release-build-optimized"}, code: 0, stdout: `MUST 1/1 .* verdict PASS`},
	{name: "a 2 MB policy", origin: "issue 11 #14", files: with(files(benchModule), map[string]string{
		"perfctl.yaml": "version: 1\nchecks: []\n" + strings.Repeat("# padding padding padding padding padding padding\n", 40000)}),
		args: []string{"check"}, code: 2, stderr: `perfctl\.yaml: the policy is larger than 1024 KiB`},
	{name: "coverage min .nan", origin: "issue 11 #9", files: with(files(benchModule), map[string]string{
		"p.yaml": policy("coverage", `{min: .nan}`)}),
		args: []string{"policy", "validate", "p.yaml"}, code: 2, stderr: `min NaN is not a percentage between 0 and 100`},
	// Results that passed or crashed the gate (issue 11 #6, #13, #15).
	{name: "0 ns/op beside 500 ns/op", origin: "issue 11 #6", files: map[string]string{
		"base.txt": results("X", "0", "0", "0", "0", "0", "0"), "head.txt": results("X", "500", "500", "500", "500", "500", "500")},
		args: []string{"compare", "base.txt", "head.txt"}, code: 1, stdout: `(?m)^ X +0\.000 ± 0% +500\.0n .*regression`},
	{name: "a 100 KiB log line in go test output", origin: "issue 11 #13", files: map[string]string{
		"base.txt": results("X", "10", "11", "10", "12", "10", "11"),
		"head.txt": results("X", "10", "11", "10") + "    x_test.go:9: " + strings.Repeat("x", 100<<10) + "\n" + results("X", "12", "10", "11")},
		args: []string{"compare", "base.txt", "head.txt"}, code: 0, stdout: `PASS`},
	{name: "terminal escapes in a benchmark name", origin: "issue 11 #15", files: map[string]string{
		"base.txt": results("X\x1b]52;c;cHduZWQ=\a\x1b[2J", "10", "11", "10", "12", "10", "11"),
		"head.txt": results("X\x1b]52;c;cHduZWQ=\a\x1b[2J", "10", "11", "10", "12", "10", "11")},
		args: []string{"compare", "base.txt", "head.txt"}, code: 0, stdout: `X\\x1b\]52;c;cHduZWQ=\\x07\\x1b\[2J`,
		check: func(t *testing.T, _ string, stdout []byte) {
			if bytes.ContainsAny(stdout, "\x1b\a") {
				t.Errorf("control characters reached stdout: %q", stdout)
			}
		}},
	// Flags (issue 11 #10, #11, #12, #16).
	{name: "--timeout 0", origin: "issue 11 #10", files: files(benchModule),
		args: []string{"bench", "--timeout", "0"}, code: 2, stderr: `--timeout 0s: give a positive duration`},
	{name: "--timeout -1s", origin: "issue 11 #10", files: files(benchModule),
		args: []string{"bench", "--timeout=-1s"}, code: 2, stderr: `--timeout -1s: give a positive duration`},
	{name: "--out under a file", origin: "issue 11 #11", files: files(benchModule),
		args: []string{"bench", "--out", "go.mod/out.txt"}, code: 2, stderr: `^perfctl: --out go\.mod/out\.txt: cannot write the file: go\.mod is not a directory\nhint: `},
	{name: "--report to a directory", origin: "issue 11 #11", files: files(benchModule),
		args: []string{"check", "--only", "dev-build-fast", "--report", "junit=."}, code: 2, stdout: "-", stderr: `--report junit=\.: cannot write the file: \. is a directory`},
	{name: "--baseline-dir under a file", origin: "issue 11 #11", files: files(benchModule),
		args: []string{"baseline", "save", "--baseline-dir", "x.go/b"}, code: 2, stderr: `cannot store baselines in x\.go/b: x\.go is not a directory`},
	{name: "result files after --baseline", origin: "issue 11 #12", files: with(files(benchModule), map[string]string{"new.txt": results("Sum", "1")}),
		args: []string{"compare", "--baseline", "main", "new.txt"}, code: 2, stderr: `new\.txt is a file: .* pass --head new\.txt`},
	{name: "not in a module", origin: "issue 11 #12", files: map[string]string{"README": "x"},
		args: []string{"bench"}, code: 2, stderr: `not inside a Go module: no go\.mod in .* or above\nhint: `},
	{name: "an unknown --new-from-rev", origin: "issue 11 #12", files: files(benchModule), git: true,
		args: []string{"lint", "--new-from-rev", "nosuchrev"}, code: 2, stderr: `unknown revision "nosuchrev"`},
	{name: "git missing", origin: "issue 11 #12", files: files(benchModule),
		shell: `PATH=$(dirname "$(command -v go)"):$PERFCTL_DIR perfctl compare --base-ref HEAD`, code: 2, stderr: `git is not installed`},
	{name: "umask 077 and --out", origin: "issue 11 #16", files: files(benchModule),
		shell: `umask 077 && perfctl bench --count 1 --benchtime 1x --out out.txt && ls -l out.txt`, code: 0, stdout: `^-rw------- `},
	{name: "a post-checkout hook", origin: "issue 11 #18", git: true, files: with(files(benchModule), map[string]string{
		".git/hooks/post-checkout": "#!/bin/sh\ntouch \"$(git rev-parse --git-common-dir)/../hook-ran\"\n"}),
		shell: `chmod +x .git/hooks/post-checkout && perfctl compare --base-ref HEAD --count 1 --benchtime 1x`, code: 0,
		absent: []string{"hook-ran"}},
	// Earlier hardening the audit confirmed; kept here so it stays.
	{name: "a baseline name that escapes", origin: "audit", files: files(benchModule),
		args: []string{"baseline", "save", "../../x"}, code: 2, stderr: `may only contain letters, digits`},
	{name: "a ref that is an option", origin: "audit", files: files(benchModule), git: true,
		args: []string{"compare", "--base-ref", "--output=/tmp/x"}, code: 2, stderr: `starts with '-'`},
	{name: "an unknown policy key", origin: "audit", files: with(files(benchModule), map[string]string{
		"p.yaml": "version: 1\nchecks:\n  - id: c\n    lvel: MUST\n"}),
		args: []string{"check", "--policy", "p.yaml"}, code: 2, stderr: `p\.yaml:4: unknown key "lvel" \(did you mean "level"\?\)`},
	{name: "an empty result file", origin: "audit", files: map[string]string{"a.txt": results("X", "1"), "b.txt": ""},
		args: []string{"compare", "a.txt", "b.txt"}, code: 2, stdout: "-", stderr: `b\.txt: is empty`},
	{name: "NaN in results", origin: "audit", files: map[string]string{"a.txt": results("X", "1"), "b.txt": results("X", "NaN")},
		args: []string{"compare", "a.txt", "b.txt"}, code: 2, stderr: `invalid value NaN`},
	{name: "--count 0", origin: "audit", files: files(benchModule),
		args: []string{"bench", "--count", "0"}, code: 2, stderr: `--count 0: the number of rounds must be at least 1`},
	{name: "an unknown format", origin: "audit", files: map[string]string{"a.txt": results("X", "1")},
		args: []string{"compare", "--format", "xml", "a.txt", "a.txt"}, code: 2, stderr: `unknown format "xml"`},
}

// laughs is a Makefile whose last variable is 2^40 bytes long.
func laughs() string {
	var b strings.Builder
	b.WriteString("L0 = x\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "L%d = $(L%d)$(L%d)\n", i, i-1, i-1)
	}
	b.WriteString("build:\n\tgo build -trimpath ./... # $(L40)\n")
	return b.String()
}

func TestBadInputCatalog(t *testing.T) {
	goEnv := realGoEnv(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	if err := os.Symlink(self, filepath.Join(bin, "perfctl")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range badInputs {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, content := range tc.files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			env := append(os.Environ(), "PERFCTL_TEST_AS_MAIN=1", "NO_COLOR=1", "GOPROXY=off", "GOTOOLCHAIN=local",
				"GIT_CONFIG_NOSYSTEM=1", "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t.invalid", "GIT_COMMITTER_NAME=t",
				"GIT_COMMITTER_EMAIL=t@t.invalid", "HOME="+dir, "TMPDIR="+t.TempDir(), "PERFCTL_DIR="+bin,
				"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
			for k, v := range goEnv {
				env = append(env, k+"="+v)
			}
			if tc.git {
				hooks := filepath.Join(dir, ".git", "hooks")
				hook, hasHook := tc.files[".git/hooks/post-checkout"]
				os.RemoveAll(filepath.Join(dir, ".git"))
				for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "-A"}, {"commit", "-q", "-m", "init"}} {
					c := exec.CommandContext(t.Context(), "git", args...)
					c.Dir, c.Env = dir, env
					if out, err := c.CombinedOutput(); err != nil {
						t.Fatalf("git %v: %v\n%s", args, err, out)
					}
				}
				if hasHook {
					if err := os.WriteFile(filepath.Join(hooks, "post-checkout"), []byte(hook), 0o755); err != nil {
						t.Fatal(err)
					}
				}
			}
			var c *exec.Cmd
			if tc.shell != "" {
				c = exec.CommandContext(t.Context(), "sh", "-c", tc.shell)
			} else {
				c = exec.CommandContext(t.Context(), filepath.Join(bin, "perfctl"), tc.args...)
			}
			c.Dir, c.Env = dir, append(env, tc.env...)
			var stdout, stderr bytes.Buffer
			c.Stdout, c.Stderr = &stdout, &stderr
			err := c.Run()
			code := 0
			var ee *exec.ExitError
			switch {
			case errors.As(err, &ee):
				code = ee.ExitCode()
			case err != nil:
				t.Fatal(err)
			}
			if code != tc.code {
				t.Errorf("exit status %d, want %d", code, tc.code)
			}
			if tc.stderr != "" && !regexp.MustCompile(tc.stderr).Match(stderr.Bytes()) {
				t.Errorf("stderr does not match %q", tc.stderr)
			}
			switch tc.stdout {
			case "":
			case "-":
				if stdout.Len() > 0 {
					t.Errorf("stdout is not empty")
				}
			default:
				if !regexp.MustCompile(tc.stdout).Match(stdout.Bytes()) {
					t.Errorf("stdout does not match %q", tc.stdout)
				}
			}
			for _, name := range tc.absent {
				if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
					t.Errorf("%s exists", name)
				}
			}
			if tc.check != nil {
				tc.check(t, dir, stdout.Bytes())
			}
			if t.Failed() {
				t.Logf("stdout:\n%s\nstderr:\n%s", truncate(stdout.String()), truncate(stderr.String()))
			}
		})
	}
}

func truncate(s string) string {
	if len(s) > 4000 {
		return s[:4000] + "…"
	}
	return s
}

// TestBadInputCatalogCoversTheAudit: every defect of the audit (issue 11,
// numbered 1 to 19) has a catalog case or a test named in elsewhere.
func TestBadInputCatalogCoversTheAudit(t *testing.T) {
	for n := 1; n <= 19; n++ {
		id := fmt.Sprintf("issue 11 #%d", n)
		if elsewhere[id] != "" {
			continue
		}
		if !slices.ContainsFunc(badInputs, func(b badInput) bool { return b.origin == id }) {
			t.Errorf("%s has no catalog case and no test named in elsewhere", id)
		}
	}
}

// TestBadInputCatalogCount keeps the README's count of the catalog true.
func TestBadInputCatalogCount(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%d bad inputs", len(badInputs))
	if !bytes.Contains(readme, []byte(want)) {
		t.Errorf("README.md does not say %q (the catalog in catalog_test.go has %d cases)", want, len(badInputs))
	}
}
