package cmd

import (
	"context"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/internal/iostreams"
)

// fakeBuildInfo returns a BuildInfo function reporting info; nil means
// "no build information" (ok = false).
func fakeBuildInfo(info *debug.BuildInfo) func() (*debug.BuildInfo, bool) {
	return func() (*debug.BuildInfo, bool) { return info, info != nil }
}

func buildInfo(version, goVersion string, settings ...string) *debug.BuildInfo {
	info := &debug.BuildInfo{GoVersion: goVersion, Main: debug.Module{Path: "github.com/perfctl/perfctl", Version: version}}
	for i := 0; i+1 < len(settings); i += 2 {
		info.Settings = append(info.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
	}
	return info
}

const fullRevision = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b"

func TestVersionString(t *testing.T) {
	platform := " " + runtime.GOOS + "/" + runtime.GOARCH
	tests := []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{
			"release build: version, commit truncated to 12, time, Go version",
			buildInfo("v0.3.1", "go1.26.1", "vcs", "git", "vcs.revision", fullRevision, "vcs.time", "2026-11-26T10:00:00Z", "vcs.modified", "false"),
			"perfctl v0.3.1 (commit 1a2b3c4d5e6f, 2026-11-26T10:00:00Z) go1.26.1" + platform,
		},
		{
			"dirty tree",
			buildInfo("v0.3.1-0.20261126100000-1a2b3c4d5e6f+dirty", "go1.26.8", "vcs.revision", fullRevision, "vcs.time", "2026-11-26T10:00:00Z", "vcs.modified", "true"),
			"perfctl v0.3.1-0.20261126100000-1a2b3c4d5e6f+dirty (commit 1a2b3c4d5e6f-dirty, 2026-11-26T10:00:00Z) go1.26.8" + platform,
		},
		{
			"dirty without a time",
			buildInfo("(devel)", "go1.26.8", "vcs.modified", "true", "vcs.revision", fullRevision),
			"perfctl (devel) (commit 1a2b3c4d5e6f-dirty) go1.26.8" + platform,
		},
		{
			"a short revision is kept whole",
			buildInfo("v1.0.0", "go1.26.0", "vcs.revision", "abc123"),
			"perfctl v1.0.0 (commit abc123) go1.26.0" + platform,
		},
		{
			"exactly 12 characters",
			buildInfo("v1.0.0", "go1.26.0", "vcs.revision", "0123456789ab"),
			"perfctl v1.0.0 (commit 0123456789ab) go1.26.0" + platform,
		},
		{
			"no vcs information, empty module version",
			buildInfo("", "go1.26.8"),
			"perfctl (devel) (commit unknown) go1.26.8" + platform,
		},
		{
			"no build information at all",
			nil,
			"perfctl (devel) (commit unknown) " + runtime.Version() + platform,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := versionString(fakeBuildInfo(tt.info)); got != tt.want {
				t.Errorf("versionString =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestRunVersion(t *testing.T) {
	ios, _, out, errOut := iostreams.Test()
	f := &Factory{IOStreams: ios, BuildInfo: fakeBuildInfo(buildInfo("v0.3.1", "go1.26.1",
		"vcs.revision", fullRevision, "vcs.time", "2026-11-26T10:00:00Z", "vcs.modified", "true"))}
	if code := Run(context.Background(), f, []string{"version"}); code != ExitPass {
		t.Errorf("perfctl version: exit %d, want 0", code)
	}
	want := "perfctl v0.3.1 (commit 1a2b3c4d5e6f-dirty, 2026-11-26T10:00:00Z) go1.26.1 " + runtime.GOOS + "/" + runtime.GOARCH + "\n"
	if out.String() != want {
		t.Errorf("stdout = %q, want %q", out.String(), want)
	}
	if errOut.Len() != 0 {
		t.Errorf("stderr = %q, want nothing", errOut.String())
	}
}

func TestRunVersionArgs(t *testing.T) {
	ios, _, out, errOut := iostreams.Test()
	f := &Factory{IOStreams: ios, BuildInfo: fakeBuildInfo(nil)}
	if code := Run(context.Background(), f, []string{"version", "extra"}); code != ExitError {
		t.Errorf("perfctl version extra: exit %d, want 2", code)
	}
	want := "perfctl: perfctl version takes no arguments, got [\"extra\"]\nRun 'perfctl version --help' for usage.\n"
	if errOut.String() != want {
		t.Errorf("stderr = %q, want %q", errOut.String(), want)
	}
	if out.Len() != 0 {
		t.Errorf("stdout = %q, want nothing", out.String())
	}
}

// TestVersionDoesNotReadRealBuildInfo makes sure the command asks the
// factory, so tests (and packagers) control what it prints.
func TestVersionDoesNotReadRealBuildInfo(t *testing.T) {
	called := false
	ios, _, out, _ := iostreams.Test()
	f := &Factory{IOStreams: ios, BuildInfo: func() (*debug.BuildInfo, bool) {
		called = true
		return buildInfo("v9.9.9", "go1.99.0"), true
	}}
	Run(context.Background(), f, []string{"version"})
	if !called || !strings.HasPrefix(out.String(), "perfctl v9.9.9 (commit unknown) go1.99.0 ") {
		t.Errorf("called %v, stdout %q: version must come from Factory.BuildInfo", called, out.String())
	}
}
