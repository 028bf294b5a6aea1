package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/perfctl/perfctl/internal/gomod"
	"github.com/perfctl/perfctl/internal/iostreams"
	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/lint"
	"github.com/perfctl/perfctl/report"
)

// LintOptions are the inputs of `perfctl lint`.
type LintOptions struct {
	IO      *iostreams.IOStreams
	Exec    run.Runner
	Version string

	Binary string // --golangci-lint
	Lint   lint.Options
	Format report.Format
	List   bool
	// GitHubActions adds workflow annotations (GITHUB_ACTIONS=true).
	GitHubActions bool
	Modules       *modulesFlag
}

// NewCmdLint returns `perfctl lint`.
func NewCmdLint(f *Factory, runF func(context.Context, *LintOptions) error) *cobra.Command {
	opts := &LintOptions{IO: f.IOStreams, Exec: f.Exec, Version: f.Version(), Lint: lint.Options{Profile: lint.DefaultProfile()}}
	var enable, disable, enableChecks, disableChecks, settings []string
	var format string
	cmd := &cobra.Command{
		Use:   "lint [flags] [PACKAGES...]",
		Short: "Run golangci-lint v2 with the performance linters; findings fail the gate",
		Long: `Run golangci-lint v2 on the packages (default ./...) with perfctl's performance
profile: prealloc, perfsprint, gocritic (performance checks), staticcheck
SA6000–SA6006, makezero, bodyclose, noctx, sqlclosecheck, rowserrcheck,
mirror, fatcontext and unqueryvet ('perfctl lint --list' says why
each is there, and why some others are not). The configuration is generated
into a temporary file; your .golangci.yml is neither read nor changed.
_test.go files are not linted unless --tests is given.

Single gocritic and staticcheck checks go on and off with --enable-check and
--disable-check (names as golangci-lint v2.15.0 knows them; a typo is an
error). gocritic's hugeParam is not reported where the signature is not
yours to change — a parameter named _, a method that implements an
interface, exported API (--report-exported-api keeps those) — and the
filtered findings are counted under the report (docs/lint.md).

Exit status: 0 no findings, 1 findings, 2 no verdict — golangci-lint missing or
not v2, code that does not compile, golangci-lint failing or rejecting the
configuration the flags made, or an unknown --new-from-rev.

golangci-lint is found at --golangci-lint, then $PERFCTL_GOLANGCI_LINT, then
where 'perfctl tools install' puts it, then in PATH. With GITHUB_ACTIONS=true,
every finding is also a workflow annotation (on stderr).

With --all-modules (the default in a go.work workspace) each module's ./... is
linted, the modules go.work uses or those nested under this one; files are
relative to where perfctl runs. When there is more than one module, a line on
stderr says which are covered, and the JSON document lists them ("modules").`,
		Example: `  perfctl lint
  perfctl lint --new-from-merge-base origin/main --format sarif > perf.sarif
  perfctl lint --disable unqueryvet --enable govet --set govet.enable=[fieldalignment]
  perfctl lint --disable-check hugeParam,SA6002 --enable-check dupSubExpr
  perfctl lint --exclude '(^|/)generated/' ./...`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Lint.Dir = f.Dir
			opts.Lint.Packages = args
			if err := opts.Modules.settle(cmd.Flags(), args); err != nil {
				return err
			}
			var err error
			if opts.Format, err = parseFormat(format, report.Formats(report.DocLint)...); err != nil {
				return err
			}
			for _, l := range enable {
				if err := opts.Lint.Profile.Enable(splitList(l)...); err != nil {
					return &FlagError{Err: fmt.Errorf("--%w", err)}
				}
			}
			for _, l := range disable {
				opts.Lint.Profile.Disable(splitList(l)...)
			}
			for _, s := range settings {
				if err := opts.Lint.Profile.Set(s); err != nil {
					return &FlagError{Err: fmt.Errorf("--set: %w", err)}
				}
			}
			for _, c := range disableChecks {
				if err := opts.Lint.Profile.DisableChecks(splitList(c)...); err != nil {
					return &FlagError{Err: fmt.Errorf("--disable-check: %w", err)}
				}
			}
			for _, c := range enableChecks {
				if err := opts.Lint.Profile.EnableChecks(splitList(c)...); err != nil {
					return &FlagError{Err: fmt.Errorf("--enable-check: %w", err)}
				}
			}
			if err := checkLintNewFrom(opts.Lint.NewFromRev, opts.Lint.NewFromMergeBase); err != nil {
				return err
			}
			opts.GitHubActions = f.getenv("GITHUB_ACTIONS") == "true"
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return lintRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Binary, "golangci-lint", "", "golangci-lint `BINARY` to run (default: $PERFCTL_GOLANGCI_LINT, the installed copy, PATH)")
	fl.StringArrayVar(&enable, "enable", nil, "enable more `LINTERS` (comma-separated, repeatable)")
	fl.StringArrayVar(&disable, "disable", nil, "disable `LINTERS` of the profile (comma-separated, repeatable)")
	fl.StringArrayVar(&enableChecks, "enable-check", nil, "turn on single gocritic or staticcheck `CHECKS`, e.g. sliceClear,SA6002 (comma-separated, repeatable)")
	fl.StringArrayVar(&disableChecks, "disable-check", nil, "turn off single gocritic or staticcheck `CHECKS`, e.g. hugeParam,SA6002 (comma-separated, repeatable)")
	fl.BoolVar(&opts.Lint.Profile.ReportExportedAPI, "report-exported-api", false, "keep hugeParam findings on exported API (filtered by default: changing such a signature breaks callers)")
	fl.StringArrayVar(&settings, "set", nil, "a linter setting as `LINTER.KEY=YAML`, e.g. prealloc.simple=false")
	fl.StringArrayVar(&opts.Lint.Profile.ExcludePaths, "exclude", nil, "drop findings in paths matching `REGEX` (repeatable)")
	fl.BoolVar(&opts.Lint.Profile.Tests, "tests", false, "lint _test.go files too")
	fl.StringVar(&opts.Lint.Tags, "tags", "", "comma-separated build `TAGS`")
	fl.StringVar(&opts.Lint.NewFromRev, "new-from-rev", "", "report only findings in code changed since `REV`")
	fl.StringVar(&opts.Lint.NewFromMergeBase, "new-from-merge-base", "", "report only findings in code changed since the merge base with `BRANCH`")
	fl.StringVar(&format, "format", string(report.Text), formatUsage(report.DocLint))
	fl.BoolVar(&opts.List, "list", false, "list the profile's linters and why each is (or is not) in it, then exit")
	opts.Modules = addModulesFlag(fl)
	return cmd
}

// checkLintNewFrom refuses revisions that would read as options, and
// both flags at once.
func checkLintNewFrom(rev, branch string) error {
	if rev != "" && branch != "" {
		return flagErrorf("give --new-from-rev or --new-from-merge-base, not both")
	}
	for _, r := range []string{rev, branch} {
		if strings.HasPrefix(r, "-") {
			return flagErrorf("revision %q starts with '-': give a commit, tag or branch", r)
		}
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func lintRun(ctx context.Context, opts *LintOptions) error {
	if opts.List {
		return render(opts.IO, func(w io.Writer, _ report.Options) error { return lintList(w, &opts.Lint.Profile) })
	}
	bin, version, err := lint.Locate(ctx, opts.Exec, opts.Binary)
	if err != nil {
		return err
	}
	res, err := lintModules(ctx, opts, bin)
	if err != nil {
		return err
	}
	res.Version = version
	if opts.GitHubActions {
		// The runner reads workflow commands from stderr too; stdout stays data.
		if err := report.GitHubAnnotations(opts.IO.ErrOut, res.Findings); err != nil {
			return err
		}
	}
	err = render(opts.IO, func(w io.Writer, o report.Options) error {
		o.Version = opts.Version
		return renderLint(w, opts.Format, res, opts.Lint.Profile.Linters, o)
	})
	if err != nil {
		return err
	}
	if s := lint.FilteredSummary(res.Filtered); s != "" && opts.Format != report.Text && opts.Format != report.JSON {
		fmt.Fprintf(opts.IO.ErrOut, "perfctl: %s\n", s)
	}
	if res.FilterError != "" {
		fmt.Fprintf(opts.IO.ErrOut, "perfctl: not every finding could be classified: %s\n", res.FilterError)
	}
	if len(res.Findings) > 0 {
		return errGateFailed
	}
	return nil
}

// lintModules lints the modules opts cover: the module perfctl runs in
// (outside any, the directory, as golangci-lint takes it), or each one.
func lintModules(ctx context.Context, opts *LintOptions, bin string) (*lint.Result, error) {
	layout, covered, err := opts.Modules.cover(opts.IO.ErrOut, opts.Lint.Dir, opts.Lint.Packages)
	if errors.Is(err, gomod.ErrNoModule) && !opts.Modules.given() {
		return lint.Run(ctx, opts.Exec, bin, &opts.Lint)
	}
	if err != nil {
		return nil, err
	}
	var res *lint.Result
	if severalModules(layout, covered) {
		res, err = lint.RunModules(ctx, opts.Exec, bin, &opts.Lint, covered)
		if err == nil {
			for _, m := range res.NoGoFiles {
				fmt.Fprintf(opts.IO.ErrOut, "perfctl: module %s has no Go files to lint\n", m.Name())
			}
		}
	} else {
		res, err = lint.Run(ctx, opts.Exec, bin, &opts.Lint)
	}
	if err != nil {
		return nil, err
	}
	if len(layout.Modules) > 1 {
		res.Modules = layout.Modules
	}
	return res, nil
}

func lintList(w io.Writer, p *lint.Profile) error {
	var b strings.Builder
	b.WriteString("enabled:\n")
	for _, l := range p.Linters {
		reason := lint.Reason(l)
		if reason == "" {
			reason = "added with --enable"
		}
		fmt.Fprintf(&b, "  %-14s %s\n", l, reason)
	}
	b.WriteString("\ntuned (docs/lint.md has the measurements):\n")
	for _, t := range lint.Tuning() {
		fmt.Fprintf(&b, "  %s\n", t)
	}
	b.WriteString("\nleft out of the default profile (add with --enable):\n")
	for _, name := range []string{"govet fieldalignment", "modernize", "intrange", "copyloopvar", "unconvert"} {
		fmt.Fprintf(&b, "  %-21s %s\n", name, lint.LeftOut[name])
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ToolsOptions are the inputs of `perfctl tools install`.
type ToolsOptions struct {
	IO   *iostreams.IOStreams
	Exec run.Runner
}

// NewCmdTools returns `perfctl tools`.
func NewCmdTools(f *Factory, runF func(context.Context, *ToolsOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tools <command>",
		Short: "Install the tools perfctl drives (golangci-lint)",
		Args:  noArgs,
	}
	opts := &ToolsOptions{IO: f.IOStreams, Exec: f.Exec}
	cmd.AddCommand(&cobra.Command{
		Use:   "install",
		Short: "Install the pinned golangci-lint " + lint.PinnedVersion + " with go install, where perfctl finds it",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			path, err := lint.Install(cmd.Context(), opts.Exec, opts.IO.ErrOut)
			if err != nil {
				return err
			}
			fmt.Fprintf(opts.IO.ErrOut, "perfctl: installed golangci-lint %s at %s\n", lint.PinnedVersion, path)
			return nil
		},
	})
	return cmd
}
