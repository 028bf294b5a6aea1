package bench

import (
	"bytes"
	"context"
	"strconv"
)

// ProfileFiles say which profiles one run of a test binary writes, and
// where: absolute paths, "" for a profile not collected.
type ProfileFiles struct {
	CPU   string // -test.cpuprofile
	Mem   string // -test.memprofile (allocations: alloc_space, alloc_objects)
	Block string // -test.blockprofile
	Mutex string // -test.mutexprofile
	// MemRate is -test.memprofilerate: one allocation sampled per MemRate
	// bytes; 0 leaves the runtime's default (512 KiB).
	MemRate int
}

func (f *ProfileFiles) args() []string {
	var args []string
	for _, p := range []struct{ flag, file string }{
		{"-test.cpuprofile", f.CPU}, {"-test.memprofile", f.Mem},
		{"-test.blockprofile", f.Block}, {"-test.mutexprofile", f.Mutex},
	} {
		if p.file != "" {
			// One argument: a path that starts with '-' stays a value.
			args = append(args, p.flag+"="+p.file)
		}
	}
	if f.MemRate > 0 && f.Mem != "" {
		args = append(args, "-test.memprofilerate="+strconv.Itoa(f.MemRate))
	}
	return args
}

// RunProfiled runs the benchmarks of spec matching spec.Bench in the test
// binary b once, in one process (spec.Count iterations of each benchmark,
// as go test -count), with the profiles files asks for, and returns the
// benchmark result lines it printed. The testing package writes the
// profiles when the benchmarks end. A benchmark that fails or panics is a
// *PackageError, as in Run, with the start of the panic.
//
// The run is for looking at, not for measuring: profiling slows the code
// down, so perfctl never decides anything from these results.
func (r *Harness) RunProfiled(ctx context.Context, given *Spec, b *Binary, files *ProfileFiles) ([]byte, error) {
	spec := given.withDefaults()
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	var body bytes.Buffer
	req := runRequest{count: spec.Count, extra: files.args()}
	if _, _, err := r.runOnce(ctx, &spec, b, &body, &req); err != nil {
		return nil, err
	}
	return body.Bytes(), nil
}
