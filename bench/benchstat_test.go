package bench_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/perf/benchmath"

	"github.com/perfctl/perfctl/bench"
)

// The parity test runs the real benchstat — the version pinned in go.mod as
// a tool, i.e. the same golang.org/x/perf that perfctl links — on the
// fixture pairs testdata/compare/parity_*_{old,new}.txt and checks that
// perfctl computes the very same numbers.
//
// benchstat flags: -format csv -table "" -row .fullname -col .file
//
//   - -format csv prints centers with fmt.Sprint (full precision), so they
//     can be compared exactly, and p as "p=0.123 n=10".
//   - -table "": benchstat's default, -table .config, splits tables by every
//     file configuration key (goos, pkg, cpu, commit, …). Two files with
//     different commit: lines would land in different tables and nothing
//     would be compared, and two pkg: blocks in one file would give two
//     tables. perfctl never splits by configuration: it groups by benchmark
//     name and unit only. An empty -table leaves only the unit, which
//     benchstat always adds to the table key (-table .unit is refused: ".unit
//     is only allowed in filters"), so the configuration keys become
//     benchstat's "residue", used for warnings and never for grouping —
//     exactly perfctl's grouping. -ignore would not do: it only drops the
//     keys it names, and any other key that differs between the files
//     (perfctl warns about those but still compares) would still split.
//   - -row .fullname -col .file are benchstat's defaults, spelled out. Row
//     names keep the -GOMAXPROCS suffix; see perfctlNames for the mapping.
//     (-ignore /gomaxprocs would strip it, but it would also merge the rows
//     of a `go test -cpu 1,4` run, which perfctl keeps apart.)
const parityFixtures = "../testdata/compare"

var parityArgs = []string{"-format", "csv", "-table", "", "-row", ".fullname", "-col", ".file"}

func TestBenchstatParity(t *testing.T) {
	olds, err := filepath.Glob(filepath.Join(parityFixtures, "parity_*_old.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(olds) < 3 {
		t.Fatalf("found %d parity fixture pairs in %s, want at least 3 (parity_NAME_old.txt + parity_NAME_new.txt)", len(olds), parityFixtures)
	}
	benchstat := buildBenchstat(t)

	total := 0
	for _, old := range olds {
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(old), "parity_"), "_old.txt")
		head := strings.TrimSuffix(old, "_old.txt") + "_new.txt"
		t.Run(name, func(t *testing.T) {
			total += checkParity(t, benchstat, old, head)
		})
	}
	t.Logf("%d rows present on both sides matched benchstat over %d fixture pairs", total, len(olds))
}

// buildBenchstat builds the benchstat pinned in go.mod into a temporary
// directory. It runs once per test run: only TestBenchstatParity calls it.
// It fails, never skips: a parity test that silently does not run is worse
// than none.
func buildBenchstat(t *testing.T) string {
	t.Helper()
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("cannot find the go command to build benchstat: %v", err)
	}
	gomod, err := exec.CommandContext(t.Context(), gocmd, "env", "GOMOD").Output()
	if err != nil || len(bytes.TrimSpace(gomod)) == 0 || string(bytes.TrimSpace(gomod)) == os.DevNull {
		t.Fatalf("cannot locate the module root with `go env GOMOD` (%q): %v", gomod, err)
	}
	exe := filepath.Join(t.TempDir(), "benchstat")
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	cmd := exec.CommandContext(t.Context(), gocmd, "build", "-o", exe, "golang.org/x/perf/cmd/benchstat")
	cmd.Dir = filepath.Dir(string(bytes.TrimSpace(gomod)))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building benchstat, which go.mod pins with `tool golang.org/x/perf/cmd/benchstat`, failed: %v\n%s\n"+
			"The parity test needs it: run `go mod download golang.org/x/perf` (or restore the tool line in go.mod).", err, out)
	}
	return exe
}

// A bsTable is one table of benchstat's CSV output: one unit.
type bsTable struct {
	unit string
	rows []bsRow
	// The geomean row: "" for a center benchstat could not compute.
	geoBase, geoHead, geoDelta string
}

type bsRow struct {
	name       string // benchstat's row name, with any -GOMAXPROCS suffix
	base, head bsCell
	delta, p   string // "vs base" and "P" columns; set only when both cells are
}

type bsCell struct {
	center, ci string
	ok         bool
}

func runBenchstat(t *testing.T, benchstat, old, head string) []bsTable {
	t.Helper()
	args := append(append([]string(nil), parityArgs...), "base="+old, "head="+head)
	cmd := exec.CommandContext(t.Context(), benchstat, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("benchstat %q: %v\n%s", args, err, stderr.Bytes())
	}
	// benchstat reports fatal errors as "benchstat: …" on stderr and exits
	// 0; other stderr lines are cell warnings ("B12: all samples are equal").
	if bytes.Contains(stderr.Bytes(), []byte("benchstat: ")) {
		t.Fatalf("benchstat %q failed:\n%s", args, stderr.Bytes())
	}
	if bytes.Contains(stderr.Bytes(), []byte("benchmarks vary in")) {
		t.Logf("benchstat merged results that differ in some key (perfctl merges them too):\n%s", stderr.Bytes())
	}
	tables, err := parseBenchstatCSV(stdout.Bytes())
	if err != nil {
		t.Fatalf("parsing benchstat's CSV: %v\n%s", err, stdout.Bytes())
	}
	if len(tables) == 0 {
		t.Fatalf("benchstat printed no table:\n%s\nstderr:\n%s", stdout.Bytes(), stderr.Bytes())
	}
	return tables
}

// parseBenchstatCSV parses the output of benchstat -format csv with two
// columns, labelled base and head. Each table reads
//
//	,base,,head,,,
//	,sec/op,CI,sec/op,CI,vs base,P
//	Name-8,1.2e-06,1%,1.1e-06,2%,-8.33%,p=0.000 n=10
//	Only/base-8,1.3e-06,3%
//	Only/head-8,,,1.4e-06,2%
//	geomean,1.2e-06,,1.1e-06,,-8.10%,
//
// with a blank line between tables (which encoding/csv skips).
func parseBenchstatCSV(data []byte) ([]bsTable, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	field := func(rec []string, i int) string {
		if i < len(rec) {
			return rec[i]
		}
		return ""
	}
	var tables []bsTable
	var cur *bsTable
	for i, rec := range recs {
		switch {
		case field(rec, 0) == "" && field(rec, 1) == "base" && field(rec, 3) == "head":
			// Column labels; the unit header follows.
			cur = nil
		case field(rec, 0) == "" && field(rec, 2) == "CI":
			if field(rec, 1) != field(rec, 3) || field(rec, 5) != "vs base" || field(rec, 6) != "P" {
				return nil, fmt.Errorf("record %d: unexpected header %q", i+1, rec)
			}
			tables = append(tables, bsTable{unit: field(rec, 1)})
			cur = &tables[len(tables)-1]
		case cur == nil:
			return nil, fmt.Errorf("record %d: %q outside a table", i+1, rec)
		case field(rec, 0) == "geomean":
			cur.geoBase, cur.geoHead, cur.geoDelta = field(rec, 1), field(rec, 3), field(rec, 5)
			cur = nil
		default:
			row := bsRow{
				name:  field(rec, 0),
				base:  bsCell{center: field(rec, 1), ci: field(rec, 2), ok: field(rec, 1) != ""},
				head:  bsCell{center: field(rec, 3), ci: field(rec, 4), ok: field(rec, 3) != ""},
				delta: field(rec, 5),
				p:     field(rec, 6),
			}
			if row.name == "" || !row.base.ok && !row.head.ok {
				return nil, fmt.Errorf("record %d: malformed row %q", i+1, rec)
			}
			cur.rows = append(cur.rows, row)
		}
	}
	return tables, nil
}

// pRE parses benchstat's P column: "p=0.123 n=10", "p=0.123 n=6+10", or
// without the p when it is exactly 0 ("n=8"; assume=exact units).
var pRE = regexp.MustCompile(`^(?:p=([0-9.]+) )?n=(\d+)(?:\+(\d+))?$`)

// procsRE matches a -GOMAXPROCS suffix as `go test` prints it (none for
// GOMAXPROCS=1).
var procsRE = regexp.MustCompile(`-[0-9]+$`)

// perfctlNames maps benchstat's row names (which keep the -GOMAXPROCS suffix)
// to perfctl's: the suffix is dropped unless the same benchmark appears with
// several GOMAXPROCS values (go test -cpu 1,4 gives "Sort" and "Sort-4"),
// in which case perfctl keeps the full names apart as benchstat does.
//
// perfctl decides "several values" per file; this looks at the union of
// benchstat's rows, which is the same as long as a benchmark runs with the
// same GOMAXPROCS values in both files of a pair — true of every fixture.
// (If base ran X-8 and head X-16, perfctl would pair them as "X" while
// benchstat shows two one-sided rows; the fixtures avoid that case.)
func perfctlNames(tables []bsTable) map[string]string {
	fulls := make(map[string]map[string]bool) // stripped → full names
	for _, tb := range tables {
		for _, r := range tb.rows {
			s := procsRE.ReplaceAllString(r.name, "")
			if fulls[s] == nil {
				fulls[s] = make(map[string]bool)
			}
			fulls[s][r.name] = true
		}
	}
	m := make(map[string]string)
	for s, set := range fulls {
		for full := range set {
			if len(set) == 1 {
				m[full] = s
			} else {
				m[full] = full
			}
		}
	}
	return m
}

// checkParity compares perfctl with benchstat on one pair of files and
// returns how many two-sided rows matched.
func checkParity(t *testing.T, benchstat, oldPath, newPath string) int {
	t.Helper()
	tables := runBenchstat(t, benchstat, oldPath, newPath)

	base, err := bench.ReadFile(oldPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	head, err := bench.ReadFile(newPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	opts := bench.DefaultOptions()
	opts.Correction = bench.CorrectionNone // benchstat judges each row on its own
	c, err := bench.Compare(base, head, opts)
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ unit, name string }
	rows := make(map[key]*bench.Row, len(c.Rows))
	for i := range c.Rows {
		r := &c.Rows[i]
		k := key{r.Unit, r.Name}
		if rows[k] != nil {
			t.Errorf("perfctl has two rows for %s in %s", r.Name, r.Unit)
		}
		rows[k] = r
	}
	geos := make(map[string]bench.Geomean)
	for _, g := range c.Geomeans {
		geos[g.Unit] = g
	}
	names := perfctlNames(tables)

	matched, bsRows := 0, 0
	for _, tb := range tables {
		allBoth := true
		for _, br := range tb.rows {
			bsRows++
			name := names[br.name]
			where := fmt.Sprintf("%s %s (benchstat row %q)", tb.unit, name, br.name)
			r := rows[key{tb.unit, name}]
			if r == nil {
				t.Errorf("%s: benchstat has a row, perfctl has none", where)
				allBoth = false
				continue
			}
			if !br.base.ok || !br.head.ok {
				allBoth = false
				checkOneSided(t, where, br, r)
				continue
			}
			if r.Base == nil || r.Head == nil {
				t.Errorf("%s: present on both sides in benchstat, perfctl has base %v head %v", where, r.Base != nil, r.Head != nil)
				continue
			}
			matched++
			checkCell(t, where+" base", br.base, r.Base)
			checkCell(t, where+" head", br.head, r.Head)

			m := pRE.FindStringSubmatch(br.p)
			if m == nil {
				t.Errorf("%s: cannot parse benchstat's P column %q", where, br.p)
				continue
			}
			if m[1] == "" {
				// benchstat omits p when it is exactly 0.
				if r.PValue != 0 {
					t.Errorf("%s: p = %v (%0.3f), benchstat omits it, i.e. p = 0", where, r.PValue, r.PValue)
				}
			} else if got := fmt.Sprintf("%0.3f", r.PValue); got != m[1] {
				t.Errorf("%s: p = %s (%v), benchstat p=%s", where, got, r.PValue, m[1])
			}
			n1, n2 := m[2], m[3]
			if n2 == "" {
				n2 = n1
			}
			if got := fmt.Sprintf("%d+%d", r.Base.N, r.Head.N); got != n1+"+"+n2 {
				t.Errorf("%s: n = %s, benchstat n=%s+%s", where, got, n1, n2)
			}
			checkDelta(t, where, br.delta, r, opts.Alpha)
		}

		// benchstat's geomean of a column is over every row of that column,
		// perfctl's over the rows present on both sides; they are the same
		// numbers only when every row is present on both sides (otherwise
		// benchstat itself warns "benchmark set differs from baseline").
		// The order of the rows — which the floating-point sum depends on —
		// is the order first seen in base in both tools.
		if !allBoth {
			t.Logf("%s: benchmark sets differ; geomean not compared", tb.unit)
			continue
		}
		g, ok := geos[tb.unit]
		if !ok {
			t.Errorf("%s: benchstat has a geomean row, perfctl has no geomean", tb.unit)
			continue
		}
		if g.N != len(tb.rows) {
			t.Errorf("%s: perfctl geomean over %d benchmarks, benchstat over %d", tb.unit, g.N, len(tb.rows))
		}
		checkGeo(t, tb.unit+" geomean base", tb.geoBase, g.Base)
		checkGeo(t, tb.unit+" geomean head", tb.geoHead, g.Head)
		want := tb.geoDelta
		got := "?"
		if !math.IsNaN(g.DeltaPct) {
			got = fmt.Sprintf("%+.2f%%", g.DeltaPct)
		}
		if got != want {
			t.Errorf("%s geomean delta: perfctl %s (%v), benchstat %s", tb.unit, got, g.DeltaPct, want)
		}
	}
	if len(c.Rows) != bsRows {
		t.Errorf("perfctl has %d rows, benchstat %d", len(c.Rows), bsRows)
		for _, r := range c.Rows {
			t.Logf("perfctl row %s %s", r.Unit, r.Name)
		}
	}
	if matched == 0 {
		t.Fatalf("no row present on both sides matched: the parity test compared nothing")
	}
	return matched
}

// checkCell compares one side of a row: the center exactly, the interval as
// benchstat prints it ("± 3%", "∞", …).
func checkCell(t *testing.T, where string, bc bsCell, s *bench.Summary) {
	t.Helper()
	if got := fmt.Sprint(s.Center); got != bc.center {
		t.Errorf("%s: center %s, benchstat %s", where, got, bc.center)
	}
	ci := benchmath.Summary{Center: s.Center, Lo: s.Low, Hi: s.High}.PctRangeString()
	if ci != bc.ci {
		t.Errorf("%s: interval ±%s [%v, %v], benchstat ±%s", where, ci, s.Low, s.High, bc.ci)
	}
}

// checkOneSided checks a benchmark that only one file has.
func checkOneSided(t *testing.T, where string, br bsRow, r *bench.Row) {
	t.Helper()
	switch {
	case br.base.ok && r.Base != nil && r.Head == nil:
		if r.Status != bench.StatusRemoved {
			t.Errorf("%s: only in base, status %s, want %s", where, r.Status, bench.StatusRemoved)
		}
		checkCell(t, where+" base", br.base, r.Base)
	case br.head.ok && r.Head != nil && r.Base == nil:
		if r.Status != bench.StatusAdded {
			t.Errorf("%s: only in head, status %s, want %s", where, r.Status, bench.StatusAdded)
		}
		checkCell(t, where+" head", br.head, r.Head)
	default:
		t.Errorf("%s: benchstat has base %v head %v, perfctl base %v head %v", where, br.base.ok, br.head.ok, r.Base != nil, r.Head != nil)
	}
}

// checkDelta compares benchstat's "vs base" column: "~" when p > alpha,
// otherwise the change of the centers as "+1.23%", "0.00%" or "?".
func checkDelta(t *testing.T, where, delta string, r *bench.Row, alpha float64) {
	t.Helper()
	b, h := r.Base.Center, r.Head.Center
	var want string
	switch {
	case r.PValue > alpha:
		want = "~"
	case b == h:
		want = "0.00%"
	case b == 0:
		want = "?"
		if !math.IsNaN(r.DeltaPct) {
			t.Errorf("%s: change from 0 is %v%%, want NaN", where, r.DeltaPct)
		}
	default:
		want = fmt.Sprintf("%+.2f%%", r.DeltaPct)
	}
	if want != delta {
		t.Errorf("%s: vs base %s (p %v, change %v%%), benchstat %s", where, want, r.PValue, r.DeltaPct, delta)
	}
	// Apart from allocs/op, which perfctl gates exactly, a change is
	// significant exactly when benchstat shows it.
	if !r.Exact && r.Significant != (delta != "~") {
		t.Errorf("%s: significant = %v, benchstat shows %q", where, r.Significant, delta)
	}
}

// checkGeo compares a geomean center; benchstat leaves it empty when a
// center is not positive, perfctl gives NaN.
func checkGeo(t *testing.T, where, want string, got float64) {
	t.Helper()
	if math.IsNaN(got) {
		if want != "" {
			t.Errorf("%s: perfctl NaN, benchstat %s", where, want)
		}
		return
	}
	if s := fmt.Sprint(got); s != want {
		t.Errorf("%s: perfctl %s, benchstat %q", where, s, want)
	}
}
