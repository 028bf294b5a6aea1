package lint

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/perfctl/perfctl/internal/gomod"
	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/usererr"
	"github.com/perfctl/perfctl/internal/worktree"
)

// A Finding is one problem golangci-lint reported.
type Finding struct {
	Linter  string `json:"linter"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// Options say what to lint and how.
type Options struct {
	Dir      string   // where to run ("" = current directory)
	Packages []string // patterns; empty means ./...
	Profile  Profile
	Tags     string // build tags, comma-separated (golangci-lint --build-tags)
	// NewFromRev reports only findings in code changed since the revision.
	NewFromRev string
	// NewFromMergeBase reports only findings in code changed since the
	// merge base with the branch.
	NewFromMergeBase string
}

// Result is the outcome of a lint run.
type Result struct {
	Findings []Finding // sorted by file, line, column
	Version  string    // golangci-lint's version
	// Modules are the modules seen where perfctl runs, with those linted
	// marked Covered; nil when there is one module only. NoGoFiles are
	// covered modules with no Go files to lint (RunModules).
	Modules   []gomod.Module
	NoGoFiles []gomod.Module
	// Filtered are the findings left out because nobody can act on them
	// (see filterFixedSignatures), by reason.
	Filtered []FilteredGroup
	// FilterError says why findings that might have been filtered were
	// kept: their packages could not be loaded with type information.
	// The findings are reported; only the filtering is incomplete.
	FilterError string
}

// A CompileError is code that does not compile: golangci-lint reports it as
// typecheck findings, and no lint verdict is possible.
type CompileError struct {
	Findings []Finding
}

func (e *CompileError) Error() string { return "the code does not compile" }

// Describe says e for a user: the compiler's messages, and to fix the
// build first.
func (e *CompileError) Describe() *usererr.Error {
	d := &usererr.Error{Msg: "the code does not compile:",
		Hint: "fix the build first (go build ./... shows the same errors); perfctl lints code that compiles"}
	for _, f := range e.Findings {
		d.Details = append(d.Details, strings.Split(f.Message, "\n")...)
	}
	return d
}

// A FailureError is golangci-lint failing to lint: its own exit codes 3
// (failure), 4 (timeout), 5 (no Go files) and 7 (an error was logged).
type FailureError struct {
	Code   int
	Msg    string
	Output string // what golangci-lint printed on stderr
	Hint   string
}

func (e *FailureError) Error() string { return e.Msg }

// Describe says e for a user: what golangci-lint said, and the hint.
func (e *FailureError) Describe() *usererr.Error {
	d := &usererr.Error{Msg: fmt.Sprintf("%s (exit status %d)", e.Msg, e.Code), Hint: e.Hint}
	for _, line := range strings.Split(e.Output, "\n") {
		if line != "" {
			d.Details = append(d.Details, line)
		}
	}
	return d
}

// golangci-lint's exit codes (pkg/exitcodes).
const (
	exitIssuesFound = 1
	exitFailure     = 3
	exitTimeout     = 4
	exitNoGoFiles   = 5
	exitErrorLogged = 7
)

// Run lints with golangci-lint at bin. Findings are a successful result;
// code that does not compile is a *CompileError; golangci-lint failing is a
// *FailureError.
func Run(ctx context.Context, r run.Runner, bin string, opts *Options) (*Result, error) {
	// golangci-lint ignores a revision git does not know and reports
	// everything: resolve it first, to a commit.
	newFrom := ""
	switch {
	case opts.NewFromRev != "":
		sha, err := worktree.Resolve(ctx, r, opts.Dir, opts.NewFromRev)
		if err != nil {
			return nil, err
		}
		newFrom = sha
	case opts.NewFromMergeBase != "":
		sha, err := worktree.MergeBase(ctx, r, opts.Dir, opts.NewFromMergeBase)
		if err != nil {
			return nil, err
		}
		newFrom = sha
	}
	cfg, err := opts.Profile.Config()
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp("", "perfctl-golangci-*.yml")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(cfg); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}

	args := []string{bin, "run", "--config", f.Name(), "--output.json.path", "stdout", "--show-stats=false",
		"--allow-parallel-runners"} // another golangci-lint (an editor's) must not fail the gate
	if opts.Tags != "" {
		args = append(args, "--build-tags", opts.Tags)
	}
	if newFrom != "" {
		args = append(args, "--new-from-rev", newFrom)
	}
	pkgs := opts.Packages
	if len(pkgs) == 0 {
		pkgs = []string{"./..."}
	}
	args = append(args, "--")
	args = append(args, pkgs...)

	var stdout, stderr bytes.Buffer
	err = r.Run(ctx, &run.Cmd{Args: args, Dir: opts.Dir, Stdout: &stdout, Stderr: &stderr})
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	var exitErr *run.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr) && exitErr.Code == exitIssuesFound:
	case errors.As(err, &exitErr):
		if exitErr.Code == exitFailure {
			if msg, ok := configRejection(stderr.String()); ok {
				return nil, opts.Profile.rejected(msg, stderr.String())
			}
		}
		return nil, failure(exitErr.Code, stderr.String())
	default:
		return nil, fmt.Errorf("running golangci-lint: %w", err)
	}
	findings, err := ParseJSON(stdout.Bytes())
	if err != nil {
		return nil, fmt.Errorf("reading golangci-lint's JSON output: %w (stderr: %s)", err, strings.TrimSpace(stderr.String()))
	}
	var compile []Finding
	for _, f := range findings {
		if f.Linter == "typecheck" {
			// The compiler's messages arrive as one text, pinned to line 1
			// of some file: ": # pkg\n./a.go:10:9: cannot use …".
			f.Message = strings.TrimSpace(strings.TrimPrefix(f.Message, ": "))
			compile = append(compile, f)
		}
	}
	if len(compile) > 0 {
		return nil, &CompileError{Findings: compile}
	}
	res := &Result{Findings: findings}
	kept, filtered, err := filterFixedSignatures(ctx, opts, findings)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	res.Findings, res.Filtered = kept, filtered
	if err != nil {
		res.FilterError = err.Error()
	}
	return res, nil
}

func failure(code int, stderr string) *FailureError {
	e := &FailureError{Code: code, Output: strings.TrimSpace(stderr)}
	switch code {
	case exitFailure:
		e.Msg, e.Hint = "golangci-lint failed to analyze the code", "see its message above; `go vet` on the same packages often says more"
	case exitTimeout:
		e.Msg, e.Hint = "golangci-lint timed out", "lint fewer packages, or raise golangci-lint's timeout"
	case exitNoGoFiles:
		e.Msg, e.Hint = "golangci-lint found no Go files to analyze", "run perfctl lint inside a Go module and check the package patterns"
	case exitErrorLogged:
		e.Msg, e.Hint = "golangci-lint logged an error", "see its message above"
	default:
		e.Msg, e.Hint = fmt.Sprintf("golangci-lint exited with status %d", code), "see its message above"
	}
	return e
}

// golangciOutput is the part of golangci-lint's JSON output perfctl reads.
type golangciOutput struct {
	Issues []struct {
		FromLinter string
		Text       string
		Pos        struct {
			Filename     string
			Line, Column int
		}
	}
}

// ParseJSON reads golangci-lint's JSON output (--output.json.path) into
// findings sorted by file, line and column.
func ParseJSON(data []byte) ([]Finding, error) {
	var out golangciOutput
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, err
	}
	findings := make([]Finding, 0, len(out.Issues))
	for _, is := range out.Issues {
		if is.FromLinter == "" || is.Pos.Filename == "" {
			return nil, fmt.Errorf("an issue without linter or file: %+v", is)
		}
		findings = append(findings, Finding{Linter: is.FromLinter, File: is.Pos.Filename,
			Line: is.Pos.Line, Column: is.Pos.Column, Message: is.Text})
	}
	sort.SliceStable(findings, func(i, j int) bool {
		a, b := &findings[i], &findings[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return findings, nil
}
