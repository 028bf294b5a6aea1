package checks

import (
	"context"
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
				`profiling: found "pprof" at docs/performance.md:6`, // docs/diagram.png is binary: skipped
				`benchmarking: found "go test -bench" at README.md:3`,
				`load testing: found "load test" at docs/performance.md:10`, // across a line break
				`concurrency: found "goroutine" at README.md:8`,
			}},
		{name: "phrases match case-insensitively", fixture: "docs/complete", params: `{topics: [{name: x, any: [CPU PROFILE, "/P99/"]}]}`,
			status: Pass, details: []string{`x: found "CPU profile" at docs/performance.md:5`}},
		{name: "backspace read as word boundary", fixture: "docs/complete", params: `{topics: [{name: load, any: ["/\bk6\b/"]}]}`,
			status: Pass, msg: []string{"1 topic documented in 1 file(s)"}, details: []string{`load: found "k6" at docs/performance.md:11`}},
		{name: "files narrows the search", fixture: "docs/complete", params: `{files: [README.md], topics: [{name: profiling, any: [pprof]}]}`,
			status: Fail, msg: []string{"1 of 1 topic(s) not documented: profiling"},
			details: []string{`profiling: none of "pprof" appears in the 1 documentation file(s) matching README.md`}},
		{name: "some missing", fixture: "docs/partial", params: all,
			status: Fail, msg: []string{"3 of 4 topic(s) not documented: benchmarking, load testing, concurrency"},
			details: []string{
				`load testing: none of "load test", /\bvegeta\b/ appears in the 1 documentation file(s)`,
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
	if r.Status != Pass || !strings.Contains(r.Details[0], "docs/performance.md:5") {
		t.Errorf("got %s %q %q", r.Status, r.Message, r.Details)
	}
}
