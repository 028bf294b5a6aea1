package checks

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/perfctl/perfctl/history"
	"github.com/perfctl/perfctl/internal/english"
)

var trackedKind = &Kind{
	Name: "tracked",
	Summary: "benchmark results are kept over time: the history store has records along HEAD's first-parent history, " +
		"or files (by default the baselines, .perfctl/baselines/*.txt) exist",
	New: func() Evaluator { return &trackedCheck{} },
}

// defaultTrackedFiles are where perfctl baseline save keeps baselines.
var defaultTrackedFiles = []string{".perfctl/baselines/*.txt"}

// trackedCheck passes when results are kept: records in the history store
// along HEAD's history, or files matching Files.
type trackedCheck struct {
	Files []string `yaml:"files"` // globs relative to the module root; default defaultTrackedFiles
}

func (c *trackedCheck) files() []string {
	if c.Files == nil {
		return defaultTrackedFiles
	}
	return c.Files
}

func (c *trackedCheck) validate() error {
	if c.Files != nil && len(c.Files) == 0 {
		return errors.New("files: give at least one glob, or leave it out for .perfctl/baselines/*.txt")
	}
	return validateGlobs("files", c.Files)
}

func (c *trackedCheck) Evaluate(ctx context.Context, ws *Workspace) Result {
	if err := c.validate(); err != nil { // validateGlobs is idempotent
		return errResult("invalid params: " + err.Error())
	}
	store := &history.Store{Git: ws.Exec, Dir: ws.Dir}
	why := ""
	if _, ok := historyReadable(ctx, store); ok {
		t, err := store.Tally(ctx, history.LineRequest{})
		if err != nil {
			return describedResult(err, Error)
		}
		if t.Commits > 0 {
			return pass(fmt.Sprintf("the history store has %s of %s along HEAD's first-parent history",
				english.Plural(t.Records, "record", "records"), english.Plural(t.Commits, "commit", "commits")))
		}
		why = "the history store has no record along HEAD's history"
		if t.Shallow {
			why += " (" + fullClone + ")"
		}
	} else {
		why = "not in a git repository with a commit, so no history store"
	}
	files, err := ws.Files()
	if err != nil {
		return errResult("listing the module's files: " + err.Error())
	}
	globs := strings.Join(c.files(), ", ")
	if matched := matchFiles(files, c.files()); len(matched) > 0 {
		msg := "found " + matched[0]
		if len(matched) > 1 {
			msg += fmt.Sprintf(" (and %d more matching %s)", len(matched)-1, globs)
		}
		return pass(msg)
	}
	return fail(fmt.Sprintf("no results are kept: %s, and no file matches %s", why, globs))
}
