package usererr

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

type toolFailed struct{ out string }

func (e *toolFailed) Error() string { return "the tool failed" }
func (e *toolFailed) Describe() *Error {
	return &Error{Msg: "the tool failed", Details: strings.Split(e.out, "\n"), Hint: "read its output"}
}

func TestFprint(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&Error{File: "p.yaml", Line: 3, Msg: "unknown key", Details: []string{"p.yaml:5: more"}, Hint: "fix it"},
			"perfctl: p.yaml:3: unknown key\n    p.yaml:5: more\nhint: fix it\n"},
		{New("no go.mod", "run it in a module"), "perfctl: no go.mod\nhint: run it in a module\n"},
		{&toolFailed{"a\nb"}, "perfctl: the tool failed\n    a\n    b\nhint: read its output\n"},
		{fmt.Errorf("reading: %w", &toolFailed{"a"}), "perfctl: reading: the tool failed\n    a\nhint: read its output\n"},
		{fmt.Errorf("saving: %w", &Error{File: "f", Line: 2, Msg: "bad", Hint: "h"}), "perfctl: saving: f:2: bad\nhint: h\n"},
		{errors.Join(&Error{Msg: "one", Hint: "h1"}, &Error{Msg: "two", Hint: "h2"}), "perfctl: one\nperfctl: two\nhint: h2\n"},
		{errors.New("plain\n"), "perfctl: plain\n"},
	} {
		var b strings.Builder
		Fprint(&b, "perfctl: ", tc.err)
		if b.String() != tc.want {
			t.Errorf("Fprint(%v) =\n%s\nwant\n%s", tc.err, b.String(), tc.want)
		}
	}
	if Describe(nil) != nil {
		t.Error("Describe(nil) is not nil")
	}
	var e *Error
	if err := fmt.Errorf("x: %w", Errorf("bad %d", 1).WithHint("h")); !errors.As(err, &e) || e.Msg != "bad 1" || e.Hint != "h" {
		t.Errorf("Errorf/WithHint: %v", err)
	}
}
