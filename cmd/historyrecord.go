package cmd

import (
	"context"
	"fmt"
	"time"

	"github.com/perfctl/perfctl/history"
	"github.com/perfctl/perfctl/internal/english"
	"github.com/perfctl/perfctl/internal/iostreams"
	"github.com/perfctl/perfctl/internal/run"
)

// historyUsage is the help of the --history flag of perfctl bench and
// perfctl baseline save.
const historyUsage = "also record the results for HEAD in the history store (as perfctl history add does)"

// historyTarget resolves the commit results will be recorded for, so that
// a command given --history refuses before it runs anything where it
// cannot record: outside a git repository, or without a commit.
func historyTarget(ctx context.Context, s *history.Store, rev string) (string, error) {
	if err := s.Check(ctx); err != nil {
		return "", err
	}
	return s.Resolve(ctx, rev)
}

// newHistoryStore is the store of the repository at dir.
func newHistoryStore(exec run.Runner, dir string) *history.Store {
	return &history.Store{Git: exec, Dir: dir}
}

// recordHistory records text (benchfmt results from source) for the full
// commit id in s and says so on stderr: what perfctl history add, perfctl
// bench --history and perfctl baseline save --history share.
func recordHistory(ctx context.Context, ios *iostreams.IOStreams, s *history.Store, commit string, text []byte, source string) error {
	rec, replaced, err := s.Add(ctx, &history.AddRequest{Commit: commit, Now: time.Now(), Text: text, Source: source})
	if err != nil {
		return err
	}
	verb := "recorded"
	if replaced {
		verb = "replaced the record of"
	}
	fmt.Fprintf(ios.ErrOut, "perfctl: %s %s for commit %s (%s, env %s)\n", verb,
		english.Plural(rec.Benchmarks, "benchmark", "benchmarks"), rec.Commit[:12], rec.Env, rec.Key)
	return nil
}
