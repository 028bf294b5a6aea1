package cmd

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/perfctl/perfctl/checks"
	"github.com/perfctl/perfctl/hook"
	"github.com/perfctl/perfctl/internal/english"
	"github.com/perfctl/perfctl/internal/gomod"
	"github.com/perfctl/perfctl/internal/iostreams"
	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/lint"
)

// HookOptions are the inputs of `perfctl hook install|uninstall|run`.
type HookOptions struct {
	IO   *iostreams.IOStreams
	Exec run.Runner
	Dir  string // where perfctl runs (-C): any directory of the working tree

	Perfctl      string // install: the perfctl the hook runs ("" for this binary)
	GolangciLint string // run: --golangci-lint
	Tags         string // run: --tags
}

// NewCmdHook returns `perfctl hook`. runF, when set, replaces the run of
// each subcommand (install, uninstall or run) in tests.
func NewCmdHook(f *Factory, runF func(ctx context.Context, sub string, opts *HookOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "hook <command>",
		Short: "Install, run and remove the git pre-commit hook",
		Long: `The pre-commit hook catches the obvious mistakes in seconds: on each commit it
lints the packages with staged Go changes with the performance linters,
keeping only findings on staged lines, and type-checks their tests and benchmarks.
It judges what is staged, not unstaged edits. It is not the full gate:
perfctl check is.`,
		Args: noArgs,
	}
	opts := &HookOptions{IO: f.IOStreams, Exec: f.Exec}
	run := func(c *cobra.Command, sub string) error {
		opts.Dir = f.Dir
		if runF != nil {
			return runF(c.Context(), sub, opts)
		}
		switch sub {
		case "install":
			return hookInstallRun(c.Context(), opts)
		case "uninstall":
			return hookUninstallRun(c.Context(), opts)
		}
		return hookRun(c.Context(), opts)
	}
	install := &cobra.Command{
		Use:   "install",
		Short: "Install perfctl's pre-commit hook in this repository",
		Long: `Install the pre-commit hook where git runs hooks: core.hooksPath when set,
else the repository's hooks directory (shared by all its worktrees). A hook
that is already there is kept as pre-commit.pre-perfctl and run first;
'perfctl hook uninstall' puts it back byte for byte.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error { return run(c, "install") },
	}
	install.Flags().StringVar(&opts.Perfctl, "perfctl", "", "the perfctl `COMMAND` the hook runs (default: this binary; perfctl from PATH when this is a go run build)")
	uninstall := &cobra.Command{
		Use:   "uninstall",
		Short: "Remove perfctl's pre-commit hook and put back the one it replaced",
		Args:  noArgs,
		RunE:  func(c *cobra.Command, _ []string) error { return run(c, "uninstall") },
	}
	runCmd := &cobra.Command{
		Use:   "run",
		Short: "Check what is staged (what the pre-commit hook runs)",
		Long: `Lint the packages with staged Go changes with the performance linters (the
lint check of the module's policy, else the default profile), keeping the
findings on staged lines, and type-check their tests, benchmarks included
(go vet). When only go.mod or go.sum is staged, every package of the module
is type-checked. When the working tree differs from the index in Go files, a
snapshot of the index (under the git directory) is checked instead. Nothing
staged in Go: it returns at once.

A 1 blocks the commit; a 2 means the check could not run (golangci-lint
missing, not a git repository, a broken perfctl.yaml) and blocks it too.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error { return run(c, "run") },
	}
	runCmd.Flags().StringVar(&opts.Tags, "tags", "", "comma-separated build `TAGS` for the lint and the type-check")
	runCmd.Flags().StringVar(&opts.GolangciLint, "golangci-lint", "", "golangci-lint `BINARY` (default: $PERFCTL_GOLANGCI_LINT, the installed copy, PATH)")
	cmd.AddCommand(install, uninstall, runCmd)
	return cmd
}

func hookInstallRun(ctx context.Context, opts *HookOptions) error {
	exe := opts.Perfctl
	if exe == "" {
		exe = hookExecutable()
	}
	res, err := hook.Install(ctx, opts.Exec, opts.Dir, exe)
	if err != nil {
		return err
	}
	verb := "installed"
	if res.Updated {
		verb = "updated"
	}
	w := opts.IO.ErrOut
	fmt.Fprintf(w, "perfctl: %s the pre-commit hook at %s (it runs %s hook run)\n", verb, res.Path, exe)
	if _, err := exec.LookPath(exe); err != nil && !filepath.IsAbs(exe) {
		fmt.Fprintf(w, "perfctl: warning: %s is not in PATH, so the hook will not run until it is (go install it from a clone of perfctl, or install with --perfctl PATH)\n", exe)
	}
	if res.Chained != "" {
		fmt.Fprintf(w, "perfctl: the hook that was there is kept as %s and runs first\n", res.Chained)
	}
	return nil
}

func hookUninstallRun(ctx context.Context, opts *HookOptions) error {
	restored, err := hook.Uninstall(ctx, opts.Exec, opts.Dir)
	if err != nil {
		return err
	}
	msg := "removed the pre-commit hook"
	if restored != "" {
		msg += "; the previous hook is back at " + restored
	}
	fmt.Fprintln(opts.IO.ErrOut, "perfctl: "+msg)
	return nil
}

// hookExecutable is the perfctl the hook should run: this binary, unless
// it is a temporary one built by go run.
func hookExecutable() string {
	exe, err := os.Executable()
	if err != nil {
		return "perfctl"
	}
	// go run builds into $TMPDIR/go-buildNNN/…/exe/ and deletes it after.
	if strings.Contains(exe, string(filepath.Separator)+"go-build") {
		return "perfctl"
	}
	return exe
}

func hookRun(ctx context.Context, opts *HookOptions) error {
	start := time.Now()
	w := opts.IO.ErrOut
	res, err := hook.Run(ctx, &hook.Options{Dir: opts.Dir, Exec: opts.Exec, GolangciLint: opts.GolangciLint, Tags: opts.Tags,
		Profile: func(moduleDir string) (*lint.Profile, error) {
			root, _ := gomod.Root(moduleDir)
			src := checks.PolicySource{Dir: opts.Dir, Root: root}
			p, err := src.Load(ctx, opts.Exec)
			if err != nil {
				return nil, err
			}
			return p.LintProfile(), nil
		}})
	if err != nil {
		return err
	}
	took := time.Since(start).Round(100 * time.Millisecond).Seconds()
	if res.GoFiles == 0 {
		fmt.Fprintln(w, "perfctl hook: no Go changes staged")
		return nil
	}
	for _, f := range res.Outside {
		fmt.Fprintf(w, "perfctl hook: %s is in no Go module; not checked\n", f)
	}
	if res.Filtered > 0 {
		fmt.Fprintf(w, "perfctl hook: %s on staged lines left out (signatures fixed by an interface or exported API; perfctl lint --format json lists them)\n",
			english.Plural(res.Filtered, "lint finding", "lint findings"))
	}
	if !res.Failed() {
		fmt.Fprintf(w, "perfctl hook: %s: no new performance findings, tests and benchmarks compile (%.1fs)\n",
			english.Plural(len(res.Packages), "package", "packages"), took)
		return nil
	}
	var b strings.Builder
	if n := len(res.Findings); n > 0 {
		fmt.Fprintf(&b, "perfctl hook: %s in staged code:\n", english.Plural(n, "new performance finding", "new performance findings"))
		for _, fd := range res.Findings {
			fmt.Fprintf(&b, "  %s:%d:%d: %s (%s)\n", fd.File, fd.Line, fd.Column, fd.Message, fd.Linter)
		}
	}
	for _, out := range res.BuildErrors {
		b.WriteString("perfctl hook: the tests or benchmarks do not compile:\n")
		for _, line := range strings.Split(out, "\n") {
			b.WriteString("  " + line + "\n")
		}
	}
	fmt.Fprintf(&b, "commit blocked (%.1fs). Bypass once: git commit --no-verify · the full gate: perfctl check\n", took)
	if _, err := w.Write([]byte(b.String())); err != nil {
		return err
	}
	return errGateFailed
}
