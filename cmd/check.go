package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/perfctl/perfctl/checks"
	"github.com/perfctl/perfctl/compare"
	"github.com/perfctl/perfctl/internal/atomicfile"
	"github.com/perfctl/perfctl/internal/gomod"
	"github.com/perfctl/perfctl/internal/iostreams"
	"github.com/perfctl/perfctl/internal/progress"
	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/usererr"
	"github.com/perfctl/perfctl/report"
)

// CheckOptions are the inputs of `perfctl check`.
type CheckOptions struct {
	IO      *iostreams.IOStreams
	Exec    run.Runner
	Version string
	Dir     string // where perfctl runs (-C)

	// Policy says where the policy comes from: --policy, --policy-ref, or
	// perfctl.yaml at the module root (Root and Dir are set by checkRun).
	Policy checks.PolicySource
	// AllowCommands lets the policy's command checks run (--allow-commands
	// or PERFCTL_ALLOW_COMMANDS); a policy from --policy-ref is trusted too.
	AllowCommands bool
	Format        report.Format
	Reports       []reportFile // --report FORMAT=FILE
	Checks        checks.Options
	GolangciLint  string
	Tags          string // --tags: build tags for go list, lint and the benchmark runs
	// Preset is --preset: the kind of module (library, service, cli),
	// instead of the policy's or the detected one.
	Preset checks.Preset
	// LintNewFromRev and LintNewFromMergeBase make the lint checks report
	// only findings in code changed since a revision or the merge base
	// with a branch (--new-from-rev, --new-from-merge-base).
	LintNewFromRev, LintNewFromMergeBase string
	// Compare is the comparison of the regression checks: the reference
	// flags (--baseline, --base-ref, --merge-base) and the statistics; nil
	// without a reference.
	Compare *compare.Request
	// StepSummary is $GITHUB_STEP_SUMMARY: the Markdown report is appended
	// to it when set.
	StepSummary string
	// GitHubActions adds a workflow annotation per problem, on stderr
	// (GITHUB_ACTIONS=true).
	GitHubActions bool
	// Modules is --all-modules: which modules the checks that work on
	// packages cover.
	Modules *modulesFlag
}

// A reportFile is a report written to a file besides stdout.
type reportFile struct {
	Format report.Format
	Path   string
}

var checkFormats = report.Formats(report.DocCheck)

// NewCmdCheck returns `perfctl check`.
func NewCmdCheck(f *Factory, runF func(context.Context, *CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{IO: f.IOStreams, Exec: f.Exec, Version: f.Version()}
	var format, only, skipIDs, preset string
	var shards *shardFlags
	var reports []string
	var ref *refFlags
	cmd := &cobra.Command{
		Use:   "check [flags]",
		Short: "Evaluate the performance policy (MUST/SHOULD/MAY) and decide pass or fail",
		Long: `Evaluate the module's performance policy and end in one verdict.

The policy is perfctl.yaml at the module root, or --policy FILE; without one,
perfctl uses its embedded default policy ('perfctl policy show' prints it,
'perfctl init' writes it out to edit). Each check has a level:

  MUST    a failure fails the verdict; a MUST check that cannot be evaluated
          leaves no verdict (exit 2)
  SHOULD  a failure is a warning; --strict makes it fail the verdict
  MAY     informational

A regression found by a regression check fails the verdict at any level.
Regression checks compare with the reference given here: --baseline NAME (a
stored baseline), --base-ref REF or --merge-base BRANCH (both sides run
interleaved in a temporary worktree); without one they are skipped. The
statistics and benchmark flags (--alpha, --threshold, --bench, --count,
--benchtime, --cpu, --timeout) are the regression checks' only, as in
compare; --tags also reaches the lint and benchmark checks, and budget
checks take their counts from the policy.

Checks run concurrently; those that time benchmarks (regression, budget) run
alone afterwards. Progress goes to stderr, the report to stdout; --report
writes more formats to files in the same run. With $GITHUB_STEP_SUMMARY set,
the Markdown report is appended to the job summary; with GITHUB_ACTIONS=true,
every problem found is also a workflow annotation (on stderr; up to 50). The
codequality format is GitLab's Code Quality report, for
artifacts:reports:codequality. docs/ci.md has complete CI configurations.

With --shard I/N (and a reference) the regression checks measure only the
I-th of N shards of the benchmarks (see perfctl shard plan); shard 1/N runs
every other check too, the other shards only the regression checks. Each
job's verdict is its own: for one verdict over all the shards' rows, run
perfctl compare --shard in the jobs and perfctl merge after them.

With --all-modules (the default in a go.work workspace), the checks that work
on packages (lint, bench-compile, benchmarks-present, allocs-reported,
test-coverage, sql-pool kinds) run in every module, the modules go.work uses
or those nested under this one, and each such check's result covers them all,
module by module in its details; budgets and regressions measure every
module's benchmarks. The policy is the one at the root (go.work's directory
or this module), the file checks read the root's files, and there is one
verdict. When there is more than one module, a line on stderr says which are
covered, and the JSON report lists them ("modules").`,
		Example: `  perfctl check
  perfctl check --merge-base origin/main --report junit=perf.xml --report sarif=perf.sarif
  perfctl check --report junit=perf.xml --report codequality=gl-code-quality.json
  perfctl check --baseline main --strict
  perfctl check --only perf-lints-denied,benchmarks-compile --format json
  perfctl check --policy ci/perfctl.yaml --skip test-coverage`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if opts.Format, err = parseFormat(format, checkFormats...); err != nil {
				return err
			}
			opts.Dir = f.Dir
			for _, r := range reports {
				rf, err := parseReportFile(r)
				if err != nil {
					return err
				}
				if err := checkOutput("--report "+r, f.Dir, rf.Path); err != nil {
					return err
				}
				opts.Reports = append(opts.Reports, rf)
			}
			opts.Checks.Only, opts.Checks.Skip = splitList(only), splitList(skipIDs)
			if err := opts.Modules.settle(cmd.Flags(), nil); err != nil {
				return err
			}
			if opts.Preset, err = checks.ParsePreset(preset); err != nil {
				return flagErrorf("--preset: %v", err)
			}
			q, err := ref.request(opts.Dir, &ref.ref, nil)
			if err != nil {
				return err
			}
			if q.Ref.Mode() != compare.None {
				opts.Compare = q
			}
			if q.Shard, err = shards.request(); err != nil {
				return err
			}
			if q.Shard != nil {
				if opts.Compare == nil {
					return flagErrorf("--shard %s splits the regression checks' benchmarks: give what they compare with (--baseline NAME, --base-ref REF or --merge-base BRANCH)", q.Shard.Selector)
				}
				if err := q.Validate(opts.Dir); err != nil {
					return &FlagError{Err: err}
				}
			}
			opts.Tags = q.Spec.Tags
			if opts.Policy.File != "" && opts.Policy.Ref != "" {
				return flagErrorf("give --policy or --policy-ref, not both")
			}
			if strings.HasPrefix(opts.Policy.Ref, "-") {
				return flagErrorf("--policy-ref %q starts with '-': give a commit, tag or branch", opts.Policy.Ref)
			}
			if err := checkLintNewFrom(opts.LintNewFromRev, opts.LintNewFromMergeBase); err != nil {
				return err
			}
			if !cmd.Flags().Changed("allow-commands") {
				opts.AllowCommands = envTrue(f.getenv("PERFCTL_ALLOW_COMMANDS"))
			}
			opts.StepSummary = f.getenv("GITHUB_STEP_SUMMARY")
			opts.GitHubActions = f.getenv("GITHUB_ACTIONS") == "true"
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return checkRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Policy.File, "policy", "", "policy `FILE` (default: perfctl.yaml at the module root, else the embedded default)")
	fl.StringVar(&opts.Policy.Ref, "policy-ref", "", "read perfctl.yaml from git revision `REF` (e.g. origin/main), not the working tree: a pull request cannot change the policy it is judged by")
	fl.BoolVar(&opts.AllowCommands, "allow-commands", false, "let the policy's command checks run (default $PERFCTL_ALLOW_COMMANDS); only where the policy is trusted")
	fl.StringVar(&format, "format", string(report.Text), formatUsage(report.DocCheck))
	fl.StringArrayVar(&reports, "report", nil, "also write a report as `FORMAT=FILE`, e.g. junit=perf.xml (repeatable)")
	fl.BoolVar(&opts.Checks.Strict, "strict", false, "SHOULD failures fail the verdict too")
	fl.StringVar(&preset, "preset", "", "the kind of module, `library|service|cli`: the checks that apply (default: the policy's preset:, else detected)")
	shards = addShardFlags(fl)
	fl.StringVar(&only, "only", "", "run only the checks with these comma-separated `IDS`")
	fl.StringVar(&skipIDs, "skip", "", "do not run the checks with these comma-separated `IDS`")
	fl.StringVar(&opts.GolangciLint, "golangci-lint", "", "golangci-lint `BINARY` for lint checks (default: $PERFCTL_GOLANGCI_LINT, the installed copy, PATH)")
	fl.StringVar(&opts.LintNewFromRev, "new-from-rev", "", "lint checks report only findings in code changed since `REV`")
	fl.StringVar(&opts.LintNewFromMergeBase, "new-from-merge-base", "", "lint checks report only findings in code changed since the merge base with `BRANCH`")
	ref = addRefFlags(fl)
	opts.Modules = addModulesFlag(fl)
	return cmd
}

func parseReportFile(s string) (reportFile, error) {
	name, path, ok := strings.Cut(s, "=")
	if !ok || path == "" {
		return reportFile{}, flagErrorf("--report %q: write FORMAT=FILE, e.g. junit=perf.xml", s)
	}
	f, err := parseFormat(name, checkFormats...)
	if err != nil {
		return reportFile{}, flagErrorf("--report %q: %v", s, errors.Unwrap(err))
	}
	return reportFile{Format: f, Path: path}, nil
}

// envTrue reads a boolean environment variable: 1, true, yes, on.
func envTrue(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

func checkRun(ctx context.Context, opts *CheckOptions) error {
	layout, covered, err := opts.Modules.cover(opts.IO.ErrOut, opts.Dir, nil)
	if err != nil {
		return err
	}
	root, several := covered[0].Dir, severalModules(layout, covered)
	if several {
		root = layout.Root // the policy and the files of the whole repository or workspace
	}
	src := opts.Policy
	src.Dir, src.Root = opts.Dir, policyRoot(layout, root, several)
	policy, err := src.Load(ctx, opts.Exec)
	if err != nil {
		return err
	}
	if err := policy.Select(opts.Checks.Only, opts.Checks.Skip); err != nil {
		return err
	}
	if opts.Compare != nil && opts.Compare.Shard != nil && opts.Compare.Shard.Index > 1 {
		if opts.Checks.Only, err = shardChecks(policy, opts.Checks.Only, opts.Compare.Shard.String()); err != nil {
			return err
		}
	}
	if n, err := policy.LintNewFrom(ctx, opts.Exec, root, opts.LintNewFromRev, opts.LintNewFromMergeBase); err != nil {
		return err
	} else if n == 0 && opts.LintNewFromRev+opts.LintNewFromMergeBase != "" {
		fmt.Fprintf(opts.IO.ErrOut, "perfctl: the %s has no lint check: --new-from-rev and --new-from-merge-base change nothing\n", policyName(policy))
	}
	ws := &checks.Workspace{Dir: root, Exec: opts.Exec, Version: opts.Version, Tags: opts.Tags,
		GolangciLint: opts.GolangciLint, Progress: progress.New(opts.IO.ErrOut, opts.IO.IsStderrTTY()),
		TrustCommands: opts.AllowCommands || src.Ref != "", Compare: opts.Compare, CompareDir: opts.Dir}
	if several {
		ws.Modules = covered
	}
	if opts.Compare != nil {
		opts.Compare.Layout, opts.Compare.Set.Modules = layout, opts.Modules.given()
	}
	var mu sync.Mutex
	opts.Checks.Finished = func(c *checks.Check, r *checks.Result) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(opts.IO.ErrOut, "perfctl: %-6s %-28s %-5s %.1fs\n", c.Level, c.ID, r.Status, r.Duration.Seconds())
	}
	if opts.Checks.Preset, err = ws.ChoosePreset(ctx, policy, opts.Preset); err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "perfctl: checking %s with the %s (%d checks)\n", root, policyName(policy), len(policy.Checks))
	if p := opts.Checks.Preset; p.Preset != "" {
		fmt.Fprintf(opts.IO.ErrOut, "perfctl: preset %s\n", p)
	}
	if src.Ref != "" && policy.Source == checks.DefaultSource {
		fmt.Fprintf(opts.IO.ErrOut, "perfctl: %s has no %s at this module's path: the embedded default policy applies\n", src.Ref, checks.PolicyFile)
	}
	evaluated, notSelected := selectedChecks(policy, opts.Checks.Only)
	if evaluated.NeedsServices(opts.Checks.Skip) {
		svcs, err := startServices(ctx, opts.IO.ErrOut, root, policy, ws.TrustCommands, "--allow-commands (or set PERFCTL_ALLOW_COMMANDS=1)")
		if err != nil {
			return err
		}
		defer svcs.Stop()
		ws.Exec = run.WithEnv(ws.Exec, svcs.Env())
	}
	rep, err := checks.Evaluate(ctx, evaluated, ws, &opts.Checks)
	if err != nil {
		return err
	}
	rep.NotSelected = notSelected
	if len(layout.Modules) > 1 {
		rep.Modules = layout.Modules
	}
	var paths report.RepoPaths
	if opts.GitHubActions || opts.needsRepoPaths() {
		policyFile := ""
		switch {
		case policy.Source == checks.DefaultSource:
		case src.Ref != "":
			// Read from a revision: its lines are those of the file at
			// the module root, as the pull request's diff shows it.
			policyFile = filepath.Join(root, checks.PolicyFile)
		default:
			policyFile = filepath.Join(opts.Dir, policy.Source)
		}
		paths = repoPaths(ctx, opts.Exec, root, policyFile)
	}
	if err := writeCheckReports(opts, rep, paths); err != nil {
		return err
	}
	if opts.GitHubActions {
		// The runner reads workflow commands from stderr too; stdout stays data.
		if err := report.CheckGitHubAnnotations(opts.IO.ErrOut, rep, paths); err != nil {
			return err
		}
	}
	if rep.Verdict != checks.VerdictPass && policy.Source == checks.DefaultSource {
		fmt.Fprintln(opts.IO.ErrOut, "perfctl: this is the embedded default policy; 'perfctl init' writes it to perfctl.yaml to adapt to this module")
	}
	switch rep.Verdict {
	case checks.VerdictFail:
		return errGateFailed
	case checks.VerdictError:
		var errs []string
		for i := range rep.Outcomes {
			if o := &rep.Outcomes[i]; o.Status == checks.Error && rep.Decisive(o) {
				errs = append(errs, fmt.Sprintf("%s %s could not be evaluated", o.Level, o.ID))
			}
		}
		return &noVerdictError{Reasons: errs}
	}
	return nil
}

// selectedChecks is p with only the checks that --only names, when it
// names any, and how many it leaves out: the reports list the checks
// selected and count the others in one line, instead of a row each.
func selectedChecks(p *checks.Policy, only []string) (*checks.Policy, int) {
	if len(only) == 0 {
		return p, 0
	}
	s := *p
	s.Checks = nil
	for _, c := range p.Checks {
		if slices.Contains(only, c.ID) {
			s.Checks = append(s.Checks, c)
		}
	}
	return &s, len(p.Checks) - len(s.Checks)
}

// shardChecks are the checks a shard after the first runs (--shard I/N,
// I > 1): the regression checks, of those only selects (all when empty).
// The first shard runs every check, and its part of the regression checks.
func shardChecks(p *checks.Policy, only []string, shard string) ([]string, error) {
	var ids []string
	for _, c := range p.Checks {
		if c.Kind == "regression" && (len(only) == 0 || slices.Contains(only, c.ID)) {
			ids = append(ids, c.ID)
		}
	}
	if len(ids) == 0 {
		return nil, usererr.New(fmt.Sprintf("shard %s runs only the regression checks, and the %s selects none", shard, policyName(p)),
			"give --shard only where the policy has a regression check, or run perfctl check once without --shard")
	}
	return ids, nil
}

// policyRoot is where perfctl.yaml is looked for: the root of what is
// checked; covering several modules from inside one whose perfctl.yaml
// the root lacks, that module's (a workspace's modules may each have had
// their own before perfctl covered them together).
func policyRoot(layout *gomod.Layout, root string, several bool) string {
	if !several || layout.Current < 0 || fileExists(filepath.Join(root, checks.PolicyFile)) {
		return root
	}
	if cur := layout.Modules[layout.Current].Dir; fileExists(filepath.Join(cur, checks.PolicyFile)) {
		return cur
	}
	return root
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func policyName(p *checks.Policy) string {
	if p.Source == checks.DefaultSource {
		return p.Source
	}
	return "policy " + p.Source
}

// needsRepoPaths reports whether the output format or a --report format
// places problems at paths relative to the repository root.
func (opts *CheckOptions) needsRepoPaths() bool {
	if opts.Format.NeedsRepoPaths() {
		return true
	}
	for _, rf := range opts.Reports {
		if rf.Format.NeedsRepoPaths() {
			return true
		}
	}
	return false
}

// repoPaths places the module in its git repository, for the formats that
// want paths relative to the repository root (annotations, Code Quality):
// the module root's prefix (git rev-parse --show-prefix; none outside a
// repository) and the policy file (absolute; "" for none) relative to the
// module root.
func repoPaths(ctx context.Context, r run.Runner, root, policyFile string) report.RepoPaths {
	var p report.RepoPaths
	if out, err := run.Output(ctx, r, &run.Cmd{Args: []string{"git", "rev-parse", "--show-prefix"}, Dir: root}); err == nil {
		p.Prefix = strings.TrimSpace(string(out))
	}
	if policyFile != "" {
		if rel, err := filepath.Rel(root, policyFile); err == nil && filepath.IsLocal(rel) {
			p.Policy = filepath.ToSlash(rel)
		}
	}
	return p
}

// writeCheckReports renders every report first, each format once, and
// writes them only when all rendered: stdout, the --report files, and the
// job summary. paths place the module in its repository for the CI formats.
func writeCheckReports(opts *CheckOptions, rep *checks.Report, paths report.RepoPaths) error {
	rendered := map[report.Format][]byte{}
	get := func(f report.Format) ([]byte, error) {
		if b, ok := rendered[f]; ok {
			return b, nil
		}
		b, err := renderCheck(rep, f, report.Options{Request: opts.Compare}, opts.Version, paths)
		rendered[f] = b
		return b, err
	}
	out, err := get(opts.Format)
	if opts.Format == report.Text && opts.IO.ColorEnabled() { // colour for the terminal only
		out, err = renderCheck(rep, report.Text, report.Options{Color: true, Request: opts.Compare}, opts.Version, paths)
	}
	if err != nil {
		return err
	}
	for _, rf := range opts.Reports {
		if _, err := get(rf.Format); err != nil {
			return err
		}
	}
	var summary []byte
	if opts.StepSummary != "" {
		if summary, err = get(report.Markdown); err != nil {
			return err
		}
	}
	if _, err := opts.IO.Out.Write(out); err != nil {
		return err
	}
	for _, rf := range opts.Reports {
		if err := atomicfile.WriteFile(resolve(opts.Dir, rf.Path), rendered[rf.Format], 0o644); err != nil {
			return fmt.Errorf("writing the %s report: %w", rf.Format, err)
		}
	}
	if summary != nil {
		if err := appendFile(opts.StepSummary, summary); err != nil {
			return fmt.Errorf("appending to $GITHUB_STEP_SUMMARY: %w", err)
		}
	}
	return nil
}

// renderCheck renders rep in format f; paths place the module in its
// repository for SARIF and Code Quality.
func renderCheck(rep *checks.Report, f report.Format, o report.Options, version string, paths report.RepoPaths) ([]byte, error) {
	var b bytes.Buffer
	o.Version, o.Paths = version, paths
	if err := report.RenderCheck(&b, f, rep, o); err != nil {
		return nil, fmt.Errorf("rendering the %s report: %w", f, err)
	}
	return b.Bytes(), nil
}

func appendFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// A noVerdictError is an evaluation that ended without a verdict: a MUST
// check could not be evaluated. The report says why; Main adds the reasons.
type noVerdictError struct{ Reasons []string }

func (e *noVerdictError) Error() string {
	return "no verdict: " + strings.Join(e.Reasons, "; ")
}
