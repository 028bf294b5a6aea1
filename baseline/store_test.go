package baseline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

const sample = `commit: 0123456789abcdef0123456789abcdef01234567
branch: main
dirty: false
go: go1.26.8
cpu: Test CPU
recorded-at: 2026-11-26T10:00:00Z
pkg: example.com/x
BenchmarkA-8  100  120 ns/op  16 B/op  1 allocs/op
BenchmarkB-8  100  80 ns/op   0 B/op  0 allocs/op
`

func TestValidateName(t *testing.T) {
	for _, ok := range []string{"main", "v1.2.3", "release_1-4", "A"} {
		if err := ValidateName(ok); err != nil {
			t.Errorf("ValidateName(%q) = %v, want nil", ok, err)
		}
	}
	for _, bad := range []string{"", "..", "../x", "a/b", `a\b`, ".hidden", "-x", "a b", "ü", strings.Repeat("a", 101)} {
		if err := ValidateName(bad); err == nil {
			t.Errorf("ValidateName(%q) = nil, want an error", bad)
		}
	}
}

func TestStoreRoundTrip(t *testing.T) {
	s := Store{Dir: filepath.Join(t.TempDir(), ".perfctl", "baselines")}
	if infos, _, err := s.List(); err != nil || len(infos) != 0 {
		t.Fatalf("List of a missing dir = %v, %v; want empty", infos, err)
	}
	if _, err := s.Save("main", []byte(sample), "test", false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save("main", []byte(sample), "test", false); !errors.Is(err, ErrExists) {
		t.Fatalf("second Save without force: %v, want ErrExists", err)
	}
	if _, err := s.Save("main", []byte(strings.Replace(sample, "120 ns/op", "130 ns/op", 1)), "test", true); err != nil {
		t.Fatal(err)
	}
	info, err := s.Get("main")
	if err != nil {
		t.Fatal(err)
	}
	if info.Benchmarks != 2 || info.Commit[:7] != "0123456" || info.Branch != "main" || info.GoVersion != "go1.26.8" ||
		info.CPU != "Test CPU" || info.RecordedAt.Year() != 2026 || info.Dirty != "false" {
		t.Errorf("info %+v", info)
	}
	if got := info.Results.Samples("example.com/x", "A-8", "sec/op"); len(got) != 1 || got[0] < 129e-9 {
		t.Errorf("forced save did not replace the content: %v", got)
	}
	infos, _, err := s.List()
	if err != nil || len(infos) != 1 || infos[0].Name != "main" {
		t.Fatalf("List = %+v, %v", infos, err)
	}
	if err := s.Delete("main"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load("main"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Load after Delete: %v, want ErrNotFound", err)
	}
	if err := s.Delete("main"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Delete: %v, want ErrNotFound", err)
	}
}

func TestSaveRefusesBadContentAndLeavesNothing(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	if _, err := s.Save("main", []byte(sample), "test", false); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "no results here\n", "BenchmarkA-8 x 1 ns/op\n"} {
		if _, err := s.Save("main", []byte(bad), "test", true); err == nil {
			t.Errorf("Save(%q) accepted", bad)
		}
	}
	data, err := os.ReadFile(s.Path("main"))
	if err != nil || string(data) != sample {
		t.Errorf("the previous baseline changed: %q, %v", data, err)
	}
	entries, _ := os.ReadDir(s.Dir)
	if len(entries) != 1 {
		t.Errorf("files left in the store: %v", entries)
	}
	if _, err := s.Save("../escape", []byte(sample), "test", true); err == nil {
		t.Error("a name with a path separator was accepted")
	}
}

func TestListSkipsOtherFiles(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	if _, err := s.Save("b", []byte(sample), "test", false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save("a", []byte(sample), "test", false); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"notes.md", ".main.txt.tmp-123", "broken.txt"} {
		if err := os.WriteFile(filepath.Join(s.Dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	infos, problems, err := s.List()
	if err != nil || len(infos) != 2 || infos[0].Name != "a" || infos[1].Name != "b" {
		t.Fatalf("List = %+v, %v; want a, b", infos, err)
	}
	if len(problems) != 1 || !strings.Contains(problems[0].Error(), "broken.txt") {
		t.Errorf("problems %v, want one naming broken.txt", problems)
	}
}

// TestConcurrentSaves: of saves racing for one name without force, one
// wins and the others get ErrExists (both "succeeded" before).
func TestConcurrentSaves(t *testing.T) {
	for trial := range 20 {
		s := Store{Dir: t.TempDir()}
		var wg sync.WaitGroup
		var won atomic.Int32
		for i := range 4 {
			wg.Go(func() {
				_, err := s.Save("main", []byte(fmt.Sprintf("BenchmarkX-8 1 %d ns/op\n", i+1)), "run", false)
				switch {
				case err == nil:
					won.Add(1)
				case !errors.Is(err, ErrExists):
					t.Errorf("trial %d: %v", trial, err)
				}
			})
		}
		wg.Wait()
		if won.Load() != 1 {
			t.Fatalf("trial %d: %d saves won", trial, won.Load())
		}
	}
}
