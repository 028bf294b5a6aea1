package cmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/history"
	"github.com/perfctl/perfctl/history/trend"
	"github.com/perfctl/perfctl/internal/english"
	"github.com/perfctl/perfctl/internal/iostreams"
	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/usererr"
	"github.com/perfctl/perfctl/report"
)

// HistoryOptions are what the history commands share.
type HistoryOptions struct {
	IO    *iostreams.IOStreams
	Dir   string // where perfctl runs (-C)
	Store *history.Store
}

// NewCmdHistory returns `perfctl history` and its subcommands.
func NewCmdHistory(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "history <command>",
		Short: "Record benchmark results per commit in the repository's git objects, and share them",
		Long: `The history store keeps one record of benchmark results per commit and
environment (cpu, goos, goarch, go version) under the ref ` + history.Ref + `:
no server, no branch checkout, no change to the working tree or the index.
Records are benchfmt text that benchstat and perfctl compare read.
history push and pull share the store through any git remote; concurrent
writers merge, and no record is lost.`,
		Example: `  perfctl history add                    # run the benchmarks, record them for HEAD
  perfctl history add results.txt        # record go test -bench output for HEAD
  perfctl history log
  perfctl history show HEAD~1 > old.txt
  perfctl history push origin`,
		Args: noArgs,
	}
	common := func() HistoryOptions {
		return HistoryOptions{IO: f.IOStreams, Dir: f.Dir, Store: &history.Store{Git: f.Exec, Dir: f.Dir}}
	}
	cmd.AddCommand(
		NewCmdHistoryAdd(f, common, nil),
		NewCmdHistoryLog(common, nil),
		NewCmdHistoryShow(common, nil),
		NewCmdHistoryExport(common, nil),
		NewCmdHistoryPrune(common, nil),
		NewCmdHistorySync(common, "push", nil),
		NewCmdHistorySync(common, "pull", nil),
		NewCmdHistoryChanges(common, nil),
	)
	return cmd
}

// HistoryAddOptions are the inputs of `perfctl history add`.
type HistoryAddOptions struct {
	HistoryOptions
	Exec    run.Runner
	Version string
	From    string     // FILE, relative to Dir ("-" for stdin); "" runs the benchmarks
	Commit  string     // --commit, default HEAD
	Spec    bench.Spec // how to run them
	Modules *modulesFlag
	// AllowCommands lets the policy's services start (--allow-commands,
	// PERFCTL_ALLOW_COMMANDS).
	AllowCommands bool
}

// NewCmdHistoryAdd returns `perfctl history add`.
func NewCmdHistoryAdd(f *Factory, common func() HistoryOptions, runF func(context.Context, *HistoryAddOptions) error) *cobra.Command {
	opts := &HistoryAddOptions{Exec: f.Exec, Version: f.Version()}
	var flags *benchFlags
	cmd := &cobra.Command{
		Use:   "add [FILE] [flags] [-- PACKAGES...]",
		Short: "Record benchmark results for HEAD (from FILE, or by running the benchmarks)",
		Long: `Record the results in FILE (perfctl bench output or any go test -bench output;
- reads stdin) for HEAD (or --commit), or run the benchmarks as perfctl bench
does, with its flags, and record them. The record is keyed by the commit and by
the environment the results name (cpu, goos, goarch, go version; what they do
not name is taken from the go command). Recording again for the same commit and
environment replaces the record.`,
		Example: `  perfctl history add
  perfctl history add --count 10 -- ./parser/...
  go test -run '^$' -bench . -count 10 > new.txt && perfctl history add new.txt`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.HistoryOptions = common()
			var pkgs []string
			if dash := cmd.ArgsLenAtDash(); dash >= 0 {
				pkgs, args = args[dash:], args[:dash]
			}
			if len(args) > 1 {
				return flagErrorf("history add takes at most one FILE; give packages after --")
			}
			if len(args) == 1 {
				opts.From = args[0]
				if looksLikePackages(opts.Dir, opts.From) {
					pattern := opts.From
					if !strings.HasPrefix(pattern, ".") && !filepath.IsAbs(pattern) && !strings.Contains(pattern, "...") {
						pattern = "./" + pattern
					}
					return flagErrorf("%q is a package pattern, not a results FILE: give packages after --, as in `perfctl history add -- %s`", opts.From, pattern)
				}
				if len(pkgs) > 0 {
					return flagErrorf("history add takes results from FILE; packages cannot be given with it")
				}
				if err := flags.refuseWithFile("FILE"); err != nil {
					return err
				}
			}
			var err error
			if opts.Spec, err = flags.Spec(pkgs); err != nil {
				return err
			}
			opts.Spec.Dir = opts.Dir
			if err := opts.Modules.settle(cmd.Flags(), opts.Spec.Packages); err != nil {
				return err
			}
			if err := history.ValidateRevision(opts.Commit); err != nil {
				return &FlagError{Err: fmt.Errorf("--commit: %w", err)}
			}
			settleAllowCommands(cmd, f, &opts.AllowCommands)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return historyAddRun(cmd.Context(), opts)
		},
	}
	flags = addBenchFlags(cmd.Flags())
	cmd.Flags().StringVar(&opts.Commit, "commit", "HEAD", "record the results for `REV`")
	opts.Modules = addModulesFlag(cmd.Flags())
	addAllowCommands(cmd, &opts.AllowCommands)
	return cmd
}

// looksLikePackages reports whether arg, given as history add's FILE, is
// rather a package pattern: "./...", or a directory.
func looksLikePackages(dir, arg string) bool {
	if strings.Contains(arg, "...") {
		return true
	}
	if !filepath.IsAbs(arg) {
		arg = filepath.Join(dir, arg)
	}
	fi, err := os.Stat(arg)
	return err == nil && fi.IsDir()
}

func historyAddRun(ctx context.Context, opts *HistoryAddOptions) error {
	commit, err := historyTarget(ctx, opts.Store, opts.Commit)
	if err != nil {
		return err
	}
	text, source := []byte(nil), "the benchmark run"
	if opts.From != "" {
		if text, err = readResults(opts.IO, opts.Dir, opts.From); err != nil {
			return err
		}
		source = opts.From
	} else {
		res, err := runBenchmarks(ctx, opts.IO, opts.Exec, opts.Version, &opts.Spec, opts.Modules, nil, opts.AllowCommands)
		if err != nil {
			return err
		}
		text = res.Text
	}
	return recordHistory(ctx, opts.IO, opts.Store, commit, text, source)
}

// readResults reads a file of results for history add, bounded by the
// largest record.
func readResults(ios *iostreams.IOStreams, dir, path string) ([]byte, error) {
	r := ios.In
	if path != "-" {
		if _, err := bench.ReadFileIn(dir, path, nil); err != nil {
			return nil, err // missing, unreadable or not results: worded with a hint
		}
		f, err := os.Open(resolve(dir, path))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	text, err := io.ReadAll(io.LimitReader(r, history.MaxRecordSize+1))
	if err != nil {
		return nil, err
	}
	if len(text) > history.MaxRecordSize {
		return nil, &usererr.Error{File: path, Msg: fmt.Sprintf("is larger than %d MiB, the largest record the history keeps", history.MaxRecordSize>>20),
			Hint: "record fewer benchmarks or fewer runs (--count) per commit"}
	}
	return text, nil
}

// HistoryLogOptions are the inputs of `perfctl history log`.
type HistoryLogOptions struct {
	HistoryOptions
	Format report.Format
	Limit  int
}

// NewCmdHistoryLog returns `perfctl history log`.
func NewCmdHistoryLog(common func() HistoryOptions, runF func(context.Context, *HistoryLogOptions) error) *cobra.Command {
	opts := &HistoryLogOptions{}
	var format string
	cmd := &cobra.Command{
		Use:   "log",
		Short: "List the records, newest first",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.HistoryOptions = common()
			var err error
			if opts.Format, err = parseFormat(format, report.Formats(report.DocHistoryLog)...); err != nil {
				return err
			}
			if opts.Limit < 0 {
				return flagErrorf("--limit must be 0 (all) or more, got %d", opts.Limit)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return historyLogRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&format, "format", string(report.Text), formatUsage(report.DocHistoryLog))
	cmd.Flags().IntVarP(&opts.Limit, "limit", "n", 100, "list at most `N` records (0 for all)")
	return cmd
}

func historyLogRun(ctx context.Context, opts *HistoryLogOptions) error {
	if err := opts.Store.Check(ctx); err != nil {
		return err
	}
	recs, err := opts.Store.List(ctx)
	if err != nil {
		return err
	}
	log := &history.Log{Records: recs, Total: len(recs)}
	if opts.Limit > 0 && len(recs) > opts.Limit {
		log.Records = recs[:opts.Limit]
	}
	return render(opts.IO, func(w io.Writer, o report.Options) error { return report.RenderHistoryLog(w, opts.Format, log, o) })
}

// HistoryShowOptions are the inputs of `perfctl history show`.
type HistoryShowOptions struct {
	HistoryOptions
	Commit string
	Env    string // an env key, or "" for all
}

// NewCmdHistoryShow returns `perfctl history show`.
func NewCmdHistoryShow(common func() HistoryOptions, runF func(context.Context, *HistoryShowOptions) error) *cobra.Command {
	opts := &HistoryShowOptions{}
	cmd := &cobra.Command{
		Use:   "show COMMIT",
		Short: "Print the records of a commit (benchfmt text)",
		Long: `Print the records of COMMIT (a revision, or a prefix of a recorded commit's id)
as benchfmt text, newest first; --env KEY picks one environment. The output is
what benchstat and perfctl compare read.`,
		Example: `  perfctl history show HEAD > head.txt
  perfctl history show 1a2b3c4d --env 0f1e2d3c4b5a`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return flagErrorf("history show needs one COMMIT (see perfctl history log)")
			}
			opts.HistoryOptions, opts.Commit = common(), args[0]
			if err := history.ValidateRevision(opts.Commit); err != nil {
				return &FlagError{Err: err}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return historyShowRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Env, "env", "", "show only the record of environment `KEY` (see perfctl history log)")
	return cmd
}

func historyShowRun(ctx context.Context, opts *HistoryShowOptions) error {
	if err := opts.Store.Check(ctx); err != nil {
		return err
	}
	commit, recs, err := opts.Store.Find(ctx, opts.Commit)
	if err != nil {
		return err
	}
	var out []byte
	for _, r := range recs {
		if opts.Env == "" || r.Key == opts.Env {
			out = append(out, r.Text...)
		}
	}
	if len(out) == 0 {
		return usererr.New(fmt.Sprintf("commit %s has no record in environment %q", commit[:12], opts.Env),
			"see the environments recorded with `perfctl history log`")
	}
	_, err = opts.IO.Out.Write(out)
	return err
}

// HistoryExportOptions are the inputs of `perfctl history export`.
type HistoryExportOptions struct {
	HistoryOptions
	Out string // directory, relative to Dir
}

// NewCmdHistoryExport returns `perfctl history export`.
func NewCmdHistoryExport(common func() HistoryOptions, runF func(context.Context, *HistoryExportOptions) error) *cobra.Command {
	opts := &HistoryExportOptions{}
	cmd := &cobra.Command{
		Use:   "export --out DIR",
		Short: "Write every record to DIR as COMMIT-ENV.txt (benchfmt)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.HistoryOptions = common()
			if opts.Out == "" {
				return flagErrorf("history export needs --out DIR")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			if err := opts.Store.Check(cmd.Context()); err != nil {
				return err
			}
			recs, err := opts.Store.Export(cmd.Context(), resolve(opts.Dir, opts.Out))
			if err != nil {
				return err
			}
			fmt.Fprintf(opts.IO.ErrOut, "perfctl: exported %s to %s\n", english.Plural(len(recs), "record", "records"), opts.Out)
			return nil
		},
	}
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "write the records to `DIR` (created if missing)")
	return cmd
}

// HistoryPruneOptions are the inputs of `perfctl history prune`.
type HistoryPruneOptions struct {
	HistoryOptions
	Request history.PruneRequest
}

// NewCmdHistoryPrune returns `perfctl history prune`.
func NewCmdHistoryPrune(common func() HistoryOptions, runF func(context.Context, *HistoryPruneOptions) error) *cobra.Command {
	opts := &HistoryPruneOptions{}
	var before string
	cmd := &cobra.Command{
		Use:   "prune (--keep N | --before DATE | --commit COMMIT)",
		Short: "Delete old records: all but the newest N commits', those before DATE, or one commit's",
		Long: `Delete records: --keep N keeps the records of the N most recently recorded
commits, --before DATE deletes those recorded before DATE (2006-01-02 or
RFC 3339), --commit COMMIT deletes one commit's records (without reading them, so
it removes a corrupt record too). A pruned record stays deleted when the store
is pushed, and comes back only if another clone records it again.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.HistoryOptions = common()
			r := &opts.Request
			if r.Keep < 0 {
				return flagErrorf("--keep must be 1 or more, got %d", r.Keep)
			}
			if before != "" {
				t, err := time.Parse(time.RFC3339, before)
				if err != nil {
					if t, err = time.Parse(time.DateOnly, before); err != nil {
						return flagErrorf("--before: %q is not a date (2006-01-02 or 2006-01-02T15:04:05Z)", before)
					}
				}
				r.Before = t
			}
			if r.Keep == 0 && r.Before.IsZero() && len(r.Commits) == 0 {
				return flagErrorf("history prune needs --keep N, --before DATE or --commit COMMIT")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			if err := opts.Store.Check(cmd.Context()); err != nil {
				return err
			}
			removed, kept, err := opts.Store.Prune(cmd.Context(), r)
			if err != nil {
				return err
			}
			fmt.Fprintf(opts.IO.ErrOut, "perfctl: pruned %s, kept %d\n", english.Plural(removed, "record", "records"), kept)
			return nil
		},
	}
	cmd.Flags().IntVar(&opts.Request.Keep, "keep", 0, "keep the records of the `N` most recently recorded commits")
	cmd.Flags().StringVar(&before, "before", "", "delete the records recorded before `DATE`")
	cmd.Flags().StringSliceVar(&opts.Request.Commits, "commit", nil, "delete the records of `COMMIT` (a recorded commit's id or prefix)")
	return cmd
}

// HistorySyncOptions are the inputs of `perfctl history push` and `pull`.
type HistorySyncOptions struct {
	HistoryOptions
	Push   bool
	Remote string
}

// NewCmdHistorySync returns `perfctl history push` or `pull` (verb).
func NewCmdHistorySync(common func() HistoryOptions, verb string, runF func(context.Context, *HistorySyncOptions) error) *cobra.Command {
	opts := &HistorySyncOptions{Push: verb == "push"}
	short := "Fetch the remote's records (default origin) and merge them into the local store"
	if opts.Push {
		short = "Send the local records to the remote (default origin), merging theirs first"
	}
	return &cobra.Command{
		Use:   verb + " [REMOTE]",
		Short: short,
		Long: short + `.
The store travels with the explicit refspec ` + history.Ref + `:` + history.Ref + `,
never forced: when the remote has records the local store lacks, they are
fetched into ` + history.RemoteRef + ` and merged (records are per commit and
environment, so the merge is a union; a record pruned on one side stays pruned),
and the push is tried again, up to ` + strconv.Itoa(history.PushAttempts) + ` times.`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.HistoryOptions, opts.Remote = common(), "origin"
			if len(args) == 1 {
				opts.Remote = args[0]
			}
			if err := history.ValidateRemote(opts.Remote); err != nil {
				return &FlagError{Err: err}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return historySyncRun(cmd.Context(), opts)
		},
	}
}

func historySyncRun(ctx context.Context, opts *HistorySyncOptions) error {
	s := opts.Store
	if err := s.Check(ctx); err != nil {
		return err
	}
	if opts.Push {
		attempts, err := s.Push(ctx, opts.Remote)
		if err != nil {
			return err
		}
		fmt.Fprintf(opts.IO.ErrOut, "perfctl: pushed the history to %s (%s)\n", opts.Remote, english.Plural(attempts, "attempt", "attempts"))
		return nil
	}
	changed, err := s.Pull(ctx, opts.Remote)
	if err != nil {
		return err
	}
	if changed {
		fmt.Fprintf(opts.IO.ErrOut, "perfctl: pulled the history from %s\n", opts.Remote)
	} else {
		fmt.Fprintf(opts.IO.ErrOut, "perfctl: the history is up to date with %s\n", opts.Remote)
	}
	return nil
}

// HistoryChangesOptions are the inputs of `perfctl history changes`.
type HistoryChangesOptions struct {
	HistoryOptions
	Format   report.Format
	Analysis trend.Options
}

// NewCmdHistoryChanges returns `perfctl history changes`.
func NewCmdHistoryChanges(common func() HistoryOptions, runF func(context.Context, *HistoryChangesOptions) error) *cobra.Command {
	opts := &HistoryChangesOptions{}
	var format string
	var flags *trendFlags
	cmd := &cobra.Command{
		Use:   "changes",
		Short: "Find the commits where a benchmark got slower or faster, and alert on a new regression",
		Long: `Find the change points of every benchmark and unit along the first-parent
history of --rev (HEAD): the commits after which the level shifted and stayed,
found with E-Divisive means and Student's t-test as Hunter and Apache Otava do
(docs/history.md says how, and how often it is wrong). Allocation counts are
compared exactly. Only the records of one environment are read (the one with
the most records, or --env KEY).

A change is new when it lies within the --recent newest recorded commits or
was not found without them. The command exits 1 when a new regression is not
reversed by a later change: the alert for CI. It exits 0 otherwise, and 2 when
it could not look.`,
		Example: `  perfctl history changes
  perfctl history changes --bench '^Parse' --unit sec/op --format json
  perfctl history changes --recent 5 --format markdown >> "$GITHUB_STEP_SUMMARY"`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.HistoryOptions = common()
			var err error
			if opts.Format, err = parseFormat(format, report.Formats(report.DocHistoryChanges)...); err != nil {
				return err
			}
			if err := flags.settle(); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return historyChangesRun(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", string(report.Text), formatUsage(report.DocHistoryChanges))
	flags = addTrendFlags(f, &opts.Analysis, "look only at", "alert on regressions new in the `N` newest recorded commits")
	return cmd
}

func historyChangesRun(ctx context.Context, opts *HistoryChangesOptions) error {
	if err := opts.Store.Check(ctx); err != nil {
		return err
	}
	a, err := trend.Analyze(ctx, opts.Store, &opts.Analysis)
	if err != nil {
		return err
	}
	if err := render(opts.IO, func(w io.Writer, o report.Options) error { return report.RenderChanges(w, opts.Format, a, o) }); err != nil {
		return err
	}
	if len(a.Alerts()) > 0 {
		return errGateFailed
	}
	return nil
}
