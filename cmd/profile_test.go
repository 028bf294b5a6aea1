package cmd

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/perfctl/perfctl/internal/usererr"
	"github.com/perfctl/perfctl/report"
)

func TestProfileOptions(t *testing.T) {
	t.Parallel()
	dir := moduleDir(t)
	for _, tc := range []struct {
		args []string
		want func(t *testing.T, o *ProfileOptions)
		err  string
	}{
		{args: []string{"profile", "--bench", "Parse"}, want: func(t *testing.T, o *ProfileOptions) {
			r := o.Request
			if r.Spec.Dir != dir || r.Spec.Bench != "Parse" || r.Spec.Count != 1 || r.Spec.Timeout != 10*time.Minute || r.Top != 10 ||
				o.OutGiven || r.Out != "" || r.Block || r.Mutex || r.MemRate != 0 || o.Format != report.Text || len(r.Spec.Packages) != 0 {
				t.Errorf("options %+v", o)
			}
		}},
		{args: []string{"-C", "sub", "profile", "--bench", "^BenchmarkX$", "--benchtime", "2s", "--count", "3", "--out", "prof",
			"--block", "--mutex", "--memprofilerate", "1", "--top", "5", "--format", "json", "--tags", "t", "./x/..."},
			want: func(t *testing.T, o *ProfileOptions) {
				r := o.Request
				if r.Spec.Dir != filepath.Join(dir, "sub") || r.Spec.Benchtime != "2s" || r.Spec.Count != 3 || r.Out != filepath.Join(dir, "sub", "prof") ||
					!o.OutGiven || !r.Block || !r.Mutex || r.MemRate != 1 || r.Top != 5 || o.Format != report.JSON || r.Spec.Tags != "t" ||
					!slices.Equal(r.Spec.Packages, []string{"./x/..."}) {
					t.Errorf("options %+v", o)
				}
			}},
		{args: []string{"profile"}, err: "--bench is required"},
		{args: []string{"profile", "--bench", "("}, err: "not a valid regular expression"},
		{args: []string{"profile", "--bench", ".", "--count", "0"}, err: "--count 0"},
		{args: []string{"profile", "--bench", ".", "--top", "0"}, err: "--top 0"},
		{args: []string{"profile", "--bench", ".", "--memprofilerate", "-1"}, err: "--memprofilerate -1"},
		{args: []string{"profile", "--bench", ".", "--timeout", "0"}, err: "--timeout 0s"},
		{args: []string{"profile", "--bench", ".", "--benchtime", "1y"}, err: `--benchtime "1y"`},
		{args: []string{"profile", "--bench", ".", "--format", "markdown"}, err: `unknown format "markdown"`},
		{args: []string{"profile", "--bench", ".", "--", "-exec=x"}, err: "starts with '-'"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			var got *ProfileOptions
			f := testFactory(t, dir, nil)
			err := execute(f, NewCmdProfile(f, func(_ context.Context, o *ProfileOptions) error { got = o; return nil }), tc.args...)
			checkRunF(t, err, got != nil, tc.err)
			if got != nil && tc.want != nil {
				tc.want(t, got)
			}
		})
	}
	// An --out that is a file is refused before anything runs.
	f := testFactory(t, dir, nil)
	called := false
	err := execute(f, NewCmdProfile(f, func(context.Context, *ProfileOptions) error { called = true; return nil }), "profile", "--bench", ".", "--out", "go.mod")
	var ue *usererr.Error
	if called || !errors.As(err, &ue) || ue.Msg != "--out go.mod is a file" || exitCode(err, "perfctl profile", &strings.Builder{}) != ExitError {
		t.Errorf("--out a file: called %v, %v", called, err)
	}
}

func TestNewProfileDir(t *testing.T) {
	t.Parallel()
	parent := filepath.Join(t.TempDir(), ".perfctl", "profiles")
	now := time.Date(2026, 11, 30, 9, 15, 0, 0, time.FixedZone("CET", 3600))
	a, err := newProfileDir(parent, now)
	if err != nil {
		t.Fatal(err)
	}
	b, err := newProfileDir(parent, now)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(a) != "20261130T081500Z" || filepath.Base(b) != "20261130T081500Z-2" {
		t.Errorf("directories %s, %s", a, b)
	}
	if st, err := os.Stat(b); err != nil || !st.IsDir() {
		t.Errorf("%s: %v", b, err)
	}
}

func TestDisplayPath(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ dir, path, want string }{
		{"/w/m", "/w/m/.perfctl/profiles/x", ".perfctl/profiles/x"},
		{"/w/m", "/w/other", "/w/other"},
		{"/w/m", "/w/m", "."},
		{"/w/m", "/w/m/..x", "..x"},
	} {
		if got := displayPath(c.dir, c.path); got != c.want {
			t.Errorf("displayPath(%s, %s) = %s, want %s", c.dir, c.path, got, c.want)
		}
	}
}

func TestCompareProfileOptions(t *testing.T) {
	t.Parallel()
	dir := moduleDir(t)
	for _, tc := range []struct {
		args []string
		want func(t *testing.T, o *CompareOptions)
		err  string
	}{
		{args: []string{"compare", "--base-ref", "HEAD"}, want: func(t *testing.T, o *CompareOptions) {
			if o.Request.Profile != nil {
				t.Errorf("profiling without --profile: %+v", o.Request.Profile)
			}
		}},
		{args: []string{"compare", "--base-ref", "HEAD", "--profile"}, want: func(t *testing.T, o *CompareOptions) {
			if p := o.Request.Profile; p == nil || p.Dir != "" {
				t.Errorf("--profile: %+v", p)
			}
		}},
		{args: []string{"-C", "sub", "compare", "--merge-base", "main", "--profile-dir", "prof"}, want: func(t *testing.T, o *CompareOptions) {
			if p := o.Request.Profile; p == nil || p.Dir != filepath.Join(dir, "sub", "prof") || p.Shown != "prof" {
				t.Errorf("--profile-dir: %+v", p)
			}
		}},
		{args: []string{"compare", "--baseline", "main", "--rerun-base", "--profile"}, want: func(t *testing.T, o *CompareOptions) {
			if o.Request.Profile == nil {
				t.Error("--rerun-base --profile: no profiling")
			}
		}},
		{args: []string{"compare", "--profile", "a.txt", "b.txt"}, err: "--profile runs each regression again on both sides"},
		{args: []string{"compare", "--baseline", "main", "--profile"}, err: "--profile runs each regression again on both sides"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			var got *CompareOptions
			f := testFactory(t, dir, nil)
			err := execute(f, NewCmdCompare(f, func(_ context.Context, o *CompareOptions) error { got = o; return nil }), tc.args...)
			checkRunF(t, err, got != nil, tc.err)
			if got != nil && tc.want != nil {
				tc.want(t, got)
			}
		})
	}
}
