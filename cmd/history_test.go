package cmd

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func TestHistoryOptions(t *testing.T) {
	t.Parallel()
	dir := moduleDir(t)
	for _, tc := range []struct {
		args []string
		want string // the command that ran and what it got, as text
		err  string
	}{
		{args: []string{"history", "add"}, want: "add from= commit=HEAD pkgs=[]"},
		{args: []string{"history", "add", "r.txt", "--commit", "HEAD~1"}, want: "add from=r.txt commit=HEAD~1 pkgs=[]"},
		{args: []string{"history", "add", "--count", "3", "--", "./a", "./b"}, want: "add from= commit=HEAD pkgs=[./a ./b]"},
		{args: []string{"history", "add", "a.txt", "b.txt"}, err: "at most one FILE"},
		{args: []string{"history", "add", "r.txt", "--", "./a"}, err: "packages cannot be given"},
		{args: []string{"history", "add", "r.txt", "--benchtime", "1x"}, err: "--benchtime says how to run the benchmarks, but with FILE nothing runs"},
		{args: []string{"history", "add", "--commit", "-x"}, err: "is not a git revision"},
		{args: []string{"history", "log"}, want: "log text limit=100"},
		{args: []string{"history", "log", "--format", "json", "-n", "0"}, want: "log json limit=0"},
		{args: []string{"history", "log", "--format", "xml"}, err: "unknown format"},
		{args: []string{"history", "log", "--limit", "-1"}, err: "--limit must be"},
		{args: []string{"history", "show", "HEAD"}, want: "show HEAD env="},
		{args: []string{"history", "show"}, err: "needs one COMMIT"},
		{args: []string{"history", "show", "--", "--all"}, err: "is not a git revision"},
		{args: []string{"history", "export", "--out", "d"}, want: "export d"},
		{args: []string{"history", "export"}, err: "needs --out DIR"},
		{args: []string{"history", "prune", "--keep", "2"}, want: "prune keep=2 before=false commits=[]"},
		{args: []string{"history", "prune", "--before", "2026-01-02"}, want: "prune keep=0 before=true commits=[]"},
		{args: []string{"history", "prune", "--commit", "abcd", "--commit", "ef01"}, want: "prune keep=0 before=false commits=[abcd ef01]"},
		{args: []string{"history", "prune"}, err: "needs --keep N"},
		{args: []string{"history", "prune", "--before", "soon"}, err: "is not a date"},
		{args: []string{"history", "prune", "--keep", "-1"}, err: "--keep must be"},
		{args: []string{"history", "push"}, want: "push origin"},
		{args: []string{"history", "pull", "../store.git"}, want: "pull ../store.git"},
		{args: []string{"history", "push", "--", "--upload-pack=x"}, err: "is not a git remote"},
		{args: []string{"history", "pull", "ext::sh -c x"}, err: "is not a git remote"},
		{args: []string{"history", "push", "a", "b"}, err: "at most 1"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			var got string
			f := testFactory(t, dir, nil)
			common := func() HistoryOptions { return HistoryOptions{IO: f.IOStreams, Dir: f.Dir} }
			cmd := &cobra.Command{Use: "history"}
			cmd.AddCommand(
				NewCmdHistoryAdd(f, common, func(_ context.Context, o *HistoryAddOptions) error {
					got = fmt.Sprintf("add from=%s commit=%s pkgs=%v", o.From, o.Commit, o.Spec.Packages)
					return nil
				}),
				NewCmdHistoryLog(common, func(_ context.Context, o *HistoryLogOptions) error {
					got = fmt.Sprintf("log %s limit=%d", o.Format, o.Limit)
					return nil
				}),
				NewCmdHistoryShow(common, func(_ context.Context, o *HistoryShowOptions) error {
					got = "show " + o.Commit + " env=" + o.Env
					return nil
				}),
				NewCmdHistoryExport(common, func(_ context.Context, o *HistoryExportOptions) error { got = "export " + o.Out; return nil }),
				NewCmdHistoryPrune(common, func(_ context.Context, o *HistoryPruneOptions) error {
					r := o.Request
					got = fmt.Sprintf("prune keep=%d before=%v commits=%v", r.Keep, !r.Before.IsZero(), r.Commits)
					return nil
				}),
				NewCmdHistorySync(common, "push", func(_ context.Context, o *HistorySyncOptions) error { got = "push " + o.Remote; return nil }),
				NewCmdHistorySync(common, "pull", func(_ context.Context, o *HistorySyncOptions) error { got = "pull " + o.Remote; return nil }),
			)
			err := execute(f, cmd, tc.args...)
			checkRunF(t, err, got != "", tc.err)
			if tc.err == "" && got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
