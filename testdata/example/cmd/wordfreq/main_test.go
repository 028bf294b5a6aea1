package main

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestCLI(t *testing.T) {
	var out, errOut strings.Builder
	if code := cli(context.Background(), []string{"-n", "2"}, strings.NewReader("b a b\nc b a"), &out, &errOut); code != 0 {
		t.Fatalf("exit code %d: %s", code, errOut.String())
	}
	if want := "      3 b\n      2 a\n"; out.String() != want {
		t.Errorf("printed %q, want %q", out.String(), want)
	}
	if code := cli(context.Background(), []string{"-x"}, strings.NewReader(""), &out, &errOut); code != 2 {
		t.Errorf("bad flag: exit code %d, want 2", code)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if code := cli(ctx, nil, strings.NewReader("a"), &out, &errOut); code != 1 {
		t.Errorf("cancelled: exit code %d, want 1", code)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestRunReadError(t *testing.T) {
	if err := run(context.Background(), failingReader{}, &strings.Builder{}, 1); err == nil {
		t.Error("no error from a failing reader")
	}
}
