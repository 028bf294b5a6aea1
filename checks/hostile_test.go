package checks

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/internal/run"
)

// Regression tests for repository content written to hurt the gate: each
// case once crashed perfctl or made it do what the policy did not allow.

// writeTree writes files (module-relative name → content) into a new
// directory and returns a workspace on it.
func writeTree(t *testing.T, files map[string]string) *Workspace {
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
	return &Workspace{Dir: dir, Exec: run.Exec{}}
}

// hostileMakefile is a Makefile of buildfiles/testdata/hostile: bomb.mk
// is the 420-byte Makefile of the audit, a variable that refers to itself
// a hundred times (make refuses it; perfctl ran out of memory expanding it
// five levels deep), plus two that refer to each other; laughs.mk doubles
// a variable 40 times without recursion, a valid Makefile whose last
// variable is 2^40 bytes long.
func hostileMakefile(t testing.TB, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("buildfiles", "testdata", "hostile", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestMakefileExpansionIsBounded(t *testing.T) {
	bomb := hostileMakefile(t, "bomb.mk")
	if n := len(bomb); n > 460 {
		t.Fatalf("the bomb is %d bytes", n)
	}
	ws := writeTree(t, map[string]string{
		"go.mod":                   "module example.com/bomb\n",
		"Makefile":                 bomb,
		"laughs.mk":                hostileMakefile(t, "laughs.mk"),
		".github/workflows/ci.yml": "on: push\njobs:\n  x:\n    steps:\n      - run: make build\n",
	})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for _, kind := range []string{"build-flags", "ci"} {
		r := kindEvaluator(t, kind, `{}`).Evaluate(context.Background(), ws)
		if r.Status == Error {
			t.Errorf("%s: %s %q", kind, r.Status, r.Message)
		}
	}
	runtime.ReadMemStats(&after)
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 256<<20 {
		t.Errorf("evaluating a 420-byte Makefile allocated %d MiB", grown>>20)
	}
}

// TestHostilePolicyParams: parameters that would reach go or golangci-lint
// as options perfctl did not choose are refused when the policy is parsed,
// with the line of the params.
func TestHostilePolicyParams(t *testing.T) {
	for _, tc := range []struct{ kind, params, msg string }{
		// The audit's exploits: go test ran the program and the check passed.
		{"coverage", `{args: ['-exec=sh -c "touch pwned"']}`, "-exec=sh -c \"touch pwned\" is not a go test flag a policy may set"},
		{"coverage", `{args: ['-toolexec=/bin/sh']}`, "-toolexec=/bin/sh is not a go test flag"},
		{"coverage", `{packages: ['-exec=touch pwned', ./...]}`, `packages: "-exec=touch pwned" is not a package pattern`},
		{"coverage", `{args: [-exec, sh]}`, "-exec is not a go test flag"},
		{"coverage", `{args: ['-ldflags=-extld=/bin/sh']}`, "-ldflags=-extld=/bin/sh is not a go test flag"},
		{"coverage", `{args: ['--exec=x']}`, "--exec=x is not a go test flag"},
		{"coverage", `{args: [-o, /tmp/x]}`, "-o is not a go test flag"},
		{"coverage", `{args: ['-cpuprofile=/etc/x']}`, "-cpuprofile=/etc/x is not a go test flag"},
		{"coverage", `{args: [-args, -test.outputdir=/]}`, "-args is not a go test flag"},
		{"coverage", `{args: [-overlay=o.json]}`, "-overlay=o.json is not a go test flag"},
		{"coverage", `{args: [-mod=mod]}`, "-mod=mod: use one of readonly, vendor"},
		{"coverage", `{args: [-run]}`, "-run needs a value in the same item: -run=VALUE"},
		{"coverage", `{args: [-run, ./...]}`, "-run needs a value in the same item"},
		{"coverage", `{args: [-short=yes]}`, "-short=yes takes no value"},
		{"coverage", `{coverpkg: '-exec=x'}`, `coverpkg: "-exec=x" is not a list of package patterns`},
		{"coverage", `{min: .nan}`, "min NaN is not a percentage"},
		{"coverage", `{min: .inf}`, "min +Inf is not a percentage"},
		{"coverage", `{min: -.inf}`, "min -Inf is not a percentage"},
		// Every kind that takes packages.
		{"lint", `{packages: [-E=custom]}`, `packages: "-E=custom" is not a package pattern`},
		{"bench-compile", `{packages: [./..., -exec=x]}`, `packages: "-exec=x" is not a package pattern`},
		{"benchmarks-present", `{packages: [--toolexec]}`, `is not a package pattern`},
		{"allocs-reported", `{packages: [-x]}`, `is not a package pattern`},
		{"budget", `{packages: [-x], budgets: {X: {sec/op: 1s}}}`, `is not a package pattern`},
		{"sql-pool", `{packages: [-x]}`, `is not a package pattern`},
		{"coverage", `{packages: [""]}`, `packages: an empty pattern`},
		// golangci-lint's configuration: plugins and files.
		{"lint", `{enable: [custom]}`, `enable: "custom" is not the name of a golangci-lint linter`},
		{"lint", `{enable: ["--config=/x"]}`, `is not the name of a golangci-lint linter`},
		{"lint", `{set: ["custom.evil={path: /tmp/evil.so}"]}`, `perfctl sets only the settings of`},
		{"lint", `{set: ["goheader.template-path=/etc/shadow"]}`, `perfctl sets only the settings of`},
		{"lint", `{set: ["gocritic.settings={ruleguard: {rules: rules.go}}"]}`, `ruleguard loads rule files`},
		{"lint", `{exclude: ["a("]}`, `exclude: "a(" is not a regular expression`},
		// Runs bounded by the policy.
		{"budget", `{count: 1000000, budgets: {X: {sec/op: 1s}}}`, "count 1000000: give 1 to 100"},
		{"budget", `{benchtime: 1h, budgets: {X: {sec/op: 1s}}}`, "benchtime 1h: at most 10s"},
		{"budget", `{benchtime: 99999999999x, budgets: {X: {sec/op: 1s}}}`, "at most 1000000000x"},
	} {
		_, err := Parse([]byte(kindPolicy(tc.kind, tc.params)), "test.yaml")
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s %s: error %v, want one containing %q", tc.kind, tc.params, err, tc.msg)
		}
	}
	// What a policy may still say.
	for _, tc := range []struct{ kind, params string }{
		{"coverage", `{args: [-short, "-run=^Test", -count=1, -timeout=5m, -race, -covermode=atomic, -mod=readonly, -vet=off, -p=2]}`},
		{"coverage", `{packages: [./..., example.com/x/...], coverpkg: "./..."}`},
		{"lint", `{enable: [govet], set: ["govet.enable=[fieldalignment]", "gocritic.settings={hugeParam: {sizeThreshold: 512}}", "prealloc.simple=false"]}`},
		{"budget", `{count: 100, benchtime: 10s, budgets: {X: {sec/op: 1s}}}`},
	} {
		if _, err := Parse([]byte(kindPolicy(tc.kind, tc.params)), "test.yaml"); err != nil {
			t.Errorf("%s %s: %v", tc.kind, tc.params, err)
		}
	}
}

func TestPolicySizeCap(t *testing.T) {
	big := "version: 1\nchecks:\n" + strings.Repeat("# padding padding padding padding padding\n", MaxPolicySize/40)
	path := filepath.Join(t.TempDir(), "perfctl.yaml")
	if err := os.WriteFile(path, []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{func() error { _, err := ParseFile(path, path); return err }(), func() error { _, err := Parse([]byte(big), "p.yaml"); return err }()} {
		if err == nil || !strings.Contains(err.Error(), "larger than 1024 KiB") {
			t.Errorf("a %d-byte policy: %v", len(big), err)
		}
	}
	if _, err := ParseFile(t.TempDir(), "dir"); err == nil || err.Error() != "dir: is not a regular file" {
		t.Errorf("a directory as policy: %v", err)
	}
}
