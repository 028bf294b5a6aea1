package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/termsafe"
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
	var inputErr *bench.InputError
	var pkgErr *bench.PackageError
	switch {
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(errOut, "perfctl: interrupted; nothing was written")
	case errors.As(err, &flagErr):
		fmt.Fprintf(errOut, "perfctl: %s\nRun '%s --help' for usage.\n", flagErr.Err, cmdPath)
	case errors.As(err, &inputErr):
		fmt.Fprintf(errOut, "perfctl: %s\n", err)
		for _, more := range inputErr.More {
			fmt.Fprintf(errOut, "  %s\n", more)
		}
		if inputErr.Hint != "" {
			fmt.Fprintf(errOut, "hint: %s\n", inputErr.Hint)
		}
	case errors.As(err, &pkgErr):
		if se := (*bench.SideError)(nil); errors.As(err, &se) {
			fmt.Fprintf(errOut, "perfctl: in %s:\n", se.Side)
			err = se.Err
		}
		printPackageErrors(errOut, err)
	case printLintError(errOut, err):
	default:
		fmt.Fprintf(errOut, "perfctl: %s\n", strings.TrimSpace(err.Error()))
	}
	return ExitError
}

// printPackageErrors prints every *bench.PackageError in err (a build can
// fail in several packages at once) with the tool output that explains it.
func printPackageErrors(w io.Writer, err error) {
	var errs []error
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs = joined.Unwrap()
	} else {
		errs = []error{err}
	}
	hint := ""
	for _, e := range errs {
		var pkgErr *bench.PackageError
		if !errors.As(e, &pkgErr) {
			fmt.Fprintf(w, "perfctl: %s\n", e)
			continue
		}
		fmt.Fprintf(w, "perfctl: %s\n", pkgErr)
		if pkgErr.Output != "" {
			for _, line := range strings.Split(pkgErr.Output, "\n") {
				fmt.Fprintf(w, "    %s\n", line)
			}
		}
		hint = pkgErr.Hint
	}
	if hint != "" {
		fmt.Fprintf(w, "hint: %s\n", hint)
	}
}
