package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/perfctl/perfctl/internal/termsafe"
	"github.com/perfctl/perfctl/internal/usererr"
)

// Exit codes: the contract every CI system relies on.
const (
	ExitPass  = 0 // the verdict is pass
	ExitFail  = 1 // the verdict is fail: the gate said no
	ExitError = 2 // no verdict: usage error, bad input, missing tool
)

// errGateFailed is returned by a command whose verdict is fail. Its report
// has already been printed, so Main prints nothing more.
var errGateFailed = errors.New("the gate failed")

// A FlagError is a usage mistake: a bad flag value or a wrong number of
// arguments. Main prints it with a pointer to --help.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

func flagErrorf(format string, args ...any) error {
	return &FlagError{Err: fmt.Errorf(format, args...)}
}

// exitCode maps the error a command returned to the process exit code and
// prints what the user needs to know to errOut. It is the only place where
// errors become exit codes.
func exitCode(err error, cmdPath string, errOut io.Writer) int {
	if err == nil {
		return ExitPass
	}
	// Messages carry names from files and tools: no terminal control.
	errOut = termsafe.Writer{W: errOut}
	if errors.Is(err, errGateFailed) {
		return ExitFail
	}
	var flagErr *FlagError
	switch {
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(errOut, "perfctl: interrupted; nothing was written")
	case errors.As(err, &flagErr):
		fmt.Fprintf(errOut, "perfctl: %s\n", flagErr.Err)
		// A flag's value out of a range the engine defines carries the
		// range in its hint.
		var ue *usererr.Error
		if errors.As(flagErr.Err, &ue) && ue.Hint != "" {
			fmt.Fprintf(errOut, "hint: %s\n", ue.Hint)
		}
		fmt.Fprintf(errOut, "Run '%s --help' for usage.\n", cmdPath)
	default:
		usererr.Fprint(errOut, "perfctl: ", err)
	}
	return ExitError
}
