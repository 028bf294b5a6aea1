package cmd

import (
	"fmt"

	"github.com/spf13/pflag"

	"github.com/perfctl/perfctl/bench"
)

// benchFlags are the flags of every command that runs benchmarks: bench,
// baseline save and compare --baseline.
type benchFlags struct {
	fs   *pflag.FlagSet
	spec bench.Spec
}

func addBenchFlags(fs *pflag.FlagSet) *benchFlags {
	f := &benchFlags{fs: fs}
	fs.StringVar(&f.spec.Bench, "bench", ".", "run only benchmarks matching `REGEX` (as go test -bench)")
	fs.IntVar(&f.spec.Count, "count", bench.DefaultCount, "number of rounds; each runs every benchmark once")
	fs.StringVar(&f.spec.Benchtime, "benchtime", "", "time or iterations per benchmark and round, e.g. 100ms or 50x (go's default: 1s)")
	fs.StringVar(&f.spec.CPU, "cpu", "", "comma-separated GOMAXPROCS `LIST` to run each benchmark with, e.g. 1,4")
	fs.StringVar(&f.spec.Tags, "tags", "", "comma-separated build `TAGS`")
	fs.DurationVar(&f.spec.Timeout, "timeout", bench.DefaultTimeout, "limit for one run of one package's benchmarks")
	return f
}

// Spec returns the spec given on the command line for packages.
func (f *benchFlags) Spec(packages []string) bench.Spec {
	s := f.spec
	s.Packages = packages
	return s
}

// Validate checks what bench.Spec cannot: a zero given on purpose.
func (f *benchFlags) Validate() error {
	if f.fs.Changed("count") && f.spec.Count < 1 {
		return &FlagError{Err: fmt.Errorf("--count %d: the number of rounds must be at least 1", f.spec.Count)}
	}
	if f.fs.Changed("timeout") && f.spec.Timeout <= 0 {
		return &FlagError{Err: fmt.Errorf("--timeout %v: give a positive duration, e.g. 10m (it bounds one run of one package's benchmarks)", f.spec.Timeout)}
	}
	return nil
}

// Over returns recorded (how a baseline was run) with every flag the user
// set explicitly taking precedence, and packages when given.
func (f *benchFlags) Over(recorded *bench.Spec, packages []string) bench.Spec {
	s := *recorded
	set := func(name string, apply func()) {
		if f.fs.Changed(name) {
			apply()
		}
	}
	set("bench", func() { s.Bench = f.spec.Bench })
	set("count", func() { s.Count = f.spec.Count })
	set("benchtime", func() { s.Benchtime = f.spec.Benchtime })
	set("cpu", func() { s.CPU = f.spec.CPU })
	set("tags", func() { s.Tags = f.spec.Tags })
	set("timeout", func() { s.Timeout = f.spec.Timeout })
	if len(packages) > 0 {
		s.Packages = packages
	}
	if s.Count == 0 {
		s.Count = f.spec.Count
	}
	if s.Timeout == 0 {
		s.Timeout = f.spec.Timeout
	}
	return s
}
