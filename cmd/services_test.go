package cmd

import (
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/perfctl/perfctl/compare"
)

// TestAllowCommandsFlag: every command that runs benchmarks takes
// --allow-commands, which lets the policy's services start, and reads
// PERFCTL_ALLOW_COMMANDS when it is not given.
func TestAllowCommandsFlag(t *testing.T) {
	t.Parallel()
	dir := moduleDir(t)
	commands := map[string]func(f *Factory, got *bool) *cobra.Command{
		"bench": func(f *Factory, got *bool) *cobra.Command {
			return NewCmdBench(f, func(_ context.Context, o *BenchOptions) error { *got = o.AllowCommands; return nil })
		},
		"compare": func(f *Factory, got *bool) *cobra.Command {
			return NewCmdCompare(f, func(_ context.Context, o *CompareOptions) error { *got = o.AllowCommands; return nil })
		},
		"save": func(f *Factory, got *bool) *cobra.Command {
			common := func() BaselineOptions {
				return BaselineOptions{IO: f.IOStreams, Dir: f.Dir, Store: compare.Store(f.Dir, &compare.Reference{})}
			}
			return NewCmdBaselineSave(f, common, func(_ context.Context, o *BaselineSaveOptions) error { *got = o.AllowCommands; return nil })
		},
		"services": func(f *Factory, got *bool) *cobra.Command {
			return NewCmdServices(f, func(_ context.Context, o *ServicesCheckOptions) error { *got = o.AllowCommands; return nil })
		},
		"add": func(f *Factory, got *bool) *cobra.Command {
			common := func() HistoryOptions { return HistoryOptions{IO: f.IOStreams, Dir: f.Dir} }
			return NewCmdHistoryAdd(f, common, func(_ context.Context, o *HistoryAddOptions) error { *got = o.AllowCommands; return nil })
		},
	}
	for name, newCmd := range commands {
		extra := map[string][]string{"compare": {"--base-ref", "HEAD"}, "services": {"check"}}[name]
		for _, tc := range []struct {
			flags []string
			env   string
			want  bool
		}{
			{nil, "", false},
			{[]string{"--allow-commands"}, "", true},
			{nil, "1", true},
			{nil, "no", false},
			{[]string{"--allow-commands=false"}, "true", false},
		} {
			t.Run(name+" "+strings.Join(tc.flags, " ")+" env="+tc.env, func(t *testing.T) {
				t.Parallel()
				f := testFactory(t, dir, map[string]string{"PERFCTL_ALLOW_COMMANDS": tc.env})
				got := !tc.want
				c := newCmd(f, &got)
				if err := execute(f, c, append(append([]string{name}, extra...), tc.flags...)...); err != nil {
					t.Fatal(err)
				}
				if got != tc.want {
					t.Errorf("AllowCommands = %v, want %v", got, tc.want)
				}
			})
		}
	}
}
