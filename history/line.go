package history

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/perfctl/perfctl/internal/usererr"
)

// MaxLine is the most commits of first-parent history Line walks.
const MaxLine = 10000

// maxSubject bounds a commit subject kept for display, in bytes.
const maxSubject = 200

// A Commit is one commit of first-parent history.
type Commit struct {
	ID      string
	Time    time.Time // the committer date
	Subject string    // the first line of the message, at most 200 bytes
}

// A LineRequest says which history Line reads.
type LineRequest struct {
	// Rev is the newest commit of the line; "" is HEAD.
	Rev string
	// Max is the most commits walked back from Rev (0 or more than
	// MaxLine: MaxLine).
	Max int
	// Env chooses the environment: a key as `perfctl history log` prints
	// it, or a prefix of one. "" chooses the environment with the most
	// records along the line (the newest one on a tie).
	Env string
}

// A Line is the records of one environment along the first-parent history
// of a commit.
type Line struct {
	// Commits are the commits of the line that have a record in Env,
	// oldest first; Records[i] is the record of Commits[i], parsed (its
	// Text is dropped once parsed).
	Commits []Commit
	Records []*Record
	// Env is the environment chosen; its Key is "" when the line has no
	// record at all.
	Env Env
	Key string
	// Walked is how many commits of the line were read (the line's length,
	// or Max); Shallow is set when the repository is a shallow clone,
	// whose line stops early.
	Walked  int
	Shallow bool
	// Others counts the records along the line in other environments, by
	// key; OffLine counts the store's records of commits that are not on
	// the line (other branches, or history the clone does not have).
	Others  map[string]int
	OffLine int
}

// Line reads the records of one environment along the first-parent
// history of req.Rev, oldest first. Only the records of the chosen
// environment are read and parsed.
func (s *Store) Line(ctx context.Context, req LineRequest) (*Line, error) {
	w, err := s.walk(ctx, req)
	if err != nil {
		return nil, err
	}
	commits, t := w.commits, w.tree
	line := &Line{Walked: len(commits), Shallow: w.shallow, Others: map[string]int{}}
	onLine := make(map[string]bool, len(commits))
	count := map[string]int{}
	newest := map[string]int{} // key → position of its newest commit on the line
	for i, cm := range commits {
		onLine[cm.ID] = true
		if d := t.dirs[cm.ID]; d != nil {
			for key := range d.records {
				count[key]++
				newest[key] = i + 1
			}
		}
	}
	for id := range t.dirs {
		if !onLine[id] {
			line.OffLine += len(t.dirs[id].records)
		}
	}
	key, err := chooseEnv(req.Env, count, newest, t)
	if err != nil || key == "" {
		return line, err
	}
	line.Key = key
	for k, n := range count {
		if k != key {
			line.Others[k] = n
		}
	}
	var entries []*Entry
	for _, cm := range commits {
		if d := t.dirs[cm.ID]; d != nil && d.records[key] != nil {
			entries = append(entries, d.records[key])
			line.Commits = append(line.Commits, cm)
		}
	}
	if line.Records, err = s.records(ctx, entries); err != nil {
		return nil, err
	}
	// The analysis reads the parsed results only: let the text (and the
	// batches of git output it points into) go.
	for _, r := range line.Records {
		r.Text = nil
	}
	line.Env = line.Records[0].Env
	return line, nil
}

// A walked line is the first-parent commits of a LineRequest, oldest
// first, and the store's tree (empty when there is no store).
type walked struct {
	commits []Commit
	shallow bool
	tree    *tree
}

// walk reads the commits req names and the store: what Line and Tally
// both start from.
func (s *Store) walk(ctx context.Context, req LineRequest) (*walked, error) {
	rev := req.Rev
	if rev == "" {
		rev = "HEAD"
	}
	tip, err := s.Resolve(ctx, rev)
	if err != nil {
		return nil, err
	}
	limit := req.Max
	if limit <= 0 || limit > MaxLine {
		limit = MaxLine
	}
	w := &walked{}
	if w.commits, err = s.firstParent(ctx, tip, limit); err != nil {
		return nil, err
	}
	if sh, err := s.gitLine(ctx, nil, "rev-parse", "--is-shallow-repository"); err == nil && sh == "true" {
		w.shallow = true
	}
	c, err := s.resolveRef(ctx, Ref)
	if err != nil {
		return nil, err
	}
	if w.tree, err = s.readTree(ctx, c); err != nil {
		return nil, err
	}
	return w, nil
}

// chooseEnv returns the key of the environment asked for, or the one with
// the most records along the line.
func chooseEnv(want string, count, newest map[string]int, t *tree) (string, error) {
	if want != "" {
		var matches []string
		all := map[string]bool{}
		for _, d := range t.dirs {
			for k := range d.records {
				all[k] = true
			}
		}
		for k := range all {
			if strings.HasPrefix(k, want) {
				matches = append(matches, k)
			}
		}
		sort.Strings(matches)
		switch {
		case len(matches) == 0:
			return "", usererr.New(fmt.Sprintf("no records in environment %q", want),
				"see the environments recorded in the env column of `perfctl history log`")
		case len(matches) > 1:
			return "", &usererr.Error{Msg: fmt.Sprintf("%q names %d environments", want, len(matches)),
				Details: matches, Hint: "give more digits of the environment key"}
		}
		return matches[0], nil
	}
	best := ""
	for k, n := range count {
		if best == "" || n > count[best] || n == count[best] && (newest[k] > newest[best] || newest[k] == newest[best] && k < best) {
			best = k
		}
	}
	return best, nil
}

// firstParent returns up to max commits of the first-parent history of
// tip, oldest first.
func (s *Store) firstParent(ctx context.Context, tip string, limit int) ([]Commit, error) {
	out, err := s.git(ctx, nil, "log", "--first-parent", "-z", "--no-show-signature", "--format=%H %ct %s",
		"--max-count="+strconv.Itoa(limit), "--end-of-options", tip)
	if err != nil {
		return nil, fmt.Errorf("reading the history of %s: %w", short(tip), err)
	}
	var commits []Commit
	for _, rec := range bytes.Split(out, []byte{0}) {
		if len(rec) == 0 {
			continue
		}
		id, rest, _ := bytes.Cut(rec, []byte{' '})
		ts, subject, _ := bytes.Cut(rest, []byte{' '})
		sec, err := strconv.ParseInt(string(ts), 10, 64)
		if !commitName.Match(id) || err != nil {
			return nil, fmt.Errorf("reading the history of %s: unexpected output of git log", short(tip))
		}
		if len(subject) > maxSubject {
			subject = append(subject[:maxSubject:maxSubject], "…"...)
		}
		commits = append(commits, Commit{ID: string(id), Time: time.Unix(sec, 0).UTC(), Subject: strings.ToValidUTF8(string(subject), "?")})
	}
	for i, j := 0, len(commits)-1; i < j; i, j = i+1, j-1 {
		commits[i], commits[j] = commits[j], commits[i]
	}
	return commits, nil
}
