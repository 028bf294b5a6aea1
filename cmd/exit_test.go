package cmd

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/internal/usererr"
)

// The exit codes are a contract with every CI system: they must not move.
func TestExitCodeConstants(t *testing.T) {
	if ExitPass != 0 || ExitFail != 1 || ExitError != 2 {
		t.Errorf("exit codes pass %d fail %d error %d, want 0 1 2", ExitPass, ExitFail, ExitError)
	}
}

func TestExitCode(t *testing.T) {
	inputErr := &usererr.Error{
		File: "head.txt", Line: 7,
		Msg:     "malformed benchmark line: parsing iteration count: invalid syntax",
		Hint:    "fix or delete the line",
		Details: []string{"head.txt:9: parsing measurement: invalid syntax", "head.txt:12: missing units"},
	}
	tests := []struct {
		name    string
		err     error
		cmdPath string
		code    int
		stderr  string
	}{
		{"nil is a pass", nil, "perfctl compare", ExitPass, ""},
		{"gate failed is 1, silently", errGateFailed, "perfctl compare", ExitFail, ""},
		{"wrapped gate failed is 1", fmt.Errorf("compare: %w", errGateFailed), "perfctl compare", ExitFail, ""},
		{
			"flag error is 2 with the --help pointer of the command",
			&FlagError{Err: errors.New(`--alpha "x" is not a significance level`)}, "perfctl compare", ExitError,
			"perfctl: --alpha \"x\" is not a significance level\nRun 'perfctl compare --help' for usage.\n",
		},
		{
			"flag error via flagErrorf",
			flagErrorf("compare needs two files of benchmark results, BASE and HEAD; got %d argument(s)", 1), "perfctl compare", ExitError,
			"perfctl: compare needs two files of benchmark results, BASE and HEAD; got 1 argument(s)\nRun 'perfctl compare --help' for usage.\n",
		},
		{
			"input error is 2: message, More lines indented, then the hint",
			inputErr, "perfctl compare", ExitError,
			"perfctl: head.txt:7: malformed benchmark line: parsing iteration count: invalid syntax\n" +
				"    head.txt:9: parsing measurement: invalid syntax\n" +
				"    head.txt:12: missing units\n" +
				"hint: fix or delete the line\n",
		},
		{
			"input error without file, line or hint",
			&usererr.Error{Msg: `--filter "x" matches no benchmark`}, "perfctl compare", ExitError,
			"perfctl: --filter \"x\" matches no benchmark\n",
		},
		{
			"input error with a file and no line",
			&usererr.Error{File: "empty.txt", Msg: "is empty", Hint: "record results"}, "perfctl compare", ExitError,
			"perfctl: empty.txt: is empty\nhint: record results\n",
		},
		{
			"wrapped input error keeps its hint",
			fmt.Errorf("reading base: %w", &usererr.Error{File: "b.txt", Msg: "is empty", Hint: "record results"}), "perfctl compare", ExitError,
			"perfctl: reading base: b.txt: is empty\nhint: record results\n",
		},
		{
			"input error wrapping a system error is still an input error",
			&usererr.Error{File: "x.txt", Msg: "cannot read benchmark results: file does not exist", Hint: "check the path", Err: fs.ErrNotExist},
			"perfctl compare", ExitError,
			"perfctl: x.txt: cannot read benchmark results: file does not exist\nhint: check the path\n",
		},
		{"other errors are 2", errors.New("rendering the report: disk full"), "perfctl compare", ExitError, "perfctl: rendering the report: disk full\n"},
		{"other errors are trimmed", errors.New("  boom\n\n"), "perfctl", ExitError, "perfctl: boom\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var errOut bytes.Buffer
			if got := exitCode(tt.err, tt.cmdPath, &errOut); got != tt.code {
				t.Errorf("exitCode(%v) = %d, want %d", tt.err, got, tt.code)
			}
			if got := errOut.String(); got != tt.stderr {
				t.Errorf("exitCode(%v) wrote\n%q\nwant\n%q", tt.err, got, tt.stderr)
			}
		})
	}
}

// TestExitCodeWrappedFlagError checks that a FlagError wrapped by another
// error is still a usage error pointing to --help. (Which message it prints,
// the wrapper's or the FlagError's, is left open.)
func TestExitCodeWrappedFlagError(t *testing.T) {
	var errOut bytes.Buffer
	err := fmt.Errorf("context: %w", &FlagError{Err: errors.New("bad value")})
	if got := exitCode(err, "perfctl version", &errOut); got != ExitError {
		t.Errorf("exitCode = %d, want %d", got, ExitError)
	}
	out := errOut.String()
	if !strings.HasPrefix(out, "perfctl: ") || !strings.Contains(out, "bad value") ||
		!strings.HasSuffix(out, "\nRun 'perfctl version --help' for usage.\n") {
		t.Errorf("exitCode wrote %q, want a perfctl: line with the message and the --help pointer", out)
	}
}

// TestFlagErrorUnwraps checks that a FlagError keeps its cause reachable.
func TestFlagErrorUnwraps(t *testing.T) {
	cause := errors.New("cause")
	err := &FlagError{Err: fmt.Errorf("--threshold: %w", cause)}
	if !errors.Is(err, cause) {
		t.Error("errors.Is(FlagError, cause) = false")
	}
	if err.Error() != "--threshold: cause" {
		t.Errorf("Error() = %q", err.Error())
	}
}
