package cmd

import (
	"context"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/perfctl/perfctl/internal/run"
)

// Main runs perfctl with the process's arguments and returns its exit code.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	f := NewFactory()
	// The go command keeps its work files in $GOTMPDIR (go-build*
	// directories); a go that is killed, after an interrupt it did not
	// answer in time, leaves them behind. perfctl gives every command a
	// directory of its own for them and removes it on the way out.
	if tmp, err := os.MkdirTemp(os.Getenv("GOTMPDIR"), "perfctl-run-"); err == nil {
		defer os.RemoveAll(tmp)
		f.Exec = run.Exec{Env: []string{"GOTMPDIR=" + tmp}}
	}
	return Run(ctx, f, os.Args[1:])
}

// Run runs perfctl with args and returns the exit code; errors are printed
// to f.IOStreams.ErrOut.
func Run(ctx context.Context, f *Factory, args []string) int {
	root := NewCmdRoot(f)
	root.SetArgs(args)
	executed, err := root.ExecuteContextC(ctx)
	path := root.CommandPath()
	if executed != nil {
		path = executed.CommandPath()
	}
	if err != nil && strings.HasPrefix(err.Error(), "unknown command ") {
		// cobra reports an unknown subcommand as a plain error.
		err = &FlagError{Err: err}
	}
	return exitCode(err, path, f.IOStreams.ErrOut)
}
