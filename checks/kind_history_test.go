package checks

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/perfctl/perfctl/history"
	"github.com/perfctl/perfctl/internal/run"
)

func TestHistoryParamsValidated(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ params, err string }{
		{"{recent: -1}", "recent: -1 is out of range"},
		{"{recent: 0}", "recent: 0 is out of range"},
		{"{recent: 10001}", "recent: 10001 is out of range"},
		{"{bench: '('}", `bench: "(" is not a valid regular expression`},
		{"{accept: [xyz1]}", `accept: "xyz1" is not a commit id`},
		{"{accept: [abc]}", `accept: "abc" is not a commit id`},
		{"{accept: ['-abcd']}", `accept: "-abcd" is not a commit id`},
		{"{env: XYZ}", `env: "XYZ" is not an environment key`},
		{"{env: 0123456789abc}", `env: "0123456789abc" is not an environment key`},
		{"{window: 2}", "window: 2 is out of range"},
		{"{max_p: 0}", "max_p: 0 is out of range"},
		{"{max_p: 1.5}", "max_p: 1.5 is out of range"},
		{"{max_p: .nan}", "max_p: NaN is out of range"},
		{"{min_magnitude: -0.1}", "min_magnitude: -0.1 is out of range"},
		{"{min_magnitude: .inf}", "min_magnitude: +Inf is out of range"},
		{"{unit: 'sec/op -x'}", "unit: "},
		{"{recnt: 3}", "recnt"},
	} {
		_, err := Parse([]byte(kindPolicy("history", tc.params)), "p.yaml")
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("params %s: error %v, want one containing %q", tc.params, err, tc.err)
		}
	}
	c := kindEvaluator(t, "history", "{bench: '^Parse', unit: ns/op, env: 0f1e2d, recent: 3, window: 30, max_p: 0.01, min_magnitude: 0.05, accept: [ABCDEF12, 0123]}").(*historyCheck)
	o := c.options()
	if o.Bench.String() != "^Parse" || o.Unit != "ns/op" || o.Env != "0f1e2d" || o.Recent != 3 ||
		o.Detect.Window != 30 || o.Detect.MaxP != 0.01 || o.Detect.MinMagnitude != 0.05 || strings.Join(c.Accept, ",") != "abcdef12,0123" {
		t.Errorf("options %+v, accept %q", o, c.Accept)
	}
	if o := kindEvaluator(t, "history", "{}").(*historyCheck).options(); o.Recent != defaultHistoryRecent || o.Bench != nil || o.Detect.Window != 0 {
		t.Errorf("default options %+v", o)
	}
	for _, params := range []string{"{files: []}", "{files: ['/abs/*.txt']}", "{files: ['[']}", "{file: [a]}"} {
		if _, err := Parse([]byte(kindPolicy("tracked", params)), "p.yaml"); err == nil {
			t.Errorf("tracked params %s accepted", params)
		}
	}
}

// historyRepo is a git repository of commits+1 commits (a first one with
// go.mod, then one per value) whose records of BenchmarkParse measure
// level(i) ns/op with 1% noise, 5 samples per commit; record(i) says which
// are recorded.
func historyRepo(t *testing.T, commits int, level func(i int) float64, record func(i int) bool) (string, []string) {
	t.Helper()
	return historyRepoWith(t, commits, 0, level, record)
}

// historyRepoWith is historyRepo with extra benchmarks that follow level
// too.
func historyRepoWith(t *testing.T, commits, extra int, level func(i int) float64, record func(i int) bool) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(t.Context(), "git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t", "GIT_CONFIG_NOSYSTEM=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q", "-b", "main")
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git("add", "go.mod")
	git("commit", "-qm", "start")
	s := &history.Store{Git: run.Exec{}, Dir: dir}
	rng := rand.New(rand.NewPCG(1, 2))
	var ids []string
	for i := 1; i <= commits; i++ {
		git("commit", "-q", "--allow-empty", "-m", fmt.Sprintf("commit %d\x1b[31m", i))
		id := git("rev-parse", "HEAD")
		ids = append(ids, id)
		if !record(i) {
			continue
		}
		var b strings.Builder
		b.WriteString("goos: linux\ngoarch: amd64\npkg: example.com/m\ncpu: Test CPU\n")
		for range 5 {
			fmt.Fprintf(&b, "BenchmarkParse-8 1000 %.1f ns/op\n", level(i)*(1+0.01*rng.NormFloat64()))
			fmt.Fprintf(&b, "BenchmarkSteady-8 1000 %.1f ns/op\n", 50*(1+0.01*rng.NormFloat64()))
			for k := range extra {
				fmt.Fprintf(&b, "BenchmarkMany%d-8 1000 %.1f ns/op\n", k, level(i)*(1+0.01*rng.NormFloat64()))
			}
		}
		if _, _, err := s.Add(t.Context(), &history.AddRequest{Text: []byte(b.String()), Source: "r.txt", Commit: id, Now: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	return dir, ids
}

func stepAt(at int) func(int) float64 {
	return func(i int) float64 {
		if i >= at {
			return 130
		}
		return 100
	}
}

func all(int) bool { return true }

func TestHistoryCheck(t *testing.T) {
	t.Parallel()
	dir, ids := historyRepo(t, 12, stepAt(9), all)
	ws := &Workspace{Dir: dir, Exec: run.Exec{}}
	eval := func(params string) Result {
		t.Helper()
		return kindEvaluator(t, "history", params).Evaluate(t.Context(), ws)
	}
	r := eval("{}")
	if r.Status != Fail || !strings.Contains(r.Message, "1 unfixed regression new in the newest 10 of 12 recorded commits") ||
		!strings.Contains(r.Message, "m.Parse sec/op +29.") || !strings.Contains(r.Message, "at "+ids[8][:12]) {
		t.Errorf("regression at commit 9: %s %q %q", r.Status, r.Message, r.Details)
	}
	if d := r.Details[0]; !strings.HasPrefix(d, "m.Parse sec/op: +29.") || !strings.Contains(d, "p=") ||
		!strings.Contains(d, "at "+ids[8][:12]+` "commit 9\x1b[31m" (3 recorded commits ago)`) {
		t.Errorf("the detail of the regression: %q", d)
	}
	if last := r.Details[len(r.Details)-1]; !strings.Contains(last, "accept: ["+ids[8][:12]+"]") {
		t.Errorf("the details do not say how to accept it: %q", r.Details)
	}
	if strings.Contains(strings.Join(r.Details, "\n"), "Steady") {
		t.Errorf("the steady benchmark is reported: %q", r.Details)
	}
	// Accepted by a prefix of its id (in capitals too): pass, saying so.
	r = eval(fmt.Sprintf("{accept: [%s]}", strings.ToUpper(ids[8][:7])))
	if r.Status != Pass || !strings.Contains(r.Message, "accepted: 1 regression") || len(r.Details) != 1 || !strings.Contains(r.Details[0], ids[8][:12]) {
		t.Errorf("accepted: %s %q %q", r.Status, r.Message, r.Details)
	}
	// Another commit accepted: still failing.
	if r = eval(fmt.Sprintf("{accept: [%s]}", ids[7][:12])); r.Status != Fail {
		t.Errorf("the wrong commit accepted: %s %q", r.Status, r.Message)
	}
	// Older than recent: no longer news.
	// Older than recent (and found without the newest commits): no longer
	// news.
	if r = eval("{recent: 2}"); r.Status != Pass || !strings.Contains(r.Message, "no unfixed regression new in the newest 2 of 12") {
		t.Errorf("recent 2: %s %q", r.Status, r.Message)
	}
	// Filtered out by bench, or by unit.
	if r = eval("{bench: Steady}"); r.Status != Pass || !strings.Contains(r.Message, "1 series") {
		t.Errorf("bench Steady: %s %q", r.Status, r.Message)
	}
	if r = eval("{unit: B/op}"); r.Status != Pass || !strings.Contains(r.Message, "no benchmark along") {
		t.Errorf("unit B/op: %s %q", r.Status, r.Message)
	}
	// Too large a minimum magnitude: no change at all.
	if r = eval("{min_magnitude: 0.5}"); r.Status != Pass {
		t.Errorf("min_magnitude 0.5: %s %q", r.Status, r.Message)
	}
	// An environment that was not recorded is an error with a hint.
	if r = eval("{env: abcdef}"); r.Status != Error || !strings.Contains(r.Message, `no records in environment "abcdef"`) {
		t.Errorf("unknown env: %s %q %q", r.Status, r.Message, r.Details)
	}
}

// A shift of every benchmark at once (a new runner, a new Go) is listed
// up to a bound.
func TestHistoryCheckBoundsItsDetails(t *testing.T) {
	t.Parallel()
	dir, _ := historyRepoWith(t, 8, 60, stepAt(5), all)
	r := kindEvaluator(t, "history", "{}").Evaluate(t.Context(), &Workspace{Dir: dir, Exec: run.Exec{}})
	if r.Status != Fail || !strings.Contains(r.Message, "61 unfixed regressions new") || !strings.Contains(r.Message, " and 60 more") {
		t.Fatalf("61 regressions: %s %q", r.Status, r.Message)
	}
	if len(r.Details) != maxHistoryDetails+2 || r.Details[maxHistoryDetails] != "… and 11 more (perfctl history changes lists them all)" ||
		!strings.Contains(r.Details[maxHistoryDetails+1], "add accept: [") {
		t.Errorf("%d details, ending %q", len(r.Details), r.Details[max(0, len(r.Details)-2):])
	}
}

func TestHistoryCheckFixedRegression(t *testing.T) {
	t.Parallel()
	// Up at 6, back down at 10: fixed, no alert.
	dir, _ := historyRepo(t, 14, func(i int) float64 {
		if i >= 6 && i < 10 {
			return 130
		}
		return 100
	}, all)
	r := kindEvaluator(t, "history", "{}").Evaluate(t.Context(), &Workspace{Dir: dir, Exec: run.Exec{}})
	if r.Status != Pass {
		t.Errorf("a fixed regression: %s %q %q", r.Status, r.Message, r.Details)
	}
}

func TestHistoryCheckSkips(t *testing.T) {
	t.Parallel()
	never := func(int) bool { return false }
	empty, _ := historyRepo(t, 3, stepAt(9), never)
	few, _ := historyRepo(t, 5, stepAt(9), func(i int) bool { return i > 2 })
	notRepo := t.TempDir()
	for _, tc := range []struct {
		name, dir string
		msg       []string
	}{
		{"no store", empty, []string{"no benchmark results are recorded", "perfctl history add", "perfctl history push origin", "perfctl history pull origin"}},
		{"too few", few, []string{"only 3 commits are recorded", "a change point needs 4", "keep recording"}},
		{"not a repository", notRepo, []string{"not in a git repository"}},
	} {
		r := kindEvaluator(t, "history", "{}").Evaluate(t.Context(), &Workspace{Dir: tc.dir, Exec: run.Exec{}})
		if r.Status != Skip {
			t.Errorf("%s: %s %q", tc.name, r.Status, r.Message)
		}
		for _, m := range tc.msg {
			if !strings.Contains(r.Message, m) {
				t.Errorf("%s: message %q does not say %q", tc.name, r.Message, m)
			}
		}
	}
}

func TestHistoryCheckShallowClone(t *testing.T) {
	t.Parallel()
	dir, _ := historyRepo(t, 6, stepAt(9), all)
	clone := filepath.Join(t.TempDir(), "clone")
	for _, args := range [][]string{
		{"clone", "-q", "--depth", "2", "file://" + dir, clone},
		{"-C", clone, "fetch", "-q", "origin", history.Ref + ":" + history.Ref},
	} {
		if out, err := exec.CommandContext(t.Context(), "git", args...).CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	r := kindEvaluator(t, "history", "{}").Evaluate(t.Context(), &Workspace{Dir: clone, Exec: run.Exec{}})
	if r.Status != Skip || !strings.Contains(r.Message, "fetch-depth: 0") || !strings.Contains(r.Message, "only 2 commits are recorded") {
		t.Errorf("shallow clone: %s %q", r.Status, r.Message)
	}
}

func TestTrackedCheck(t *testing.T) {
	t.Parallel()
	recorded, _ := historyRepo(t, 2, stepAt(9), all)
	empty, _ := historyRepo(t, 1, stepAt(9), func(int) bool { return false })
	withBaseline, _ := historyRepo(t, 1, stepAt(9), func(int) bool { return false })
	if err := os.MkdirAll(filepath.Join(withBaseline, ".perfctl", "baselines"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(withBaseline, ".perfctl", "baselines", "main.txt"), []byte("BenchmarkX 1 1 ns/op\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, dir, params string
		status            Status
		msg               string
	}{
		{"records", recorded, "{}", Pass, "the history store has 2 records of 2 commits along HEAD's first-parent history"},
		{"baseline", withBaseline, "{}", Pass, "found .perfctl/baselines/main.txt"},
		{"nothing", empty, "{}", Fail, "no results are kept: the history store has no record along HEAD's history, and no file matches .perfctl/baselines/*.txt"},
		{"other files", withBaseline, "{files: ['results/*.json']}", Fail, "no file matches results/*.json"},
		{"not a repository", t.TempDir(), "{}", Fail, "not in a git repository with a commit, so no history store, and no file matches"},
	} {
		r := kindEvaluator(t, "tracked", tc.params).Evaluate(t.Context(), &Workspace{Dir: tc.dir, Exec: run.Exec{}})
		if r.Status != tc.status || !strings.Contains(r.Message, tc.msg) {
			t.Errorf("%s: %s %q, want %s %q", tc.name, r.Status, r.Message, tc.status, tc.msg)
		}
	}
}

// The default policy's performance-visualizations check is met by
// perfctl's own charts: report --html and compare --format html, in CI.
func TestDefaultVisualizationsAcceptPerfctlHTML(t *testing.T) {
	t.Parallel()
	var viz Evaluator
	for _, c := range Default().Checks {
		if c.ID == "performance-visualizations" {
			viz = c.eval
		}
	}
	if viz == nil {
		t.Fatal("the default policy has no performance-visualizations check")
	}
	for _, tc := range []struct {
		run  string
		want Status
	}{
		{"perfctl report --html perf.html", Pass},
		{"./bin/perfctl report --since v1.2 --html=out/perf.html", Pass},
		{"perfctl compare --merge-base origin/main --format html > compare.html", Pass},
		{"perfctl compare --format=html a.txt b.txt", Pass},
		{"perfctl check --report markdown=perf.md", Fail},
		{"perfctl compare --format markdown > html-notes.md", Fail},
	} {
		dir := t.TempDir()
		if err := os.MkdirAll(filepath.Join(dir, ".github", "workflows"), 0o755); err != nil {
			t.Fatal(err)
		}
		wf := "on: push\njobs:\n  perf:\n    runs-on: ubuntu-latest\n    steps:\n      - run: " + tc.run + "\n"
		if err := os.WriteFile(filepath.Join(dir, ".github", "workflows", "perf.yml"), []byte(wf), 0o644); err != nil {
			t.Fatal(err)
		}
		if r := viz.Evaluate(t.Context(), &Workspace{Dir: dir, Exec: run.Exec{}}); r.Status != tc.want {
			t.Errorf("%s: %s %q, want %s", tc.run, r.Status, r.Message, tc.want)
		}
	}
}
