package cmd

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/iostreams"
	"github.com/perfctl/perfctl/report"
)

// CompareOptions are the inputs of `perfctl compare`.
type CompareOptions struct {
	IO *iostreams.IOStreams

	BasePath, HeadPath string
	Bench              bench.Options
	Format             report.Format
}

// NewCmdCompare returns `perfctl compare`. runF replaces compareRun in tests.
func NewCmdCompare(f *Factory, runF func(*CompareOptions) error) *cobra.Command {
	opts := &CompareOptions{IO: f.IOStreams, Bench: bench.DefaultOptions()}
	var thresholds []string
	var filter, format, alpha string

	cmd := &cobra.Command{
		Use:   "compare [flags] BASE HEAD",
		Short: "Compare two files of benchmark results and decide pass or fail",
		Long: `Compare two files of Go benchmark results (the output of 'go test -bench') and
decide whether HEAD regressed against BASE.

Results are grouped by benchmark name (without the Benchmark prefix and the
-GOMAXPROCS suffix) and unit. Each row shows the median and its 95% interval on
both sides, the change, the Mann-Whitney U p-value and the number of samples —
the numbers benchstat prints — and a status:

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
  go test -run '^$' -bench . -benchmem -count 10 | perfctl compare old.txt -`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return flagErrorf("compare needs two files of benchmark results, BASE and HEAD; got %d argument(s)", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.BasePath, opts.HeadPath = args[0], args[1]
			if opts.BasePath == "-" && opts.HeadPath == "-" {
				return flagErrorf("only one of BASE and HEAD can be read from standard input (-)")
			}
			var err error
			if opts.Format, err = report.ParseFormat(format, report.Text, report.JSON, report.Markdown); err != nil {
				return &FlagError{Err: fmt.Errorf("--format: %w", err)}
			}
			if opts.Bench.Alpha, err = strconv.ParseFloat(alpha, 64); err != nil || opts.Bench.Validate() != nil {
				return flagErrorf("--alpha %q is not a significance level: use a number between 0 and 1, e.g. 0.05", alpha)
			}
			for _, t := range thresholds {
				if err := opts.Bench.Thresholds.Set(t); err != nil {
					return &FlagError{Err: fmt.Errorf("--threshold: %w", err)}
				}
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
			return compareRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&alpha, "alpha", strconv.FormatFloat(bench.DefaultAlpha, 'g', -1, 64), "significance level: a change counts when its p-value is at most `ALPHA`")
	fl.StringArrayVar(&thresholds, "threshold", nil, "smallest change that counts, as `[UNIT=]PCT`: 5% or 0.05; repeat per unit, e.g. B/op=10% (default 5%, allocs/op=0)")
	fl.StringVar(&filter, "filter", "", "compare only benchmarks whose name matches `REGEX`")
	fl.StringVar(&format, "format", string(report.Text), "output `FORMAT`: text, json or markdown")
	return cmd
}

func compareRun(opts *CompareOptions) error {
	base, err := bench.ReadFile(opts.BasePath, opts.IO.In)
	if err != nil {
		return err
	}
	head, err := bench.ReadFile(opts.HeadPath, opts.IO.In)
	if err != nil {
		return err
	}
	c, err := bench.Compare(base, head, opts.Bench)
	if err != nil {
		return err
	}
	if err := renderComparison(opts.IO, opts.Format, c); err != nil {
		return err
	}
	if c.Failed() {
		return errGateFailed
	}
	return nil
}

// renderComparison writes c in format to stdout. It renders into memory
// first so that a failure never leaves half a report.
func renderComparison(ios *iostreams.IOStreams, format report.Format, c *bench.Comparison) error {
	var buf bytes.Buffer
	var err error
	switch format {
	case report.JSON:
		err = report.CompareJSON(&buf, c)
	case report.Markdown:
		err = report.CompareMarkdown(&buf, c)
	default:
		err = report.CompareText(&buf, c, report.Options{Color: ios.ColorEnabled()})
	}
	if err != nil {
		return fmt.Errorf("rendering the report: %w", err)
	}
	_, err = buf.WriteTo(ios.Out)
	return err
}
