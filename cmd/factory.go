package cmd

import (
	"runtime/debug"

	"github.com/perfctl/perfctl/internal/iostreams"
)

// A Factory holds the dependencies commands share. Tests build their own
// with buffers for streams.
type Factory struct {
	IOStreams *iostreams.IOStreams
	// BuildInfo reports how the binary was built (debug.ReadBuildInfo).
	BuildInfo func() (*debug.BuildInfo, bool)
}

// NewFactory returns the factory of the real process.
func NewFactory() *Factory {
	return &Factory{IOStreams: iostreams.System(), BuildInfo: debug.ReadBuildInfo}
}
