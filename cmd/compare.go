package cmd

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/iostreams"
	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/report"
)

// CompareOptions are the inputs of `perfctl compare`.
type CompareOptions struct {
	IO      *iostreams.IOStreams
	Exec    run.Runner
	Version string

	// Two files: BasePath and HeadPath. Against a baseline: Baseline (its
	// name), and HeadPath or else benchmarks run with Spec.
	BasePath, HeadPath string
	Baseline           string
	BaselineDir        string
	Packages           []string
	flags              *benchFlags
	// Interleaved A/B against a git revision: BaseRef, or the merge base
	// of HEAD and MergeBase; MaxTime bounds the run.
	BaseRef, MergeBase string
	MaxTime            time.Duration

	Bench  bench.Options
	Format report.Format
}

// NewCmdCompare returns `perfctl compare`. runF replaces compareRun in tests.
func NewCmdCompare(f *Factory, runF func(*CompareOptions) error) *cobra.Command {
	opts := &CompareOptions{IO: f.IOStreams, Exec: f.Exec, Version: f.Version(), Bench: bench.DefaultOptions()}
	var thresholds []string
	var filter, format, alpha string

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
"-" to read standard input.`,
		Example: `  perfctl compare old.txt new.txt
  perfctl compare --threshold 10% --threshold allocs/op=0 --threshold B/op=5% old.txt new.txt
  perfctl compare --filter '^Parse' --format json old.txt new.txt
  go test -run '^$' -bench . -benchmem -count 10 | perfctl compare old.txt -
  perfctl compare --baseline main
  perfctl compare --baseline main --count 6 ./parser/...`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.setInputs(args); err != nil {
				return err
			}
			var err error
			if opts.Format, err = parseFormat(format, report.Formats(report.DocCompare)...); err != nil {
				return err
			}
			if err := opts.setStatistics(alpha, thresholds); err != nil {
				return err
			}
			if filter != "" {
				re, err := regexp.Compile(filter)
				if err != nil {
					return flagErrorf("--filter %q is not a valid regular expression: %v", filter, err)
				}
				opts.Bench.Filter = re
			}
			if runF != nil {
				return runF(opts)
			}
			return compareRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&filter, "filter", "", "compare only benchmarks whose name matches `REGEX`")
	fl.StringVar(&format, "format", string(report.Text), formatUsage(report.DocCompare))
	fl.StringVar(&opts.HeadPath, "head", "", "with --baseline: compare the results in `FILE` instead of running the benchmarks")
	addReferenceFlags(fl, opts, &alpha, &thresholds)
	return cmd
}

// addReferenceFlags adds the flags that say what to compare with and how to
// decide, shared by compare and check.
func addReferenceFlags(fl *pflag.FlagSet, opts *CompareOptions, alpha *string, thresholds *[]string) {
	fl.StringVar(alpha, "alpha", strconv.FormatFloat(bench.DefaultAlpha, 'g', -1, 64), "significance level: a change counts when its p-value is at most `ALPHA`")
	fl.StringArrayVar(thresholds, "threshold", nil, "smallest change that counts, as `[UNIT=]PCT`: 5% or 0.05; repeat per unit, e.g. B/op=10% (default 5%, allocs/op=0)")
	fl.StringVar(&opts.Baseline, "baseline", "", "compare against the stored baseline `NAME` (perfctl baseline save)")
	fl.StringVar(&opts.BaselineDir, "baseline-dir", "", "directory of the baselines (default .perfctl/baselines at the module root)")
	fl.StringVar(&opts.BaseRef, "base-ref", "", "compare the working tree against git revision `REF`, running both interleaved")
	fl.StringVar(&opts.MergeBase, "merge-base", "", "like --base-ref, against the merge base of HEAD and `BRANCH`")
	fl.DurationVar(&opts.MaxTime, "max-time", 0, "with --base-ref/--merge-base: stop adding rounds when `DURATION` is spent")
	opts.flags = addBenchFlags(fl)
}

// setStatistics applies --alpha and --threshold.
func (opts *CompareOptions) setStatistics(alpha string, thresholds []string) error {
	var err error
	if opts.Bench.Alpha, err = strconv.ParseFloat(alpha, 64); err != nil || opts.Bench.Validate() != nil {
		return flagErrorf("--alpha %q is not a significance level: use a number between 0 and 1, e.g. 0.05", alpha)
	}
	for _, t := range thresholds {
		if err := opts.Bench.Thresholds.Set(t); err != nil {
			return &FlagError{Err: fmt.Errorf("--threshold: %w", err)}
		}
	}
	return nil
}

// checkRevisionFlags validates --base-ref, --merge-base and --max-time, as
// compare and check take them.
func (opts *CompareOptions) checkRevisionFlags() error {
	ref := opts.BaseRef + opts.MergeBase
	switch {
	case opts.BaseRef != "" && opts.MergeBase != "":
		return flagErrorf("give --base-ref or --merge-base, not both")
	case strings.HasPrefix(ref, "-"):
		return flagErrorf("revision %q starts with '-': give a commit, tag or branch", ref)
	case opts.MaxTime < 0:
		return flagErrorf("--max-time %v is negative", opts.MaxTime)
	case opts.MaxTime != 0 && ref == "":
		return flagErrorf("--max-time goes with --base-ref or --merge-base")
	}
	return nil
}

// setInputs decides between the modes from the flags and arguments.
func (opts *CompareOptions) setInputs(args []string) error {
	if err := opts.checkRevisionFlags(); err != nil {
		return err
	}
	if opts.BaseRef != "" || opts.MergeBase != "" {
		if opts.Baseline != "" || opts.HeadPath != "" {
			return flagErrorf("--base-ref/--merge-base measure both sides now; they do not go with --baseline or --head")
		}
		opts.Packages = args
		return opts.flags.Validate()
	}
	if opts.Baseline == "" {
		if opts.HeadPath != "" {
			return flagErrorf("--head goes with --baseline; to compare two files, pass both: perfctl compare BASE HEAD")
		}
		if len(args) != 2 {
			return flagErrorf("compare needs two files of benchmark results, BASE and HEAD, or --baseline NAME; got %d argument(s)", len(args))
		}
		opts.BasePath, opts.HeadPath = args[0], args[1]
		if opts.BasePath == "-" && opts.HeadPath == "-" {
			return flagErrorf("only one of BASE and HEAD can be read from standard input (-)")
		}
		return nil
	}
	if err := nameFlagError(opts.Baseline); err != nil {
		return err
	}
	if err := opts.flags.Validate(); err != nil {
		return err
	}
	if opts.HeadPath != "" && len(args) > 0 {
		return flagErrorf("--head FILE gives the results to compare; packages (%s) cannot be given with it", args[0])
	}
	for _, a := range args {
		if st, err := os.Stat(a); err == nil && st.Mode().IsRegular() {
			return flagErrorf("compare --baseline %s takes packages to run; %s is a file: to compare the results in it with the baseline, pass --head %s", opts.Baseline, a, a)
		}
	}
	opts.Packages = args
	return nil
}

func compareRun(ctx context.Context, opts *CompareOptions) error {
	c, err := comparison(ctx, opts)
	if err != nil {
		return err
	}
	return renderVerdict(opts, c)
}

// comparison compares what opts say: a git revision, a baseline, or two
// files.
func comparison(ctx context.Context, opts *CompareOptions) (*bench.Comparison, error) {
	var base, head *bench.ResultSet
	var err error
	switch {
	case opts.BaseRef != "" || opts.MergeBase != "":
		return compareRef(ctx, opts)
	case opts.Baseline != "":
		base, head, err = baselineSides(ctx, opts)
	default:
		base, head, err = fileSides(opts)
	}
	if err != nil {
		return nil, err
	}
	return bench.Compare(base, head, opts.Bench)
}

// renderVerdict prints c in the chosen format and turns its verdict into
// the exit code.
func renderVerdict(opts *CompareOptions, c *bench.Comparison) error {
	err := render(opts.IO, func(w io.Writer, o report.Options) error { return report.RenderCompare(w, opts.Format, c, o) })
	if err != nil {
		return err
	}
	if c.Failed() {
		return errGateFailed
	}
	return nil
}

func fileSides(opts *CompareOptions) (base, head *bench.ResultSet, err error) {
	if base, err = bench.ReadFile(opts.BasePath, opts.IO.In); err != nil {
		return nil, nil, err
	}
	if head, err = bench.ReadFile(opts.HeadPath, opts.IO.In); err != nil {
		return nil, nil, err
	}
	return base, head, nil
}

// baselineSides loads the baseline and measures (or reads) the head.
func baselineSides(ctx context.Context, opts *CompareOptions) (base, head *bench.ResultSet, err error) {
	base, path, err := loadBaseline(opts.BaselineDir, opts.Baseline)
	if err != nil {
		return nil, nil, err
	}
	if opts.HeadPath != "" {
		head, err = bench.ReadFile(opts.HeadPath, opts.IO.In)
		return base, head, err
	}
	recorded := bench.RecordedSpec(base)
	spec := opts.flags.Over(&recorded, opts.Packages)
	spec.Dir = "" // packages on the command line are relative to here
	if len(opts.Packages) == 0 {
		// The recorded packages are relative to where they were recorded.
		spec.Dir, err = recordedDir(recorded.Dir)
		if err != nil {
			return nil, nil, err
		}
	}
	if err := spec.Validate(); err != nil {
		return nil, nil, fmt.Errorf("baseline %s records flags perfctl cannot use: %w", path, err)
	}
	// A narrower run than the baseline's measures a subset on purpose: what
	// it did not run is not "removed".
	opts.Bench.OmitRemoved = len(opts.Packages) > 0 || opts.flags.fs.Changed("bench")
	res, err := runBenchmarks(ctx, opts.IO, opts.Exec, opts.Version, &spec)
	if err != nil {
		return nil, nil, err
	}
	head, err = bench.Read(bytes.NewReader(res.Text), "head (measured now)")
	return base, head, err
}

// recordedDir resolves a directory recorded relative to the module root.
func recordedDir(rel string) (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	if rel == "" {
		rel = "." // baselines without perfctl-dir were recorded at the root or are foreign
	}
	return filepath.Join(moduleRoot(wd), filepath.FromSlash(rel)), nil
}
