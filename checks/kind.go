package checks

import (
	"context"
	"slices"
	"time"

	"github.com/perfctl/perfctl/bench"
)

// A Status is the outcome of one check.
type Status string

// The statuses of a check.
const (
	Pass  Status = "pass"
	Fail  Status = "fail"
	Error Status = "error" // the check could not be evaluated
	Skip  Status = "skip"  // the check does not apply here, or was not selected
)

// A Result is what evaluating one check found.
type Result struct {
	Status  Status
	Message string   // one line
	Details []string // further lines: what failed, where
	// Findings are located problems (lint findings, sql-pool
	// violations): SARIF and annotations point at them.
	Findings []Finding
	// Comparison is the benchmark comparison of a regression check.
	Comparison *bench.Comparison
	Duration   time.Duration
	// empty says the module had nothing for the check to look at (no
	// benchmarks): in a run over several modules, that module does not
	// decide the check unless none has anything.
	empty bool
}

// A Finding is a problem at a place in the module.
type Finding struct {
	File    string // relative to the module root, slash-separated
	Line    int
	Column  int
	Rule    string // e.g. the linter, or the check kind
	Message string
}

// An Evaluator evaluates one check. A kind's evaluator is the struct its
// params decode into; it may have a validate() error method, called after
// decoding, whose error names the bad parameter.
type Evaluator interface {
	Evaluate(ctx context.Context, ws *Workspace) Result
}

// A Kind is one kind of check.
type Kind struct {
	Name    string
	Summary string // one line, for docs and 'perfctl policy kinds'
	// Measures is true for kinds that time benchmarks: they run alone,
	// after the other checks, so that nothing else competes for the CPU.
	Measures bool
	// PerModule is true for kinds that work on the packages of a module
	// (go list, go test, golangci-lint): when a run covers several
	// modules, they run in each (Workspace.Modules).
	PerModule bool
	New       func() Evaluator
}

// kinds is the registry of check kinds.
var kinds = []*Kind{
	lintKind,
	benchCompileKind,
	benchmarksPresentKind,
	allocsReportedKind,
	regressionKind,
	budgetKind,
	coverageKind,
	sqlPoolKind,
	buildFlagsKind,
	docsKind,
	ciKind,
	fileKind,
	commandKind,
	historyKind,
	trackedKind,
	loadKind,
}

// Kinds returns every kind of check.
func Kinds() []*Kind { return slices.Clone(kinds) }

// KindNamed returns the kind called name, or nil.
func KindNamed(name string) *Kind {
	for _, k := range kinds {
		if k.Name == name {
			return k
		}
	}
	return nil
}

// KindNames returns the names of every kind.
func KindNames() []string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.Name
	}
	return names
}

// pass, fail, errResult and skip build results.
func pass(msg string) Result { return Result{Status: Pass, Message: msg} }
func fail(msg string, details ...string) Result {
	return Result{Status: Fail, Message: msg, Details: details}
}
func errResult(msg string, details ...string) Result {
	return Result{Status: Error, Message: msg, Details: details}
}
func skip(msg string) Result { return Result{Status: Skip, Message: msg} }
