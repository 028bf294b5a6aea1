package history

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/english"
	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/usererr"
)

// casAttempts bounds how often a local update is redone when another
// perfctl process in the same repository moved the ref meanwhile.
const casAttempts = 10

// update applies change to the store's current tree and moves the ref to
// the result, redoing it when the ref moved meanwhile. change returns
// false when there is nothing to write.
func (s *Store) update(ctx context.Context, msg string, change func(t *tree) (bool, error)) error {
	for attempt := 1; ; attempt++ {
		old, err := s.resolveRef(ctx, Ref)
		if err != nil {
			return err
		}
		t, err := s.readTree(ctx, old)
		if err != nil {
			return err
		}
		changed, err := change(t)
		if err != nil || !changed {
			return err
		}
		c, err := s.commitTree(ctx, t, msg, old)
		if err != nil {
			return err
		}
		err = s.updateRef(ctx, Ref, c, old, msg)
		if err == nil || !errors.Is(err, errMoved) || attempt == casAttempts {
			return err
		}
	}
}

// An AddRequest is results to record.
type AddRequest struct {
	Text   []byte // benchfmt text: perfctl bench output or go test -bench output
	Source string // where Text came from, for messages
	Commit string // the full id of the commit the results are of
	Now    time.Time
}

// Add records the results of req.Commit in the environment they say they
// were measured in, replacing an earlier record of the same commit and
// environment (replaced is then true).
func (s *Store) Add(ctx context.Context, req *AddRequest) (rec *Record, replaced bool, err error) {
	text, entry, err := s.makeRecord(ctx, req)
	if err != nil {
		return nil, false, err
	}
	blob, err := s.writeBlob(ctx, text)
	if err != nil {
		return nil, false, fmt.Errorf("storing the record: %w", err)
	}
	entry.Blob, entry.Size = blob, int64(len(text))
	rec, err = parseRecord(entry, text)
	if err != nil {
		return nil, false, err // cannot happen: makeRecord wrote it
	}
	err = s.update(ctx, "perfctl history: add "+entry.Path(), func(t *tree) (bool, error) {
		old := t.get(entry.Commit, entry.Key)
		replaced = old != nil
		if old != nil && old.Blob == entry.Blob {
			return false, nil
		}
		t.put(entry)
		return true, nil
	})
	return rec, replaced, err
}

// makeRecord heads the results with the lines that make them a record.
func (s *Store) makeRecord(ctx context.Context, req *AddRequest) ([]byte, *Entry, error) {
	if len(req.Text) > MaxRecordSize {
		return nil, nil, &usererr.Error{File: req.Source, Msg: fmt.Sprintf("is larger than %d MiB, the largest record the history keeps", MaxRecordSize>>20),
			Hint: "record fewer benchmarks or fewer runs (--count) per commit"}
	}
	set, err := bench.Read(bytes.NewReader(req.Text), req.Source)
	if err != nil {
		return nil, nil, err
	}
	env, conflict := envOf(set)
	if conflict != "" {
		return nil, nil, &usererr.Error{File: req.Source, Msg: fmt.Sprintf("holds results of more than one %s (%s)", conflict, strings.Join(set.Config[conflict], ", ")),
			Hint: "a record is one commit in one environment: record each environment's results separately"}
	}
	if env.Go == "" || env.GOOS == "" || env.GOARCH == "" {
		out, err := s.gitTool(ctx, "go", "env", "GOVERSION", "GOOS", "GOARCH")
		f := strings.Fields(string(out))
		if err != nil || len(f) != 3 {
			return nil, nil, fmt.Errorf("asking the go command for the environment the results do not name: %w", err)
		}
		env.Go, env.GOOS, env.GOARCH = or(env.Go, f[0]), or(env.GOOS, f[1]), or(env.GOARCH, f[2])
	}
	if commits := set.Config[bench.KeyCommit]; len(commits) > 1 || len(commits) == 1 && commits[0] != req.Commit {
		return nil, nil, &usererr.Error{File: req.Source, Msg: fmt.Sprintf("holds results of commit %s, not of %s", strings.Join(commits, ", "), short(req.Commit)),
			Hint: "record them for their own commit with --commit, or run the benchmarks on this one"}
	}
	at := req.Now.UTC().Truncate(time.Second)
	if v := set.ConfigValue(bench.KeyRecordedAt); v != "" {
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			at = t.UTC()
		}
	}
	var b bytes.Buffer
	kv := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	kv(bench.KeyCommit, req.Commit)
	kv(bench.KeyGo, env.Go)
	kv(bench.KeyGOOS, env.GOOS)
	kv(bench.KeyGOARCH, env.GOARCH)
	kv(bench.KeyCPU, env.CPU)
	kv(bench.KeyRecordedAt, at.Format(time.RFC3339))
	// The results follow as they were, without their own commit line
	// (checked above) and recorded-at line (used above, or malformed),
	// so that the record says each once.
	for line := range bytes.Lines(req.Text) {
		if !bytes.HasPrefix(line, []byte(bench.KeyRecordedAt+":")) && !bytes.HasPrefix(line, []byte(bench.KeyCommit+":")) {
			b.Write(line)
		}
	}
	if n := len(req.Text); n > 0 && req.Text[n-1] != '\n' {
		b.WriteByte('\n')
	}
	if b.Len() > MaxRecordSize {
		return nil, nil, &usererr.Error{File: req.Source, Msg: fmt.Sprintf("makes a record larger than %d MiB", MaxRecordSize>>20),
			Hint: "record fewer benchmarks or fewer runs (--count) per commit"}
	}
	return b.Bytes(), &Entry{Commit: req.Commit, Key: env.Key()}, nil
}

func (s *Store) gitTool(ctx context.Context, args ...string) ([]byte, error) {
	return run.Output(ctx, s.Git, &run.Cmd{Args: args, Dir: s.Dir})
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

// List returns every record, newest first (by recorded-at, then commit
// and environment key).
func (s *Store) List(ctx context.Context) ([]*Record, error) {
	c, err := s.resolveRef(ctx, Ref)
	if err != nil {
		return nil, err
	}
	t, err := s.readTree(ctx, c)
	if err != nil {
		return nil, err
	}
	recs, err := s.records(ctx, t.entries())
	if err != nil {
		return nil, err
	}
	sortNewestFirst(recs)
	return recs, nil
}

func sortNewestFirst(recs []*Record) {
	sort.SliceStable(recs, func(i, j int) bool {
		a, b := recs[i], recs[j]
		if !a.RecordedAt.Equal(b.RecordedAt) {
			return a.RecordedAt.After(b.RecordedAt)
		}
		return a.Path() < b.Path()
	})
}

var hexPrefix = regexp.MustCompile(`^[0-9a-f]{4,64}$`)

// Find returns the records of the commit rev names, newest first: a
// commit id or a unique prefix of one of the recorded commits (which the
// repository may not have, when they were pulled), or any revision git
// resolves.
func (s *Store) Find(ctx context.Context, rev string) (commit string, recs []*Record, err error) {
	if err := ValidateRevision(rev); err != nil {
		return "", nil, err
	}
	c, err := s.resolveRef(ctx, Ref)
	if err != nil {
		return "", nil, err
	}
	t, err := s.readTree(ctx, c)
	if err != nil {
		return "", nil, err
	}
	if hexPrefix.MatchString(rev) {
		var matches []string
		for c := range t.dirs {
			if strings.HasPrefix(c, rev) {
				matches = append(matches, c)
			}
		}
		if len(matches) > 1 {
			sort.Strings(matches)
			return "", nil, &usererr.Error{Msg: fmt.Sprintf("%q names %d recorded commits", rev, len(matches)),
				Details: matches, Hint: "give more digits of the commit id"}
		}
		if len(matches) == 1 {
			commit = matches[0]
		}
	}
	if commit == "" {
		if commit, err = s.Resolve(ctx, rev); err != nil {
			return "", nil, err
		}
	}
	d := t.dirs[commit]
	if d == nil {
		return commit, nil, &usererr.Error{Msg: "no results recorded for commit " + short(commit),
			Hint: "record them with `perfctl history add` on that commit, or `perfctl history pull` a shared store; see `perfctl history log`"}
	}
	var entries []*Entry
	for _, e := range d.records {
		entries = append(entries, e)
	}
	if recs, err = s.records(ctx, entries); err != nil {
		return "", nil, err
	}
	sortNewestFirst(recs)
	return commit, recs, nil
}

// A PruneRequest says which records to delete: all but those of the Keep
// most recently recorded commits (Keep > 0), those recorded before Before
// (when set), and those of Commits.
type PruneRequest struct {
	Keep    int
	Before  time.Time
	Commits []string // full commit ids or unique prefixes of recorded commits
}

// Prune deletes records and reports how many it deleted and kept.
func (s *Store) Prune(ctx context.Context, req *PruneRequest) (removed, kept int, err error) {
	err = s.update(ctx, "perfctl history: prune", func(t *tree) (bool, error) {
		removed, kept = 0, 0
		drop := map[string]bool{}
		for _, rev := range req.Commits {
			var matches []string
			for c := range t.dirs {
				if strings.HasPrefix(c, rev) {
					matches = append(matches, c)
				}
			}
			if len(matches) != 1 || !hexPrefix.MatchString(rev) {
				return false, &usererr.Error{Msg: fmt.Sprintf("%q names %s", rev, english.Plural(len(matches), "recorded commit", "recorded commits")),
					Hint: "give the commit id (4 or more hex digits) of one recorded commit; see `perfctl history log`"}
			}
			for key := range t.dirs[matches[0]].records {
				drop[matches[0]+"/"+key] = true
			}
		}
		if req.Keep > 0 || !req.Before.IsZero() {
			var entries []*Entry
			for _, e := range t.entries() {
				if !drop[e.Commit+"/"+e.Key] {
					entries = append(entries, e)
				}
			}
			recs, err := s.records(ctx, entries)
			if err != nil {
				return false, err
			}
			sortNewestFirst(recs)
			commits := map[string]bool{}
			for _, r := range recs {
				if req.Keep > 0 && !commits[r.Commit] && len(commits) >= req.Keep {
					drop[r.Commit+"/"+r.Key] = true
				} else {
					commits[r.Commit] = true
				}
				if !req.Before.IsZero() && r.RecordedAt.Before(req.Before) {
					drop[r.Commit+"/"+r.Key] = true
				}
			}
		}
		for _, e := range t.entries() {
			if drop[e.Commit+"/"+e.Key] {
				t.remove(e.Commit, e.Key)
				removed++
			}
		}
		kept = t.len()
		return removed > 0, nil
	})
	return removed, kept, err
}

// A Log is the records perfctl history log lists: the newest, and how many
// the store holds.
type Log struct {
	Records []*Record
	Total   int
}
