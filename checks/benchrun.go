package checks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/usererr"
)

// runBenchmarks runs spec in the workspace and returns what it measured.
func runBenchmarks(ctx context.Context, ws *Workspace, given *bench.Spec, progress bool) (*bench.ResultSet, error) {
	spec := *given
	spec.Dir = ws.Dir
	spec.Tags = ws.Tags
	if len(spec.Packages) == 0 {
		spec.Modules = ws.Modules // a run over several modules measures each one's ./...
	}
	r := &bench.Harness{Exec: ws.Exec, Find: ws.benchmarkPackages}
	if progress {
		r.Progress = ws.Progress
	}
	res, err := r.Measure(ctx, &spec, ws.Version)
	if err != nil {
		return nil, err
	}
	return bench.Read(bytes.NewReader(res.Text), "benchmarks measured now")
}

// benchError describes a failed benchmark run as a result: packages that
// do not build or benchmarks that fail make the check fail (status), with
// what the tools said as details; anything else could not be evaluated.
func benchError(err error, status Status) Result {
	var names []string
	for _, e := range unjoin(err) {
		var pe *bench.PackageError
		if errors.As(e, &pe) {
			names = append(names, pe.Package)
		}
	}
	if len(names) == 0 {
		return describedResult(err, Error)
	}
	r := describedResult(err, status)
	if len(names) > 1 {
		r.Message = fmt.Sprintf("%d packages failed: %s", len(names), strings.Join(names, ", "))
	}
	return r
}

// describedResult is err as a check result: its message, and as details
// the further lines and the hint that usererr.Describe gives it. When err
// holds several errors (errors.Join), each is a detail line too.
func describedResult(err error, status Status) Result {
	descs := usererr.Describe(err)
	r := Result{Status: status, Message: descs[0].Error()}
	for _, d := range descs {
		if len(descs) > 1 || errors.As(err, new(*bench.PackageError)) {
			r.Details = append(r.Details, d.Error())
		}
		for _, line := range d.Details {
			if line != "" {
				r.Details = append(r.Details, "    "+line)
			}
		}
		if d.Hint != "" && !slices.Contains(r.Details, "hint: "+d.Hint) {
			r.Details = append(r.Details, "hint: "+d.Hint)
		}
	}
	return r
}

// unjoin returns the errors errors.Join put together in err, or err.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
