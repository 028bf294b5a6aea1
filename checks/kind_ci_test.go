package checks

import (
	"testing"

	"github.com/perfctl/perfctl/checks/buildfiles"
)

func TestCIKind(t *testing.T) {
	runKindCases(t, "ci", []kindCase{
		// require: perf (the default)
		{name: "perfctl action", fixture: "ci/action", params: `{}`,
			status: Pass, msg: []string{"CI runs the perfctl action at .github/workflows/perf.yml:8"}},
		{name: "make targets", fixture: "ci/make", params: `{require: perf}`,
			status: Pass, msg: []string{
				"CI runs benchmarks (Makefile:16 via make ci from .github/workflows/ci.yml:9)",
				"and golangci-lint (Makefile:13 via make ci from .github/workflows/ci.yml:9)"}},
		{name: "script", fixture: "ci/script", params: `{}`,
			status: Pass, msg: []string{"CI runs perfctl check at scripts/ci.sh:4 via scripts/ci.sh from .gitlab-ci.yml:6"}},
		{name: "just", fixture: "ci/just", params: `{}`,
			status: Pass, msg: []string{"benchmarks (justfile:6 via just ci from .github/workflows/ci.yml:6)", "golangci-lint (justfile:9 "}},
		{name: "task", fixture: "ci/task", params: `{}`,
			status: Pass, msg: []string{"benchmarks (Taskfile.yml:11 via task perf from .ci/run:3)", "golangci-lint (Taskfile.yml:13 "}},
		{name: "lint only", fixture: "ci/lintonly", params: `{}`,
			status: Fail, msg: []string{"CI runs golangci-lint (.github/workflows/lint.yml:8) but no benchmarks", "searched .github/workflows/lint.yml"},
			details: []string{".github/workflows/lint.yml:10: make nothere: Makefile has no target nothere"}},
		{name: "bench only", fixture: "ci/jenkins", params: `{}`,
			status: Fail, msg: []string{"CI runs benchmarks (Jenkinsfile:6) but not golangci-lint"}},
		{name: "no CI", fixture: "ci/none", params: `{}`,
			status: Fail, msg: []string{"no CI configuration found (looked for .github/workflows/*.y*ml, .gitlab-ci.yml"}},
		{name: "files", fixture: "ci/make", params: `{files: [Makefile]}`,
			status: Pass, msg: []string{"CI runs benchmarks (Makefile:16) and golangci-lint (Makefile:13)"}},

		// require: regression
		{name: "merge base", fixture: "ci/script", params: `{require: regression}`,
			status: Pass, msg: []string{"CI compares benchmarks with a reference: perfctl check --merge-base at scripts/ci.sh:4"}},
		{name: "benchstat", fixture: "ci/jenkins", params: `{require: regression}`,
			status: Pass, msg: []string{"benchstat at Jenkinsfile:7"}},
		{name: "compare two files", fixture: "ci/compare", params: `{require: regression}`,
			status: Pass, msg: []string{"perfctl compare BASE HEAD at .github/workflows/bench.yml:8"}},
		{name: "no reference", fixture: "ci/make", params: `{require: regression}`,
			status: Fail, msg: []string{"CI does not compare benchmarks with a reference", "searched .github/workflows/ci.yml, Makefile (make ci from .github/workflows/ci.yml:9)"}},

		// require: report
		{name: "markdown summary", fixture: "ci/script", params: `{require: report}`,
			status: Pass, msg: []string{"CI publishes performance results: perfctl check with a markdown report at scripts/ci.sh:4"}},
		{name: "names, comments and echo do not run perfctl", fixture: "ci/mentions", params: `{}`,
			status: Fail, msg: []string{"CI runs neither perfctl"}},
		{name: "mentions are no reference either", fixture: "ci/mentions", params: `{require: regression}`,
			status: Fail, msg: []string{"CI does not compare"}},
		{name: "mentions publish nothing", fixture: "ci/mentions", params: `{require: report}`,
			status: Fail, msg: []string{"CI does not publish"}},
		{name: "action args", fixture: "ci/actionargs", params: `{require: regression}`,
			status: Pass, msg: []string{"perfctl check --merge-base at .github/workflows/perf.yml:12"}},
		{name: "check in github actions", fixture: "ci/ghcheck", params: `{require: report}`,
			status: Pass, msg: []string{"perfctl check in GitHub Actions (job summary) at .github/workflows/perf.yml:9"}},
		{name: "github-action-benchmark", fixture: "ci/compare", params: `{require: report}`,
			status: Pass, msg: []string{"benchmark-action/github-action-benchmark at .github/workflows/bench.yml:9"}},
		{name: "step summary", fixture: "ci/summary", params: `{require: report}`,
			status: Pass, msg: []string{"CI publishes performance results: $GITHUB_STEP_SUMMARY at .github/workflows/bench.yml:10"}},
		{name: "benchstat in a block", fixture: "ci/summary", params: `{require: regression}`,
			status: Pass, msg: []string{"benchstat at .github/workflows/bench.yml:9"}},
		{name: "no report", fixture: "ci/jenkins", params: `{require: report}`,
			status: Fail, msg: []string{"CI does not publish performance results"}},
	})
}

func TestCIKindParams(t *testing.T) {
	runParamsCases(t, "ci", []paramsCase{
		{`{require: speed}`, `require: "speed": use perf, regression or report`},
		{`{files: ["a[b"]}`, `files: "a[b" is not a valid glob`},
		{`{requires: perf}`, `unknown key "requires"`},
	})
}

func TestCIScan(t *testing.T) {
	var h ciHits
	cmds := buildfiles.Split("./bin/perfctl bench -o new.txt && perfctl compare --baseline main --format sarif > out.sarif")
	for i := range cmds {
		cmds[i].Pos = buildfiles.Pos{File: "ci.yml", Line: 3}
	}
	h.scan(cmds)
	for _, tc := range []struct {
		hit  *ciHit
		want string
	}{
		{h.perfctl, "perfctl bench at ci.yml:3"},
		{h.reference, "perfctl compare --baseline at ci.yml:3"},
		{h.report, "perfctl compare with a sarif report at ci.yml:3"},
	} {
		if tc.hit == nil || tc.hit.String() != tc.want {
			t.Errorf("got %v, want %s", tc.hit, tc.want)
		}
	}
	if h.bench != nil || h.lint != nil {
		t.Errorf("bench %v, lint %v: want none", h.bench, h.lint)
	}
	for _, tc := range []struct {
		rest string
		n    int
	}{
		{" old.txt new.txt", 2},
		{" --threshold 5% --alpha=0.01 old.txt new.txt > out.md 2>&1", 2},
		{" --baseline main ./...", 1},
		{" --format markdown old.txt", 1},
	} {
		if n := positionalArgs(tc.rest); n != tc.n {
			t.Errorf("positionalArgs(%q) = %d, want %d", tc.rest, n, tc.n)
		}
	}
}
