package sqlpool_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/checks/sqlpool"
)

func fixture(t testing.TB, name string) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// located shows violations as "file:line:col" relative to dir.
func located(t *testing.T, dir string, vs []sqlpool.Violation) []string {
	t.Helper()
	var out []string
	for _, v := range vs {
		if !filepath.IsAbs(v.File) {
			t.Errorf("violation file %q is not absolute", v.File)
		}
		rel, _ := filepath.Rel(dir, v.File)
		out = append(out, fmt.Sprintf("%s:%d:%d", filepath.ToSlash(rel), v.Line, v.Column))
	}
	return out
}

func TestSQLPoolRun(t *testing.T) {
	dir := fixture(t, "mod")
	tests := []struct {
		name     string
		patterns []string
		tags     string
		packages int
		opens    int
		want     []string
	}{
		// store_test.go opens an unconfigured pool: test files are not analyzed.
		{"all", nil, "", 4, 2, []string{"store/store.go:17:13"}},
		{"tags", []string{"./..."}, "pooltag", 4, 3, []string{"store/store.go:17:13", "tagged/tagged.go:8:13"}},
		{"pattern", []string{"./good", "./util"}, "", 2, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := sqlpool.Run(t.Context(), dir, tt.patterns, tt.tags)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Packages != tt.packages || rep.Opens != tt.opens {
				t.Errorf("%d packages, %d opens; want %d, %d", rep.Packages, rep.Opens, tt.packages, tt.opens)
			}
			got := located(t, dir, rep.Violations)
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("violations at %q, want %q", got, tt.want)
			}
			for _, v := range rep.Violations {
				if !strings.HasPrefix(v.Message, "*sql.DB from sql.Open is never given ") {
					t.Errorf("message %q", v.Message)
				}
			}
		})
	}
}

func TestSQLPoolRunMessage(t *testing.T) {
	rep, err := sqlpool.Run(t.Context(), fixture(t, "mod"), []string{"./store"}, "")
	if err != nil {
		t.Fatal(err)
	}
	want := "*sql.DB from sql.Open is never given SetConnMaxLifetime: configure the pool " +
		"(database/sql defaults: unlimited open connections, 2 idle, connections kept forever)"
	if len(rep.Violations) != 1 || rep.Violations[0].Message != want {
		t.Fatalf("violations %+v, want one saying %q", rep.Violations, want)
	}
}

// TestSQLPoolRunLoadError loads a package that does not compile, as a pattern
// and as the dependency of the one pattern.
func TestSQLPoolRunLoadError(t *testing.T) {
	for _, patterns := range [][]string{nil, {"."}} {
		_, err := sqlpool.Run(t.Context(), fixture(t, "broken"), patterns, "")
		if err == nil {
			t.Fatalf("%q: no error for a package that does not compile", patterns)
		}
		want := "package example.com/broken/bad has errors: bad/bad.go:7:32: undefined: undefinedDSN"
		if !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: error %q, want %q", patterns, err, want)
		}
	}
}

func TestSQLPoolRunNoPackage(t *testing.T) {
	_, err := sqlpool.Run(t.Context(), fixture(t, "mod"), []string{"./nosuchdir"}, "")
	if err == nil || !strings.Contains(err.Error(), "nosuchdir") {
		t.Fatalf("error %v, want one naming ./nosuchdir", err)
	}
}

func TestSQLPoolRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := sqlpool.Run(ctx, fixture(t, "mod"), nil, "")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}

// BenchmarkRun loads and analyzes the fixture module (4 packages, one of
// them with a violation). The go command's build cache is warm after the
// first iteration, as it is on a developer's machine.
func BenchmarkRun(b *testing.B) {
	b.ReportAllocs()
	dir := fixture(b, "mod")
	for b.Loop() {
		rep, err := sqlpool.Run(b.Context(), dir, nil, "")
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Violations) != 1 {
			b.Fatalf("%d violations, want 1", len(rep.Violations))
		}
	}
}
