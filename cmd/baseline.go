package cmd

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/perfctl/perfctl/baseline"
	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/atomicfile"
	"github.com/perfctl/perfctl/report"
)

// NewCmdBaseline returns `perfctl baseline` and its subcommands.
func NewCmdBaseline(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "baseline <command>",
		Short: "Record, list, show and delete reference benchmark results",
		Long: `Baselines are reference benchmark results stored as benchfmt files in
.perfctl/baselines/NAME.txt at the module root (--baseline-dir to change it).
benchstat reads them; perfctl compare --baseline NAME compares against them.`,
		Example: `  perfctl baseline save              # run the benchmarks, store them as "main"
  perfctl baseline save v1.2 --count 20
  perfctl baseline save main --from results.txt --force
  perfctl baseline list
  perfctl compare --baseline main`,
		Args: noArgs,
	}
	var dir string
	cmd.PersistentFlags().StringVar(&dir, "baseline-dir", "", "directory of the baselines (default .perfctl/baselines at the module root)")
	store := func() (baseline.Store, error) { return baselineStore(dir) }
	cmd.AddCommand(
		newCmdBaselineSave(f, store),
		newCmdBaselineList(f, store),
		newCmdBaselineShow(f, store),
		newCmdBaselineDelete(f, store),
	)
	return cmd
}

// baselineStore resolves the baseline directory: dir when given, otherwise
// .perfctl/baselines next to the go.mod above the current directory.
func baselineStore(dir string) (baseline.Store, error) {
	if dir != "" {
		return baseline.Store{Dir: dir}, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return baseline.Store{}, err
	}
	return baseline.Store{Dir: filepath.Join(moduleRoot(wd), baseline.DefaultDir)}, nil
}

// moduleRoot returns the nearest directory at or above dir with a go.mod,
// or dir itself when there is none.
func moduleRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

func newCmdBaselineSave(f *Factory, store func() (baseline.Store, error)) *cobra.Command {
	var from string
	var force bool
	var flags *benchFlags
	cmd := &cobra.Command{
		Use:   "save [NAME] [flags] [-- PACKAGES...]",
		Short: "Run the benchmarks (or take --from FILE) and store them as baseline NAME (default main)",
		Long: `Run the benchmarks as perfctl bench does (same flags) and store the results as
baseline NAME (default "main"), or store the results in --from FILE. The file is
written to a temporary name and renamed into place only when everything
succeeded, so an interrupted or failed save leaves the previous baseline as it
was. An existing baseline is replaced only with --force.

Packages (default ./...) follow the name, after --:
  perfctl baseline save main -- ./parser/... ./lexer`,
		Example: `  perfctl baseline save
  perfctl baseline save release-1.4 --count 20 --benchtime 200ms
  perfctl baseline save main --from new.txt --force`,
		RunE: func(cmd *cobra.Command, args []string) error {
			name, pkgs := baseline.DefaultName, []string(nil)
			if dash := cmd.ArgsLenAtDash(); dash >= 0 {
				pkgs = args[dash:]
				args = args[:dash]
			}
			switch len(args) {
			case 0:
			case 1:
				name = args[0]
			default:
				return flagErrorf("baseline save takes one NAME; put packages after --, e.g. perfctl baseline save %s -- %s", args[0], args[1])
			}
			if err := nameFlagError(name); err != nil {
				return err
			}
			if from == "-" {
				return flagErrorf("--from - is not supported: write the results to a file first")
			}
			if from != "" && len(pkgs) > 0 {
				return flagErrorf("--from takes results from a file; packages cannot be given with it")
			}
			spec := flags.Spec(pkgs)
			if err := flags.Validate(); err != nil {
				return err
			}
			if err := spec.Validate(); err != nil {
				return &FlagError{Err: err}
			}
			s, err := store()
			if err != nil {
				return err
			}
			if err := atomicfile.CheckDir(s.Dir); err != nil {
				return &bench.InputError{Msg: fmt.Sprintf("cannot store baselines in %s: %v", s.Dir, err),
					Hint: "give --baseline-dir a directory you can write to (missing directories are created)"}
			}
			if !force {
				if _, err := os.Stat(s.Path(name)); err == nil {
					return &bench.InputError{File: s.Path(name), Msg: fmt.Sprintf("baseline %q already exists", name),
						Hint: "pass --force to replace it, or choose another name"}
				}
			}
			var text []byte
			source := "the benchmark run"
			if from != "" {
				if text, err = os.ReadFile(from); err != nil {
					// bench.ReadFile words a missing or unreadable file with a hint.
					if _, rerr := bench.ReadFile(from, nil); rerr != nil {
						return rerr
					}
					return err
				}
				source = from
			} else {
				res, err := runBenchmarks(cmd.Context(), f.IOStreams, f.Exec, f.Version(), &spec)
				if err != nil {
					return err
				}
				text = res.Text
			}
			set, err := s.Save(name, text, source, force)
			if err != nil {
				var inputErr *bench.InputError
				if errors.As(err, &inputErr) {
					return inputErr // names the file and line, with a hint
				}
				if errors.Is(err, baseline.ErrExists) {
					return &bench.InputError{File: s.Path(name), Msg: fmt.Sprintf("baseline %q already exists (saved by another run meanwhile)", name),
						Hint: "pass --force to replace it, or choose another name"}
				}
				return err
			}
			fmt.Fprintf(f.IOStreams.ErrOut, "perfctl: saved baseline %q (%d benchmarks) to %s\n", name, set.Len(), s.Path(name))
			return nil
		},
	}
	flags = addBenchFlags(cmd.Flags())
	cmd.Flags().StringVar(&from, "from", "", "store the results in `FILE` instead of running the benchmarks")
	cmd.Flags().BoolVar(&force, "force", false, "replace an existing baseline")
	return cmd
}

func newCmdBaselineList(f *Factory, store func() (baseline.Store, error)) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the stored baselines",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			fm, err := parseFormat(format, report.Formats(report.DocBaselineList)...)
			if err != nil {
				return err
			}
			s, err := store()
			if err != nil {
				return err
			}
			infos, problems, err := s.List()
			if err != nil {
				return err
			}
			for _, p := range problems {
				fmt.Fprintf(f.IOStreams.ErrOut, "perfctl: warning: skipping a baseline that cannot be read: %v\n", p)
			}
			return render(f.IOStreams, func(w io.Writer, o report.Options) error { return report.RenderBaselineList(w, fm, infos, o) })
		},
	}
	cmd.Flags().StringVar(&format, "format", string(report.Text), formatUsage(report.DocBaselineList))
	return cmd
}

func newCmdBaselineShow(f *Factory, store func() (baseline.Store, error)) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "show NAME",
		Short: "Show a baseline: where it comes from and each benchmark's center ± interval",
		Args:  oneBaselineName,
		RunE: func(_ *cobra.Command, args []string) error {
			fm, err := parseFormat(format, report.Formats(report.DocBaselineShow)...)
			if err != nil {
				return err
			}
			s, err := store()
			if err != nil {
				return err
			}
			info, err := s.Get(args[0])
			if err != nil {
				return notFoundHint(err, args[0])
			}
			rows, err := bench.Summarize(info.Results, bench.DefaultConfidence, nil)
			if err != nil {
				return err
			}
			return render(f.IOStreams, func(w io.Writer, o report.Options) error { return report.RenderBaselineShow(w, fm, &info, rows, o) })
		},
	}
	cmd.Flags().StringVar(&format, "format", string(report.Text), formatUsage(report.DocBaselineShow))
	return cmd
}

func newCmdBaselineDelete(f *Factory, store func() (baseline.Store, error)) *cobra.Command {
	return &cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a baseline",
		Args:  oneBaselineName,
		RunE: func(_ *cobra.Command, args []string) error {
			s, err := store()
			if err != nil {
				return err
			}
			if err := s.Delete(args[0]); err != nil {
				return notFoundHint(err, args[0])
			}
			fmt.Fprintf(f.IOStreams.ErrOut, "perfctl: deleted baseline %q\n", args[0])
			return nil
		},
	}
}

// notFoundHint turns a missing baseline into an error that says how to get
// one.
func notFoundHint(err error, name string) error {
	if errors.Is(err, baseline.ErrNotFound) {
		return &bench.InputError{Msg: err.Error(),
			Hint: fmt.Sprintf("record it with `perfctl baseline save %s`, or see `perfctl baseline list`", name)}
	}
	return err
}

// oneBaselineName accepts exactly one valid baseline name.
func oneBaselineName(cmd *cobra.Command, args []string) error {
	if len(args) != 1 {
		return flagErrorf("%s needs one NAME (see perfctl baseline list)", cmd.CommandPath())
	}
	return nameFlagError(args[0])
}

func nameFlagError(name string) error {
	if err := baseline.ValidateName(name); err != nil {
		return &FlagError{Err: err}
	}
	return nil
}

// loadBaseline reads a baseline for comparing.
func loadBaseline(dir, name string) (*bench.ResultSet, string, error) {
	s, err := baselineStore(dir)
	if err != nil {
		return nil, "", err
	}
	set, err := s.Load(name)
	if err != nil {
		return nil, "", notFoundHint(err, name)
	}
	return set, s.Path(name), nil
}
