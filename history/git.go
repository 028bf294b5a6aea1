package history

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/usererr"
)

// Ref is the ref the store lives under; RemoteRef is where Push and Pull
// fetch the remote's store before merging it.
const (
	Ref       = "refs/perfctl/history"
	RemoteRef = "refs/perfctl/remote-history"
)

// identity is who the store's commits are by: fixed, so that recording
// does not depend on the user's git configuration (CI runners often have
// none) and no hook or signing setting of theirs applies to commit-tree.
var identity = []string{
	"GIT_AUTHOR_NAME=perfctl", "GIT_AUTHOR_EMAIL=perfctl@localhost",
	"GIT_COMMITTER_NAME=perfctl", "GIT_COMMITTER_EMAIL=perfctl@localhost",
	"GIT_TERMINAL_PROMPT=0",
}

// A Store is the history store of the git repository at Dir.
type Store struct {
	Git run.Runner
	Dir string
}

// git runs git in the repository with stdin (nil for none) and returns
// its standard output.
func (s *Store) git(ctx context.Context, stdin io.Reader, args ...string) ([]byte, error) {
	out, err := run.Output(ctx, s.Git, &run.Cmd{Args: append([]string{"git"}, args...), Dir: s.Dir, Env: identity, Stdin: stdin})
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return out, err
}

func (s *Store) gitLine(ctx context.Context, stdin io.Reader, args ...string) (string, error) {
	out, err := s.git(ctx, stdin, args...)
	return strings.TrimSpace(string(out)), err
}

// Check reports whether Dir is in a git repository, with a hint when it
// is not.
func (s *Store) Check(ctx context.Context) error {
	if _, err := s.git(ctx, nil, "rev-parse", "--git-dir"); err != nil {
		if ctx.Err() != nil {
			return err
		}
		var nf *run.NotFoundError
		if errors.As(err, &nf) {
			return usererr.New("git is not installed", "install git: the history store lives in the repository's git objects")
		}
		return &usererr.Error{Msg: "not a git repository: " + s.Dir,
			Hint: "run perfctl history in a git repository (or give -C DIR); the store lives under " + Ref, Err: err}
	}
	return nil
}

// resolveRef returns the commit ref points at, or "" when it does not
// exist.
func (s *Store) resolveRef(ctx context.Context, ref string) (string, error) {
	out, err := s.gitLine(ctx, nil, "rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}")
	if err != nil {
		var exit *run.ExitError
		if errors.As(err, &exit) && exit.Code == 1 && out == "" {
			return "", nil
		}
		return "", fmt.Errorf("reading %s: %w", ref, err)
	}
	return out, nil
}

// Resolve returns the full commit id of a revision the user named.
func (s *Store) Resolve(ctx context.Context, rev string) (string, error) {
	if err := ValidateRevision(rev); err != nil {
		return "", err
	}
	out, err := s.gitLine(ctx, nil, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err != nil || out == "" {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", &usererr.Error{Msg: fmt.Sprintf("unknown commit %q", rev),
			Hint: "check it with `git rev-parse " + rev + "`; see the recorded commits with `perfctl history log`"}
	}
	return out, nil
}

// ValidateRevision refuses what cannot be a revision and could be read as
// an option.
func ValidateRevision(rev string) error {
	if rev == "" || strings.HasPrefix(rev, "-") || len(rev) > 256 || strings.ContainsAny(rev, " \t\r\n\x00") {
		return &usererr.Error{Msg: fmt.Sprintf("%q is not a git revision", rev),
			Hint: "give a commit, tag or branch, e.g. HEAD or a commit id"}
	}
	return nil
}

// ValidateRemote refuses a remote that is not a remote name, URL or path:
// one that could be read as an option, holds control characters, or
// names a transport helper with "::" (ext::, fd::), which would run a
// program.
func ValidateRemote(remote string) error {
	bad := remote == "" || strings.HasPrefix(remote, "-") || len(remote) > 1024 || strings.Contains(remote, "::")
	for _, r := range remote {
		if r < 0x20 || r == 0x7f {
			bad = true
		}
	}
	if bad {
		return &usererr.Error{Msg: fmt.Sprintf("%q is not a git remote", remote),
			Hint: "give a remote name (origin), a URL or a path to a repository"}
	}
	return nil
}

// writeBlob stores data as a blob and returns its id.
func (s *Store) writeBlob(ctx context.Context, data []byte) (string, error) {
	return s.gitLine(ctx, bytes.NewReader(data), "hash-object", "-w", "--stdin")
}

// isAncestor reports whether commit a is an ancestor of (or equal to) b.
func (s *Store) isAncestor(ctx context.Context, a, b string) (bool, error) {
	_, err := s.git(ctx, nil, "merge-base", "--is-ancestor", a, b)
	var exit *run.ExitError
	if errors.As(err, &exit) && exit.Code == 1 {
		return false, nil
	}
	return err == nil, err
}

// updateRef moves ref from old ("" when it must not exist) to new, or
// fails when another process moved it meanwhile.
func (s *Store) updateRef(ctx context.Context, ref, newCommit, old, msg string) error {
	_, err := s.git(ctx, nil, "update-ref", "-m", msg, ref, newCommit, old)
	if err != nil && ctx.Err() == nil {
		return fmt.Errorf("%w: %w", errMoved, err)
	}
	return err
}

var errMoved = errors.New("the history ref moved meanwhile")
