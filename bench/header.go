package bench

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/perfctl/perfctl/internal/gitinfo"
	"github.com/perfctl/perfctl/internal/gomod"
	"github.com/perfctl/perfctl/internal/run"
)

// Configuration keys perfctl writes ahead of the results it records, so
// that a file says where its numbers come from. The ones that start with
// "perfctl-" record how the benchmarks were run, so that a later run can
// repeat it (compare --baseline).
const (
	KeyCommit     = "commit"
	KeyBranch     = "branch"
	KeyDirty      = "dirty"
	KeyGo         = "go"
	KeyGOOS       = "goos"
	KeyGOARCH     = "goarch"
	KeyCPU        = "cpu"
	KeyGOMAXPROCS = "gomaxprocs"
	KeyRecordedAt = "recorded-at"
	KeyPerfctl    = "perfctl"

	KeyDir       = "perfctl-dir"
	KeyPackages  = "perfctl-packages"
	KeyBench     = "perfctl-bench"
	KeyCount     = "perfctl-count"
	KeyBenchtime = "perfctl-benchtime"
	KeyCPUList   = "perfctl-cpu"
	KeyTags      = "perfctl-tags"
	KeyTimeout   = "perfctl-timeout"
	// KeyModules lists the directories of the modules a run covered
	// (relative to go.work's directory or the root module), when it
	// covered more than one; KeyModule, ahead of each module's results,
	// names the module they come from.
	KeyModules = "perfctl-modules"
	KeyModule  = "perfctl-module"
)

// A Header is what perfctl records about a run besides its results.
type Header struct {
	Git        gitinfo.Info
	GoVersion  string // of the toolchain that built the benchmarks
	GOOS       string
	GOARCH     string
	CPU        string // filled in by Harness.Run from the test binaries
	GOMAXPROCS int
	RecordedAt time.Time
	Perfctl    string // perfctl's version
	// Dir is the directory the packages were given relative to, itself
	// relative to the module root ("." at the root), so that a later run
	// from elsewhere in the module measures the same packages.
	Dir string
	// Packages are what each package's benchmarks ran on, written as
	// "# perfctl-package IMPORT-PATH BINARY-HASH INPUTS-DIGEST" lines (an
	// Identity), so that a later run can tell the package cannot have
	// changed. They are comments to benchfmt and benchstat, which would
	// otherwise split their tables by them.
	Packages []string
	// Modules are the directories of the modules of a run over several
	// (Spec.Modules), and Module the module path of the one whose results
	// follow; both empty for a run in one module.
	Modules []string
	Module  string
	// Shard and ShardPlan say which shard of which plan a sharded run
	// measured (Harness.Select); empty otherwise.
	Shard, ShardPlan string
	// section writes only what differs between the modules of such a
	// run (perfctl-module, the packages' identities): the results of a
	// later module follow the first's header, which benchfmt keeps.
	section bool
}

// NewHeader reads the environment of a run in dir: git state, the go
// toolchain, GOMAXPROCS, the time, and dir relative to its module root.
func NewHeader(ctx context.Context, r run.Runner, dir, perfctlVersion string) (Header, error) {
	out, err := run.Output(ctx, r, &run.Cmd{Args: []string{"go", "env", "GOVERSION", "GOOS", "GOARCH"}, Dir: dir})
	if err != nil {
		return Header{}, fmt.Errorf("asking the go command for its version: %w", err)
	}
	f := strings.Fields(string(out))
	if len(f) != 3 {
		return Header{}, fmt.Errorf("unexpected output of go env: %q", out)
	}
	return Header{
		Dir:        gomod.Rel(dir),
		Git:        gitinfo.Read(ctx, r, dir),
		GoVersion:  f[0],
		GOOS:       f[1],
		GOARCH:     f[2],
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		RecordedAt: time.Now().UTC().Truncate(time.Second),
		Perfctl:    perfctlVersion,
	}, nil
}

func (h *Header) write(w io.Writer, spec *Spec) {
	kv := func(k, v string) {
		if v != "" { // an empty value would delete the key in benchfmt
			fmt.Fprintf(w, "%s: %s\n", k, v)
		}
	}
	if h.section {
		kv(KeyModule, h.Module)
		h.writeIdentities(w)
		return
	}
	kv(KeyCommit, h.Git.Commit)
	kv(KeyBranch, h.Git.Branch)
	if h.Git.Commit != "" {
		kv(KeyDirty, strconv.FormatBool(h.Git.Dirty))
	}
	kv(KeyGo, h.GoVersion)
	kv(KeyGOOS, h.GOOS)
	kv(KeyGOARCH, h.GOARCH)
	kv(KeyCPU, h.CPU)
	if h.GOMAXPROCS > 0 {
		kv(KeyGOMAXPROCS, strconv.Itoa(h.GOMAXPROCS))
	}
	if !h.RecordedAt.IsZero() {
		kv(KeyRecordedAt, h.RecordedAt.Format(time.RFC3339))
	}
	kv(KeyPerfctl, h.Perfctl)
	kv(KeyDir, h.Dir)
	kv(KeyModules, strings.Join(h.Modules, " "))
	kv(KeyModule, h.Module)
	kv(KeyShard, h.Shard)
	kv(KeyShardPlan, h.ShardPlan)
	kv(KeyPackages, strings.Join(spec.Packages, " "))
	kv(KeyBench, spec.Bench)
	kv(KeyCount, strconv.Itoa(spec.Count))
	kv(KeyBenchtime, spec.Benchtime)
	kv(KeyCPUList, spec.CPU)
	kv(KeyTags, spec.Tags)
	kv(KeyTimeout, spec.Timeout.String())
	h.writeIdentities(w)
}

func (h *Header) writeIdentities(w io.Writer) {
	for _, p := range h.Packages {
		fmt.Fprintf(w, "%s%s\n", identityPrefix, p)
	}
}

// RecordedIdentities returns the identity of each package that set
// recorded ("# perfctl-package" lines), by import path.
func RecordedIdentities(set *ResultSet) map[string]Identity {
	out := map[string]Identity{}
	for _, v := range set.identities {
		if f := strings.Fields(v); len(f) == 3 {
			out[f[0]] = Identity{Binary: f[1], Inputs: f[2]}
		}
	}
	return out
}

// RecordedSpec returns how the results in set were run, as far as the file
// recorded it (see the perfctl-* keys), so that the same run can be
// repeated. Keys the file lacks are left zero. Dir is relative to the module
// root (see Header.Dir); Modules, of a run over several modules, have only
// their Rel set, relative to go.work's directory or the root module.
func RecordedSpec(set *ResultSet) Spec {
	s := Spec{Dir: set.ConfigValue(KeyDir)}
	if p := set.ConfigValue(KeyPackages); p != "" {
		s.Packages = strings.Fields(p)
	}
	s.Bench = set.ConfigValue(KeyBench)
	s.Count, _ = strconv.Atoi(set.ConfigValue(KeyCount))
	s.Benchtime = set.ConfigValue(KeyBenchtime)
	s.CPU = set.ConfigValue(KeyCPUList)
	s.Tags = set.ConfigValue(KeyTags)
	s.Timeout, _ = time.ParseDuration(set.ConfigValue(KeyTimeout))
	for _, rel := range strings.Fields(set.ConfigValue(KeyModules)) {
		s.Modules = append(s.Modules, gomod.Module{Rel: rel})
	}
	return s
}
