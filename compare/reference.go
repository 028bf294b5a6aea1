package compare

import (
	"errors"
	"fmt"
	"strings"

	"github.com/perfctl/perfctl/baseline"
)

// A Reference is what head is compared with: exactly one of two files,
// a baseline, or a git revision.
type Reference struct {
	// BaseFile and HeadFile are files of results ("-": standard input).
	// HeadFile also goes with Baseline: head read instead of measured.
	BaseFile, HeadFile string
	// Baseline is the name of a stored baseline; BaselineDir, where
	// baselines are ("" for .perfctl/baselines at the module root, or at
	// go.work's directory in a workspace).
	Baseline, BaselineDir string
	// BaseRef is a git revision; MergeBase a branch whose merge base with
	// HEAD is the revision. Both sides run interleaved.
	BaseRef, MergeBase string
	// RerunBase, with Baseline, measures the commit the baseline recorded
	// again, interleaved with head, instead of trusting its stored numbers.
	RerunBase bool
}

// A Mode is the kind of reference.
type Mode int

// The modes of a Reference.
const (
	None     Mode = iota // no reference: nothing to compare with
	Files                // two files of results
	Baseline             // a stored baseline
	Revision             // a git revision, run interleaved
)

// Mode says which kind of reference r is.
func (r *Reference) Mode() Mode {
	switch {
	case r.BaseRef != "" || r.MergeBase != "":
		return Revision
	case r.Baseline != "":
		return Baseline
	case r.BaseFile != "" || r.HeadFile != "":
		return Files
	}
	return None
}

// A UsageError is a reference or request that does not make sense; cmd
// reports it as a usage error (exit 2, with a pointer to --help).
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usage(format string, args ...any) error { return &UsageError{Msg: fmt.Sprintf(format, args...)} }

// Validate checks that r names one reference, sensibly.
func (r *Reference) Validate() error {
	rev := r.BaseRef + r.MergeBase
	switch {
	case r.BaseRef != "" && r.MergeBase != "":
		return usage("give --base-ref or --merge-base, not both")
	case strings.HasPrefix(rev, "-"):
		return usage("revision %q starts with '-': give a commit, tag or branch", rev)
	case rev != "" && r.Baseline != "":
		return usage("give one reference: --baseline, --base-ref or --merge-base")
	case rev != "" && (r.HeadFile != "" || r.BaseFile != ""):
		return usage("--base-ref/--merge-base measure both sides now; they do not go with result files or --head")
	case r.Baseline != "" && r.BaseFile != "":
		return usage("--baseline NAME is the base; give the results to compare with --head FILE")
	case r.Mode() == Files && r.BaseFile == "":
		return usage("--head goes with --baseline; to compare two files, pass both: perfctl compare BASE HEAD")
	case r.Mode() == Files && r.HeadFile == "":
		return usage("compare needs two files of benchmark results, BASE and HEAD, or --baseline NAME")
	case r.RerunBase && r.Baseline == "":
		return usage("--rerun-base measures a baseline's commit again: it goes with --baseline NAME")
	case r.RerunBase && r.HeadFile != "":
		return usage("--rerun-base measures both sides now; it does not go with --head FILE")
	case r.BaseFile == "-" && r.HeadFile == "-":
		return usage("only one of BASE and HEAD can be read from standard input (-)")
	}
	if r.Baseline != "" {
		if err := baseline.ValidateName(r.Baseline); err != nil {
			return &UsageError{Msg: err.Error()}
		}
	}
	return nil
}

// Describe names the reference for messages, e.g. "baseline main".
func (r *Reference) Describe() string {
	switch r.Mode() {
	case Revision:
		if r.MergeBase != "" {
			return "merge-base(HEAD, " + r.MergeBase + ")"
		}
		return r.BaseRef
	case Baseline:
		return "baseline " + r.Baseline
	case Files:
		return r.BaseFile
	}
	return "nothing"
}

// ErrNoBaseline is wrapped by the error of a baseline that does not exist:
// the regression check skips rather than fails on it.
var ErrNoBaseline = errors.New("no such baseline")
