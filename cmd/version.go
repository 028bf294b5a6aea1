package cmd

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// NewCmdVersion returns `perfctl version`. It takes no flags, so it has
// nothing for a runF to check.
func NewCmdVersion(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print perfctl's version, commit and Go version",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(f.IOStreams.Out, versionString(f.BuildInfo))
			return err
		},
	}
}

// versionString describes the build, e.g.
// "perfctl v0.1.0 (commit 1a2b3c4d5e6f, 2026-11-26T10:00:00Z) go1.26.8 linux/amd64".
func versionString(buildInfo func() (*debug.BuildInfo, bool)) string {
	version, commit, when, dirty := "(devel)", "unknown", "", false
	goVersion := runtime.Version()
	if info, ok := buildInfo(); ok {
		if info.Main.Version != "" {
			version = info.Main.Version
		}
		goVersion = info.GoVersion
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
				if len(commit) > 12 {
					commit = commit[:12]
				}
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if dirty {
		commit += "-dirty"
	}
	if when != "" {
		commit += ", " + when
	}
	return fmt.Sprintf("perfctl %s (commit %s) %s %s/%s", version, commit, goVersion, runtime.GOOS, runtime.GOARCH)
}

// noArgs rejects positional arguments as a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return flagErrorf("%s takes no arguments, got %q", cmd.CommandPath(), args)
	}
	return nil
}

// maxArgs rejects more than n positional arguments as a usage error.
func maxArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > n {
			return flagErrorf("%s takes at most %d argument(s), got %q", cmd.CommandPath(), n, args)
		}
		return nil
	}
}
