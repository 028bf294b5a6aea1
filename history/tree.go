package history

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/perfctl/perfctl/internal/usererr"
)

// Bounds on what a store's content can make perfctl read.
const (
	// MaxRecordSize is the largest record Add stores and readers accept.
	MaxRecordSize = 16 << 20
	// MaxRecords is the most records a store may hold for perfctl to read
	// it.
	MaxRecords = 100_000
	// MaxStoreSize is the most bytes of records a store may hold for
	// perfctl to read it: log and export read every record.
	MaxStoreSize = 1 << 30
)

var (
	commitName = regexp.MustCompile(`^(?:[0-9a-f]{40}|[0-9a-f]{64})$`)
	recordName = regexp.MustCompile(`^[0-9a-f]{12}\.txt$`)
)

// An Entry is one record's place in the store.
type Entry struct {
	Commit string // the commit the results are of
	Key    string // the environment key
	Blob   string // the blob id
	Size   int64
}

// Path is the entry's path in the store's tree.
func (e Entry) Path() string { return e.Commit + "/" + e.Key + ".txt" }

// A tree is the content of one commit of the store: the records, by
// commit, with each commit's subtree id when it is unchanged.
type tree struct {
	dirs map[string]*dir
}

type dir struct {
	oid     string            // "" when changed since read
	records map[string]*Entry // env key → entry
}

func newTree() *tree { return &tree{dirs: map[string]*dir{}} }

func (t *tree) entries() []*Entry {
	var out []*Entry
	for _, d := range t.dirs {
		for _, e := range d.records {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path() < out[j].Path() })
	return out
}

func (t *tree) len() int {
	n := 0
	for _, d := range t.dirs {
		n += len(d.records)
	}
	return n
}

func (t *tree) get(commit, key string) *Entry {
	if d := t.dirs[commit]; d != nil {
		return d.records[key]
	}
	return nil
}

func (t *tree) put(e *Entry) {
	d := t.dirs[e.Commit]
	if d == nil {
		d = &dir{records: map[string]*Entry{}}
		t.dirs[e.Commit] = d
	}
	d.oid = ""
	d.records[e.Key] = e
}

func (t *tree) remove(commit, key string) {
	if d := t.dirs[commit]; d != nil {
		delete(d.records, key)
		d.oid = ""
		if len(d.records) == 0 {
			delete(t.dirs, commit)
		}
	}
}

// corrupt is the error for a store whose content perfctl did not write.
func corrupt(what string) *usererr.Error {
	return &usererr.Error{Msg: "the history store (" + Ref + ") " + what,
		Hint: "perfctl writes only <commit>/<env-key>.txt records there; inspect it with `git ls-tree -r " + Ref +
			"`, and if it cannot be repaired, delete it with `git update-ref -d " + Ref + "` and pull or record again"}
}

// readTree reads the records of store commit c ("" for an empty store).
func (s *Store) readTree(ctx context.Context, c string) (*tree, error) {
	t := newTree()
	if c == "" {
		return t, nil
	}
	top, err := s.git(ctx, nil, "ls-tree", "-z", "--end-of-options", c)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", Ref, err)
	}
	for _, line := range splitZ(top) {
		meta, name, _ := strings.Cut(line, "\t")
		f := strings.Fields(meta)
		if len(f) != 3 || f[1] != "tree" || !commitName.MatchString(name) {
			return nil, corrupt(fmt.Sprintf("holds %q, which is not a commit's directory", name))
		}
		if len(t.dirs) >= MaxRecords {
			return nil, corrupt(fmt.Sprintf("holds more than %d commits", MaxRecords))
		}
		t.dirs[name] = &dir{oid: f[2], records: map[string]*Entry{}}
	}
	all, err := s.git(ctx, nil, "ls-tree", "-r", "-l", "-z", "--end-of-options", c)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", Ref, err)
	}
	n, total := 0, int64(0)
	for _, line := range splitZ(all) {
		meta, path, _ := strings.Cut(line, "\t")
		f := strings.Fields(meta)
		commit, name, _ := strings.Cut(path, "/")
		if len(f) != 4 || f[1] != "blob" || f[0] != "100644" || !recordName.MatchString(name) || t.dirs[commit] == nil {
			return nil, corrupt(fmt.Sprintf("holds %q, which is not a record", path))
		}
		size, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil {
			return nil, corrupt(fmt.Sprintf("holds %q, which is not a record", path))
		}
		if n++; n > MaxRecords {
			return nil, corrupt(fmt.Sprintf("holds more than %d records", MaxRecords))
		}
		if total += size; size > MaxRecordSize || total > MaxStoreSize {
			return nil, corrupt(fmt.Sprintf("holds more than %d MiB of records, or a record %s larger than %d MiB", MaxStoreSize>>20, path, MaxRecordSize>>20))
		}
		key := strings.TrimSuffix(name, ".txt")
		t.dirs[commit].records[key] = &Entry{Commit: commit, Key: key, Blob: f[2], Size: size}
	}
	for c, d := range t.dirs {
		if len(d.records) == 0 {
			return nil, corrupt(fmt.Sprintf("holds an empty directory %q", c))
		}
	}
	return t, nil
}

func splitZ(b []byte) []string {
	var out []string
	for _, f := range bytes.Split(b, []byte{0}) {
		if len(f) > 0 {
			out = append(out, string(f))
		}
	}
	return out
}

// writeTree stores t's trees and returns the root tree's id; it builds
// only the commits' subtrees that changed.
func (s *Store) writeTree(ctx context.Context, t *tree) (string, error) {
	var root bytes.Buffer
	for c, d := range t.dirs {
		if d.oid == "" {
			var sub bytes.Buffer
			for key, e := range d.records {
				fmt.Fprintf(&sub, "100644 blob %s\t%s.txt\x00", e.Blob, key)
			}
			oid, err := s.gitLine(ctx, &sub, "mktree", "-z")
			if err != nil {
				return "", fmt.Errorf("writing the history tree: %w", err)
			}
			d.oid = oid
		}
		fmt.Fprintf(&root, "040000 tree %s\t%s\x00", d.oid, c)
	}
	oid, err := s.gitLine(ctx, &root, "mktree", "-z")
	if err != nil {
		return "", fmt.Errorf("writing the history tree: %w", err)
	}
	return oid, nil
}

// commitTree writes t as a commit with the given parents and message.
func (s *Store) commitTree(ctx context.Context, t *tree, msg string, parents ...string) (string, error) {
	oid, err := s.writeTree(ctx, t)
	if err != nil {
		return "", err
	}
	args := []string{"commit-tree", "--no-gpg-sign", "-m", msg}
	for _, p := range parents {
		if p != "" {
			args = append(args, "-p", p)
		}
	}
	args = append(args, oid)
	c, err := s.gitLine(ctx, nil, args...)
	if err != nil {
		return "", fmt.Errorf("writing the history commit: %w", err)
	}
	return c, nil
}
