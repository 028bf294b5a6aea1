package checks

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommandKind(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go is not in PATH")
	}
	runKindCases(t, "command", []kindCase{
		{name: "passes", fixture: "command", params: `{run: [go, version]}`,
			status: Pass, msg: []string{"`go version` passed in "}},
		{name: "fails", fixture: "command", params: `{run: [go, build, -notaflag]}`,
			status: Fail, msg: []string{"`go build -notaflag` failed with exit status 2 after "},
			details: []string{"flag provided but not defined: -notaflag"}},
		{name: "not installed", fixture: "command", params: `{run: [perfctl-no-such-program, x]}`,
			status: Error, msg: []string{"perfctl-no-such-program is not installed (not found in PATH)"}},
		{name: "shell", fixture: "command", params: `{shell: "echo one; echo two >&2; exit 3"}`,
			status: Fail, msg: []string{"`echo one; echo two >&2; exit 3` failed with exit status 3"},
			details: []string{"one", "two"}},
		{name: "dir and env", fixture: "command", params: `{shell: 'test -f marker && test "$PERFCTL_X" = "a b"', dir: sub, env: ["PERFCTL_X=a b"]}`,
			status: Pass, msg: []string{"passed"}},
		{name: "no such dir", fixture: "command", params: `{run: [go, version], dir: nothere}`,
			status: Error, msg: []string{`dir "nothere" is not a directory of the module`}},
		{name: "timeout", fixture: "command", params: `{run: [sleep, "10"], timeout: 200ms}`,
			status: Error, msg: []string{"`sleep 10` timed out after", "(timeout 200ms)"}},
		{name: "quoted", fixture: "command", params: `{run: [sh, -c, "exit 1"]}`,
			status: Fail, msg: []string{"`sh -c 'exit 1'` failed with exit status 1"}, details: []string{"(no output)"}},
	})
}

func TestCommandKindOutputTail(t *testing.T) {
	ws := kindWorkspace(t, "command")
	ws.TrustCommands = true
	r := kindEvaluator(t, "command", `{shell: 'i=1; while [ $i -le 30 ]; do echo line $i; i=$((i+1)); done; exit 1'}`).
		Evaluate(context.Background(), ws)
	if r.Status != Fail || len(r.Details) != commandOutputLines || r.Details[0] != "line 11" || r.Details[19] != "line 30" {
		t.Errorf("got %s %q, details %q; want the last 20 lines", r.Status, r.Message, r.Details)
	}
}

// TestCommandKindUntrusted: allow_commands in the policy file is not
// enough; without the caller's trust nothing runs.
func TestCommandKindUntrusted(t *testing.T) {
	ws := writeTree(t, map[string]string{"go.mod": "module example.com/x\n"})
	marker := filepath.Join(ws.Dir, "pwned")
	for _, params := range []string{`{shell: "touch pwned"}`, `{run: [touch, pwned]}`} {
		r := kindEvaluator(t, "command", params).Evaluate(context.Background(), ws)
		if r.Status != Error || !strings.Contains(r.Message, "was not run") || !strings.Contains(strings.Join(r.Details, " "), "--allow-commands") {
			t.Errorf("%s: got %s %q %q", params, r.Status, r.Message, r.Details)
		}
		if _, err := os.Stat(marker); err == nil {
			t.Fatalf("%s ran without trust", params)
		}
	}
	ws.TrustCommands = true
	if r := kindEvaluator(t, "command", `{run: [touch, pwned]}`).Evaluate(context.Background(), ws); r.Status != Pass {
		t.Errorf("trusted: got %s %q", r.Status, r.Message)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Errorf("trusted: the command did not run: %v", err)
	}
}

func TestCommandKindParams(t *testing.T) {
	runParamsCases(t, "command", []paramsCase{
		{`{}`, "give the command to run"},
		{`{run: "go version"}`, `run: give the program and its arguments as a list, e.g. run: [go, vet, ./...]; for a shell command line use shell: "go version"`},
		{`{run: [go, version], shell: "go version"}`, "give run or shell, not both"},
		{`{run: ["", x]}`, "run: the program (the first item) is empty"},
		{`{shell: "  "}`, "shell: the command line is empty"},
		{`{run: [go], timeout: 10}`, `timeout: "10" is not a positive duration`},
		{`{run: [go], timeout: -1s}`, `timeout: "-1s" is not a positive duration`},
		{`{run: [go], dir: ../x}`, `dir: "../x" must be a directory inside the module`},
		{`{run: [go], dir: /tmp}`, `dir: "/tmp" must be a directory inside the module`},
		{`{run: [go], env: [NOEQUALS]}`, `env: "NOEQUALS" is not KEY=VALUE`},
		{`{run: [go], environment: [A=b]}`, `unknown key "environment"`},
	})
	// Without allow_commands, Parse refuses the kind.
	doc := strings.Replace(kindPolicy("command", `{run: [go, version]}`), "allow_commands: true", "allow_commands: false", 1)
	if _, err := Parse([]byte(doc), "test.yaml"); err == nil || !strings.Contains(err.Error(), "allow_commands: true") {
		t.Errorf("without allow_commands: %v", err)
	}
}
