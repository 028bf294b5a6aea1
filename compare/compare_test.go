package compare

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/usererr"
)

func TestReferenceValidate(t *testing.T) {
	for _, tc := range []struct {
		ref  Reference
		mode Mode
		err  string
	}{
		{Reference{}, None, ""},
		{Reference{BaseFile: "a", HeadFile: "b"}, Files, ""},
		{Reference{BaseFile: "-", HeadFile: "b"}, Files, ""},
		{Reference{Baseline: "main"}, Baseline, ""},
		{Reference{Baseline: "main", HeadFile: "h"}, Baseline, ""},
		{Reference{BaseRef: "HEAD~1"}, Revision, ""},
		{Reference{MergeBase: "origin/main"}, Revision, ""},
		{Reference{BaseRef: "a", MergeBase: "b"}, Revision, "not both"},
		{Reference{BaseRef: "--output=x"}, Revision, "starts with '-'"},
		{Reference{MergeBase: "-b"}, Revision, "starts with '-'"},
		{Reference{BaseRef: "a", Baseline: "main"}, Revision, "give one reference"},
		{Reference{BaseRef: "a", HeadFile: "h"}, Revision, "do not go with result files or --head"},
		{Reference{Baseline: "main", BaseFile: "b", HeadFile: "h"}, Baseline, "--baseline NAME is the base"},
		{Reference{HeadFile: "h"}, Files, "--head goes with --baseline"},
		{Reference{BaseFile: "b"}, Files, "needs two files"},
		{Reference{BaseFile: "-", HeadFile: "-"}, Files, "only one of BASE and HEAD"},
		{Reference{Baseline: "../x"}, Baseline, "may only contain"},
	} {
		if m := tc.ref.Mode(); m != tc.mode {
			t.Errorf("%+v: mode %v, want %v", tc.ref, m, tc.mode)
		}
		err := tc.ref.Validate()
		var ue *UsageError
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%+v: %v", tc.ref, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err) || !errors.As(err, &ue)):
			t.Errorf("%+v: error %v, want a usage error containing %q", tc.ref, err, tc.err)
		}
	}
}

func TestRequestValidate(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "new.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	ok := func() *Request {
		return &Request{Ref: Reference{Baseline: "main"}, Spec: bench.Spec{Count: 10, Timeout: time.Minute}, Stats: bench.DefaultOptions()}
	}
	for _, tc := range []struct {
		change func(q *Request)
		err    string
	}{
		{func(*Request) {}, ""},
		{func(q *Request) { q.MaxTime = time.Minute }, "--max-time bounds interleaved rounds: it goes with --base-ref"},
		{func(q *Request) { q.Ref = Reference{BaseRef: "x"}; q.MaxTime = -time.Second }, "is negative"},
		{func(q *Request) { q.Ref.RerunBase = true; q.MaxTime = time.Minute }, ""},
		{func(q *Request) { q.Ref = Reference{BaseRef: "x", RerunBase: true} }, "--rerun-base measures a baseline's commit again: it goes with --baseline NAME"},
		{func(q *Request) { q.Ref.RerunBase = true; q.Ref.HeadFile = "new.txt" }, "does not go with --head FILE"},
		{func(q *Request) { q.Spec.Count, q.Set.Count = 0, true }, "--count 0"},
		{func(q *Request) { q.Spec.Timeout, q.Set.Timeout = 0, true }, "--timeout 0s"},
		{func(q *Request) { q.Packages = []string{"new.txt"} }, "new.txt is a file"},
		{func(q *Request) { q.Ref.HeadFile = "new.txt"; q.Packages = []string{"./x"} }, "packages (./x) cannot be given"},
		{func(q *Request) { q.Ref = Reference{BaseFile: "a", HeadFile: "b"}; q.Packages = []string{"./x"} }, "compared as they are"},
		{func(q *Request) { q.Packages = []string{"-exec=x"} }, "starts with '-'"},
		{func(q *Request) { q.Spec.Bench = "(" }, "not a valid regular expression"},
		{func(q *Request) { q.Stats.Alpha = 2 }, "alpha 2 is out of range"},
	} {
		q := ok()
		tc.change(q)
		err := q.Validate(dir)
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%+v: error %v, want %q", q, err, tc.err)
		}
	}
}

const results = "pkg: example.com/x\nBenchmarkA-8 1000 100 ns/op\nBenchmarkA-8 1000 101 ns/op\nBenchmarkA-8 1000 99 ns/op\n" +
	"BenchmarkA-8 1000 100 ns/op\nBenchmarkA-8 1000 100 ns/op\nBenchmarkA-8 1000 102 ns/op\n"

func TestRunFilesAndBaseline(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/x\n")
	write("base.txt", results)
	write("slow.txt", strings.ReplaceAll(results, " ns/op", "0 ns/op"))
	write(".perfctl/baselines/main.txt", results)
	env := &Env{Dir: dir, Exec: run.Exec{}, Stdin: strings.NewReader(results)}
	ctx := context.Background()

	c, err := Run(ctx, env, &Request{Ref: Reference{BaseFile: "base.txt", HeadFile: "slow.txt"}, Stats: bench.DefaultOptions()})
	if err != nil || !c.Failed() {
		t.Fatalf("files: %v, failed %v", err, c != nil && c.Failed())
	}
	c, err = Run(ctx, env, &Request{Ref: Reference{BaseFile: "base.txt", HeadFile: "-"}, Stats: bench.DefaultOptions()})
	if err != nil || c.Failed() {
		t.Fatalf("stdin: %v", err)
	}
	c, err = Run(ctx, env, &Request{Ref: Reference{Baseline: "main", HeadFile: "slow.txt"}, Stats: bench.DefaultOptions()})
	if err != nil || !c.Failed() {
		t.Fatalf("baseline with --head: %v", err)
	}
	// From a subdirectory: the store is at the module root.
	sub := filepath.Join(dir, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(ctx, &Env{Dir: sub}, &Request{Ref: Reference{Baseline: "main", HeadFile: "../../base.txt"}, Stats: bench.DefaultOptions()}); err != nil {
		t.Fatalf("from a subdirectory: %v", err)
	}
	_, err = Run(ctx, env, &Request{Ref: Reference{Baseline: "nosuch", HeadFile: "slow.txt"}, Stats: bench.DefaultOptions()})
	var ue *usererr.Error
	if !errors.Is(err, ErrNoBaseline) || !errors.As(err, &ue) || !strings.Contains(ue.Hint, "perfctl baseline save nosuch") {
		t.Fatalf("missing baseline: %v", err)
	}
	if _, err := Run(ctx, env, &Request{Stats: bench.DefaultOptions()}); err == nil {
		t.Fatal("no reference: no error")
	}
}

func TestRecordedSpec(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module m\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	recorded := "perfctl-dir: sub\nperfctl-packages: ./a ./b\nperfctl-bench: ^Parse\nperfctl-count: 20\nperfctl-benchtime: 200ms\nperfctl-cpu: 1,2\nperfctl-tags: x\nperfctl-timeout: 5m0s\n" + results
	base, err := bench.Read(strings.NewReader(recorded), "main.txt")
	if err != nil {
		t.Fatal(err)
	}
	given := bench.Spec{Bench: "^Other", Count: 3, Benchtime: "1x", CPU: "4", Tags: "y", Timeout: time.Minute}
	// Nothing set: the baseline's way, in its directory.
	s, err := recordedSpec(dir, base, &Request{Spec: given})
	if err != nil {
		t.Fatal(err)
	}
	if s.Dir != filepath.Join(dir, "sub") || s.Bench != "^Parse" || s.Count != 20 || s.Benchtime != "200ms" || s.CPU != "1,2" || s.Tags != "x" ||
		s.Timeout != 5*time.Minute || strings.Join(s.Packages, " ") != "./a ./b" {
		t.Errorf("recorded: %+v", s)
	}
	// What the user set wins; packages given now are relative to here.
	s, err = recordedSpec(dir, base, &Request{Spec: given, Set: Overrides{Count: true, Bench: true}, Packages: []string{"./c"}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Dir != dir || s.Bench != "^Other" || s.Count != 3 || s.Benchtime != "200ms" || strings.Join(s.Packages, " ") != "./c" {
		t.Errorf("overridden: %+v", s)
	}
}

// The commit a baseline records is repository content: only a clean, full
// object name is measured again.
func TestRecordedCommit(t *testing.T) {
	sha := strings.Repeat("ab", 20)
	for _, tc := range []struct {
		header, err string
	}{
		{"commit: " + sha + "\ndirty: false\n", ""},
		{"commit: " + strings.Repeat("c", 64) + "\n", ""},
		{"", "records no commit"},
		{"commit: --upload-pack=evil\n", "not a full commit hash"},
		{"commit: HEAD~1\n", "not a full commit hash"},
		{"commit: " + strings.ToUpper(sha) + "\n", "not a full commit hash"},
		{"commit: " + sha[:12] + "\n", "not a full commit hash"},
		{"commit: " + sha + "\ndirty: true\n", "saved from uncommitted changes on top of abababababab"},
	} {
		set, err := bench.Read(strings.NewReader(tc.header+"BenchmarkX-8 10 5 ns/op\n"), "main.txt")
		if err != nil {
			t.Fatal(err)
		}
		got, err := recordedCommit(set, "main")
		switch {
		case tc.err == "" && (err != nil || got == ""):
			t.Errorf("%q: %q, %v; want the commit", tc.header, got, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q: error %v; want one saying %q", tc.header, err, tc.err)
		}
	}
}
