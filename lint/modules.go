package lint

import (
	"context"
	"errors"
	"path"
	"path/filepath"
	"sort"

	"github.com/perfctl/perfctl/internal/gomod"
	"github.com/perfctl/perfctl/internal/run"
)

// RunModules lints each of modules in turn, as Run lints the module at
// opts.Dir, and joins their findings: each finding's file is made
// relative to opts.Dir (where perfctl runs), and Modules says which
// modules were linted. A module without Go files (golangci-lint's exit
// status 5) is listed in NoGoFiles; the first module that cannot be
// linted otherwise (code that does not compile, golangci-lint failing) is
// the error.
func RunModules(ctx context.Context, r run.Runner, bin string, opts *Options, modules []gomod.Module) (*Result, error) {
	out := &Result{}
	for _, m := range modules {
		one := *opts
		one.Dir = m.Dir
		res, err := Run(ctx, r, bin, &one)
		var fe *FailureError
		if errors.As(err, &fe) && fe.Code == exitNoGoFiles {
			out.NoGoFiles = append(out.NoGoFiles, m)
			continue
		}
		if err != nil {
			return nil, err
		}
		prefix := m.Dir
		if opts.Dir != "" {
			if rel, err := filepath.Rel(absDir(opts.Dir), m.Dir); err == nil {
				prefix = rel
			}
		}
		for _, f := range res.Findings {
			if !filepath.IsAbs(f.File) {
				f.File = path.Join(filepath.ToSlash(prefix), f.File)
			}
			out.Findings = append(out.Findings, f)
		}
	}
	sort.SliceStable(out.Findings, func(i, j int) bool {
		a, b := &out.Findings[i], &out.Findings[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return out, nil
}

func absDir(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		return abs
	}
	return dir
}
