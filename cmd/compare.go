package cmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"regexp"

	"github.com/spf13/cobra"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/compare"
	"github.com/perfctl/perfctl/internal/gomod"
	"github.com/perfctl/perfctl/internal/iostreams"
	"github.com/perfctl/perfctl/internal/progress"
	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/usererr"
	"github.com/perfctl/perfctl/report"
)

// CompareOptions are the inputs of `perfctl compare`.
type CompareOptions struct {
	IO      *iostreams.IOStreams
	Exec    run.Runner
	Version string
	Dir     string // where perfctl runs (-C)

	// Request is the comparison to make: what against what, and how to
	// decide.
	Request *compare.Request
	Format  report.Format
	// Modules is --all-modules: the modules measured (not with two files).
	Modules *modulesFlag
	// AllowCommands lets the policy's services start when benchmarks run
	// (--allow-commands, PERFCTL_ALLOW_COMMANDS).
	AllowCommands bool
}

// NewCmdCompare returns `perfctl compare`. runF replaces compareRun in tests.
func NewCmdCompare(f *Factory, runF func(context.Context, *CompareOptions) error) *cobra.Command {
	opts := &CompareOptions{IO: f.IOStreams, Exec: f.Exec, Version: f.Version()}
	var filter, format, head, profileDir string
	var profiling bool
	var ref *refFlags
	var shards *shardFlags

	cmd := &cobra.Command{
		Use:   "compare [flags] BASE HEAD  |  compare --baseline NAME | --base-ref REF | --merge-base BRANCH [flags] [PACKAGES...]",
		Short: "Compare benchmark results (two files, a baseline, or a git revision) and decide pass or fail",
		Long: `Compare two files of Go benchmark results (the output of 'go test -bench') and
decide whether HEAD regressed against BASE.

With --baseline NAME, BASE is the stored baseline (perfctl baseline save) and
HEAD is measured now: the benchmarks run with the flags recorded in the
baseline (--bench, --count, --benchtime, --cpu, --tags and the packages), each
of which can be overridden; --head FILE compares a result file instead.

Results are grouped by benchmark name (without the Benchmark prefix and the
-GOMAXPROCS suffix) and unit. Each row shows the median and its 95% interval on
both sides, the change, the Mann-Whitney U p-value and the number of samples —
the numbers benchstat prints (with --base-ref/--merge-base, the change and p of
the paired Wilcoxon signed-rank test of the interleaved rounds) — and a status:

  regression    worse for its unit, significant at --alpha and beyond the threshold
  improvement   better, significant and beyond the threshold
  unchanged     no significant change beyond the threshold
  insufficient  too few samples to detect a change (the note says how many)
  added         only in HEAD
  removed       only in BASE

Lower is better for sec/op, B/op and allocs/op, higher for B/s; other units
follow the file's "Unit NAME better=higher|lower" lines. allocs/op is gated
exactly: any increase of its median beyond its threshold (0 by default) is a
regression without waiting for significance.

The verdict is fail (exit 1) when any row is a regression. Either file may be
"-" to read standard input.

With --profile (and --base-ref, --merge-base or --baseline NAME --rerun-base),
after the verdict each regressed benchmark (the first 5, within 2 minutes) runs
once more on each side from the test binaries already built, for 1s, with a CPU
profile, and an allocation profile when B/op or allocs/op regressed. The
difference of the two, as go tool pprof -diff_base computes it, names under
each regression the functions whose cost grew. These runs come after the
verdict and never change it; a benchmark that cannot be profiled gets a
warning. --profile-dir DIR keeps the profiles and shows the go tool pprof
-diff_base command that opens them. With --format markdown in those modes
(a pull request's comment) --profile is on unless --profile=false is given.

What is measured covers the modules as perfctl bench does (--all-modules, on by
default in a go.work workspace); with --baseline, the modules the baseline
recorded, unless --all-modules is given. When there is more than one module, a
line on stderr says which are measured, and the JSON document lists them
("modules").

With --shard I/N (and --baseline NAME, --base-ref or --merge-base) only the
I-th of N shards of the benchmarks runs, base and head of its packages
interleaved as always: pairs never cross jobs. The JSON document then carries
"shard" (index, total, the plan's hash, the commits and the environment), and
perfctl merge joins the shards' documents into one comparison and one verdict.`,
		Example: `  perfctl compare old.txt new.txt
  perfctl compare --threshold 10% --threshold allocs/op=0 --threshold B/op=5% old.txt new.txt
  perfctl compare --filter '^Parse' --format json old.txt new.txt
  go test -run '^$' -bench . -benchmem -count 10 | perfctl compare old.txt -
  perfctl compare --baseline main
  perfctl compare --baseline main --count 6 ./parser/...
  perfctl compare --merge-base origin/main --profile-dir prof   # and where the time went`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = f.Dir
			var err error
			if opts.Format, err = parseFormat(format, report.Formats(report.DocCompare)...); err != nil {
				return err
			}
			r := ref.ref
			var packages []string
			switch {
			case r.Mode() == compare.None && head == "":
				if len(args) != 2 {
					return flagErrorf("compare needs two files of benchmark results, BASE and HEAD, or --baseline NAME; got %d argument(s)", len(args))
				}
				r.BaseFile, r.HeadFile = args[0], args[1]
			default:
				r.HeadFile, packages = head, args
			}
			if opts.Request, err = ref.request(opts.Dir, &r, packages); err != nil {
				return err
			}
			if opts.Request.Shard, err = shards.request(); err != nil {
				return err
			}
			if opts.Request.Shard != nil {
				if err := opts.Request.Validate(opts.Dir); err != nil {
					return &FlagError{Err: err}
				}
			}
			if err := opts.Modules.settle(cmd.Flags(), packages); err != nil {
				return err
			}
			if opts.Modules.set && (r.Mode() == compare.Files || r.HeadFile != "") {
				return flagErrorf("--all-modules says which modules to measure; result files are compared as they are")
			}
			opts.Request.Set.Modules = opts.Modules.set
			// A pull request's comment says where a regression's cost went
			// unless told not to: profiling runs only when the verdict is a
			// regression, from binaries already built (docs/profile.md has
			// what it costs).
			implied := !cmd.Flags().Changed("profile") && profileDir == "" && opts.Format == report.Markdown &&
				(r.Mode() == compare.Revision || r.RerunBase) && opts.Request.Shard == nil
			if profiling || profileDir != "" || implied {
				pr := &compare.ProfileRequest{Implied: implied}
				if profileDir != "" {
					pr.Dir, pr.Shown = f.path(profileDir), profileDir
					if st, err := os.Stat(pr.Dir); err == nil && !st.IsDir() {
						return usererr.New(fmt.Sprintf("--profile-dir %s is a file", profileDir), "give a directory for the profiles (it is created when missing)")
					}
				}
				opts.Request.Profile = pr
				if err := opts.Request.Validate(opts.Dir); err != nil {
					return &FlagError{Err: err}
				}
			}
			if filter != "" {
				re, err := regexp.Compile(filter)
				if err != nil {
					return flagErrorf("--filter %q is not a valid regular expression: %v", filter, err)
				}
				opts.Request.Stats.Filter = re
			}
			settleAllowCommands(cmd, f, &opts.AllowCommands)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return compareRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&filter, "filter", "", "compare only benchmarks whose name matches `REGEX`")
	fl.StringVar(&format, "format", string(report.Text), formatUsage(report.DocCompare))
	fl.StringVar(&head, "head", "", "with --baseline: compare the results in `FILE` instead of running the benchmarks")
	fl.BoolVar(&profiling, "profile", false, "after the verdict, run each regressed benchmark (at most 5) once more on both sides with CPU and allocation profiles and show the functions whose cost grew (--base-ref, --merge-base, --rerun-base; on by default with --format markdown there, --profile=false to skip)")
	fl.StringVar(&profileDir, "profile-dir", "", "with --profile (implied): keep the profiles in `DIR` as <Bench>.base.cpu.pprof, <Bench>.head.cpu.pprof, … for go tool pprof -diff_base")
	ref = addRefFlags(fl)
	opts.Modules = addModulesFlag(fl)
	shards = addShardFlags(fl)
	addAllowCommands(cmd, &opts.AllowCommands)
	return cmd
}

func compareRun(ctx context.Context, opts *CompareOptions) error {
	env := &compare.Env{Dir: opts.Dir, Exec: opts.Exec, Stdin: opts.IO.In, Version: opts.Version,
		Progress: progress.New(opts.IO.ErrOut, opts.IO.IsStderrTTY())}
	if q := opts.Request; q.Ref.Mode() != compare.Files && q.Ref.HeadFile == "" {
		// Measured now: which modules, as the command line says (compare
		// may take a baseline's recorded ones instead, and says so).
		layout, covered, err := opts.Modules.cover(io.Discard, opts.Dir, q.Packages)
		if err != nil {
			return err
		}
		q.Layout = layout
		env.Covering = func(l *gomod.Layout) { announceModules(opts.IO.ErrOut, l) }
		svcs, err := moduleServices(ctx, opts.IO.ErrOut, env.Exec, opts.Dir, layout, covered, opts.AllowCommands)
		if err != nil {
			return err
		}
		defer svcs.Stop()
		env.Exec = run.WithEnv(env.Exec, svcs.Env())
	}
	c, err := compare.Run(ctx, env, opts.Request)
	if err != nil {
		return err
	}
	return renderVerdict(ctx, opts, c)
}

// renderVerdict prints c in the chosen format and turns its verdict into
// the exit code.
func renderVerdict(ctx context.Context, opts *CompareOptions, c *bench.Comparison) error {
	var paths report.RepoPaths
	if root, ok := gomod.Root(opts.Dir); ok && opts.Format.NeedsRepoPaths() {
		paths = repoPaths(ctx, opts.Exec, root, "")
	}
	err := render(opts.IO, func(w io.Writer, o report.Options) error {
		o.Request = opts.Request // for the commands that reproduce it
		o.Version, o.Paths = opts.Version, paths
		return report.RenderCompare(w, opts.Format, c, o)
	})
	if err != nil {
		return err
	}
	if c.Failed() {
		return errGateFailed
	}
	return nil
}
