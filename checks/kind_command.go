package checks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/perfctl/perfctl/internal/run"
)

var commandKind = &Kind{
	Name:    "command",
	Summary: "a command of the policy exits 0 (needs allow_commands: true)",
	New:     func() Evaluator { return &commandCheck{} },
}

// commandCheck runs a program (Run, no shell) or a shell command line
// (Shell, with sh -c) in the module and passes when it exits 0.
type commandCheck struct {
	Run     argv     `yaml:"run"`     // the program and its arguments
	Shell   string   `yaml:"shell"`   // a command line for sh -c
	Dir     string   `yaml:"dir"`     // module-relative working directory (default ".")
	Timeout string   `yaml:"timeout"` // Go duration (default 10m)
	Env     []string `yaml:"env"`     // KEY=VALUE added to the environment

	timeout time.Duration // Timeout, parsed by validate
}

// argv is the run parameter: a list, not a string, so that nothing is
// split or interpreted by a shell.
type argv []string

func (a *argv) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		// "line N: " lets the policy parser report the line.
		return fmt.Errorf("line %d: run: give the program and its arguments as a list, e.g. run: [go, vet, ./...]; for a shell command line use shell: %q", n.Line, n.Value)
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return err
	}
	*a = list
	return nil
}

const defaultCommandTimeout = 10 * time.Minute

// commandOutputLines is how many of the last lines of output a failure shows.
const commandOutputLines = 20

func (c *commandCheck) validate() error {
	switch {
	case len(c.Run) == 0 && c.Shell == "":
		return errors.New("give the command to run: run: [program, args...] or shell: \"command line\"")
	case len(c.Run) > 0 && c.Shell != "":
		return errors.New("give run or shell, not both")
	case len(c.Run) > 0 && strings.TrimSpace(c.Run[0]) == "":
		return errors.New("run: the program (the first item) is empty")
	case c.Shell != "" && strings.TrimSpace(c.Shell) == "":
		return errors.New("shell: the command line is empty")
	}
	if c.Dir != "" {
		if d := filepath.FromSlash(c.Dir); filepath.IsAbs(d) || !filepath.IsLocal(d) {
			return fmt.Errorf("dir: %q must be a directory inside the module, relative to its root", c.Dir)
		}
	}
	c.timeout = defaultCommandTimeout
	if c.Timeout != "" {
		d, err := time.ParseDuration(c.Timeout)
		if err != nil || d <= 0 {
			return fmt.Errorf("timeout: %q is not a positive duration such as 90s or 10m", c.Timeout)
		}
		c.timeout = d
	}
	for _, kv := range c.Env {
		if k, _, ok := strings.Cut(kv, "="); !ok || k == "" || strings.ContainsAny(k, " \t") {
			return fmt.Errorf("env: %q is not KEY=VALUE", kv)
		}
	}
	return nil
}

func (c *commandCheck) Evaluate(ctx context.Context, ws *Workspace) Result {
	if c.timeout == 0 { // not built by Parse
		if err := c.validate(); err != nil {
			return errResult("invalid params: " + err.Error())
		}
	}
	args, shown := []string(c.Run), c.display()
	if c.Shell != "" {
		args = []string{"sh", "-c", c.Shell}
	}
	if !ws.TrustCommands {
		return errResult(shown+" was not run: the policy allows commands, but it comes with the repository, which a pull request can change",
			"hint: where the policy is trusted, pass --allow-commands (or set PERFCTL_ALLOW_COMMANDS=1); on pull requests, read the base branch's policy with --policy-ref origin/main (docs/policy.md#commands-and-trust)")
	}
	dir := ws.Abs(c.Dir)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return errResult(fmt.Sprintf("%s: dir %q is not a directory of the module", shown, c.Dir))
	}
	exec := ws.Exec
	if exec == nil {
		exec = run.Exec{}
	}
	runCtx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	out := &tailBuffer{max: 64 << 10}
	start := time.Now()
	err := exec.Run(runCtx, &run.Cmd{Args: args, Dir: dir, Env: c.Env, Stdout: out, Stderr: out})
	took := roundDuration(time.Since(start))
	var exitErr *run.ExitError
	var notFound *run.NotFoundError
	switch {
	case err == nil:
		return pass(fmt.Sprintf("%s passed in %s", shown, took))
	case ctx.Err() != nil:
		return errResult(fmt.Sprintf("%s was interrupted after %s", shown, took))
	case runCtx.Err() != nil:
		return errResult(fmt.Sprintf("%s timed out after %s (timeout %s)", shown, took, c.timeout), out.lastLines(commandOutputLines)...)
	case errors.As(err, &exitErr):
		return fail(fmt.Sprintf("%s failed with exit status %d after %s", shown, exitErr.Code, took), out.lastLines(commandOutputLines)...)
	case errors.As(err, &notFound):
		return errResult(fmt.Sprintf("%s: %s is not installed (not found in PATH)", shown, notFound.Program))
	}
	return errResult(fmt.Sprintf("%s could not be run: %v", shown, err), out.lastLines(commandOutputLines)...)
}

// display shows the command in backquotes, for messages.
func (c *commandCheck) display() string {
	if c.Shell != "" {
		return "`" + snippet(c.Shell) + "`"
	}
	words := make([]string, len(c.Run))
	for i, w := range c.Run {
		if w == "" || strings.ContainsAny(w, " \t\n'\"\\$`*?;&|<>()") {
			w = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
		}
		words[i] = w
	}
	return "`" + snippet(strings.Join(words, " ")) + "`"
}

// roundDuration rounds d for a message: 1.2s, 340ms.
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= time.Minute:
		return d.Round(time.Second)
	case d >= time.Second:
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

// tailBuffer keeps the last max bytes (at least) written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > 2*t.max {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

// lastLines returns the last n lines written, or a note that there were none.
func (t *tailBuffer) lastLines(n int) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	text := strings.TrimRight(string(bytes.ToValidUTF8(t.buf, []byte("?"))), "\n\r\t ")
	if text == "" {
		return []string{"(no output)"}
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, "\r")
	}
	return lines[max(0, len(lines)-n):]
}
