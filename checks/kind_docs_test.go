package checks

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestDocsKind(t *testing.T) {
	all := `{topics: [
		{name: profiling, any: [pprof, flamegraph]},
		{name: benchmarking, any: ["go test -bench", benchstat]},
		{name: load testing, any: [load test, '/\bvegeta\b/']},
		{name: concurrency, any: [errgroup, '/goroutines?/']}]}`
	runKindCases(t, "docs", []kindCase{
		{name: "all documented", fixture: "docs/complete", params: all,
			status: Pass, msg: []string{"4 topics documented in 2 file(s)"},
			details: []string{
				`profiling: found "Profiling" at docs/performance.md:3, under the heading "Profiling"`, // docs/diagram.png is binary: skipped
				`benchmarking: found "go test -bench" at README.md:3, in a sentence that says how or what`,
				`load testing: found "load test" at docs/performance.md:10, in a sentence`, // across a line break
				`concurrency: found "Concurrency" at README.md:6, under the heading "Concurrency"`,
			}},
		{name: "phrases match case-insensitively", fixture: "docs/complete", params: `{topics: [{name: x, any: [CPU PROFILE, "/P99/"]}]}`,
			status: Pass, details: []string{`x: found "CPU profile" at docs/performance.md:5, in a sentence that says how or what`}},
		{name: "backspace read as word boundary", fixture: "docs/complete", params: `{topics: [{name: tool, any: ["/\bk6\b/"]}]}`,
			status: Pass, msg: []string{"1 topic documented in 1 file(s)"}, details: []string{`tool: found "k6" at docs/performance.md:11`}},
		{name: "files narrows the search", fixture: "docs/complete", params: `{files: [README.md], topics: [{name: profiling, any: [pprof]}]}`,
			status: Fail, msg: []string{"1 of 1 topic(s) not documented: profiling"},
			details: []string{`profiling: none of "pprof" appears under a heading that names it or in a sentence that says how, in the 1 documentation file(s) matching README.md`}},
		{name: "some missing", fixture: "docs/partial", params: all,
			status: Fail, msg: []string{"3 of 4 topic(s) not documented: benchmarking, load testing, concurrency"},
			details: []string{
				`load testing: none of "load test", /\bvegeta\b/ appears under a heading that names it or in a sentence that says how, in the 1 documentation file(s)`,
				`profiling: found "pprof" at README.md:3`,
			}},
		{name: "no docs", fixture: "docs/nodocs", params: all,
			status: Fail, msg: []string{"no documentation files: nothing matches **/*.md, **/*.markdown"}},
	})
}

func TestDocsKindParams(t *testing.T) {
	runParamsCases(t, "docs", []paramsCase{
		{`{}`, "topics: give at least one topic"},
		{`{topics: []}`, "topics: give at least one topic"},
		{`{topics: [{any: [x]}]}`, "topics[0]: the topic has no name"},
		{`{topics: [{name: a, any: [x]}, {name: a, any: [y]}]}`, `topics[1]: topic "a" is listed twice`},
		{`{topics: [{name: a}]}`, "topics[0] (a): any: give at least one phrase"},
		{`{topics: [{name: a, any: [x, "/(/"]}]}`, "topics[0] (a): any[1]: /(/: error parsing regexp: missing closing )"},
		{`{topics: [{name: a, any: ["//"]}]}`, "topics[0] (a): any[0]: the regexp // is empty"},
		{`{topics: [{name: a, any: [" "]}]}`, "topics[0] (a): any[0]: an empty phrase"},
		{`{topics: [{name: a, phrases: [x]}]}`, `unknown key "phrases"`},
		{`{files: ["[x"], topics: [{name: a, any: [x]}]}`, `files: "[x" is not a valid glob`},
	})
}

func TestDocsKindDirect(t *testing.T) {
	c := &docsCheck{Topics: []docTopic{{Name: "profiling", Any: []string{"cpuprofile"}}}}
	r := c.Evaluate(context.Background(), kindWorkspace(t, "docs/complete"))
	if r.Status != Pass || !strings.Contains(r.Details[0], "docs/performance.md:3") {
		t.Errorf("got %s %q %q", r.Status, r.Message, r.Details)
	}
}

// TestDocsKindRules: a topic counts under a heading that names it or in a
// sentence that says how; changelogs, baselines and generated files are
// not documentation; man pages, reStructuredText and package comments are.
func TestDocsKindRules(t *testing.T) {
	runKindCases(t, "docs", []kindCase{
		{name: "a sentence that says how, in a man page", fixture: "docs/rules",
			params: `{topics: [{name: concurrency, any: [goroutine, concurrent, context.Context, worker pool]}]}`,
			status: Pass, details: []string{`concurrency: found "concurrent" at man/feeds.1:8, in a sentence that says how or what`}},
		{name: "a heading that names the topic", fixture: "docs/rules",
			params: `{topics: [{name: benchmarking, any: [benchstat, "go test -bench"]}]}`,
			status: Pass, details: []string{`benchmarking: found "Benchmarks" at README.md:18, under the heading "Benchmarks"`}},
		{name: "a heading in a package comment", fixture: "docs/rules",
			params: `{topics: [{name: load testing, any: ['/\bk6\b/']}]}`,
			status: Pass, details: []string{`load testing: found "Load testing" at pool/doc.go:3, under the heading "Load testing"`}},
		{name: "a reStructuredText title", fixture: "docs/rules",
			params: `{topics: [{name: optimization guidelines, any: [hot path, '/optimi[sz]ation guidelines/']}]}`,
			status: Pass, details: []string{`optimization guidelines: found "Optimization guidelines" at docs/guide.rst:4, under the heading "Optimization guidelines"`}},
		{name: "headings param", fixture: "docs/rules",
			params: `{topics: [{name: profiling, any: [pprof], headings: [tracing]}]}`,
			status: Pass, details: []string{`profiling: found "Tracing" at README.md:26, under the heading "Tracing"`}},
		{name: "mentions that are not documentation", fixture: "docs/rules",
			params: `{topics: [{name: profiling, any: [pprof, "go tool trace"]}, {name: speed, any: [hot path]}]}`,
			status: Fail, msg: []string{"2 of 2 topic(s) not documented: profiling, speed"},
			details: []string{
				`profiling: none of "pprof", "go tool trace" appears under a heading that names it or in a sentence that says how, in the 4 documentation file(s) matching **/*.md`,
				"(mentioned, but not documented, at README.md:11)", // a table row
				"speed: none of \"hot path\" appears", "(mentioned, but not documented, at README.md:7)",
				"not read as documentation: CHANGELOG.md (a changelog), docs/api.md (generated), gen/doc.go (generated)",
			}},
		{name: "changelogs and baselines are never documentation", fixture: "docs/rules",
			params: `{files: ["**/*.txt", "**/*.md"], topics: [{name: concurrency, any: [goroutine, context.Context]}]}`,
			status: Fail, details: []string{
				"(mentioned, but not documented, at README.md:14)", // a code block
				"not read as documentation: .perfctl/baselines/main.txt (perfctl data), CHANGELOG.md (a changelog), docs/api.md (generated)",
			}},
	})
}

func TestSentences(t *testing.T) {
	text := "Run it with pprof. Then read e.g. the profile! Is it 2x? 3 runs"
	var got []string
	for _, s := range sentences(text) {
		got = append(got, text[s[0]:s[1]])
	}
	want := []string{"Run it with pprof.", "Then read e.g. the profile!", "Is it 2x?", "3 runs"}
	if !slices.Equal(got, want) {
		t.Errorf("sentences %q, want %q", got, want)
	}
}

func TestNameStems(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"benchmarking", "Benchmarks"}, {"load testing", "Load tests"}, {"profiling", "Profile"},
		{"optimization guidelines", "Optimization guideline"},
	} {
		if a, b := nameStems(tc.a), nameStems(tc.b); !slices.Equal(a, b) {
			t.Errorf("stems of %q %q and of %q %q differ", tc.a, a, tc.b, b)
		}
	}
}
