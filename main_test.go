package main

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/perfctl/perfctl/cmd"
)

// TestMain lets the test binary act as perfctl inside scripts: testscript
// puts a "perfctl" command on PATH that runs cmd.Main in a subprocess.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"perfctl": func() { os.Exit(cmd.Main()) },
	})
}

// TestScripts runs the end-to-end scenarios in testdata/script: each
// .txtar file is a fresh directory in which the real perfctl binary runs.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "1")
			repo, err := os.Getwd() // the module root: go test runs in the package directory
			env.Setenv("REPO", repo)
			return err
		},
	})
}
