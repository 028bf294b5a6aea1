package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/perfctl/perfctl/cmd"
)

// TestMain lets the test binary act as perfctl inside scripts: testscript
// puts a "perfctl" command on PATH that runs cmd.Main in a subprocess.
func TestMain(m *testing.M) {
	if os.Getenv("PERFCTL_TEST_AS_MAIN") == "1" { // the bad-input catalog runs perfctl so
		os.Exit(cmd.Main())
	}
	testscript.Main(m, map[string]func(){
		"perfctl": func() { os.Exit(cmd.Main()) },
	})
}

// TestScripts runs the end-to-end scenarios in testdata/script: each
// .txtar file is a fresh directory in which the real perfctl binary runs,
// next to the real go command, git and benchstat.
func TestScripts(t *testing.T) {
	goEnv := realGoEnv(t)
	golangciCache := filepath.Join(os.TempDir(), "perfctl-test-golangci-cache")
	tools := toolsDir(t)
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "1")
			repo, err := os.Getwd() // the module root: go test runs in the package directory
			env.Setenv("REPO", repo)
			// The sample modules are built with the real toolchain, sharing
			// the developer's caches; they have no dependencies.
			for k, v := range goEnv {
				env.Setenv(k, v)
			}
			env.Setenv("REAL_GOPROXY", os.Getenv("GOPROXY")) // for the script that installs golangci-lint
			env.Setenv("GOPROXY", "off")
			env.Setenv("GOTOOLCHAIN", "local")
			env.Setenv("GIT_AUTHOR_NAME", "perfctl test")
			env.Setenv("GIT_AUTHOR_EMAIL", "test@perfctl.invalid")
			env.Setenv("GIT_COMMITTER_NAME", "perfctl test")
			env.Setenv("GIT_COMMITTER_EMAIL", "test@perfctl.invalid")
			env.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			// testscript's own bin directory (perfctl) comes first in PATH:
			// scripts use it to run perfctl with a PATH without other tools.
			env.Setenv("PERFCTL_BIN_DIR", filepath.SplitList(env.Getenv("PATH"))[0])
			if gobin, err := exec.LookPath("go"); err == nil {
				env.Setenv("GO_BIN_DIR", filepath.Dir(gobin))
			}
			env.Setenv("PATH", tools+string(os.PathListSeparator)+env.Getenv("PATH"))
			// The pinned golangci-lint that make test installs.
			env.Setenv("PERFCTL_GOLANGCI_LINT", os.Getenv("PERFCTL_GOLANGCI_LINT"))
			env.Setenv("XDG_CACHE_HOME", filepath.Join(env.WorkDir, ".cache"))
			env.Setenv("GOLANGCI_LINT_CACHE", golangciCache)
			return err
		},
		Condition: condition,
	})
}

// condition decides the scripts' conditions: [perfctl:NAME] and
// [postgres].
func condition(cond string) (bool, error) {
	if cond == "postgres" {
		return hasPostgres()
	}
	return perfctlHas(cond)
}

// hasPostgres reports whether Debian's postgresql package is installed,
// for services_postgres.txtar. Where it is not, the script is skipped with
// a loud line, as the browser test is without chromium; with CI set (as
// .ci/run sets it, after installing the package) its absence is an error.
func hasPostgres() (bool, error) {
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/postgres")
	if len(bins) > 0 {
		return true, nil
	}
	if os.Getenv("CI") != "" {
		return false, errors.New("PostgreSQL is not installed, and CI is set: .ci/run installs it (apt-get install postgresql) for services_postgres.txtar")
	}
	return false, nil
}

// perfctlHas decides the scripts' condition [perfctl:NAME]: perfctl has
// the command NAME, its words joined by '-' ([perfctl:history-changes]).
// docs/ci.md names commands that other branches of issue 15 are building;
// ci_history.txtar runs them only once perfctl has them (and
// TestCIKitDocsCommands then requires it to).
func perfctlHas(cond string) (bool, error) {
	name, ok := strings.CutPrefix(cond, "perfctl:")
	if !ok || name == "" {
		return false, fmt.Errorf("unknown condition %q (scripts know [perfctl:COMMAND-SUBCOMMAND])", cond)
	}
	return hasCommand(strings.Split(name, "-")), nil
}

// hasCommand reports whether perfctl has the command path words.
func hasCommand(words []string) bool {
	root := cmd.NewCmdRoot(cmd.NewFactory())
	c, rest, err := root.Find(words)
	return err == nil && c != root && len(rest) == 0 && c.Runnable()
}

// realGoEnv reads the go command's cache locations, which testscript's
// fresh HOME would otherwise hide. It reads go env -json: the plain form
// prints one line per key, and an empty value (GOFLAGS on most machines)
// is an empty line that splitting on newlines cannot tell from the end.
func realGoEnv(t *testing.T) map[string]string {
	keys := []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOFLAGS"}
	out, err := exec.CommandContext(t.Context(), "go", append([]string{"env", "-json"}, keys...)...).Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	env := make(map[string]string, len(keys))
	if err := json.Unmarshal(out, &env); err != nil {
		t.Fatalf("go env -json printed %q: %v", out, err)
	}
	for _, k := range keys {
		if _, ok := env[k]; !ok {
			t.Fatalf("go env -json printed no %s: %q", k, out)
		}
	}
	return env
}

var (
	toolsOnce sync.Once
	tools     string
	toolsErr  error
)

// toolsDir builds the benchstat that go.mod pins (tool directive) once, so
// scripts can check that benchstat reads what perfctl writes.
func toolsDir(t *testing.T) string {
	toolsOnce.Do(func() {
		dir, err := os.MkdirTemp("", "perfctl-test-tools-")
		if err != nil {
			toolsErr = err
			return
		}
		out, err := exec.CommandContext(t.Context(), "go", "build", "-o", filepath.Join(dir, "benchstat"), "golang.org/x/perf/cmd/benchstat").CombinedOutput()
		if err != nil {
			toolsErr = err
			t.Logf("%s", out)
		}
		tools = dir
	})
	if toolsErr != nil {
		t.Fatalf("building benchstat for the scripts: %v", toolsErr)
	}
	return tools
}

// TestRealGoEnvEmptyGOFLAGS reads the go environment as a laptop has it:
// no GOFLAGS at all (here the machine sets one in its go env file).
func TestRealGoEnvEmptyGOFLAGS(t *testing.T) {
	t.Setenv("GOENV", "off")
	t.Setenv("GOFLAGS", "")
	env := realGoEnv(t)
	if env["GOFLAGS"] != "" {
		t.Errorf("GOFLAGS = %q, want empty", env["GOFLAGS"])
	}
	for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH"} {
		if env[k] == "" {
			t.Errorf("%s is empty", k)
		}
	}
}

func TestPerfctlHas(t *testing.T) {
	for cond, want := range map[string]bool{
		"perfctl:history-add": true, "perfctl:check": true, "perfctl:baseline-save": true,
		"perfctl:history": false, "perfctl:no-such": false, "perfctl:history-add-more": false,
	} {
		if got, err := perfctlHas(cond); err != nil || got != want {
			t.Errorf("[%s]: %v, %v; want %v", cond, got, err, want)
		}
	}
	for _, cond := range []string{"perfctl:", "exec:perfctl"} {
		if _, err := perfctlHas(cond); err == nil {
			t.Errorf("[%s] is a condition", cond)
		}
	}
}
