package bench

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLocateRegressions checks that a regression points at its Benchmark
// function: in the module's root package and in a package below it, with
// a sub-benchmark's name and a -GOMAXPROCS suffix; the file that builds
// here wins over one behind a build constraint that is off; and nothing
// outside the module, or reached through a link out of it, is read.
func TestLocateRegressions(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	write := func(dir, name, src string) {
		t.Helper()
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(root, "go.mod", "// the module\nmodule \"example.com/m\" // quoted\n\ngo 1.26\n")
	write(root, "m_test.go", "package m\n\nimport \"testing\"\n\nfunc helper() {}\n\nfunc BenchmarkEncode(b *testing.B) {}\n")
	write(filepath.Join(root, "codec"), "a_test.go", "//go:build never\n\npackage codec\n\nimport \"testing\"\n\nfunc BenchmarkParse(b *testing.B) {}\n")
	write(filepath.Join(root, "codec"), "b_test.go", "package codec\n\nimport \"testing\"\n\n\nfunc BenchmarkParse(b *testing.B) {\n\tb.Run(\"small\", nil)\n}\n\nfunc BenchmarkOnlyTagged(b *testing.B) {}\n")
	write(filepath.Join(root, "codec"), "c_test.go", "//go:build never\n\npackage codec\n\nimport \"testing\"\n\nfunc BenchmarkOnlyTagged(b *testing.B) {}\n")
	write(outside, "x_test.go", "package x\n\nimport \"testing\"\n\nfunc BenchmarkSecret(b *testing.B) {}\n")
	if err := os.Symlink(outside, filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}

	rows := []Row{
		{Name: "Encode-4", Procs: "4", Pkg: "example.com/m", Status: StatusRegression},
		{Name: "Parse/small", Pkg: "example.com/m/codec", Status: StatusRegression},
		{Name: "OnlyTagged", Pkg: "example.com/m/codec", Status: StatusRegression},
		{Name: "Parse/small", Pkg: "example.com/m/codec", Status: StatusImprovement}, // not a regression
		{Name: "Secret", Pkg: "example.com/m/link", Status: StatusRegression},
		{Name: "Secret", Pkg: "example.com/m/../" + filepath.Base(outside), Status: StatusRegression},
		{Name: "Encode", Pkg: "example.com/other", Status: StatusRegression},
		{Name: "Missing", Pkg: "example.com/m", Status: StatusRegression},
	}
	c := &Comparison{Rows: rows}
	LocateRegressions(c, root, "")
	want := []*Source{
		{File: "m_test.go", Line: 7, Col: 6},
		{File: "codec/b_test.go", Line: 6, Col: 6},
		{File: "codec/b_test.go", Line: 10, Col: 6},
		nil, nil, nil, nil, nil,
	}
	for i, w := range want {
		got := c.Rows[i].Source
		if (got == nil) != (w == nil) || got != nil && *got != *w {
			t.Errorf("row %d (%s in %s): source %+v, want %+v", i, rows[i].Name, rows[i].Pkg, got, w)
		}
	}

	// With the tag on, the first file that declares it and builds wins.
	c = &Comparison{Rows: []Row{{Name: "Parse", Pkg: "example.com/m/codec", Status: StatusRegression}}}
	LocateRegressions(c, root, "never")
	if s := c.Rows[0].Source; s == nil || s.File != "codec/a_test.go" {
		t.Errorf("with -tags never: source %+v, want codec/a_test.go", s)
	}
}

func TestModulePath(t *testing.T) {
	for in, want := range map[string]string{
		"module example.com/m\n":                 "example.com/m",
		"// x\nmodule\t\"example.com/q\" // c\n": "example.com/q",
		"modulex example.com/m\n":                "",
		"go 1.26\n":                              "",
	} {
		if got := modulePath([]byte(in)); got != want {
			t.Errorf("modulePath(%q) = %q, want %q", in, got, want)
		}
	}
}
