package bench

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"os"
	"path/filepath"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchunit"

	"github.com/perfctl/perfctl/internal/usererr"
)

// maxSyntaxErrors bounds how many malformed lines one InputError lists.
const maxSyntaxErrors = 10

// A ResultSet is the content of one file of benchmark results: every
// measurement grouped by benchmark and unit, in the order first seen.
type ResultSet struct {
	// Source names where the results came from (a path, or "-" for stdin).
	Source string

	// Units holds the unit metadata (`Unit x better=higher`, `assume=exact`)
	// that the file declared.
	Units benchfmt.UnitMetadataMap

	// Config holds the distinct values of each file configuration key
	// ("goos", "cpu", "commit", …), in the order first seen.
	Config map[string][]string

	// identities are the "# perfctl-package" lines: what each package's
	// benchmarks ran on (RecordedIdentities).
	identities []string

	benchmarks []*benchmark
	index      map[string]map[string]int // pkg → full name → position in benchmarks

	lastPkg   string         // pkg of the previous result, to skip a lookup
	lastIndex map[string]int // index[lastPkg]
}

// benchmark holds the measurements of one benchmark (full name, with any
// -GOMAXPROCS suffix, in one package) in each unit it reported.
type benchmark struct {
	pkg   string
	name  string
	units []unitSamples
}

type unitSamples struct {
	unit   string
	values []float64
}

// Len reports how many distinct benchmarks (full names) the set holds.
func (s *ResultSet) Len() int { return len(s.benchmarks) }

// Names returns the full benchmark names in the order first seen. A name
// measured in several packages appears once per package.
func (s *ResultSet) Names() []string {
	names := make([]string, len(s.benchmarks))
	for i, b := range s.benchmarks {
		names[i] = b.name
	}
	return names
}

// Samples returns the values measured for the benchmark fullName of package
// pkg ("" when the file names no package) in unit, or nil. The returned slice
// must not be modified.
func (s *ResultSet) Samples(pkg, fullName, unit string) []float64 {
	i, ok := s.index[pkg][fullName]
	if !ok {
		return nil
	}
	for _, u := range s.benchmarks[i].units {
		if u.unit == unit {
			return u.values
		}
	}
	return nil
}

// A Measurement is the samples of one benchmark in one unit.
type Measurement struct {
	Pkg      string    // "" when the file names no package
	FullName string    // with the Benchmark prefix stripped and any -GOMAXPROCS suffix
	Unit     string    // tidied, as benchunit.Tidy names it
	Values   []float64 // must not be modified
}

// All returns every benchmark's samples in each unit, in the order first
// seen.
func (s *ResultSet) All() iter.Seq[Measurement] {
	return func(yield func(Measurement) bool) {
		for _, b := range s.benchmarks {
			for _, u := range b.units {
				if !yield(Measurement{Pkg: b.pkg, FullName: b.name, Unit: u.unit, Values: u.values}) {
					return
				}
			}
		}
	}
}

// ConfigValue returns the configuration value of key when the file has
// exactly one, and "" otherwise.
func (s *ResultSet) ConfigValue(key string) string {
	if v := s.Config[key]; len(v) == 1 {
		return v[0]
	}
	return ""
}

// Empty returns a set without results, named name: a side of a run that
// measured nothing (every package was identical).
func Empty(name string) *ResultSet {
	return &ResultSet{Source: name, Config: map[string][]string{}, index: map[string]map[string]int{}}
}

// StdinName is the Source of results read from standard input.
const StdinName = "<stdin>"

// ReadFile reads the benchmark results in the file at path; "-" reads
// stdin.
func ReadFile(path string, stdin io.Reader) (*ResultSet, error) {
	return ReadFileIn("", path, stdin)
}

// ReadFileIn is ReadFile with a relative path taken relative to dir (""
// for the current directory); messages name the file as path.
func ReadFileIn(dir, path string, stdin io.Reader) (*ResultSet, error) {
	if path == "-" {
		return Read(stdin, StdinName)
	}
	open := path
	if dir != "" && !filepath.IsAbs(path) {
		open = filepath.Join(dir, path)
	}
	f, err := os.Open(open)
	if err != nil {
		hint := "check the path; pass - to read the results from standard input"
		if errors.Is(err, os.ErrPermission) {
			hint = "make the file readable (chmod +r) or pass it on standard input with -"
		}
		return nil, &usererr.Error{File: path, Msg: "cannot read benchmark results: " + unwrapPathError(err), Hint: hint, Err: err}
	}
	defer f.Close()
	st, err := f.Stat()
	if err == nil && st.IsDir() {
		return nil, &usererr.Error{File: path, Msg: "is a directory, not a file of benchmark results",
			Hint: "pass a file written by `go test -bench . -count 10 > FILE`"}
	}
	return Read(f, path)
}

func unwrapPathError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Read parses benchmark results (benchfmt text, as printed by
// `go test -bench`) from r. name is used in error messages and as Source.
func Read(r io.Reader, name string) (*ResultSet, error) {
	set := &ResultSet{
		Source: name,
		Config: make(map[string][]string),
		index:  make(map[string]map[string]int),
	}
	counted := &countingReader{r: r}
	capped := newLineCapReader(counted)
	reader := benchfmt.NewReader(capped, name)
	var syntax []*benchfmt.SyntaxError
	results := 0
	for reader.Scan() {
		switch rec := reader.Result().(type) {
		case *benchfmt.SyntaxError:
			syntax = append(syntax, rec)
		case *benchfmt.Result:
			if err := set.add(rec); err != nil {
				return nil, err
			}
			results++
		}
	}
	if err := reader.Err(); err != nil {
		return nil, &usererr.Error{File: name, Msg: "reading benchmark results: " + err.Error(),
			Hint: "check that the file is a text file written by `go test -bench`", Err: err}
	}
	if len(syntax) > 0 {
		return nil, syntaxInputError(syntax)
	}
	if long := capped.longResults; len(long) > 0 {
		return nil, &usererr.Error{File: name, Line: long[0],
			Msg:  fmt.Sprintf("a benchmark line longer than %d KiB (%d such lines)", maxLine>>10, len(long)),
			Hint: "a result line reads `BenchmarkName-8  1000  1234 ns/op`; fix or delete the line"}
	}
	set.Units = reader.Units()
	set.identities = capped.identities
	if results == 0 {
		return nil, noResultsError(name, counted.n == 0)
	}
	return set, nil
}

func syntaxInputError(errs []*benchfmt.SyntaxError) *usererr.Error {
	first := errs[0]
	e := &usererr.Error{File: first.FileName, Line: first.Line, Msg: "malformed benchmark line: " + first.Msg,
		Hint: "fix or delete the line: a result line reads `BenchmarkName-8  1000  1234 ns/op  56 B/op  2 allocs/op`",
		Err:  first}
	for i, s := range errs[1:] {
		if i == maxSyntaxErrors-1 {
			e.Details = append(e.Details, fmt.Sprintf("… and %d more malformed lines", len(errs)-maxSyntaxErrors))
			break
		}
		e.Details = append(e.Details, s.Error())
	}
	return e
}

func noResultsError(name string, empty bool) *usererr.Error {
	msg := "has no benchmark results (no line starts with \"Benchmark\")"
	if empty {
		msg = "is empty"
	}
	return &usererr.Error{File: name, Msg: msg,
		Hint: "record results with `go test -run '^$' -bench . -benchmem -count 10 > FILE` " +
			"(or `perfctl bench --out FILE`) and check that the benchmarks ran"}
}

// add records one result. It copies what it keeps: benchfmt reuses r.
func (s *ResultSet) add(r *benchfmt.Result) error {
	for i := range r.Values {
		if v := &r.Values[i]; v.OrigUnit == "" {
			// benchfmt tidies a value only when tidying changes it, so
			// "0 ns/op" stays in ns/op beside "500 ns/op" in sec/op: the
			// same benchmark would be two rows, added and removed.
			_, v.Unit = benchunit.Tidy(1, v.Unit)
		}
	}
	for _, v := range r.Values {
		if math.IsNaN(v.Value) || math.IsInf(v.Value, 0) || v.Value < 0 {
			file, line := r.Pos()
			return &usererr.Error{File: file, Line: line,
				Msg:  fmt.Sprintf("benchmark %s has an invalid value %v %s", r.Name, origValue(v), origUnit(v)),
				Hint: "measurements must be finite and not negative; re-run the benchmark or delete the line"}
		}
	}
	s.addConfig(r)

	byName := s.packageIndex(r)
	i, ok := byName[string(r.Name)] // no allocation for the lookup
	if !ok {
		i = len(s.benchmarks)
		name := string(r.Name)
		byName[name] = i
		s.benchmarks = append(s.benchmarks, &benchmark{pkg: s.lastPkg, name: name})
	}
	b := s.benchmarks[i]
values:
	for _, v := range r.Values {
		for j := range b.units {
			if b.units[j].unit == v.Unit { // units are interned by benchfmt
				b.units[j].values = append(b.units[j].values, v.Value)
				continue values
			}
		}
		b.units = append(b.units, unitSamples{unit: v.Unit, values: []float64{v.Value}})
	}
	return nil
}

// packageIndex returns the name index of r's package. Results of one
// package arrive together, so the previous answer is usually right.
func (s *ResultSet) packageIndex(r *benchfmt.Result) map[string]int {
	var pkg []byte
	if i, ok := r.ConfigIndex("pkg"); ok {
		pkg = r.Config[i].Value
	}
	if s.lastIndex != nil && string(pkg) == s.lastPkg {
		return s.lastIndex
	}
	m, ok := s.index[string(pkg)]
	if !ok {
		m = make(map[string]int)
		s.index[string(pkg)] = m
	}
	s.lastPkg, s.lastIndex = string(pkg), m
	return m
}

func (s *ResultSet) addConfig(r *benchfmt.Result) {
	for _, c := range r.Config {
		if !c.File {
			continue
		}
		vals := s.Config[c.Key]
		if n := len(vals); n > 0 && vals[n-1] == string(c.Value) {
			continue
		}
		if containsBytes(vals, c.Value) {
			continue
		}
		s.Config[c.Key] = append(vals, string(c.Value))
	}
}

func containsBytes(vals []string, b []byte) bool {
	for _, v := range vals {
		if v == string(b) {
			return true
		}
	}
	return false
}

func origValue(v benchfmt.Value) float64 {
	if v.OrigUnit != "" {
		return v.OrigValue
	}
	return v.Value
}

func origUnit(v benchfmt.Value) string {
	if v.OrigUnit != "" {
		return v.OrigUnit
	}
	return v.Unit
}

// countingReader counts the bytes read, to tell an empty input from one
// without results.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
