package cmd

import (
	"runtime/debug"

	"github.com/perfctl/perfctl/internal/iostreams"
	"github.com/perfctl/perfctl/internal/run"
)

// A Factory holds the dependencies commands share. Tests build their own
// with buffers for streams.
type Factory struct {
	IOStreams *iostreams.IOStreams
	// BuildInfo reports how the binary was built (debug.ReadBuildInfo).
	BuildInfo func() (*debug.BuildInfo, bool)
	// Exec runs external programs: go, git, test binaries.
	Exec run.Runner
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
	return &Factory{IOStreams: iostreams.System(), BuildInfo: debug.ReadBuildInfo, Exec: run.Exec{}}
}
