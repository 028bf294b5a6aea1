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
	"github.com/perfctl/perfctl/history"
	"github.com/perfctl/perfctl/history/trend"
	"github.com/perfctl/perfctl/internal/atomicfile"
	"github.com/perfctl/perfctl/internal/english"
	"github.com/perfctl/perfctl/internal/iostreams"
	"github.com/perfctl/perfctl/internal/usererr"
	"github.com/perfctl/perfctl/report"
)

// ReportOptions are the inputs of `perfctl report`.
type ReportOptions struct {
	IO      *iostreams.IOStreams
	Dir     string // where perfctl runs (-C)
	Version string
	Store   *history.Store
	// HTML is the file to write, relative to Dir; "-" is stdout.
	HTML string
	// Compare is a perfctl/compare/v1 document to show, relative to Dir;
	// "" for none.
	Compare string
	// Trend says which history to analyse.
	Trend trend.Options
	// HistorySet is set when a flag chose the history (--env, --rev, …):
	// then a problem reading it is an error even with --compare.
	HistorySet bool
	Now        func() time.Time
}

// NewCmdReport returns `perfctl report`. runF replaces reportRun in tests.
func NewCmdReport(f *Factory, runF func(context.Context, *ReportOptions) error) *cobra.Command {
	opts := &ReportOptions{IO: f.IOStreams, Version: f.Version(), Now: time.Now}
	var flags *trendFlags
	cmd := &cobra.Command{
		Use:   "report --html FILE [--compare FILE.json] [flags]",
		Short: "Write the history's trends and a comparison as one self-contained HTML file",
		Long: `Write an HTML report: one file, with its scripts, styles and data inline,
that opens from file:// (an artifact, GitHub Pages) and needs no network.

From the history store (perfctl history add), it draws a chart per benchmark
and unit along the first-parent history of --rev: each commit's median with
its 95% interval, and the change points that perfctl history changes finds,
marked and labelled with their commit; hovering shows a commit's values, id,
date and subject. Series with alerts (new regressions) and changes come first;
a box filters by name, package or unit. Long histories are downsampled to about
240 points per chart, always keeping the change points and the newest commit.

The change points are those of perfctl history changes, with the same flags.

With --compare FILE.json (the output of perfctl compare --format json), it
also shows the base-vs-head table, regressions first, with each benchmark's
medians and 95% intervals side by side. With --compare alone, outside a
repository or without records, the report shows the comparison only.

The report is written only when it is complete; its exit code is 0 whatever
it shows (perfctl history changes and perfctl compare are the gates).`,
		Example: `  perfctl report --html perf.html
  perfctl report --html perf.html --bench '^Parse' --unit sec/op --max-commits 500
  perfctl compare --format json base.txt head.txt > cmp.json
  perfctl report --html perf.html --compare cmp.json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Dir = f.Dir
			opts.Store = &history.Store{Git: f.Exec, Dir: f.Dir}
			if opts.HTML == "" {
				return flagErrorf("report needs --html FILE (- for stdout): HTML is the report's one format")
			}
			if err := flags.settle(); err != nil {
				return err
			}
			for _, name := range trendFlagNames {
				opts.HistorySet = opts.HistorySet || cmd.Flags().Changed(name)
			}
			if opts.HTML != "-" {
				if err := checkOutput("--html "+opts.HTML, opts.Dir, opts.HTML); err != nil {
					return err
				}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return reportRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.HTML, "html", "", "write the HTML report to `FILE` (- for stdout)")
	fl.StringVar(&opts.Compare, "compare", "", "show the comparison in `FILE.json` (perfctl compare --format json)")
	// The history flags are those of perfctl history changes, which finds
	// the change points the charts mark.
	flags = addTrendFlags(fl, &opts.Trend, "chart only", "mark as alerts the regressions new in the `N` newest recorded commits")
	return cmd
}

func reportRun(ctx context.Context, opts *ReportOptions) error {
	page := &report.HTMLPage{Title: filepath.Base(opts.Dir), Version: opts.Version, Generated: opts.Now()}
	if opts.Compare != "" {
		c, err := readCompareJSON(opts.IO, opts.Dir, opts.Compare)
		if err != nil {
			return err
		}
		page.Compare = c
	}
	a, err := analyzeHistory(ctx, opts)
	if err != nil {
		return err
	}
	page.Analysis = a
	var buf bytes.Buffer
	if err := report.WriteHTML(&buf, page); err != nil {
		return err
	}
	var parts []string
	if a != nil {
		changes := 0
		for _, s := range a.Series {
			changes += len(s.Changes)
		}
		parts = append(parts, english.Plural(len(a.Series), "series", "series")+" over "+english.Plural(len(a.Commits), "commit", "commits")+", "+
			english.Plural(changes, "change point", "change points"))
	}
	if page.Compare != nil {
		parts = append(parts, english.Plural(len(page.Compare.Rows), "comparison row", "comparison rows"))
	}
	if opts.HTML == "-" {
		_, err := buf.WriteTo(opts.IO.Out)
		return err
	}
	size := buf.Len()
	if err := atomicfile.WriteFile(resolve(opts.Dir, opts.HTML), buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "perfctl: wrote %s (%s; %.1f MB)\n", opts.HTML, strings.Join(parts, "; "), float64(size)/1e6)
	return nil
}

// analyzeHistory reads the history opts names; nil when there is none and
// a comparison alone makes the report.
func analyzeHistory(ctx context.Context, opts *ReportOptions) (*trend.Analysis, error) {
	noHistory := func(err error) (*trend.Analysis, error) {
		if opts.Compare != "" && !opts.HistorySet {
			fmt.Fprintf(opts.IO.ErrOut, "perfctl: the report shows the comparison only: %s\n", err)
			return nil, nil
		}
		return nil, err
	}
	if err := opts.Store.Check(ctx); err != nil {
		return noHistory(err)
	}
	a, err := trend.Analyze(ctx, opts.Store, &opts.Trend)
	if err != nil {
		var ue *usererr.Error
		if errors.As(err, &ue) && !opts.HistorySet {
			return noHistory(err)
		}
		return nil, err
	}
	if a.Key == "" {
		return noHistory(usererr.New("no benchmark results are recorded along the history of "+opts.Trend.Rev,
			"record results for commits with `perfctl history add` (in CI, on every push to main), or give --compare FILE.json"))
	}
	if len(a.Series) == 0 {
		return nil, usererr.New("no recorded benchmark matches --bench and --unit",
			"see the recorded benchmarks with `perfctl history show "+opts.Trend.Rev+"`")
	}
	return a, nil
}

// readCompareJSON reads a comparison document from path (relative to dir;
// "-" for stdin).
func readCompareJSON(ios *iostreams.IOStreams, dir, path string) (*bench.Comparison, error) {
	if path == "-" {
		return report.ReadCompareJSON(ios.In, bench.StdinName)
	}
	f, err := os.Open(resolve(dir, path))
	if err != nil {
		return nil, &usererr.Error{File: path, Msg: "cannot read the comparison: " + relativeTo(dir, err.Error()),
			Hint: "give the file written by `perfctl compare --format json > FILE.json`", Err: err}
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, &usererr.Error{File: path, Msg: "is a directory, not a comparison",
			Hint: "give the file written by `perfctl compare --format json > FILE.json`"}
	}
	return report.ReadCompareJSON(f, path)
}
