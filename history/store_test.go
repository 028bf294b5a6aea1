package history

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/usererr"
)

func results(cpu string, ns int) []byte {
	return fmt.Appendf(nil, "goos: linux\ngoarch: amd64\npkg: example.com/x\ncpu: %s\nBenchmarkA-8 100 %d ns/op\nBenchmarkA-8 100 %d ns/op\n", cpu, ns, ns+1)
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), "git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), identity...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// newRepo returns a store in a new repository with one commit, and the
// commit's id.
func newRepo(t *testing.T) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "add", "a.txt")
	git(t, dir, "commit", "-qm", "one")
	return &Store{Git: run.Exec{}, Dir: dir}, git(t, dir, "rev-parse", "HEAD")
}

func add(t *testing.T, s *Store, commit, cpu string, ns int, at time.Time) *Record {
	t.Helper()
	rec, _, err := s.Add(t.Context(), &AddRequest{Text: results(cpu, ns), Source: "r.txt", Commit: commit, Now: at})
	if err != nil {
		t.Fatalf("Add: %v", err)
	}
	return rec
}

func paths(t *testing.T, s *Store) []string {
	t.Helper()
	recs, err := s.List(t.Context())
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	var out []string
	for _, r := range recs {
		out = append(out, r.Commit[:7]+"/"+r.Env.CPU)
	}
	return out
}

func TestAddKeepsEnvironmentsApartAndTouchesNothingElse(t *testing.T) {
	s, head := newRepo(t)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	indexBefore := git(t, s.Dir, "ls-files", "--stage")
	a := add(t, s, head, "cpu-a", 100, t0)
	b := add(t, s, head, "cpu-b", 200, t0.Add(time.Minute))
	if a.Key == b.Key {
		t.Fatalf("two cpus share the env key %s", a.Key)
	}
	if got, want := strings.Join(paths(t, s), " "), head[:7]+"/cpu-b "+head[:7]+"/cpu-a"; got != want {
		t.Fatalf("records = %s, want %s (newest first)", got, want)
	}
	if st := git(t, s.Dir, "status", "--porcelain"); st != "" {
		t.Fatalf("the working tree changed:\n%s", st)
	}
	if got := git(t, s.Dir, "ls-files", "--stage"); got != indexBefore {
		t.Fatalf("the index changed:\n%s", got)
	}
	if got := git(t, s.Dir, "rev-parse", "HEAD"); got != head {
		t.Fatalf("HEAD moved to %s", got)
	}
	// The record is benchfmt with the commit and environment in it.
	text := git(t, s.Dir, "cat-file", "blob", Ref+":"+a.Path())
	for _, want := range []string{"commit: " + head, "cpu: cpu-a", "go: ", "recorded-at: 2026-01-01T00:00:00Z", "BenchmarkA-8 100 100 ns/op"} {
		if !strings.Contains(text, want) {
			t.Errorf("record lacks %q:\n%s", want, text)
		}
	}
	// Recording again replaces.
	_, replaced, err := s.Add(t.Context(), &AddRequest{Text: results("cpu-a", 300), Source: "r.txt", Commit: head, Now: t0})
	if err != nil || !replaced {
		t.Fatalf("Add again = replaced %v, %v", replaced, err)
	}
	if n := len(paths(t, s)); n != 2 {
		t.Fatalf("%d records after replacing, want 2", n)
	}
	// The store's commits form a chain: three adds, three commits.
	if n := git(t, s.Dir, "rev-list", "--count", Ref); n != "3" {
		t.Fatalf("store history has %s commits, want 3", n)
	}
}

func TestAddRefusesMixedOrForeignResults(t *testing.T) {
	s, head := newRepo(t)
	for name, text := range map[string]string{
		"two cpus":     string(results("a", 1)) + string(results("b", 1)),
		"other commit": "commit: 0123456789012345678901234567890123456789\n" + string(results("a", 1)),
		"not results":  "hello\n",
	} {
		_, _, err := s.Add(t.Context(), &AddRequest{Text: []byte(text), Source: "r.txt", Commit: head, Now: time.Now()})
		var ue *usererr.Error
		if !errors.As(err, &ue) || ue.Hint == "" {
			t.Errorf("%s: err = %v, want a user error with a hint", name, err)
		}
	}
	if c, _ := s.resolveRef(t.Context(), Ref); c != "" {
		t.Fatalf("refused adds created the store at %s", c)
	}
}

// clone returns a store in a clone of s's repository.
func clone(t *testing.T, s *Store) *Store {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "clone")
	git(t, s.Dir, "clone", "-q", s.Dir, dir)
	return &Store{Git: run.Exec{}, Dir: dir}
}

func TestMergeIsAUnionThatKeepsPrunes(t *testing.T) {
	ours, head := newRepo(t)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	add(t, ours, head, "shared", 100, t0)
	add(t, ours, head, "pruned-by-us", 100, t0)
	add(t, ours, head, "conflict", 100, t0)
	theirs := clone(t, ours)
	if _, err := theirs.Pull(t.Context(), ours.Dir); err != nil {
		t.Fatal(err)
	}
	// Both sides change the store after the common base.
	add(t, ours, head, "ours-only", 1, t0)
	add(t, theirs, head, "theirs-only", 1, t0)
	// Prune everything of ours (all recorded at t0), then record again
	// what the test keeps, byte for byte: of the base's records only
	// "pruned-by-us" is then pruned on our side.
	if _, _, err := ours.Prune(t.Context(), &PruneRequest{Before: t0.Add(time.Second)}); err != nil {
		t.Fatal(err)
	}
	add(t, ours, head, "shared", 100, t0)
	add(t, ours, head, "ours-only", 1, t0)
	add(t, ours, head, "conflict", 100, t0) // same bytes as the base: unchanged
	add(t, theirs, head, "conflict", 200, t0.Add(time.Hour))

	fetched, err := ours.fetch(t.Context(), theirs.Dir)
	if err != nil {
		t.Fatal(err)
	}
	changed, err := ours.Merge(t.Context(), fetched)
	if err != nil || !changed {
		t.Fatalf("Merge = %v, %v", changed, err)
	}
	got := map[string]int{}
	recs, err := ours.List(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		got[r.Env.CPU] = int(r.Results.Samples("example.com/x", "A-8", "sec/op")[0] * 1e9)
	}
	want := map[string]int{"shared": 100, "ours-only": 1, "theirs-only": 1, "conflict": 200}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("merged records = %v, want %v", got, want)
	}
	// The merge commit has both parents, and merging again changes nothing.
	if p := git(t, ours.Dir, "rev-list", "--parents", "-n1", Ref); len(strings.Fields(p)) != 3 {
		t.Fatalf("merge commit parents: %s", p)
	}
	if changed, err := ours.Merge(t.Context(), fetched); err != nil || changed {
		t.Fatalf("Merge again = %v, %v", changed, err)
	}
}

func TestCorruptRecordIsReportedAndPrunable(t *testing.T) {
	s, head := newRepo(t)
	add(t, s, head, "good", 1, time.Now())
	// A record whose content is not results, written by hand.
	blob := git(t, s.Dir, "hash-object", "-w", "--stdin") // the empty blob
	tr, err := s.readTree(t.Context(), git(t, s.Dir, "rev-parse", Ref))
	if err != nil {
		t.Fatal(err)
	}
	other := strings.Repeat("ab", 20)
	tr.put(&Entry{Commit: other, Key: "0123456789ab", Blob: blob})
	c, err := s.commitTree(t.Context(), tr, "corrupt", git(t, s.Dir, "rev-parse", Ref))
	if err != nil {
		t.Fatal(err)
	}
	git(t, s.Dir, "update-ref", Ref, c)

	_, err = s.List(t.Context())
	var ue *usererr.Error
	if !errors.As(err, &ue) || !strings.Contains(ue.Msg, "corrupt record") || !strings.Contains(ue.Hint, "prune --commit "+other) {
		t.Fatalf("List = %v, want a corrupt-record error naming prune --commit", err)
	}
	if removed, kept, err := s.Prune(t.Context(), &PruneRequest{Commits: []string{other[:8]}}); err != nil || removed != 1 || kept != 1 {
		t.Fatalf("Prune = %d, %d, %v", removed, kept, err)
	}
	if _, err := s.List(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func TestValidateRemote(t *testing.T) {
	for remote, ok := range map[string]bool{
		"origin": true, "../store.git": true, "https://example.com/x.git": true, "git@host:x.git": true,
		"": false, "-uorigin": false, "--upload-pack=sh": false, "ext::sh -c x": false, "a\nb": false,
	} {
		if err := ValidateRemote(remote); (err == nil) != ok {
			t.Errorf("ValidateRemote(%q) = %v, want ok %v", remote, err, ok)
		}
	}
	for rev, ok := range map[string]bool{"HEAD": true, "HEAD~2": true, "abc123": true, "-n": false, "": false, "a b": false} {
		if err := ValidateRevision(rev); (err == nil) != ok {
			t.Errorf("ValidateRevision(%q) = %v, want ok %v", rev, err, ok)
		}
	}
}

func TestPushRefusedIsNotRetried(t *testing.T) {
	s, head := newRepo(t)
	add(t, s, head, "a", 1, time.Now())
	remote := filepath.Join(t.TempDir(), "remote.git")
	git(t, s.Dir, "init", "-q", "--bare", remote)
	hook := filepath.Join(remote, "hooks", "pre-receive")
	if err := os.WriteFile(hook, []byte("#!/bin/sh\necho no writers here >&2\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	attempts, err := s.Push(t.Context(), remote)
	var ue *usererr.Error
	if !errors.As(err, &ue) {
		t.Fatalf("Push = %d attempts, %v; want a user error", attempts, err)
	}
	if attempts != 1 || !strings.Contains(strings.Join(ue.Details, "\n"), "no writers here") {
		t.Fatalf("Push = %d attempts, %v (details %q); want 1 attempt and the remote's message", attempts, err, ue.Details)
	}
	// Without the hook the same push goes through, and again is a no-op.
	if err := os.Remove(hook); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if attempts, err := s.Push(t.Context(), remote); err != nil || attempts != 1 {
			t.Fatalf("Push = %d attempts, %v", attempts, err)
		}
	}
	if got, want := git(t, remote, "rev-parse", Ref), git(t, s.Dir, "rev-parse", Ref); got != want {
		t.Fatalf("remote store %s, local %s", got, want)
	}
}
