package history

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/usererr"
)

// PushAttempts bounds how often Push tries again when another writer
// pushed first.
const PushAttempts = 12

// Merge merges the store commit other (a fetched remote store) into the
// local store: fast-forward when one contains the other, else a
// three-way merge of the records (see the package doc) committed with
// both parents. It reports whether the local store changed.
func (s *Store) Merge(ctx context.Context, other string) (changed bool, err error) {
	for attempt := 1; ; attempt++ {
		changed, err = s.mergeOnce(ctx, other)
		if err == nil || !errors.Is(err, errMoved) || attempt == casAttempts {
			return changed, err
		}
	}
}

func (s *Store) mergeOnce(ctx context.Context, other string) (bool, error) {
	local, err := s.resolveRef(ctx, Ref)
	if err != nil {
		return false, err
	}
	if local == other {
		return false, nil
	}
	if local == "" {
		return true, s.updateRef(ctx, Ref, other, "", "perfctl history: pull")
	}
	if in, err := s.isAncestor(ctx, other, local); err != nil || in {
		return false, err
	}
	if ff, err := s.isAncestor(ctx, local, other); err != nil || ff {
		if err != nil {
			return false, err
		}
		return true, s.updateRef(ctx, Ref, other, local, "perfctl history: fast-forward")
	}
	base, err := s.gitLine(ctx, nil, "merge-base", local, other)
	if err != nil {
		base = "" // unrelated stores: everything is an addition
	}
	var trees [3]*tree
	for i, c := range []string{base, local, other} {
		if trees[i], err = s.readTree(ctx, c); err != nil {
			return false, err
		}
	}
	merged, err := s.mergeTrees(ctx, trees[0], trees[1], trees[2])
	if err != nil {
		return false, err
	}
	c, err := s.commitTree(ctx, merged, "perfctl history: merge", local, other)
	if err != nil {
		return false, err
	}
	return true, s.updateRef(ctx, Ref, c, local, "perfctl history: merge")
}

// mergeTrees merges ours and theirs against base: a record on one side
// only is kept unless the other side deleted it (it is in base, unchanged);
// two different records at one path keep the later recorded-at, then the
// larger blob id.
func (s *Store) mergeTrees(ctx context.Context, base, ours, theirs *tree) (*tree, error) {
	out := newTree()
	var conflicts [][2]*Entry
	commits := map[string]bool{}
	for c := range ours.dirs {
		commits[c] = true
	}
	for c := range theirs.dirs {
		commits[c] = true
	}
	for c := range commits {
		o, t := ours.dirs[c], theirs.dirs[c]
		if o != nil && t != nil && o.oid != "" && o.oid == t.oid {
			out.dirs[c] = o
			continue
		}
		keys := map[string]bool{}
		if o != nil {
			for k := range o.records {
				keys[k] = true
			}
		}
		if t != nil {
			for k := range t.records {
				keys[k] = true
			}
		}
		for k := range keys {
			oe, te, be := ours.get(c, k), theirs.get(c, k), base.get(c, k)
			switch {
			case oe != nil && te != nil && oe.Blob == te.Blob:
				out.put(oe)
			case oe == nil:
				if be == nil || be.Blob != te.Blob { // added or changed by theirs
					out.put(te)
				}
			case te == nil:
				if be == nil || be.Blob != oe.Blob {
					out.put(oe)
				}
			default:
				conflicts = append(conflicts, [2]*Entry{oe, te})
			}
		}
	}
	for _, pair := range conflicts {
		out.put(s.newer(ctx, pair[0], pair[1]))
	}
	return out, nil
}

// newer returns the entry whose record was recorded later; a record that
// cannot be read loses.
func (s *Store) newer(ctx context.Context, a, b *Entry) *Entry {
	at := func(e *Entry) time.Time {
		recs, err := s.records(ctx, []*Entry{e})
		if err != nil {
			return time.Time{}
		}
		return recs[0].RecordedAt
	}
	ta, tb := at(a), at(b)
	switch {
	case ta.After(tb):
		return a
	case tb.After(ta):
		return b
	case a.Blob > b.Blob:
		return a
	}
	return b
}

// remoteHead returns the commit the remote's store ref points at, or ""
// when the remote has none.
func (s *Store) remoteHead(ctx context.Context, remote string) (string, error) {
	out, err := s.git(ctx, nil, "ls-remote", "--", remote, Ref)
	if err != nil {
		if ctx.Err() != nil {
			return "", err
		}
		return "", &usererr.Error{Msg: fmt.Sprintf("cannot reach remote %q", remote),
			Details: details(err),
			Hint:    "check the remote's name (git remote -v) or URL and that you may read it", Err: err}
	}
	for _, line := range strings.Split(string(out), "\n") {
		if oid, ref, ok := strings.Cut(line, "\t"); ok && ref == Ref {
			return oid, nil
		}
	}
	return "", nil
}

// fetch brings the remote's store into RemoteRef and returns its commit.
func (s *Store) fetch(ctx context.Context, remote string) (string, error) {
	_, err := s.git(ctx, nil, "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--no-recurse-submodules",
		"--", remote, "+"+Ref+":"+RemoteRef)
	if err != nil {
		if ctx.Err() != nil {
			return "", err
		}
		return "", &usererr.Error{Msg: fmt.Sprintf("cannot fetch the history from %q", remote),
			Details: details(err), Hint: "check that you may read the remote", Err: err}
	}
	return s.resolveRef(ctx, RemoteRef)
}

// Pull merges the remote's store into the local one. It reports false
// when the remote has no store or nothing new.
func (s *Store) Pull(ctx context.Context, remote string) (bool, error) {
	if err := ValidateRemote(remote); err != nil {
		return false, err
	}
	head, err := s.remoteHead(ctx, remote)
	if err != nil || head == "" {
		return false, err
	}
	fetched, err := s.fetch(ctx, remote)
	if err != nil {
		return false, err
	}
	return s.Merge(ctx, fetched)
}

// Push sends the local store to the remote, merging the remote's records
// in first when it has some the local store lacks, and tries again (at
// most PushAttempts times, with jitter) when another writer pushed
// meanwhile. It never forces: a record on the remote is never lost.
func (s *Store) Push(ctx context.Context, remote string) (attempts int, err error) {
	if err := ValidateRemote(remote); err != nil {
		return 0, err
	}
	var last error
	for attempt := 1; attempt <= PushAttempts; attempt++ {
		// The first attempt asks whether the remote has a store at all; a
		// rejected push says it has one that moved, so later attempts
		// fetch it at once: the shorter the way from fetch to push, the
		// likelier the push lands between other writers'.
		fetch := true
		if attempt == 1 {
			head, err := s.remoteHead(ctx, remote)
			if err != nil {
				return attempt, err
			}
			local, err := s.resolveRef(ctx, Ref)
			if err != nil {
				return attempt, err
			}
			if head != "" && head == local {
				return attempt, nil
			}
			fetch = head != ""
		} else {
			wait := time.Duration(20+rand.IntN(100*attempt)) * time.Millisecond
			select {
			case <-ctx.Done():
				return attempt, ctx.Err()
			case <-time.After(wait):
			}
		}
		if fetch {
			fetched, err := s.fetch(ctx, remote)
			if err != nil {
				return attempt, err
			}
			if _, err := s.Merge(ctx, fetched); err != nil {
				return attempt, err
			}
		}
		local, err := s.resolveRef(ctx, Ref)
		if err != nil {
			return attempt, err
		}
		if local == "" {
			return attempt, usererr.New("the history store is empty: nothing to push",
				"record results first with `perfctl history add`")
		}
		_, last = s.git(ctx, nil, "push", "--quiet", "--no-verify", "--", remote, Ref+":"+Ref)
		if last == nil {
			return attempt, nil
		}
		if ctx.Err() != nil {
			return attempt, ctx.Err()
		}
		// Only a push that lost a race is worth another attempt; a remote
		// that refuses writers (permissions, a hook) says so at once.
		var exit *run.ExitError
		if !errors.As(last, &exit) || !lostRace(last.Error()) {
			return attempt, &usererr.Error{Msg: fmt.Sprintf("cannot push the history to %q", remote), Details: details(last),
				Hint: "check that you may push to the remote (in CI, the job's token needs write access)", Err: last}
		}
	}
	return PushAttempts, &usererr.Error{Msg: fmt.Sprintf("could not push the history to %q in %d attempts", remote, PushAttempts),
		Details: details(last),
		Hint:    "other jobs kept pushing first, or the remote refuses the push: run `perfctl history push` again", Err: last}
}

// details are what git said, as lines for a usererr.Error, without blank
// ones.
func details(err error) []string {
	var out []string
	for _, l := range strings.Split(err.Error(), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// lostRace reports whether git push's message says another writer moved
// the remote's ref first: rejected as not a fast-forward, or refused at
// the remote's ref lock. These reasons are git's porcelain words, which
// it does not translate.
func lostRace(msg string) bool {
	for _, reason := range []string{"(fetch first)", "(non-fast-forward)", "(failed to update ref)", "cannot lock ref"} {
		if strings.Contains(msg, reason) {
			return true
		}
	}
	return false
}
