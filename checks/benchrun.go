package checks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/perfctl/perfctl/bench"
)

// runBenchmarks runs spec in the workspace and returns what it measured.
func runBenchmarks(ctx context.Context, ws *Workspace, given *bench.Spec, progress bool) (*bench.ResultSet, error) {
	spec := *given
	spec.Dir = ws.Dir
	spec.Tags = ws.Tags
	r := &bench.Runner{Exec: ws.Exec, Find: ws.benchmarkPackages}
	if progress {
		r.Progress = ws.Progress
	}
	res, err := r.Run(ctx, &spec, func() (*bench.Header, error) {
		h, err := bench.NewHeader(ctx, ws.Exec, ws.Dir, ws.Version)
		return &h, err
	})
	if err != nil {
		return nil, err
	}
	return bench.Read(bytes.NewReader(res.Text), "benchmarks measured now")
}

// benchError describes a failed benchmark run as a result: packages that
// do not build or benchmarks that fail make the check fail (status), with
// what the tools said as details; anything else could not be evaluated.
func benchError(err error, status Status) Result {
	var pkgErrs []*bench.PackageError
	var joined interface{ Unwrap() []error }
	if errors.As(err, &joined) {
		for _, e := range joined.Unwrap() {
			var pe *bench.PackageError
			if errors.As(e, &pe) {
				pkgErrs = append(pkgErrs, pe)
			}
		}
	} else if pe := (*bench.PackageError)(nil); errors.As(err, &pe) {
		pkgErrs = append(pkgErrs, pe)
	}
	if len(pkgErrs) == 0 {
		var ie *bench.InputError
		if errors.As(err, &ie) && ie.Hint != "" {
			return errResult(ie.Error(), "hint: "+ie.Hint)
		}
		return errResult(err.Error())
	}
	r := Result{Status: status}
	names := make([]string, len(pkgErrs))
	for i, pe := range pkgErrs {
		names[i] = pe.Package
		r.Details = append(r.Details, fmt.Sprintf("%s: %s", pe.Package, pe.Msg))
		for _, line := range strings.Split(strings.TrimSpace(pe.Output), "\n") {
			if line != "" {
				r.Details = append(r.Details, "    "+line)
			}
		}
		if pe.Hint != "" && !slices.Contains(r.Details, "hint: "+pe.Hint) {
			r.Details = append(r.Details, "hint: "+pe.Hint)
		}
	}
	r.Message = fmt.Sprintf("%s: %s", strings.Join(names, ", "), pkgErrs[0].Msg)
	if len(pkgErrs) > 1 {
		r.Message = fmt.Sprintf("%d packages failed: %s", len(pkgErrs), strings.Join(names, ", "))
	}
	return r
}
