package report_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/report"
)

var update = flag.Bool("update", false, "rewrite golden files")

// The inputs are benchfmt text as `go test -bench . -benchmem` prints it.
// They go through bench.Read and bench.Compare, never hand-built rows, so
// the goldens show what perfctl prints for real files.
//
// mixedBase and mixedHead hold, in example.com/codec:
//
//   - Encode: 20% slower (sec/op regression), same B/op, 0 → 1 allocs/op
//     (exact allocs/op regression, a delta from 0);
//   - Decode: 20% faster and 25% fewer B/op (improvements), same allocs;
//   - Hash: noise only (unchanged in every unit);
//   - Legacy: only in base (removed); Stream: only in head (added);
//   - Slow: 3 samples per side, 20% slower: too few samples for a U test at
//     alpha 0.05 (insufficient, with its note) and for a 95% interval (±∞);
//
// and, in example.com/codec/json, another Encode that did not change: the
// two Encodes must stay apart ("Encode [codec]", "Encode [json]").
//
// The files were recorded on different CPUs: a warning.
const mixedBase = `goos: linux
goarch: amd64
pkg: example.com/codec
cpu: AMD EPYC 7B13
BenchmarkEncode-8   	 1000000	      1207 ns/op	     512 B/op	       0 allocs/op
BenchmarkEncode-8   	 1000000	      1214 ns/op	     512 B/op	       0 allocs/op
BenchmarkEncode-8   	 1000000	      1201 ns/op	     512 B/op	       0 allocs/op
BenchmarkEncode-8   	 1000000	      1210 ns/op	     512 B/op	       0 allocs/op
BenchmarkEncode-8   	 1000000	      1198 ns/op	     512 B/op	       0 allocs/op
BenchmarkEncode-8   	 1000000	      1205 ns/op	     512 B/op	       0 allocs/op
BenchmarkDecode-8   	  600000	      2010 ns/op	    1024 B/op	       4 allocs/op
BenchmarkDecode-8   	  600000	      2023 ns/op	    1024 B/op	       4 allocs/op
BenchmarkDecode-8   	  600000	      1998 ns/op	    1024 B/op	       4 allocs/op
BenchmarkDecode-8   	  600000	      2005 ns/op	    1024 B/op	       4 allocs/op
BenchmarkDecode-8   	  600000	      2015 ns/op	    1024 B/op	       4 allocs/op
BenchmarkDecode-8   	  600000	      2001 ns/op	    1024 B/op	       4 allocs/op
BenchmarkHash-8     	 4000000	       301.2 ns/op	       0 B/op	       0 allocs/op
BenchmarkHash-8     	 4000000	       299.8 ns/op	       0 B/op	       0 allocs/op
BenchmarkHash-8     	 4000000	       300.5 ns/op	       0 B/op	       0 allocs/op
BenchmarkHash-8     	 4000000	       302.1 ns/op	       0 B/op	       0 allocs/op
BenchmarkHash-8     	 4000000	       298.9 ns/op	       0 B/op	       0 allocs/op
BenchmarkHash-8     	 4000000	       300.7 ns/op	       0 B/op	       0 allocs/op
BenchmarkLegacy-8   	  240000	      5012 ns/op	     256 B/op	       2 allocs/op
BenchmarkLegacy-8   	  240000	      5030 ns/op	     256 B/op	       2 allocs/op
BenchmarkLegacy-8   	  240000	      4998 ns/op	     256 B/op	       2 allocs/op
BenchmarkLegacy-8   	  240000	      5021 ns/op	     256 B/op	       2 allocs/op
BenchmarkLegacy-8   	  240000	      5007 ns/op	     256 B/op	       2 allocs/op
BenchmarkLegacy-8   	  240000	      5015 ns/op	     256 B/op	       2 allocs/op
BenchmarkSlow-8     	  120000	     10021 ns/op	    2048 B/op	       8 allocs/op
BenchmarkSlow-8     	  120000	     10034 ns/op	    2048 B/op	       8 allocs/op
BenchmarkSlow-8     	  120000	     10009 ns/op	    2048 B/op	       8 allocs/op
PASS
ok  	example.com/codec	21.412s
pkg: example.com/codec/json
BenchmarkEncode-8   	 1400000	       850.1 ns/op	     384 B/op	       3 allocs/op
BenchmarkEncode-8   	 1400000	       848.7 ns/op	     384 B/op	       3 allocs/op
BenchmarkEncode-8   	 1400000	       851.3 ns/op	     384 B/op	       3 allocs/op
BenchmarkEncode-8   	 1400000	       849.9 ns/op	     384 B/op	       3 allocs/op
BenchmarkEncode-8   	 1400000	       850.6 ns/op	     384 B/op	       3 allocs/op
BenchmarkEncode-8   	 1400000	       849.2 ns/op	     384 B/op	       3 allocs/op
PASS
ok  	example.com/codec/json	8.204s
`

const mixedHead = `goos: linux
goarch: amd64
pkg: example.com/codec
cpu: Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz
BenchmarkEncode-8   	  800000	      1455 ns/op	     512 B/op	       1 allocs/op
BenchmarkEncode-8   	  800000	      1462 ns/op	     512 B/op	       1 allocs/op
BenchmarkEncode-8   	  800000	      1449 ns/op	     512 B/op	       1 allocs/op
BenchmarkEncode-8   	  800000	      1458 ns/op	     512 B/op	       1 allocs/op
BenchmarkEncode-8   	  800000	      1451 ns/op	     512 B/op	       1 allocs/op
BenchmarkEncode-8   	  800000	      1460 ns/op	     512 B/op	       1 allocs/op
BenchmarkDecode-8   	  750000	      1602 ns/op	     768 B/op	       4 allocs/op
BenchmarkDecode-8   	  750000	      1611 ns/op	     768 B/op	       4 allocs/op
BenchmarkDecode-8   	  750000	      1597 ns/op	     768 B/op	       4 allocs/op
BenchmarkDecode-8   	  750000	      1608 ns/op	     768 B/op	       4 allocs/op
BenchmarkDecode-8   	  750000	      1600 ns/op	     768 B/op	       4 allocs/op
BenchmarkDecode-8   	  750000	      1605 ns/op	     768 B/op	       4 allocs/op
BenchmarkHash-8     	 4000000	       300.9 ns/op	       0 B/op	       0 allocs/op
BenchmarkHash-8     	 4000000	       301.5 ns/op	       0 B/op	       0 allocs/op
BenchmarkHash-8     	 4000000	       299.6 ns/op	       0 B/op	       0 allocs/op
BenchmarkHash-8     	 4000000	       300.2 ns/op	       0 B/op	       0 allocs/op
BenchmarkHash-8     	 4000000	       302.0 ns/op	       0 B/op	       0 allocs/op
BenchmarkHash-8     	 4000000	       299.9 ns/op	       0 B/op	       0 allocs/op
BenchmarkStream-8   	 1300000	       880 ns/op	     128 B/op	       1 allocs/op
BenchmarkStream-8   	 1300000	       875 ns/op	     128 B/op	       1 allocs/op
BenchmarkStream-8   	 1300000	       882 ns/op	     128 B/op	       1 allocs/op
BenchmarkStream-8   	 1300000	       879 ns/op	     128 B/op	       1 allocs/op
BenchmarkStream-8   	 1300000	       884 ns/op	     128 B/op	       1 allocs/op
BenchmarkStream-8   	 1300000	       877 ns/op	     128 B/op	       1 allocs/op
BenchmarkSlow-8     	  100000	     12030 ns/op	    2048 B/op	       8 allocs/op
BenchmarkSlow-8     	  100000	     12051 ns/op	    2048 B/op	       8 allocs/op
BenchmarkSlow-8     	  100000	     12012 ns/op	    2048 B/op	       8 allocs/op
PASS
ok  	example.com/codec	21.907s
pkg: example.com/codec/json
BenchmarkEncode-8   	 1400000	       850.4 ns/op	     384 B/op	       3 allocs/op
BenchmarkEncode-8   	 1400000	       849.8 ns/op	     384 B/op	       3 allocs/op
BenchmarkEncode-8   	 1400000	       851.0 ns/op	     384 B/op	       3 allocs/op
BenchmarkEncode-8   	 1400000	       848.9 ns/op	     384 B/op	       3 allocs/op
BenchmarkEncode-8   	 1400000	       850.2 ns/op	     384 B/op	       3 allocs/op
BenchmarkEncode-8   	 1400000	       850.8 ns/op	     384 B/op	       3 allocs/op
PASS
ok  	example.com/codec/json	8.199s
`

// passBase and passHead are a clean passing comparison: same machine, one
// improvement, one unchanged benchmark, no warnings and no notes.
const passBase = `goos: linux
goarch: amd64
pkg: example.com/parse
cpu: AMD EPYC 7B13
BenchmarkParse-8   	 1000000	      1207 ns/op	     320 B/op	       5 allocs/op
BenchmarkParse-8   	 1000000	      1214 ns/op	     320 B/op	       5 allocs/op
BenchmarkParse-8   	 1000000	      1201 ns/op	     320 B/op	       5 allocs/op
BenchmarkParse-8   	 1000000	      1210 ns/op	     320 B/op	       5 allocs/op
BenchmarkParse-8   	 1000000	      1198 ns/op	     320 B/op	       5 allocs/op
BenchmarkParse-8   	 1000000	      1205 ns/op	     320 B/op	       5 allocs/op
BenchmarkLex-8     	 5000000	       240.3 ns/op	      64 B/op	       1 allocs/op
BenchmarkLex-8     	 5000000	       241.0 ns/op	      64 B/op	       1 allocs/op
BenchmarkLex-8     	 5000000	       239.7 ns/op	      64 B/op	       1 allocs/op
BenchmarkLex-8     	 5000000	       240.8 ns/op	      64 B/op	       1 allocs/op
BenchmarkLex-8     	 5000000	       240.1 ns/op	      64 B/op	       1 allocs/op
BenchmarkLex-8     	 5000000	       239.9 ns/op	      64 B/op	       1 allocs/op
PASS
ok  	example.com/parse	9.811s
`

const passHead = `goos: linux
goarch: amd64
pkg: example.com/parse
cpu: AMD EPYC 7B13
BenchmarkParse-8   	 1200000	       998 ns/op	     320 B/op	       5 allocs/op
BenchmarkParse-8   	 1200000	      1003 ns/op	     320 B/op	       5 allocs/op
BenchmarkParse-8   	 1200000	       995 ns/op	     320 B/op	       5 allocs/op
BenchmarkParse-8   	 1200000	      1001 ns/op	     320 B/op	       5 allocs/op
BenchmarkParse-8   	 1200000	       997 ns/op	     320 B/op	       5 allocs/op
BenchmarkParse-8   	 1200000	      1000 ns/op	     320 B/op	       5 allocs/op
BenchmarkLex-8     	 5000000	       240.6 ns/op	      64 B/op	       1 allocs/op
BenchmarkLex-8     	 5000000	       239.8 ns/op	      64 B/op	       1 allocs/op
BenchmarkLex-8     	 5000000	       240.2 ns/op	      64 B/op	       1 allocs/op
BenchmarkLex-8     	 5000000	       241.1 ns/op	      64 B/op	       1 allocs/op
BenchmarkLex-8     	 5000000	       239.5 ns/op	      64 B/op	       1 allocs/op
BenchmarkLex-8     	 5000000	       240.4 ns/op	      64 B/op	       1 allocs/op
PASS
ok  	example.com/parse	9.790s
`

// compareInputs runs the real data path: bench.Read on both inputs, then
// bench.Compare with the default options.
func compareInputs(t *testing.T, base, head string) *bench.Comparison {
	t.Helper()
	b, err := bench.Read(strings.NewReader(base), "base.txt")
	if err != nil {
		t.Fatalf("Read(base.txt): %v", err)
	}
	h, err := bench.Read(strings.NewReader(head), "head.txt")
	if err != nil {
		t.Fatalf("Read(head.txt): %v", err)
	}
	c, err := bench.Compare(b, h, bench.DefaultOptions())
	if err != nil {
		t.Fatalf("Compare: %v", err)
	}
	return c
}

var goldenCases = []struct {
	name       string
	base, head string
}{
	{"mixed", mixedBase, mixedHead},
	{"pass", passBase, passHead},
}

var renderers = []struct {
	suffix string
	render func(*bytes.Buffer, *bench.Comparison) error
}{
	{"txt", func(w *bytes.Buffer, c *bench.Comparison) error {
		return report.CompareText(w, c, report.Options{Color: false})
	}},
	{"json", func(w *bytes.Buffer, c *bench.Comparison) error { return report.CompareJSON(w, c) }},
	{"md", func(w *bytes.Buffer, c *bench.Comparison) error { return report.CompareMarkdown(w, c) }},
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `go test ./report -run %s -update` to create it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run `go test ./report -update` if the change is intended)\n--- got\n%s\n--- want\n%s\n--- diff\n%s",
			path, got, want, lineDiff(string(want), string(got)))
	}
}

// lineDiff lists the lines that differ, marked - (want) and + (got).
func lineDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := range max(len(wl), len(gl)) {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n- " + w + "\n+ " + g + "\n")
		}
	}
	return b.String()
}

func TestCompareGolden(t *testing.T) {
	for _, tc := range goldenCases {
		c := compareInputs(t, tc.base, tc.head)
		for _, r := range renderers {
			t.Run(tc.name+"."+r.suffix, func(t *testing.T) {
				var buf bytes.Buffer
				if err := r.render(&buf, c); err != nil {
					t.Fatal(err)
				}
				checkGolden(t, "compare_"+tc.name+"."+r.suffix+".golden", buf.Bytes())
			})
		}
	}
}

// TestCompareGoldenColor renders the mixed comparison with colour on: ANSI
// escapes appear there and nowhere else.
func TestCompareGoldenColor(t *testing.T) {
	c := compareInputs(t, mixedBase, mixedHead)
	var color bytes.Buffer
	if err := report.CompareText(&color, c, report.Options{Color: true}); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "compare_mixed.color.txt.golden", color.Bytes())

	if !bytes.Contains(color.Bytes(), []byte("\x1b[")) {
		t.Errorf("CompareText with Color true wrote no ANSI escape:\n%s", color.Bytes())
	}
	// Without colour the text is the coloured text with its escapes removed.
	var plain bytes.Buffer
	if err := report.CompareText(&plain, c, report.Options{Color: false}); err != nil {
		t.Fatal(err)
	}
	if stripped := stripANSI(color.String()); stripped != plain.String() {
		t.Errorf("the coloured text without its escapes differs from the plain text:\n%s", lineDiff(plain.String(), stripped))
	}
	for _, tc := range goldenCases {
		c := compareInputs(t, tc.base, tc.head)
		for _, r := range renderers {
			var buf bytes.Buffer
			if err := r.render(&buf, c); err != nil {
				t.Fatal(err)
			}
			if i := bytes.IndexByte(buf.Bytes(), 0x1b); i >= 0 {
				t.Errorf("%s %s output has an escape character at byte %d without colour", tc.name, r.suffix, i)
			}
		}
	}
}

// stripANSI removes CSI escape sequences (ESC [ … final byte).
func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			i = j
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// keys returns the sorted keys of a JSON object.
func keys(t *testing.T, v any, what string) []string {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s is %T, want a JSON object", what, v)
	}
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func sorted(s ...string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// TestCompareJSONContract checks the perfctl/compare/v1 document against
// its documented contract: the exact keys of the top-level object, of each
// comparison and of each side, and null (never a missing key, never a
// string such as "NaN") for what is not defined.
func TestCompareJSONContract(t *testing.T) {
	c := compareInputs(t, mixedBase, mixedHead)
	var buf bytes.Buffer
	if err := report.CompareJSON(&buf, c); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("CompareJSON wrote invalid JSON: %v\n%s", err, buf.Bytes())
	}

	// Top level: schema, verdict, alpha, comparisons, plus the additive
	// geomeans, warnings and method (rounds appears only for interleaved runs).
	if got, want := keys(t, doc, "the document"), sorted("schema", "verdict", "alpha", "method", "comparisons", "geomeans", "warnings",
		"correction", "tested", "not_run"); !slices.Equal(got, want) {
		t.Errorf("top-level keys = %q, want %q", got, want)
	}
	if doc["schema"] != "perfctl/compare/v1" {
		t.Errorf("schema = %v, want perfctl/compare/v1", doc["schema"])
	}
	if doc["verdict"] != "fail" {
		t.Errorf("verdict = %v, want fail (Encode regressed)", doc["verdict"])
	}
	if doc["alpha"] != 0.05 {
		t.Errorf("alpha = %v, want 0.05", doc["alpha"])
	}
	if w, ok := doc["warnings"].([]any); !ok || len(w) != 1 || !strings.Contains(w[0].(string), "cpu differs") {
		t.Errorf("warnings = %#v, want one saying cpu differs", doc["warnings"])
	}

	comps, ok := doc["comparisons"].([]any)
	if !ok || len(comps) != len(c.Rows) {
		t.Fatalf("comparisons = %T of %d, want an array of %d", doc["comparisons"], len(comps), len(c.Rows))
	}
	required := []string{"name", "unit", "base", "head", "delta_pct", "p_value", "significant", "threshold_pct", "status"}
	optional := []string{"pkg", "note", "p_adjusted", "exact"}
	// Additive keys of interleaved runs (paired_*, pairs,
	// equivalence_p_value), of runs that skipped packages (not_run) and of
	// regressions located in the module (source): allowed, not expected of
	// this input.
	additive := []string{"not_run", "equivalence_p_value", "paired_p_value", "paired_delta_pct", "pairs", "source", "better"}
	sideKeys := sorted("center", "low", "high", "n")
	seenOptional := map[string]bool{}
	byStatus := map[string][]map[string]any{}
	for i, v := range comps {
		what := "comparisons[" + strconv.Itoa(i) + "]"
		ks := keys(t, v, what)
		for _, k := range required {
			if !slices.Contains(ks, k) {
				t.Errorf("%s has no key %q (keys %q)", what, k, ks)
			}
		}
		for _, k := range ks {
			switch {
			case slices.Contains(required, k):
			case slices.Contains(optional, k):
				seenOptional[k] = true
			case slices.Contains(additive, k):
			default:
				t.Errorf("%s has key %q, which the v1 contract does not define", what, k)
			}
		}
		cmp := v.(map[string]any)
		for _, side := range []string{"base", "head"} {
			if cmp[side] == nil {
				continue
			}
			if got := keys(t, cmp[side], what+"."+side); !slices.Equal(got, sideKeys) {
				t.Errorf("%s.%s keys = %q, want %q", what, side, got, sideKeys)
			}
		}
		st, _ := cmp["status"].(string)
		byStatus[st] = append(byStatus[st], cmp)
	}
	for _, k := range optional {
		if !seenOptional[k] {
			t.Errorf("no comparison has the optional key %q, though the input has packages and notes", k)
		}
	}
	for _, st := range []string{"regression", "improvement", "unchanged", "added", "removed", "insufficient"} {
		if len(byStatus[st]) == 0 {
			t.Errorf("no comparison has status %q", st)
		}
	}

	// Missing sides and undefined numbers are null.
	for _, cmp := range byStatus["added"] {
		if cmp["base"] != nil || cmp["head"] == nil || cmp["delta_pct"] != nil || cmp["p_value"] != nil {
			t.Errorf("added %v %v: base %v head %v delta_pct %v p_value %v; want base, delta_pct and p_value null",
				cmp["name"], cmp["unit"], cmp["base"], cmp["head"], cmp["delta_pct"], cmp["p_value"])
		}
	}
	for _, cmp := range byStatus["removed"] {
		if cmp["head"] != nil || cmp["base"] == nil || cmp["delta_pct"] != nil || cmp["p_value"] != nil {
			t.Errorf("removed %v %v: base %v head %v delta_pct %v p_value %v; want head, delta_pct and p_value null",
				cmp["name"], cmp["unit"], cmp["base"], cmp["head"], cmp["delta_pct"], cmp["p_value"])
		}
	}
	for _, cmp := range byStatus["insufficient"] {
		for _, side := range []string{"base", "head"} {
			s := cmp[side].(map[string]any)
			if s["low"] != nil || s["high"] != nil || s["n"] != 3.0 {
				t.Errorf("insufficient %v %v %s = %v: want low and high null (no 95%% interval from 3 samples), n 3", cmp["name"], cmp["unit"], side, s)
			}
		}
		if note, _ := cmp["note"].(string); !strings.Contains(note, "too few samples") {
			t.Errorf("insufficient %v %v has note %q, want one saying too few samples", cmp["name"], cmp["unit"], note)
		}
	}
	var allocsFromZero map[string]any
	for _, cmp := range byStatus["regression"] {
		if cmp["unit"] == "allocs/op" {
			allocsFromZero = cmp
		}
	}
	if allocsFromZero == nil {
		t.Fatal("no allocs/op regression (Encode went from 0 to 1 allocs/op)")
	}
	if allocsFromZero["delta_pct"] != nil || allocsFromZero["significant"] != true || allocsFromZero["threshold_pct"] != 0.0 {
		t.Errorf("allocs/op 0 → 1: delta_pct %v significant %v threshold_pct %v; want null (no percentage from 0), true, 0",
			allocsFromZero["delta_pct"], allocsFromZero["significant"], allocsFromZero["threshold_pct"])
	}

	// Geomeans: the keys the renderer defines, and null for the allocs/op
	// geomean that includes zeros.
	geos, _ := doc["geomeans"].([]any)
	if len(geos) != 3 {
		t.Fatalf("geomeans = %v, want one per unit (sec/op, B/op, allocs/op)", doc["geomeans"])
	}
	for i, g := range geos {
		if got, want := keys(t, g, "geomeans["+strconv.Itoa(i)+"]"), sorted("unit", "base", "head", "delta_pct", "n"); !slices.Equal(got, want) {
			t.Errorf("geomeans[%d] keys = %q, want %q", i, got, want)
		}
	}
}

// TestCompareJSONPassNoWarnings checks the verdict word and that warnings
// is an empty array, not null, when there are none.
func TestCompareJSONPassNoWarnings(t *testing.T) {
	c := compareInputs(t, passBase, passHead)
	var buf bytes.Buffer
	if err := report.CompareJSON(&buf, c); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["verdict"] != "pass" {
		t.Errorf("verdict = %v, want pass", doc["verdict"])
	}
	if w, ok := doc["warnings"].([]any); !ok || len(w) != 0 {
		t.Errorf("warnings = %#v, want []", doc["warnings"])
	}
}

// TestCompareMarkdownShape checks what a reader of a pull-request comment
// relies on: the marker and the verdict headline, the regressions listed
// before the folded sections, every other table inside <details>.
func TestCompareMarkdownShape(t *testing.T) {
	c := compareInputs(t, mixedBase, mixedHead)
	var buf bytes.Buffer
	if err := report.CompareMarkdown(&buf, c); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	if !strings.HasPrefix(md, "<!-- perfctl:compare -->\n### ❌ perfctl compare: FAIL — 2 regressions · 2 improvements · 1 insufficient\n") {
		t.Errorf("markdown does not start with the marker and the FAIL headline:\n%s", md)
	}
	reg, det := strings.Index(md, "#### Regressions"), strings.Index(md, "<details>")
	if reg < 0 || det < 0 || reg > det {
		t.Errorf("want the regressions (at %d) before <details> (at %d):\n%s", reg, det, md)
	}
	if !strings.HasSuffix(strings.TrimRight(md, "\n"), "</details>") {
		t.Errorf("markdown does not end with </details>:\n%s", md)
	}
	if n := strings.Count(md[:det], "| `BenchmarkEncode` |"); n != 2 {
		t.Errorf("the regressions table lists BenchmarkEncode %d times, want 2 (sec/op and allocs/op)", n)
	}

	c = compareInputs(t, passBase, passHead)
	buf.Reset()
	if err := report.CompareMarkdown(&buf, c); err != nil {
		t.Fatal(err)
	}
	if md := buf.String(); !strings.HasPrefix(md, "<!-- perfctl:compare -->\n### ✅ perfctl compare: PASS — no regressions · 1 improvement\n") ||
		strings.Contains(md, "Regressions") || strings.Contains(md, "Reproduce") {
		t.Errorf("a passing comparison should have the PASS headline and no regressions section:\n%s", md)
	}
}

// TestCompareThresholdPercent checks that a threshold given as a whole
// percentage is reported as that percentage. ParsePercent("7%") is 7/100,
// and 7/100*100 is 7.000000000000001 in floating point: printed with full
// precision it leaks into the settings line ("sec/op 7.000000000000001%")
// and into the JSON threshold_pct, where a consumer comparing with 7 fails.
func TestCompareThresholdPercent(t *testing.T) {
	b, err := bench.Read(strings.NewReader(passBase), "base.txt")
	if err != nil {
		t.Fatal(err)
	}
	h, err := bench.Read(strings.NewReader(passHead), "head.txt")
	if err != nil {
		t.Fatal(err)
	}
	opts := bench.DefaultOptions()
	for _, spec := range []string{"7%", "B/op=29%", "allocs/op=14%"} {
		if err := opts.Thresholds.Set(spec); err != nil {
			t.Fatal(err)
		}
	}
	c, err := bench.Compare(b, h, opts)
	if err != nil {
		t.Fatal(err)
	}
	const want = "thresholds: sec/op 7%, B/op 29% exact, allocs/op 14% exact"
	var text, md, js bytes.Buffer
	if err := report.CompareText(&text, c, report.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := report.CompareMarkdown(&md, c); err != nil {
		t.Fatal(err)
	}
	if err := report.CompareJSON(&js, c); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), want) {
		t.Errorf("text settings line does not read %q:\n%s", want, lastLine(text.String()))
	}
	if !strings.Contains(md.String(), want) {
		t.Errorf("markdown settings line does not read %q:\n%s", want, md.String()[:strings.Index(md.String(), "</sub>")])
	}
	var doc struct {
		Comparisons []struct {
			Unit         string
			ThresholdPct float64 `json:"threshold_pct"`
		}
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	wantPct := map[string]float64{"sec/op": 7, "B/op": 29, "allocs/op": 14}
	reported := map[string]bool{}
	for _, cmp := range doc.Comparisons {
		if cmp.ThresholdPct != wantPct[cmp.Unit] && !reported[cmp.Unit] {
			reported[cmp.Unit] = true
			t.Errorf("JSON %s threshold_pct = %v, want %v", cmp.Unit, cmp.ThresholdPct, wantPct[cmp.Unit])
		}
	}
}

func lastLine(s string) string {
	s = strings.TrimSuffix(s, "\n")
	return s[strings.LastIndex(s, "\n")+1:]
}
