package bench

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/internal/usererr"
)

func TestReadGroupsAndConfig(t *testing.T) {
	in := `goos: linux
pkg: example.com/a
cpu: Intel
BenchmarkA-8   100   120 ns/op   16 B/op   1 allocs/op
commit: abc
BenchmarkA-8   100   110 ns/op   16 B/op   1 allocs/op
pkg: example.com/b
BenchmarkA-8   100   5 ns/op
PASS
ok   example.com/b  1.0s
`
	s, err := Read(strings.NewReader(in), "in.txt")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Samples("example.com/a", "A-8", "sec/op"); len(got) != 2 || math.Abs(got[0]-120e-9) > 1e-18 {
		t.Errorf("sec/op samples of a.A = %v, want [1.2e-07 1.1e-07]", got)
	}
	if got := s.Samples("example.com/b", "A-8", "sec/op"); len(got) != 1 {
		t.Errorf("sec/op samples of b.A = %v, want one", got)
	}
	if s.Len() != 2 || s.ConfigValue("cpu") != "Intel" || s.ConfigValue("pkg") != "" {
		t.Errorf("Len %d cpu %q pkg %q; want 2, Intel and no single pkg", s.Len(), s.ConfigValue("cpu"), s.ConfigValue("pkg"))
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, in, wantMsg string
		wantLine          int
	}{
		{"empty", "", "is empty", 0},
		{"no results", "goos: linux\nPASS\n", "no benchmark results", 0},
		{"bad iterations", "BenchmarkA-8 100 1 ns/op\nBenchmarkA-8 x 1 ns/op\n", "malformed benchmark line: parsing iteration count", 2},
		{"missing unit", "BenchmarkA-8 100 1\n", "malformed benchmark line: missing units", 1},
		{"NaN", "BenchmarkA-8 100 NaN ns/op\n", "invalid value NaN ns/op", 1},
		{"negative", "BenchmarkA-8 100 -3 ns/op\n", "invalid value -3 ns/op", 1},
		{"infinite", "BenchmarkA-8 100 1 ns/op\nBenchmarkA-8 100 +Inf B/op\n", "invalid value +Inf B/op", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.in), "f.txt")
			var ie *usererr.Error
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want *usererr.Error", err)
			}
			if !strings.Contains(ie.Msg, tt.wantMsg) || ie.Line != tt.wantLine || ie.File != "f.txt" || ie.Hint == "" {
				t.Errorf("got %q (line %d, file %q, hint %q); want %q on line %d with a hint", ie.Msg, ie.Line, ie.File, ie.Hint, tt.wantMsg, tt.wantLine)
			}
		})
	}
}

func TestReadManySyntaxErrors(t *testing.T) {
	in := strings.Repeat("BenchmarkA-8 x 1 ns/op\n", 15)
	_, err := Read(strings.NewReader(in), "f.txt")
	var ie *usererr.Error
	if !errors.As(err, &ie) || ie.Line != 1 || len(ie.Details) != 10 || !strings.Contains(ie.Details[9], "5 more") {
		t.Fatalf("err %v more %q; want line 1 and 9 further lines plus a count of the rest", err, ie.Details)
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	_, err := ReadFile(filepath.Join(dir, "missing.txt"), nil)
	var ie *usererr.Error
	if !errors.As(err, &ie) || !errors.Is(err, os.ErrNotExist) || !strings.Contains(ie.Hint, "standard input") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := ReadFile(dir, nil); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("directory: %v", err)
	}
	s, err := ReadFile("-", strings.NewReader("BenchmarkA 1 1 ns/op\n"))
	if err != nil || s.Source != StdinName {
		t.Errorf("stdin: %v, source %q", err, s.Source)
	}
}
