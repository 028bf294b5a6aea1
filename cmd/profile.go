package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/atomicfile"
	"github.com/perfctl/perfctl/internal/gomod"
	"github.com/perfctl/perfctl/internal/iostreams"
	"github.com/perfctl/perfctl/internal/progress"
	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/usererr"
	"github.com/perfctl/perfctl/profile"
	"github.com/perfctl/perfctl/report"
)

// profilesDir is where perfctl profile writes when --out is not given,
// under the module root: a new directory per run.
const profilesDir = ".perfctl/profiles"

// flameFile is the flame graph page perfctl profile writes.
const flameFile = "flame.html"

// ProfileOptions are the inputs of `perfctl profile`.
type ProfileOptions struct {
	IO      *iostreams.IOStreams
	Exec    run.Runner
	Request profile.Request // Spec.Dir is where perfctl runs (-C); Out absolute
	// OutGiven says --out was given; else Request.Out is a new directory
	// under .perfctl/profiles.
	OutGiven bool
	Format   report.Format
}

// NewCmdProfile returns `perfctl profile`.
func NewCmdProfile(f *Factory, runF func(context.Context, *ProfileOptions) error) *cobra.Command {
	opts := &ProfileOptions{IO: f.IOStreams, Exec: f.Exec}
	var format, out string
	req := &opts.Request
	cmd := &cobra.Command{
		Use:   "profile [flags] [PACKAGES...] --bench REGEX",
		Short: "Profile benchmarks: CPU and allocation profiles, top functions, a flame graph",
		Long: `Build the test binaries of the packages (default ./...) and run the benchmarks
that --bench selects once, with a CPU profile and an allocation profile
(and block and mutex profiles with --block and --mutex), one run per package.
perfctl prints the functions that cost the most CPU time, bytes and
objects, and writes into --out:

  <name>.cpu.pprof      CPU profile (name: the benchmark's when one ran, else the package's)
  <name>.alloc.pprof    allocations: sample_index alloc_space (B/op) or alloc_objects (allocs/op)
  <name>.block.pprof    with --block; <name>.mutex.pprof with --mutex
  <package>.test        the test binary, with symbols, for pprof's source and disassembly views
  flame.html            flame graphs of CPU time and bytes allocated: one file, no network

and the go tool pprof -http=: commands that open the profiles. Without --out
the files go to a new directory .perfctl/profiles/<time> in the module root
(add .perfctl/profiles to .gitignore).

Profiling is a tool, not a gate: the numbers of a profiled run are not
measurements (profiling slows the code), and nothing is decided from them.
Exit status: 0 when the profiles were written; 2 when they could not be:
a bad flag, no benchmark matches, a package does not compile, or a
benchmark fails or panics under profiling (the profiles of the other
packages are still written, and the panic's first lines are printed).`,
		Example: `  # Where does BenchmarkParse spend its time and allocate?
  perfctl profile --bench '^BenchmarkParse$' ./parser

  # Longer, into a directory of your choice, then open the CPU profile
  perfctl profile --bench Encode --benchtime 3s --out prof ./...
  go tool pprof -http=: prof/encode.test prof/Encode.cpu.pprof

  # Also where goroutines block and wait for locks; JSON for tools
  perfctl profile --bench Pool --block --mutex --format json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.Format, err = parseFormat(format, report.Formats(report.DocProfile)...); err != nil {
				return err
			}
			if !cmd.Flags().Changed("bench") {
				return flagErrorf("--bench is required: a regular expression that selects the benchmarks to profile, e.g. --bench '^BenchmarkParse$'")
			}
			req.Spec.Packages = args
			req.Spec.Dir = f.Dir
			switch {
			case req.Spec.Count < 1:
				return flagErrorf("--count %d: give at least 1 (runs of each benchmark in the profiled process)", req.Spec.Count)
			case req.Top < 1:
				return flagErrorf("--top %d: give at least 1 (functions listed per profile)", req.Top)
			case req.MemRate < 0:
				return flagErrorf("--memprofilerate %d: give a positive number of bytes, or 0 for the runtime's default", req.MemRate)
			case req.Spec.Timeout <= 0:
				return flagErrorf("--timeout %v: give a positive duration, e.g. 10m", req.Spec.Timeout)
			}
			if err := req.Spec.Validate(); err != nil {
				return &FlagError{Err: err}
			}
			if out != "" {
				opts.OutGiven = true
				req.Out = f.path(out)
				if st, err := os.Stat(req.Out); err == nil && !st.IsDir() {
					return usererr.New(fmt.Sprintf("--out %s is a file", out), "give a directory for the profiles (it is created when missing)")
				}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return profileRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&req.Spec.Bench, "bench", "", "profile the benchmarks matching `REGEX` (as go test -bench; required)")
	fl.StringVar(&req.Spec.Benchtime, "benchtime", "", "time or iterations per benchmark, e.g. 2s or 1000x (default go's 1s)")
	fl.IntVar(&req.Spec.Count, "count", 1, "run each benchmark `N` times in the profiled process")
	fl.StringVar(&req.Spec.Tags, "tags", "", "comma-separated build `TAGS`")
	fl.DurationVar(&req.Spec.Timeout, "timeout", bench.DefaultTimeout, "limit for the profiled run of one package")
	fl.StringVarP(&out, "out", "o", "", "write the profiles, test binaries and flame graph into `DIR` (default .perfctl/profiles/<time> in the module root)")
	fl.BoolVar(&req.Block, "block", false, "also write a block profile (where goroutines wait)")
	fl.BoolVar(&req.Mutex, "mutex", false, "also write a mutex profile (lock contention)")
	fl.IntVar(&req.MemRate, "memprofilerate", 0, "sample one allocation per `BYTES` allocated (1: every allocation; default the runtime's 512 KiB)")
	fl.IntVar(&req.Top, "top", profile.DefaultTop, "list the `N` functions that cost the most in each profile")
	fl.StringVar(&format, "format", string(report.Text), formatUsage(report.DocProfile))
	return cmd
}

func profileRun(ctx context.Context, opts *ProfileOptions) error {
	req := opts.Request
	if !opts.OutGiven {
		root, err := gomod.Find(req.Spec.Dir)
		if err != nil {
			return err
		}
		if req.Out, err = newProfileDir(filepath.Join(root, profilesDir), time.Now()); err != nil {
			return err
		}
	}
	h := &bench.Harness{Exec: opts.Exec, Progress: progress.New(opts.IO.ErrOut, opts.IO.IsStderrTTY())}
	res, err := profile.Collect(ctx, h, &req)
	h.Progress.Done()
	if res == nil {
		if !opts.OutGiven {
			os.Remove(req.Out) // the new directory, if still empty
		}
		return err
	}
	rep := &report.ProfileReport{Result: res, Dir: displayPath(req.Spec.Dir, res.Dir)}
	if flames := report.ProfileFlames(res); len(flames) > 0 {
		var page bytes.Buffer
		if werr := report.FlameGraphPage(&page, "perfctl profile: flame graphs", flames); werr != nil {
			return werr
		}
		if werr := atomicfile.WriteFile(filepath.Join(res.Dir, flameFile), page.Bytes(), 0o644); werr != nil {
			return werr
		}
		rep.Flame = flameFile
	}
	if rerr := report.RenderProfile(opts.IO.Out, opts.Format, rep, report.Options{}); rerr != nil {
		return rerr
	}
	if err != nil {
		fmt.Fprintf(opts.IO.ErrOut, "perfctl: warning: %s without profiles; the others were written\n",
			packagesWithout(res))
	}
	return err
}

// packagesWithout says how many packages of res have no profiles.
func packagesWithout(res *profile.Result) string {
	n := 0
	for i := range res.Packages {
		if res.Packages[i].Err != nil {
			n++
		}
	}
	if n == 1 {
		return "1 package"
	}
	return fmt.Sprintf("%d packages", n)
}

// newProfileDir creates a new directory under parent named after now.
func newProfileDir(parent string, now time.Time) (string, error) {
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("creating %s: %w", parent, err)
	}
	stamp := now.UTC().Format("20060102T150405Z")
	for i := 1; ; i++ {
		dir := filepath.Join(parent, stamp)
		if i > 1 {
			dir += fmt.Sprintf("-%d", i)
		}
		err := os.Mkdir(dir, 0o755)
		if err == nil {
			return dir, nil
		}
		if !errors.Is(err, os.ErrExist) || i >= 100 {
			return "", fmt.Errorf("creating the profile directory: %w", err)
		}
	}
}

// displayPath is path relative to dir when it is below it, for commands a
// user types there; else path.
func displayPath(dir, path string) string {
	rel, err := filepath.Rel(dir, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return path
	}
	return rel
}
