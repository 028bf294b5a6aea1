package history

import (
	"testing"
	"time"
)

func TestTallyCountsTheLineWithoutReading(t *testing.T) {
	t.Parallel()
	s, c1 := newRepo(t)
	ctx := t.Context()
	tally, err := s.Tally(ctx, LineRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if *tally != (Tally{Walked: 1}) {
		t.Errorf("no store: %+v", *tally)
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	add(t, s, c1, "cpu A", 100, at)
	add(t, s, c1, "cpu B", 100, at)
	git(t, s.Dir, "checkout", "-qb", "side")
	git(t, s.Dir, "commit", "-q", "--allow-empty", "-m", "side")
	side := git(t, s.Dir, "rev-parse", "HEAD")
	add(t, s, side, "cpu A", 100, at)
	git(t, s.Dir, "checkout", "-q", "main")
	git(t, s.Dir, "commit", "-q", "--allow-empty", "-m", "two")
	git(t, s.Dir, "commit", "-q", "--allow-empty", "-m", "three")
	add(t, s, git(t, s.Dir, "rev-parse", "HEAD"), "cpu A", 100, at)

	tally, err = s.Tally(ctx, LineRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if want := (Tally{Commits: 2, Records: 3, Walked: 3, Total: 4}); *tally != want {
		t.Errorf("main: %+v, want %+v", *tally, want)
	}
	tally, err = s.Tally(ctx, LineRequest{Rev: "side"})
	if err != nil {
		t.Fatal(err)
	}
	if want := (Tally{Commits: 2, Records: 3, Walked: 2, Total: 4}); *tally != want {
		t.Errorf("side: %+v, want %+v", *tally, want)
	}
	tally, err = s.Tally(ctx, LineRequest{Max: 2})
	if err != nil {
		t.Fatal(err)
	}
	if want := (Tally{Commits: 1, Records: 1, Walked: 2, Total: 4}); *tally != want {
		t.Errorf("main, 2 commits: %+v, want %+v", *tally, want)
	}
	if _, err := s.Tally(ctx, LineRequest{Rev: "no-such-branch"}); err == nil {
		t.Error("an unknown revision has a tally")
	}
}
