// Package run starts external programs (go, git, test binaries,
// golangci-lint) through one small interface, so that the logic above it can
// be tested with a fake and every integration still has a test with the
// real tool.
package run

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// A Cmd is one program to run.
type Cmd struct {
	Args   []string  // Args[0] is the program, looked up in PATH
	Dir    string    // working directory; "" is the current one
	Env    []string  // extra environment, added to the process's own
	Stdin  io.Reader // nil reads nothing
	Stdout io.Writer
	Stderr io.Writer
}

// String shows the command line, for messages.
func (c *Cmd) String() string { return strings.Join(c.Args, " ") }

// A Runner runs commands.
type Runner interface {
	Run(ctx context.Context, c *Cmd) error
}

// Exec runs commands as real processes. When ctx is cancelled (Ctrl-C), the
// process gets an interrupt and, if it has not ended 5 seconds later, is
// killed.
type Exec struct {
	// Env is added to the environment of every command, before the
	// command's own.
	Env []string
}

// Run implements Runner.
func (e Exec) Run(ctx context.Context, c *Cmd) error {
	if len(c.Args) == 0 {
		return errors.New("run: empty command")
	}
	cmd := exec.CommandContext(ctx, c.Args[0], c.Args[1:]...)
	cmd.Dir = c.Dir
	if len(c.Env) > 0 || len(e.Env) > 0 {
		cmd.Env = append(append(os.Environ(), e.Env...), c.Env...)
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = c.Stdin, c.Stdout, c.Stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return &ExitError{Cmd: c.String(), Code: exitErr.ExitCode(), Err: err}
	}
	if errors.Is(err, exec.ErrNotFound) {
		return &NotFoundError{Program: c.Args[0], Err: err}
	}
	return err
}

// An ExitError is a command that ran and exited with a non-zero status.
type ExitError struct {
	Cmd  string
	Code int
	Err  error
}

func (e *ExitError) Error() string { return fmt.Sprintf("%s: exit status %d", e.Cmd, e.Code) }
func (e *ExitError) Unwrap() error { return e.Err }

// A NotFoundError is a program that is not installed (not in PATH).
type NotFoundError struct {
	Program string
	Err     error
}

func (e *NotFoundError) Error() string { return e.Program + ": not found in PATH" }
func (e *NotFoundError) Unwrap() error { return e.Err }

// Output runs c and returns its standard output; on failure the error
// carries the command's standard error.
func Output(ctx context.Context, r Runner, c *Cmd) ([]byte, error) {
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
	if err := r.Run(ctx, c); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return stdout.Bytes(), fmt.Errorf("%w\n%s", err, msg)
		}
		return stdout.Bytes(), err
	}
	return stdout.Bytes(), nil
}
