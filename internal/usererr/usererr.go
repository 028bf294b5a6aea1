// Package usererr is perfctl's one shape of error a user reads: what was
// wrong, where, what the tools said, and what to do about it. Every
// package may return an *Error, and an error type that carries more (a
// package that does not compile, golangci-lint failing) describes itself
// as one with a Describe method. Fprint is the one printer: cmd prints
// errors with it, and checks turn errors into check results with
// Describe, so a message reads the same wherever it appears.
//
// It is not for errors a user cannot act on (a failed write to a pipe):
// those stay plain errors, printed as they are.
package usererr

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// An Error is a problem the user can fix.
type Error struct {
	File string // the file it is about, or ""
	Line int    // its line, or 0
	Msg  string // what is wrong, lower-case, one line
	// Details are more lines: further problems ("file:line: message"), or
	// what a tool printed. The printer indents them.
	Details []string
	Hint    string // what to do about it
	Err     error  // the cause, if any
}

// New returns an *Error with a message and a hint.
func New(msg, hint string) *Error { return &Error{Msg: msg, Hint: hint} }

// Errorf returns an *Error whose message is formatted; the hint is set
// with WithHint.
func Errorf(format string, args ...any) *Error {
	return &Error{Msg: fmt.Sprintf(format, args...)}
}

// WithHint sets e's hint and returns e.
func (e *Error) WithHint(hint string) *Error {
	e.Hint = hint
	return e
}

func (e *Error) Error() string {
	if e.File == "" {
		return e.Msg
	}
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	return loc + ": " + e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// Describe implements Describer.
func (e *Error) Describe() *Error { return e }

// A Describer is an error that can say itself as an *Error.
type Describer interface {
	error
	Describe() *Error
}

// Describe returns how err reads for a user: one *Error for each error
// errors.Join put together, from the first Describer in each one's chain,
// or the plain message when there is none.
func Describe(err error) []*Error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*Error
		for _, e := range j.Unwrap() {
			out = append(out, Describe(e)...)
		}
		return out
	}
	var d Describer
	if errors.As(err, &d) {
		e := d.Describe()
		if _, outer := err.(Describer); !outer { //nolint:errorlint // is err itself the describer, not one it wraps?
			// Wrapped with context ("saving baseline main: …"): the whole
			// message, with the describer's details and hint.
			c := *e
			c.File, c.Line, c.Msg = "", 0, strings.TrimSpace(err.Error())
			e = &c
		}
		return []*Error{e}
	}
	return []*Error{{Msg: strings.TrimSpace(err.Error())}}
}

// Fprint writes err for a user, each line of its message prefixed with
// prefix ("perfctl: "), details indented, and the hint of the last error
// that has one at the end:
//
//	perfctl: ./pkg: does not compile
//	    pkg/a.go:3:2: undefined: x
//	hint: fix the build errors above
func Fprint(w io.Writer, prefix string, err error) {
	var b strings.Builder
	hint := ""
	for _, e := range Describe(err) {
		b.WriteString(prefix + e.Error() + "\n")
		for _, d := range e.Details {
			b.WriteString("    " + d + "\n")
		}
		if e.Hint != "" {
			hint = e.Hint
		}
	}
	if hint != "" {
		b.WriteString("hint: " + hint + "\n")
	}
	_, _ = io.WriteString(w, b.String())
}
