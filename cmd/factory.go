package cmd

import (
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/perfctl/perfctl/internal/iostreams"
	"github.com/perfctl/perfctl/internal/run"
)

// A Factory holds the dependencies commands share. Tests build their own
// with buffers for streams, a directory of their own and a fake
// environment, so that commands run in-process and in parallel.
type Factory struct {
	IOStreams *iostreams.IOStreams
	// BuildInfo reports how the binary was built (debug.ReadBuildInfo).
	BuildInfo func() (*debug.BuildInfo, bool)
	// Exec runs external programs: go, git, test binaries.
	Exec run.Runner
	// Dir is the directory perfctl works in, absolute: the process's
	// working directory, or -C DIR. Commands resolve relative paths
	// against it; perfctl never changes the process's directory.
	Dir string
	// Getenv reads the environment (GITHUB_STEP_SUMMARY, GITHUB_ACTIONS,
	// PERFCTL_ALLOW_COMMANDS).
	Getenv func(string) string
}

// Version is perfctl's module version as recorded in result files.
func (f *Factory) Version() string {
	if f.BuildInfo != nil {
		if info, ok := f.BuildInfo(); ok && info.Main.Version != "" {
			return info.Main.Version
		}
	}
	return "(devel)"
}

// NewFactory returns the factory of the real process.
func NewFactory() *Factory {
	wd, err := os.Getwd()
	if err != nil {
		wd = "."
	}
	return &Factory{IOStreams: iostreams.System(), BuildInfo: debug.ReadBuildInfo, Exec: run.Exec{}, Dir: wd, Getenv: os.Getenv}
}

// path resolves a path the user gave against the factory's directory.
func (f *Factory) path(p string) string { return resolve(f.Dir, p) }

// resolve returns path relative to dir, unless it is absolute; "" and "-"
// (standard input or output) stay as they are.
func resolve(dir, path string) string {
	if path == "" || path == "-" || filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(dir, path)
}

func (f *Factory) getenv(key string) string {
	if f.Getenv == nil {
		return ""
	}
	return f.Getenv(key)
}
