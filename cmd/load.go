package cmd

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/checks"
	"github.com/perfctl/perfctl/internal/atomicfile"
	"github.com/perfctl/perfctl/internal/gitinfo"
	"github.com/perfctl/perfctl/internal/gomod"
	"github.com/perfctl/perfctl/internal/iostreams"
	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/services"
	"github.com/perfctl/perfctl/internal/usererr"
	"github.com/perfctl/perfctl/internal/worktree"
	"github.com/perfctl/perfctl/load"
	"github.com/perfctl/perfctl/report"
)

// LoadOptions are the inputs of `perfctl load`.
type LoadOptions struct {
	IO      *iostreams.IOStreams
	Exec    run.Runner
	Dir     string
	Version string
	// Spec is the load test the flags give; FromPolicy says there was no
	// --target, so the policy's load: section is the test, with the
	// flags in Override applied to it.
	Spec       load.Spec
	FromPolicy bool
	Override   loadOverride
	Policy     checks.PolicySource
	// AllowCommands lets a policy's service command run (--allow-commands
	// or PERFCTL_ALLOW_COMMANDS); a policy from --policy-ref is trusted.
	AllowCommands bool
	AllowRemote   bool
	Out           string
	Format        report.Format
	// BaseRef, when set, makes it an A/B test: the service is built at
	// BaseRef too, both run alternately for Rounds, and Stats decide.
	BaseRef string
	Rounds  int
	Stats   bench.Options
}

// loadOverride are the flags that change a policy's load test.
type loadOverride struct {
	Rate, RampTo     float64
	Duration, Warmup time.Duration
	Budgets          []load.Budget
}

// NewCmdLoad returns `perfctl load`.
func NewCmdLoad(f *Factory, runF func(context.Context, *LoadOptions) error) *cobra.Command {
	opts := &LoadOptions{IO: f.IOStreams, Exec: f.Exec, Version: f.Version()}
	var cmdLine, rate, rampTo, format string
	var targets, budgets, env, thresholds []string
	spec := &opts.Spec
	cmd := &cobra.Command{
		Use:   "load [flags]",
		Short: "Load-test a service: latency, throughput, error and memory budgets",
		Long: `Start a service, send each target requests at a steady rate, measure
latency percentiles, throughput, error rate and the service's resident
memory, and hold them to budgets.

The service is started from --cmd (one command line, split into words like
a shell would split them, but no shell runs: no variables, pipes or
redirections) or built from a package of the module with --build (go build
into a temporary directory; --arg gives its arguments). It runs in a
process group of its own; perfctl waits until --ready answers 2xx or 3xx,
and stops the group afterwards (SIGTERM, then SIGKILL after the grace
period), on failure and on Ctrl-C too.

Each target gets a warm-up (--warmup, not measured), then --duration of
measured requests at --rate. Targets must be loopback addresses
(127.0.0.0/8, ::1) unless --allow-remote is given.

Budgets (--budget, repeatable) read like k6 thresholds and apply to every
target, or to one when written 'METHOD PATH: EXPR':
  p(95) < 200ms    avg < 50ms    max <= 1s    rate(errors) < 1%
  throughput > 500/s    rss < 200MiB
An unknown metric, operator or unit is an error, never a silent pass.

Without --target, the load: section of perfctl.yaml (or --policy) is the
test; --rate, --ramp-to, --duration and --warmup override it and --budget
adds to its budgets. --out writes the results as benchfmt lines, which
baseline, compare, history and benchstat read.

With --base-ref REF it is an A/B test: the service (--build) is built at REF
in a temporary worktree and from the working tree, both run alternately
for --rounds (each round a fresh start of each, base first in odd rounds),
and each target and metric is decided with perfctl compare's paired test
and thresholds (--threshold, e.g. p95-sec/op=10%); the comparison is printed
as perfctl compare prints it, and a regression exits 1.

Exit status: 0 within every budget, 1 over a budget, 2 no verdict (a bad
flag or policy, a service that did not start, a budget that could not be
measured).`,
		Example: `  # A service from the module, one endpoint, a p95 and an error budget
  perfctl load --build ./cmd/server --arg -addr --arg 127.0.0.1:8080 \
    --ready http://127.0.0.1:8080/healthz --target 'GET http://127.0.0.1:8080/api/items' \
    --rate 200/s --duration 30s --warmup 5s --budget 'p(95) < 20ms' --budget 'rate(errors) < 0.1%'

  # The load: section of perfctl.yaml, results kept for compare and benchstat
  perfctl load --out load.txt

  # Did this branch make an endpoint slower? Base and head, 10 rounds each
  perfctl load --base-ref origin/main --threshold p95-sec/op=10%`,
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if len(args) > 0 {
				return flagErrorf("perfctl load takes no arguments (give targets with --target)")
			}
			if opts.Format, err = parseFormat(format, report.Formats(report.DocLoad)...); err != nil {
				return err
			}
			fl := cmd.Flags()
			opts.Dir = f.Dir
			if !fl.Changed("allow-commands") {
				opts.AllowCommands = envTrue(f.getenv("PERFCTL_ALLOW_COMMANDS"))
			}
			if opts.Policy.File != "" && opts.Policy.Ref != "" {
				return flagErrorf("give --policy or --policy-ref, not both")
			}
			if strings.HasPrefix(opts.Policy.Ref, "-") {
				return flagErrorf("--policy-ref %q starts with '-': give a commit, tag or branch", opts.Policy.Ref)
			}
			for _, b := range budgets {
				bud, err := load.ParseTargetBudget(b)
				if err != nil {
					return flagErrorf("--budget: %v", err)
				}
				opts.Override.Budgets = append(opts.Override.Budgets, bud)
			}
			if rate != "" {
				if opts.Override.Rate, err = load.ParseRate(rate); err != nil {
					return flagErrorf("--rate: %v", err)
				}
			}
			if rampTo != "" {
				if opts.Override.RampTo, err = load.ParseRate(rampTo); err != nil {
					return flagErrorf("--ramp-to: %v", err)
				}
			}
			if fl.Changed("duration") {
				opts.Override.Duration = spec.Duration
			}
			if fl.Changed("warmup") {
				opts.Override.Warmup = spec.Warmup
			}
			serviceFlags := []string{"cmd", "build", "arg", "env", "dir", "ready", "ready-timeout", "grace", "max-workers", "timeout"}
			if len(targets) == 0 {
				for _, name := range serviceFlags {
					if fl.Changed(name) {
						return flagErrorf("--%s needs --target: without targets, the load: section of the policy is the test, service included", name)
					}
				}
				opts.FromPolicy = true
			} else {
				if opts.Policy.File != "" || opts.Policy.Ref != "" {
					return flagErrorf("--policy and --policy-ref read the policy's load: section, which --target replaces: give one or the other")
				}
				for _, t := range targets {
					tg, err := load.ParseTarget(t)
					if err != nil {
						return flagErrorf("--target: %v", err)
					}
					spec.Targets = append(spec.Targets, tg)
				}
				if cmdLine != "" {
					if spec.Service.Command, err = load.SplitCommand(cmdLine); err != nil {
						return flagErrorf("--cmd: %v", err)
					}
				}
				spec.Service.Env = env
				spec.Budgets = opts.Override.Budgets
				spec.Rate = opts.Override.Rate
				if spec.Rate == 0 {
					spec.Rate = defaultLoadRate
				}
				spec.RampTo = opts.Override.RampTo
				if err := spec.Validate(); err != nil {
					return flagErrorf("%s", strings.ReplaceAll(err.Error(), "\n", "; "))
				}
			}
			if opts.BaseRef != "" {
				if strings.HasPrefix(opts.BaseRef, "-") {
					return flagErrorf("--base-ref %q starts with '-': give a commit, tag or branch", opts.BaseRef)
				}
				if len(budgets) > 0 {
					return flagErrorf("--budget holds one run to limits; with --base-ref, base and head are compared: give --threshold [UNIT=]PCT instead")
				}
				if opts.Rounds < 2 || opts.Rounds > load.MaxRounds {
					return flagErrorf("--rounds %d: give between 2 and %d", opts.Rounds, load.MaxRounds)
				}
				opts.Stats = bench.DefaultOptions()
				for _, t := range thresholds {
					if err := opts.Stats.Thresholds.Set(t); err != nil {
						return &FlagError{Err: fmt.Errorf("--threshold: %w", err)}
					}
				}
			} else if fl.Changed("rounds") || len(thresholds) > 0 {
				return flagErrorf("--rounds and --threshold go with --base-ref")
			}
			if opts.Out != "" {
				if err := checkOutput("--out "+opts.Out, f.Dir, opts.Out); err != nil {
					return err
				}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return loadRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&targets, "target", nil, "send requests to `'METHOD URL'` (repeatable; a bare URL is a GET)")
	fl.StringVar(&rate, "rate", "", fmt.Sprintf("requests per second to each target, e.g. 100/s (default %d/s, or the policy's)", defaultLoadRate))
	fl.StringVar(&rampTo, "ramp-to", "", "grow the rate linearly to this `RATE` over --duration")
	fl.DurationVar(&spec.Duration, "duration", 10*time.Second, "measured time per target")
	fl.DurationVar(&spec.Warmup, "warmup", 0, "time per target sent before measuring, not measured")
	fl.StringArrayVar(&budgets, "budget", nil, "a budget, e.g. 'p(95) < 200ms' or 'GET /api: rate(errors) < 1%' (repeatable)")
	fl.StringVar(&cmdLine, "cmd", "", "start the service with this `COMMAND` line (split into words; no shell runs)")
	fl.StringVar(&spec.Service.Build, "build", "", "build the service from the module's `PACKAGE` (e.g. ./cmd/server) and run it")
	fl.StringArrayVar(&spec.Service.Args, "arg", nil, "an argument of the program --build makes (repeatable)")
	fl.StringArrayVar(&env, "env", nil, "set `NAME=VALUE` in the service's environment (repeatable)")
	fl.StringVar(&spec.Service.Dir, "dir", "", "the service's working `DIR`, relative to the module root")
	fl.StringVar(&spec.Service.Ready, "ready", "", "wait until `URL` answers 2xx or 3xx before sending requests")
	fl.DurationVar(&spec.Service.ReadyTimeout, "ready-timeout", 30*time.Second, "how long to wait for --ready")
	fl.DurationVar(&spec.Service.Grace, "grace", 5*time.Second, "time between SIGTERM and SIGKILL when stopping the service")
	fl.IntVar(&spec.MaxWorkers, "max-workers", load.DefaultWorkers, "at most `N` requests in flight per target")
	fl.DurationVar(&spec.Timeout, "timeout", load.DefaultTimeout, "per-request timeout")
	fl.BoolVar(&opts.AllowRemote, "allow-remote", false, "allow targets that are not loopback addresses (a flag only: a policy cannot allow it)")
	fl.StringVarP(&opts.Out, "out", "o", "", "write the results as benchfmt to `FILE`")
	fl.StringVar(&format, "format", string(report.Text), formatUsage(report.DocLoad))
	fl.StringVar(&opts.BaseRef, "base-ref", "", "A/B: build the service at git revision `REF` too, run base and head alternately, and compare them")
	fl.IntVar(&opts.Rounds, "rounds", load.DefaultRounds, "A/B: rounds of base and head (each a fresh start of both)")
	fl.StringArrayVar(&thresholds, "threshold", nil, "A/B: smallest change that counts, as `[UNIT=]PCT`, e.g. p95-sec/op=10% (default 5%)")
	fl.StringVar(&opts.Policy.File, "policy", "", "read the load: section from policy `FILE` (default perfctl.yaml at the module root)")
	fl.StringVar(&opts.Policy.Ref, "policy-ref", "", "read perfctl.yaml's load: section from git revision `REF`, not the working tree")
	fl.BoolVar(&opts.AllowCommands, "allow-commands", false, "let the policy's service command run (default $PERFCTL_ALLOW_COMMANDS); only where the policy is trusted")
	return cmd
}

// defaultLoadRate is --rate's default when flags give the test.
const defaultLoadRate = 10

func loadRun(ctx context.Context, opts *LoadOptions) error {
	root, err := gomod.Find(opts.Dir)
	if err != nil {
		if !opts.FromPolicy && opts.Spec.Service.Build == "" {
			root = opts.Dir // a command or a running server needs no module
		} else {
			return err
		}
	}
	spec := opts.Spec
	if opts.FromPolicy {
		policySpec, err := policyLoadSpec(ctx, opts, root)
		if err != nil {
			return err
		}
		spec = *policySpec
	}
	// The policy's services (a database the service under test needs) run
	// around the load test; the service under test and go get their exports.
	svcs, err := loadServices(ctx, opts, root)
	if err != nil {
		return err
	}
	defer svcs.Stop()
	if env := svcs.Env(); len(env) > 0 {
		spec.Service.Env = append(env, spec.Service.Env...)
	}
	req := &load.Request{Spec: spec, Root: root, Runner: run.WithEnv(opts.Exec, svcs.Env()), AllowRemote: opts.AllowRemote, Progress: opts.IO.ErrOut}
	if opts.BaseRef != "" {
		return loadABRun(ctx, opts, req)
	}
	rep, err := load.Run(ctx, req)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := report.RenderLoad(&out, opts.Format, rep); err != nil {
		return err
	}
	if opts.Out != "" {
		var txt bytes.Buffer
		writeLoadHeader(ctx, &txt, opts, root)
		if err := rep.WriteBenchfmt(&txt); err != nil {
			return err
		}
		if err := atomicfile.WriteFile(resolve(opts.Dir, opts.Out), txt.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if _, err := opts.IO.Out.Write(out.Bytes()); err != nil {
		return err
	}
	switch rep.Verdict {
	case load.Fail:
		return errGateFailed
	case load.Error:
		var reasons []string
		for i := range rep.Budgets {
			b := &rep.Budgets[i]
			if b.Status == load.Error {
				reasons = append(reasons, b.Target+": "+b.Budget.String()+": "+b.Message)
			}
		}
		return &noVerdictError{Reasons: reasons}
	}
	return nil
}

// loadServices starts the services of the policy (docs/services.md),
// trusted as the load: section's command is.
func loadServices(ctx context.Context, opts *LoadOptions, root string) (*services.Set, error) {
	src := opts.Policy
	src.Dir, src.Root = opts.Dir, root
	policy, err := src.Load(ctx, opts.Exec)
	if err != nil {
		return nil, err
	}
	return startServices(ctx, opts.IO.ErrOut, root, policy, opts.AllowCommands || src.Ref != "", "--allow-commands (or set PERFCTL_ALLOW_COMMANDS=1)")
}

// policyLoadSpec is the policy's load: section with the flags' overrides.
func policyLoadSpec(ctx context.Context, opts *LoadOptions, root string) (*load.Spec, error) {
	src := opts.Policy
	src.Dir, src.Root = opts.Dir, root
	policy, err := src.Load(ctx, opts.Exec)
	if err != nil {
		return nil, err
	}
	if policy.Load == nil {
		return nil, usererr.New(fmt.Sprintf("the %s has no load: section and no --target was given", policyName(policy)),
			"give --target 'GET http://127.0.0.1:8080/' (and --cmd or --build), or add a load: section to perfctl.yaml (docs/load.md)")
	}
	spec := *policy.Load
	if len(spec.Service.Command) > 0 && !opts.AllowCommands && src.Ref == "" {
		return nil, usererr.New(fmt.Sprintf("the service command of the load: section (%s) was not run: it comes with the repository, which a pull request can change", strings.Join(spec.Service.Command, " ")),
			"where the policy is trusted, pass --allow-commands (or set PERFCTL_ALLOW_COMMANDS=1); on pull requests, read the base branch's policy with --policy-ref origin/main, or build the service from the module with service: {build: ./cmd/server}")
	}
	o := opts.Override
	if o.Rate > 0 {
		spec.Rate = o.Rate
	}
	if o.RampTo > 0 {
		spec.RampTo = o.RampTo
	}
	if o.Duration > 0 {
		spec.Duration = o.Duration
	}
	if o.Warmup > 0 {
		spec.Warmup = o.Warmup
	}
	spec.Budgets = append(spec.Budgets[:len(spec.Budgets):len(spec.Budgets)], o.Budgets...)
	return &spec, nil
}

// writeLoadHeader writes the config lines of a load run's results.
func writeLoadHeader(ctx context.Context, w *bytes.Buffer, opts *LoadOptions, root string) {
	git := gitinfo.Read(ctx, opts.Exec, root)
	kv := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "%s: %s\n", k, v)
		}
	}
	kv("commit", git.Commit)
	kv("branch", git.Branch)
	kv("goos", runtime.GOOS)
	kv("goarch", runtime.GOARCH)
	kv("recorded-at", time.Now().UTC().Truncate(time.Second).Format(time.RFC3339))
	kv("perfctl", opts.Version)
}

// loadABRun checks out --base-ref in a temporary worktree, runs base and
// head alternately and prints their comparison, as perfctl compare does.
func loadABRun(ctx context.Context, opts *LoadOptions, req *load.Request) error {
	if n := len(req.Spec.Budgets); n > 0 {
		fmt.Fprintf(opts.IO.ErrOut, "perfctl load: %d budgets of the policy are not held with --base-ref: base and head are compared\n", n)
		req.Spec.Budgets = nil
	}
	top, err := worktree.Toplevel(ctx, opts.Exec, req.Root)
	if err != nil {
		return err
	}
	sha, err := worktree.Resolve(ctx, opts.Exec, req.Root, opts.BaseRef)
	if err != nil {
		return err
	}
	rel, err := filepath.Rel(top, req.Root)
	if err != nil {
		return err
	}
	tree, err := worktree.Add(ctx, opts.Exec, top, sha)
	if err != nil {
		return err
	}
	defer tree.Remove()
	base := &load.Base{Root: filepath.Join(tree.Dir, rel), Label: opts.BaseRef, Rounds: opts.Rounds}
	res, err := load.RunAB(ctx, req, base, opts.Stats)
	if err != nil {
		return err
	}
	if opts.Out != "" {
		var txt bytes.Buffer
		writeLoadHeader(ctx, &txt, opts, req.Root)
		txt.Write(res.Head)
		if err := atomicfile.WriteFile(resolve(opts.Dir, opts.Out), txt.Bytes(), 0o644); err != nil {
			return err
		}
	}
	var out bytes.Buffer
	if err := report.RenderCompare(&out, opts.Format, res.Comparison, report.Options{}); err != nil {
		return err
	}
	if _, err := opts.IO.Out.Write(out.Bytes()); err != nil {
		return err
	}
	if res.Comparison.Failed() {
		return errGateFailed
	}
	return nil
}
