package lint

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/perfctl/perfctl/internal/atomicfile"
	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/usererr"
)

// PinnedVersion is the golangci-lint version perfctl is tested with and
// installs.
const PinnedVersion = "v2.15.0"

// Module is golangci-lint's module path, for go install.
const Module = "github.com/golangci/golangci-lint/v2/cmd/golangci-lint"

// EnvBinary names the environment variable that points at a golangci-lint
// binary.
const EnvBinary = "PERFCTL_GOLANGCI_LINT"

// InstallCommand is the command that installs the pinned golangci-lint.
func InstallCommand() string {
	return "perfctl tools install (or: go install " + Module + "@" + PinnedVersion + ")"
}

// ToolsDir is where `perfctl tools install` puts golangci-lint, and where
// perfctl looks for it: $XDG_CACHE_HOME/perfctl/tools/golangci-lint-VERSION.
func ToolsDir() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(cache, "perfctl", "tools", "golangci-lint-"+PinnedVersion), nil
}

// Locate finds golangci-lint: flagPath when given, then $PERFCTL_GOLANGCI_LINT,
// then the copy `perfctl tools install` made, then PATH. It checks that the
// binary is golangci-lint v2 and returns its path and version.
func Locate(ctx context.Context, r run.Runner, flagPath string) (path, version string, err error) {
	path, source := flagPath, "--golangci-lint"
	if path == "" {
		path, source = os.Getenv(EnvBinary), "$"+EnvBinary
	}
	if path == "" {
		if dir, derr := ToolsDir(); derr == nil {
			if p := filepath.Join(dir, "golangci-lint"); isExecutable(p) {
				path, source = p, "perfctl tools install"
			}
		}
	}
	if path == "" {
		p, lerr := exec.LookPath("golangci-lint")
		if lerr != nil {
			return "", "", &usererr.Error{Msg: "golangci-lint is not installed (not in PATH, $" + EnvBinary + " unset)",
				Hint: "install the pinned version with " + InstallCommand()}
		}
		path, source = p, "PATH"
	}
	if v, ok := cachedVersion(path); ok {
		return path, v, nil
	}
	out, err := run.Output(ctx, r, &run.Cmd{Args: []string{path, "version", "--short"}})
	if err != nil {
		var nf *run.NotFoundError
		if errors.As(err, &nf) || errors.Is(err, os.ErrNotExist) {
			return "", "", &usererr.Error{Msg: fmt.Sprintf("golangci-lint not found at %s (from %s)", path, source),
				Hint: "fix the path, or install the pinned version with " + InstallCommand()}
		}
		return "", "", &usererr.Error{Msg: fmt.Sprintf("%s (from %s) does not answer `version --short`: %v", path, source, err),
			Hint: "perfctl needs golangci-lint v2; install it with " + InstallCommand()}
	}
	version = strings.TrimPrefix(strings.TrimSpace(string(out)), "v")
	if !strings.HasPrefix(version, "2.") {
		return "", "", &usererr.Error{Msg: fmt.Sprintf("%s (from %s) is golangci-lint %s; perfctl needs v2", path, source, version),
			Hint: "install the pinned version with " + InstallCommand()}
	}
	rememberVersion(path, version)
	return path, version, nil
}

// Asking golangci-lint for its version costs as much as starting it (about
// 0.2 s, a seventh of a lint run), so the answer is remembered per binary
// (path, size, modification time) in the user cache.

func versionKey(path string) (string, bool) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", false
	}
	st, err := os.Stat(abs)
	if err != nil {
		return "", false
	}
	return fmt.Sprintf("%s\x00%d\x00%d", abs, st.Size(), st.ModTime().UnixNano()), true
}

func versionCacheFile() (string, bool) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", false
	}
	return filepath.Join(cache, "perfctl", "golangci-lint-versions.json"), true
}

func readVersionCache() map[string]string {
	m := map[string]string{}
	if file, ok := versionCacheFile(); ok {
		if data, err := os.ReadFile(file); err == nil {
			_ = json.Unmarshal(data, &m) // a damaged cache is an empty one
		}
	}
	return m
}

func cachedVersion(path string) (string, bool) {
	key, ok := versionKey(path)
	if !ok {
		return "", false
	}
	v, ok := readVersionCache()[key]
	return v, ok && strings.HasPrefix(v, "2.")
}

func rememberVersion(path, version string) {
	key, ok := versionKey(path)
	file, ok2 := versionCacheFile()
	if !ok || !ok2 {
		return
	}
	m := readVersionCache()
	if len(m) > 100 {
		m = map[string]string{}
	}
	m[key] = version
	if data, err := json.Marshal(m); err == nil {
		_ = atomicfile.WriteFile(file, data, 0o644) // only a cache
	}
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

// Install installs the pinned golangci-lint into ToolsDir with go install
// and returns the binary's path.
// The go command's output goes to out.
func Install(ctx context.Context, r run.Runner, out io.Writer) (string, error) {
	dir, err := ToolsDir()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	err = r.Run(ctx, &run.Cmd{Args: []string{"go", "install", Module + "@" + PinnedVersion},
		Env: []string{"GOBIN=" + dir}, Stdout: out, Stderr: out})
	if err != nil {
		return "", fmt.Errorf("installing golangci-lint %s (see the go command's output above): %w", PinnedVersion, err)
	}
	return filepath.Join(dir, "golangci-lint"), nil
}
