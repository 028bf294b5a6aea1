package cmd

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportOptions(t *testing.T) {
	t.Parallel()
	dir := moduleDir(t)
	for _, tc := range []struct {
		args []string
		want string // what runF got, as text
		err  string
	}{
		{args: []string{"report", "--html", "r.html"}, want: "html=r.html compare= rev=HEAD bench=<nil> unit= env= max=0 window=50 maxp=0.001 recent=1 set=false"},
		{args: []string{"report", "--html", "-", "--compare", "c.json"}, want: "html=- compare=c.json rev=HEAD bench=<nil> unit= env= max=0 window=50 maxp=0.001 recent=1 set=false"},
		{args: []string{"report", "--html", "r.html", "--bench", "^Parse", "--unit", "B/op", "--env", "abc", "--rev", "main", "--max-commits", "500", "--window", "30", "--max-p", "0.01", "--recent", "3"},
			want: "html=r.html compare= rev=main bench=^Parse unit=B/op env=abc max=500 window=30 maxp=0.01 recent=3 set=true"},
		{args: []string{"report"}, err: "report needs --html FILE"},
		{args: []string{"report", "--html", "r.html", "extra"}, err: "takes no arguments"},
		{args: []string{"report", "--html", "r.html", "--bench", "("}, err: "is not a regular expression"},
		{args: []string{"report", "--html", "r.html", "--max-p", "0"}, err: "--max-p must be above 0"},
		{args: []string{"report", "--html", "r.html", "--max-p", "0.01x"}, err: "invalid argument"},
		{args: []string{"report", "--html", "r.html", "--max-p", "2"}, err: "p-value limit 2 is out of range"},
		{args: []string{"report", "--html", "r.html", "--window", "2"}, err: "window 2 is out of range"},
		{args: []string{"report", "--html", "r.html", "--min-magnitude", "-1"}, err: "minimum magnitude -1 is out of range"},
		{args: []string{"report", "--html", "r.html", "--max-commits", "-1"}, err: "--max-commits must be"},
		{args: []string{"report", "--html", "r.html", "--recent", "0"}, err: "--recent must be 1 or more"},
		{args: []string{"report", "--html", "r.html", "--rev", "--all"}, err: "is not a git revision"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			var got string
			f := testFactory(t, dir, nil)
			cmd := NewCmdReport(f, func(_ context.Context, o *ReportOptions) error {
				tr := o.Trend
				got = fmt.Sprintf("html=%s compare=%s rev=%s bench=%v unit=%s env=%s max=%d window=%d maxp=%v recent=%d set=%v",
					o.HTML, o.Compare, tr.Rev, tr.Bench, tr.Unit, tr.Env, tr.Max, tr.Detect.Window, tr.Detect.MaxP, tr.Recent, o.HistorySet)
				return nil
			})
			err := execute(f, cmd, tc.args...)
			checkRunF(t, err, got != "", tc.err)
			if tc.err == "" && got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// The output path is checked before anything is read.
func TestReportChecksTheOutputFirst(t *testing.T) {
	t.Parallel()
	dir := moduleDir(t)
	if err := os.WriteFile(filepath.Join(dir, "file"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	f := testFactory(t, dir, nil)
	called := false
	cmd := NewCmdReport(f, func(context.Context, *ReportOptions) error { called = true; return nil })
	err := execute(f, cmd, "report", "--html", "file/r.html")
	if err == nil || !strings.Contains(err.Error(), "--html file/r.html: cannot write the file") || called {
		t.Errorf("err %v, called %v; want the output refused before the run", err, called)
	}
}
