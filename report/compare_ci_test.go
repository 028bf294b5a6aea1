package report_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"

	"github.com/xeipuuv/gojsonschema"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/report"
)

// compareJUnitDoc is CompareJUnit's output read back.
type compareJUnitDoc struct {
	Name     string `xml:"name,attr"`
	Tests    int    `xml:"tests,attr"`
	Failures int    `xml:"failures,attr"`
	Suites   []struct {
		Name       string `xml:"name,attr"`
		Tests      int    `xml:"tests,attr"`
		Failures   int    `xml:"failures,attr"`
		Skipped    int    `xml:"skipped,attr"`
		Properties []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"properties>property"`
		Cases []struct {
			Name      string        `xml:"name,attr"`
			Classname string        `xml:"classname,attr"`
			Failure   *junitProblem `xml:"failure"`
			Skipped   *junitProblem `xml:"skipped"`
			SystemOut string        `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func renderCompareJUnit(t *testing.T, c *bench.Comparison) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := report.RenderCompare(&buf, report.JUnit, c, report.Options{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func renderCompareSARIF(t *testing.T, c *bench.Comparison, paths report.RepoPaths) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := report.RenderCompare(&buf, report.SARIF, c, report.Options{Version: "v1.2.3", Paths: paths}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestCompareJUnit checks the JUnit rendering of the mixed comparison
// against its golden file and the JUnit schema, and reads it back: a suite
// per package, a case per row, the regressions as failures with base →
// head, delta, p and threshold, the insufficient row skipped with its
// reason.
func TestCompareJUnit(t *testing.T) {
	schema := junitSchema(t)
	for _, tc := range goldenCases {
		out := renderCompareJUnit(t, compareInputs(t, tc.base, tc.head))
		checkGolden(t, "compare_"+tc.name+".junit.xml.golden", out)
		if err := schema.Validate(bytes.NewReader(out)); err != nil {
			t.Errorf("%s: JUnit output is not valid against testdata/junit.xsd: %v\n%s", tc.name, err, out)
		}
	}

	c := compareInputs(t, mixedBase, mixedHead)
	var doc compareJUnitDoc
	if err := xml.Unmarshal(renderCompareJUnit(t, c), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Name != "perfctl compare" || doc.Tests != len(c.Rows) || doc.Failures != c.Count(bench.StatusRegression) || doc.Failures != 2 {
		t.Errorf("testsuites = %q, %d tests, %d failures; want perfctl compare, %d tests, 2 failures", doc.Name, doc.Tests, doc.Failures, len(c.Rows))
	}
	var names []string
	for _, s := range doc.Suites {
		names = append(names, s.Name)
	}
	if strings.Join(names, " ") != "example.com/codec example.com/codec/json" {
		t.Errorf("suites = %q, want one per package in order", names)
	}
	var failures, skipped, passed int
	for _, s := range doc.Suites {
		if len(s.Cases) != s.Tests || len(s.Properties) == 0 || s.Properties[0].Name != "verdict" || s.Properties[0].Value != "fail" {
			t.Errorf("suite %s: %d cases, tests=%d, properties %v", s.Name, len(s.Cases), s.Tests, s.Properties)
		}
		for _, k := range s.Cases {
			if k.Classname != s.Name {
				t.Errorf("case %s has classname %q, want its package %q", k.Name, k.Classname, s.Name)
			}
			switch {
			case k.Failure != nil:
				failures++
				if k.Failure.Type != "regression" || !strings.HasPrefix(k.Failure.Message, "regression: Encode [codec] ") ||
					!strings.Contains(k.Failure.Message, " → ") || !strings.Contains(k.Failure.Message, ", threshold ±") ||
					!strings.Contains(k.Failure.Body, k.Failure.Message+"\n") {
					t.Errorf("failure of %s = %+v", k.Name, k.Failure)
				}
			case k.Skipped != nil:
				skipped++
				if k.Name != "BenchmarkSlow sec/op" || !strings.HasPrefix(k.Skipped.Message, "insufficient: ") || len(k.Skipped.Message) < 20 {
					t.Errorf("skipped %s: %+v", k.Name, k.Skipped)
				}
			default:
				passed++
				if k.SystemOut == "" {
					t.Errorf("passing case %s has no system-out", k.Name)
				}
			}
		}
	}
	if failures != 2 || skipped != c.Count(bench.StatusInsufficient) || skipped == 0 || passed != len(c.Rows)-failures-skipped {
		t.Errorf("%d failures, %d skipped, %d passed", failures, skipped, passed)
	}
	if !strings.Contains(string(renderCompareJUnit(t, c)), `name="BenchmarkEncode sec/op" classname="example.com/codec"`) {
		t.Error("the sec/op regression of Encode is not named BenchmarkEncode sec/op in example.com/codec")
	}
}

// hostileComparison is a comparison whose names and package hold what XML
// and JSON must escape, as a merged JSON document could hold them.
func hostileComparison(t *testing.T) (*bench.Comparison, string) {
	t.Helper()
	c := compareInputs(t, mixedBase, mixedHead)
	const name = "Enc<ode>&\"x\"]]>\x1b[1m\x00\ufffe\n'</testcase>"
	for i := range c.Rows {
		if c.Rows[i].Status == bench.StatusRegression {
			c.Rows[i].Name, c.Rows[i].Label, c.Rows[i].Pkg = name, name, "example.com/<pkg>&\"q\""
		}
	}
	return c, name
}

// TestCompareJUnitHostileNames shows that benchmark names and packages with
// markup and control characters stay inside their attributes: the output
// is valid and reads back with XML's substitutes for what it cannot hold.
func TestCompareJUnitHostileNames(t *testing.T) {
	c, _ := hostileComparison(t)
	out := renderCompareJUnit(t, c)
	if err := junitSchema(t).Validate(bytes.NewReader(out)); err != nil {
		t.Fatalf("JUnit output with hostile names is not valid: %v\n%s", err, out)
	}
	var doc compareJUnitDoc
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	var failed []string
	for _, s := range doc.Suites {
		for _, k := range s.Cases {
			if k.Failure != nil {
				failed = append(failed, s.Name+" | "+k.Name)
			}
		}
	}
	want := "example.com/<pkg>&\"q\" | BenchmarkEnc<ode>&\"x\"]]>\ufffd[1m\ufffd\ufffd\n'</testcase> "
	if len(failed) != 2 || !strings.HasPrefix(failed[0], want) {
		t.Errorf("failed cases read back = %q, want 2 starting %q", failed, want)
	}
}

// TestCompareSARIF validates the SARIF rendering against the SARIF 2.1.0
// schema and reads it back: one error result per regression, none for
// improvements, the rule perfctl/regression, placed at the benchmark's
// function when known and at the module's go.mod otherwise.
func TestCompareSARIF(t *testing.T) {
	schema := gojsonschema.NewStringLoader(report.SARIFSchemaText(t))
	c := compareInputs(t, mixedBase, mixedHead)
	for i := range c.Rows {
		if c.Rows[i].Status == bench.StatusRegression && c.Rows[i].Unit == "sec/op" {
			c.Rows[i].Source = &bench.Source{File: "codec/encode_test.go", Line: 12, Col: 6}
		}
	}
	out := renderCompareSARIF(t, c, report.RepoPaths{Prefix: "services/api/"})
	checkGolden(t, "compare_mixed.sarif.golden", out)
	res, err := gojsonschema.Validate(schema, gojsonschema.NewBytesLoader(out))
	if err != nil || !res.Valid() {
		t.Fatalf("SARIF is not valid 2.1.0: %v %v\n%s", err, res.Errors(), out)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Version string `json:"version"`
					Rules   []struct {
						ID string `json:"id"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string                `json:"ruleId"`
				Level     string                `json:"level"`
				Message   struct{ Text string } `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }                 `json:"artifactLocation"`
						Region           struct{ StartLine, StartColumn int } `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if run.Tool.Driver.Version != "v1.2.3" || len(run.Tool.Driver.Rules) != 1 || run.Tool.Driver.Rules[0].ID != "perfctl/regression" {
		t.Errorf("driver = %+v", run.Tool.Driver)
	}
	if len(run.Results) != c.Count(bench.StatusRegression) || len(run.Results) != 2 {
		t.Fatalf("%d results, want one per regression (2), none for the improvements", len(run.Results))
	}
	places := []string{}
	for _, r := range run.Results {
		if r.RuleID != "perfctl/regression" || r.Level != "error" || !strings.HasPrefix(r.Message.Text, "regression in example.com/codec: Encode [codec] ") ||
			!strings.Contains(r.Message.Text, "threshold ±") {
			t.Errorf("result = %+v", r)
		}
		l := r.Locations[0].PhysicalLocation
		places = append(places, fmt.Sprintf("%s:%d:%d", l.ArtifactLocation.URI, l.Region.StartLine, l.Region.StartColumn))
	}
	if strings.Join(places, " ") != "services/api/codec/encode_test.go:12:6 services/api/go.mod:1:0" {
		t.Errorf("locations = %q, want the function of the located regression and go.mod line 1 for the other", places)
	}

	// A passing comparison has no results, and is still a valid log.
	pass := renderCompareSARIF(t, compareInputs(t, passBase, passHead), report.RepoPaths{})
	if res, err := gojsonschema.Validate(schema, gojsonschema.NewBytesLoader(pass)); err != nil || !res.Valid() || !bytes.Contains(pass, []byte(`"results": []`)) {
		t.Errorf("passing comparison: valid %v %v, want an empty results list:\n%s", err, res, pass)
	}
}

// TestCompareSARIFHostileNames shows that names with quotes, markup and
// control characters stay inside their JSON strings.
func TestCompareSARIFHostileNames(t *testing.T) {
	c, name := hostileComparison(t)
	out := renderCompareSARIF(t, c, report.RepoPaths{})
	var log struct {
		Runs []struct {
			Results []struct {
				Message struct{ Text string } `json:"message"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatalf("SARIF with hostile names is not JSON: %v\n%s", err, out)
	}
	if len(log.Runs[0].Results) != 2 || !strings.Contains(log.Runs[0].Results[0].Message.Text, "example.com/<pkg>&\"q\": "+name+" sec/op") {
		t.Errorf("results read back = %+v", log.Runs[0].Results)
	}
}
