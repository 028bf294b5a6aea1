package load

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Bounds of a load test: whatever the policy or the flags say, a run stays
// within them.
const (
	MaxRate        = 10000            // requests per second per target
	MaxDuration    = 10 * time.Minute // measured phase, per target
	MaxWarmup      = 10 * time.Minute
	MaxRequests    = 1_000_000 // planned requests of a whole run, warm-up included
	MaxTargets     = 100
	MaxBudgets     = 100
	MaxBody        = 1 << 20 // request body
	MaxHeaders     = 64
	MaxResponse    = 1 << 20 // response body read per request; the rest is discarded
	MaxWorkers     = 1000
	MaxTimeout     = time.Minute // per request
	MaxReadyWait   = 5 * time.Minute
	MaxGrace       = time.Minute
	MaxArgs        = 256
	DefaultWorkers = 100
	DefaultTimeout = 10 * time.Second
)

// A Spec is one load test: the service, what to send it, how fast and for
// how long, and the budgets.
type Spec struct {
	Service Service
	Targets []Target
	// Rate is the requests per second sent to each target; with RampTo
	// set, the rate grows linearly from Rate to RampTo over Duration.
	Rate       float64
	RampTo     float64
	Duration   time.Duration // measured, per target
	Warmup     time.Duration // sent before, not measured
	MaxWorkers int           // 0 is DefaultWorkers
	Timeout    time.Duration // per request; 0 is DefaultTimeout
	Budgets    []Budget      // for every target
}

// A Service is the program under load. Exactly one of Command and Build is
// set, or neither (the targets are served by something already running).
type Service struct {
	Command []string // argv, run without a shell
	// Build is a package of the module (./cmd/server) that perfctl builds
	// with `go build -o TMP/service PKG` and runs with Args.
	Build string
	Args  []string
	Env   []string // K=V
	Dir   string   // working directory, relative to the module root
	// Ready is the readiness probe's URL; ReadyTimeout bounds the wait.
	Ready        string
	ReadyTimeout time.Duration
	Grace        time.Duration // between SIGTERM and SIGKILL
}

// IsZero reports whether there is no service to start.
func (s *Service) IsZero() bool { return len(s.Command) == 0 && s.Build == "" }

var (
	buildPattern = regexp.MustCompile(`^\./[A-Za-z0-9_.\-/]*$`)
	envPattern   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)
)

// Validate checks the spec against the bounds; the error names the field.
func (s *Spec) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if len(s.Targets) == 0 {
		add("no targets: give at least one, e.g. 'GET http://127.0.0.1:8080/'")
	}
	if len(s.Targets) > MaxTargets {
		add("%d targets, more than %d", len(s.Targets), MaxTargets)
	}
	for i := range s.Targets {
		if err := s.Targets[i].validate(); err != nil {
			errs = append(errs, err)
		}
	}
	switch {
	case !(s.Rate > 0):
		add("rate %g is not a positive number of requests per second", s.Rate)
	case s.Rate > MaxRate || s.RampTo > MaxRate:
		add("rate %g/s is more than %d/s", max(s.Rate, s.RampTo), MaxRate)
	case s.RampTo < 0:
		add("ramp_to %g is negative", s.RampTo)
	}
	switch {
	case s.Duration <= 0:
		add("duration %s is not positive", s.Duration)
	case s.Duration > MaxDuration:
		add("duration %s is longer than %s", s.Duration, MaxDuration)
	}
	if s.Warmup < 0 || s.Warmup > MaxWarmup {
		add("warmup %s is not between 0 and %s", s.Warmup, MaxWarmup)
	}
	if s.MaxWorkers < 0 || s.MaxWorkers > MaxWorkers {
		add("max_workers %d is not between 1 and %d", s.MaxWorkers, MaxWorkers)
	}
	if s.Timeout < 0 || s.Timeout > MaxTimeout {
		add("timeout %s is not between 0 and %s", s.Timeout, MaxTimeout)
	}
	if n := s.plannedRequests(); n > MaxRequests {
		add("the run would send about %.0f requests, more than %d: lower the rate, the duration or the warm-up", n, MaxRequests)
	}
	budgets := len(s.Budgets)
	for i := range s.Targets {
		budgets += len(s.Targets[i].Budgets)
	}
	if budgets > MaxBudgets {
		add("%d budgets, more than %d", budgets, MaxBudgets)
	}
	names := map[string]bool{}
	for i := range s.Targets {
		names[s.Targets[i].Name()] = true
	}
	for _, b := range s.Budgets {
		if b.Target != "" && !names[b.Target] {
			add("budget %q is for target %q, which is not one of the targets (%s)", b.Text, b.Target, strings.Join(sortedKeys(names), ", "))
		}
	}
	if err := s.Service.validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// plannedRequests is the number of requests the pacing sends at most.
func (s *Spec) plannedRequests() float64 {
	peak := max(s.Rate, s.RampTo)
	return peak * (s.Duration + s.Warmup).Seconds() * float64(len(s.Targets))
}

func (s *Service) validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if len(s.Command) > 0 && s.Build != "" {
		add("service: give command or build, not both")
	}
	if len(s.Command) > 0 && s.Command[0] == "" {
		add("service: the command's program is empty")
	}
	if len(s.Args) > 0 && s.Build == "" {
		add("service: args are the arguments of the program build makes; with command, put them in command")
	}
	if len(s.Command)+len(s.Args) > MaxArgs {
		add("service: more than %d arguments", MaxArgs)
	}
	if s.Build != "" && (!buildPattern.MatchString(s.Build) || strings.Contains(s.Build, "..")) {
		add("service: build %q is not a package path of the module like ./cmd/server", s.Build)
	}
	for _, e := range s.Env {
		if !envPattern.MatchString(e) {
			add("service: env %q is not NAME=value", e)
		}
	}
	if s.Dir != "" && !filepath.IsLocal(s.Dir) {
		add("service: dir %q is not a directory inside the module", s.Dir)
	}
	if s.IsZero() && (s.Ready != "" || len(s.Env) > 0 || s.Dir != "") {
		add("service: ready, env and dir need a command or build to start")
	}
	if s.ReadyTimeout < 0 || s.ReadyTimeout > MaxReadyWait {
		add("service: ready_timeout %s is not between 0 and %s", s.ReadyTimeout, MaxReadyWait)
	}
	if s.Grace < 0 || s.Grace > MaxGrace {
		add("service: grace %s is not between 0 and %s", s.Grace, MaxGrace)
	}
	if s.Ready != "" {
		t := Target{Method: "GET", URL: s.Ready}
		if err := t.validate(); err != nil {
			add("service: ready: %v", err)
		}
	}
	return errors.Join(errs...)
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
