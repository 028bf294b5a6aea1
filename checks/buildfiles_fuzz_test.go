package checks

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Run with
//
//	go test -run '^$' -fuzz '^FuzzBuildFileReaders$' -fuzztime 3m ./checks
//	go test -run '^$' -fuzz '^FuzzCIKinds$' -fuzztime 3m ./checks

// fuzzBuildFiles are the files the ci and build-flags kinds read; a fuzz
// input's first argument picks one (modulo their number).
var fuzzBuildFiles = []string{
	"Makefile", "justfile", "Taskfile.yml", ".github/workflows/ci.yml", ".goreleaser.yaml", "Dockerfile",
	"scripts/build.sh", "magefile.go",
}

// buildFileKind picks the entry of fuzzBuildFiles for a fixture file.
func buildFileKind(rel string) (uint8, bool) {
	base := path.Base(rel)
	switch {
	case base == "Makefile" || strings.HasSuffix(base, ".mk"):
		return 0, true
	case base == "justfile":
		return 1, true
	case strings.HasPrefix(base, "Taskfile"):
		return 2, true
	case strings.HasPrefix(rel, ".github/workflows/") || base == ".gitlab-ci.yml" || base == "Jenkinsfile":
		return 3, true
	case isGoreleaser(rel):
		return 4, true
	case strings.HasPrefix(base, "Dockerfile"):
		return 5, true
	case strings.HasSuffix(base, ".sh") || rel == ".ci/run":
		return 6, true
	case strings.HasSuffix(base, ".go"):
		return 7, true
	}
	return 0, false
}

// expandStorm is a Makefile whose variables expand to nothing, each
// referring eight times to the next: 8^16 references for one line.
func expandStorm() string {
	var b strings.Builder
	for i := range 16 {
		fmt.Fprintf(&b, "V%d = %s\n", i, strings.Repeat(fmt.Sprintf("$(V%d)", i+1), 8))
	}
	b.WriteString("V16 =\nbuild:\n\tgo build $(V0) ./...\n")
	return b.String()
}

// yamlAliasBomb nests aliases nine times nine deep: harmless as long as
// nobody expands them.
const yamlAliasBomb = `a: &a [x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
tasks: &t
  default: {deps: [*f, default], cmds: [*f, {task: default}]}
  b: *t
builds: [*f, {flags: *f, gcflags: *f, env: *f}]
env: *f
`

// addBuildFileSeeds adds the ci and build-flags fixtures and hostile files.
func addBuildFileSeeds(f *testing.F) {
	for _, root := range []string{"testdata/ci", "testdata/build-flags"} {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			_, rel, _ = strings.Cut(filepath.ToSlash(rel), "/") // drop the fixture's directory
			data, err := os.ReadFile(p)
			if which, ok := buildFileKind(rel); ok && err == nil && len(data) <= maxFuzzInput {
				f.Add(which, data)
			}
			return nil
		})
	}
	for _, s := range []struct {
		which uint8
		data  string
	}{
		{0, makefileBomb()},
		{0, makefileLaughs()},
		{0, expandStorm()},
		{0, "all: all\n\tmake all\nx: y\ny: x\n\t$(MAKE) x\n"},
		{0, "A = $(\nB = ${A}}\n$(A): $(B) | $$(C)\n\t@-+go build -gcflags='all=-N -l' $(B)\n"},
		{0, "a: b; go build -a\n\tgo clean -cache\nexport GOFLAGS := -race\noverride X += $(X)$(X)\n"},
		{0, "x:=\\\n\\\n\t\\\n"},
		{1, "@a x='y': b c\n  go build -race\nb:\n\tjust a\nc: a\n"},
		{1, "a:b\n\t\t\n :\n@:\n"},
		{2, yamlAliasBomb},
		{2, "tasks:\n  default:\n    cmds:\n      - >\n        go build\n        -race .\n      - |+\n\n        go test -bench .\n\n"},
		{2, "tasks: {default: x, a: [{task: a}, {cmd: ~}], b: {deps: [{task: b}], cmd: [x]}}"},
		{2, "tasks: [" + strings.Repeat("[", 300) + "\n"},
		{3, "jobs:\n  x:\n    steps:\n      - uses: perfctl/perfctl@v1\n        with:\n          command: compare\n          args: a b\n      - run: echo perfctl check >> $GITHUB_STEP_SUMMARY\n"},
		{3, "- run: make -C sub -f ../Makefile -j 4 ci && just --justfile j ci; task -d . -t T.yml x -- y | sh ./scripts/build.sh\n"},
		{3, "run: perfctl compare --baseline\n`go test -bench .` $(golangci-lint run) (benchstat a b)\n"},
		{4, yamlAliasBomb},
		{4, "builds:\n  - {id: a, builder: go, skip: false, flags: '-race -gcflags=all=-N', env: [GOFLAGS=-trimpath]}\n  - 1\n  - {skip: true}\n"},
		{4, "env: [\"GOFLAGS='-trimpath'\"]\n"},
		{4, "builds: {a: 1}\n"},
		{4, "\t"},
		{5, "ENV GOFLAGS=\"-a -race\"\nARG GOCACHE=off\nRUN go build -gcflags \"all=-N -l\" . && go install x@latest\n"},
		{6, "GOFLAGS='-trimpath\ngo build -gcflags= -gcflags -gcflags\n"},
		{6, "go build -gcflags=\"-N\n"},
		{7, `sh.Run("go", "build", "-gcflags", "-N -l", ".")`},
		{7, "\x00go build\n"},
	} {
		f.Add(s.which, []byte(s.data))
	}
}

// checkSrcLines checks lines read from file, whose last line is maxLine.
func checkSrcLines(t *testing.T, what string, lines []srcLine, file string, maxLine int) {
	t.Helper()
	for _, l := range lines {
		if l.File != file || l.Line < 1 || l.Line > maxLine {
			t.Fatalf("%s: line %s:%d (%q) is not a line of %s, which has %d", what, l.File, l.Line, l.Text, file, maxLine)
		}
	}
}

// checkBuildScan checks the problems a build scan found in file.
func checkBuildScan(t *testing.T, s *buildScan, file string, maxLine int) {
	t.Helper()
	for _, p := range s.problems {
		if p.file != file || p.line < 1 || p.line > maxLine || p.msg == "" || strings.Contains(p.msg, "\n") {
			t.Fatalf("problem %s:%d %q: not a line of %s (%d lines), or not a one-line message", p.file, p.line, p.msg, file, maxLine)
		}
	}
	if s.builds < len(s.buildFiles) || len(s.buildFiles) > 1 || len(s.buildFiles) == 1 && s.buildFiles[0] != file {
		t.Fatalf("%d builds in %q", s.builds, s.buildFiles)
	}
}

// checkWords checks the words of commands.
func checkWords(t *testing.T, text string, cmds [][]string) {
	t.Helper()
	for _, words := range cmds {
		if len(words) == 0 {
			t.Fatalf("commandWords(%q) has an empty command", text)
		}
		for _, w := range words {
			if w == "" || strings.ContainsAny(w, " \t\n") {
				t.Fatalf("commandWords(%q) has the word %q", text, w)
			}
		}
	}
}

func FuzzBuildFileReaders(f *testing.F) {
	addBuildFileSeeds(f)
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		name := fuzzBuildFiles[int(which)%len(fuzzBuildFiles)]
		defer watchdog("reading "+name, data)()
		nlines := strings.Count(string(data), "\n") + 1 // logicalLines' lines
		ylines := yamlLines(data)                       // YAML's, for the positions of YAML nodes

		lines := logicalLines(name, data)
		checkSrcLines(t, "logicalLines", lines, name, nlines)
		for _, l := range lines {
			checkWords(t, l.Text, commandWords(l.Text))
			if words := shellWords(l.Text); len(words) > 0 {
				checkWords(t, l.Text, [][]string{words})
			}
		}
		scans := make([]buildScan, 4)
		for i := range scans {
			s := &scans[i]
			s.dev, s.trimpath = i%2 == 1, true
			if isGoreleaser(name) {
				s.goreleaser(name, data)
				checkBuildScan(t, s, name, ylines)
			} else {
				s.file(name, data)
				checkBuildScan(t, s, name, nlines)
			}
		}
		if !reflect.DeepEqual(scans[0], scans[2]) || !reflect.DeepEqual(scans[1], scans[3]) {
			t.Fatalf("scanning %s twice gives %+v and %+v", name, scans[0], scans[2])
		}
		var hits ciHits
		ci := make([]ciLine, len(lines))
		for i, l := range lines {
			ci[i] = ciLine{srcLine: l}
		}
		hits.scan(ci)
		for _, h := range []*ciHit{hits.perfctl, hits.bench, hits.lint, hits.reference, hits.report} {
			if h != nil {
				checkSrcLines(t, "ci hit "+h.what, []srcLine{h.line.srcLine}, name, nlines)
			}
		}

		switch name {
		case "Makefile":
			fuzzMakefile(t, name, data, lines, nlines)
		case "justfile":
			jf, jf2 := parseJustfile(name, data), parseJustfile(name, data)
			if jf.first != "" && jf.recipes[jf.first] == nil {
				t.Fatalf("the first recipe %q is not a recipe", jf.first)
			}
			for _, r := range slices.Sorted(maps.Keys(jf.recipes)) {
				got := jf.lines(r, map[string]bool{})
				checkSrcLines(t, "just "+r, got, name, nlines)
				if again := jf2.lines(r, map[string]bool{}); !reflect.DeepEqual(got, again) {
					t.Fatalf("just %s: %v, then %v", r, got, again)
				}
			}
		case "Taskfile.yml":
			tasks := parseTaskfile(data)
			if tasks == nil {
				return
			}
			for i := 0; i+1 < len(tasks.Content); i += 2 {
				task := tasks.Content[i].Value
				got := taskLines(name, tasks, task, map[string]bool{})
				checkSrcLines(t, "task "+task, got, name, ylines)
				if again := taskLines(name, parseTaskfile(data), task, map[string]bool{}); !reflect.DeepEqual(got, again) {
					t.Fatalf("task %s: %v, then %v", task, got, again)
				}
			}
		}
	})
}

// fuzzMakefile checks the variables and rules of a Makefile.
func fuzzMakefile(t *testing.T, name string, data []byte, lines []srcLine, nlines int) {
	t.Helper()
	// Expansion is bounded per line and per Makefile, and deterministic.
	vs, vs2 := makeVars(lines), makeVars(lines)
	in, out := 0, 0
	for _, l := range lines {
		got := vs.expand(l.Text)
		if len(got) > max(len(l.Text), maxMakeExpandLine) {
			t.Fatalf("%s:%d expanded from %d to %d bytes", name, l.Line, len(l.Text), len(got))
		}
		if !strings.Contains(l.Text, "$") && got != l.Text {
			t.Fatalf("%s:%d: %q has no reference, but expands to %q", name, l.Line, l.Text, got)
		}
		if again := vs2.expand(l.Text); got != again {
			t.Fatalf("%s:%d expands to %q, then to %q", name, l.Line, got, again)
		}
		in += len(l.Text)
		out += len(got)
	}
	if out > maxMakeExpandTotal+in {
		t.Fatalf("the lines of a %d-byte Makefile expanded to %d bytes", len(data), out)
	}
	mf, mf2 := parseMakefile(name, data), parseMakefile(name, data)
	if mf.first != "" && mf.rules[mf.first] == nil {
		t.Fatalf("the default goal %q is not a target", mf.first)
	}
	for _, target := range slices.Sorted(maps.Keys(mf.rules)) {
		got := mf.lines(target, map[string]bool{})
		checkSrcLines(t, "make "+target, got, name, nlines)
		if again := mf2.lines(target, map[string]bool{}); !reflect.DeepEqual(got, again) {
			t.Fatalf("make %s: %v, then %v", target, got, again)
		}
		for _, l := range got {
			checkWords(t, l.Text, commandWords(l.Text))
		}
	}
}

// ciWorkflow runs what the other fuzzed files define.
const ciWorkflow = `on: push
jobs:
  ci:
    runs-on: ubuntu-latest
    steps:
      - run: make
      - run: make build bench lint ci all
      - run: just
      - run: just ci
      - run: task
      - run: task ci build
      - run: sh scripts/build.sh
`

// fuzzKindParams are the evaluations FuzzCIKinds makes.
var fuzzKindParams = []struct{ kind, params string }{
	{"ci", "{}"}, {"ci", "{require: regression}"}, {"ci", "{require: report}"},
	{"build-flags", "{}"}, {"build-flags", "{profile: dev}"},
}

// location is a FILE:LINE in a message, for the files FuzzCIKinds writes.
var location = regexp.MustCompile(`(?:^|[\s(,])(Makefile|justfile|Taskfile\.yml|\.github/workflows/ci\.yml|\.goreleaser\.yaml|Dockerfile|scripts/build\.sh|magefile\.go):(\d+)`)

func FuzzCIKinds(f *testing.F) {
	addBuildFileSeeds(f)
	evals := make([]Evaluator, len(fuzzKindParams))
	for i, kp := range fuzzKindParams {
		p, err := Parse([]byte(kindPolicy(kp.kind, kp.params)), "test.yaml")
		if err != nil {
			f.Fatal(err)
		}
		evals[i] = p.Checks[0].eval
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		name := fuzzBuildFiles[int(which)%len(fuzzBuildFiles)]
		defer watchdog("evaluating ci and build-flags with "+name, data)()
		files := map[string]string{".github/workflows/ci.yml": ciWorkflow, name: string(data)}
		dir := t.TempDir()
		for rel, content := range files {
			p := filepath.Join(dir, filepath.FromSlash(rel))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		maxLine := func(file string) int { return yamlLines([]byte(files[file])) }
		for i, e := range evals {
			kind := fuzzKindParams[i].kind
			what := kind + " " + fuzzKindParams[i].params
			r := e.Evaluate(context.Background(), &Workspace{Dir: dir})
			again := e.Evaluate(context.Background(), &Workspace{Dir: dir})
			r.Duration, again.Duration = 0, 0
			if !reflect.DeepEqual(r, again) {
				t.Fatalf("%s: %+v, then %+v", what, r, again)
			}
			if r.Status != Pass && r.Status != Fail && r.Status != Skip {
				t.Fatalf("%s: %s %q %q", what, r.Status, r.Message, r.Details)
			}
			if r.Message == "" || strings.Contains(r.Message, "\n") {
				t.Fatalf("%s: message %q: want one line", what, r.Message)
			}
			for _, fd := range r.Findings {
				if _, ok := files[fd.File]; !ok || fd.Line < 1 || fd.Line > maxLine(fd.File) || fd.Rule != kind || fd.Message == "" {
					t.Fatalf("%s: finding %+v is not on a line of the files written", what, fd)
				}
			}
			for _, text := range append([]string{r.Message}, r.Details...) {
				for _, m := range location.FindAllStringSubmatch(text, -1) {
					if n, _ := strconv.Atoi(m[2]); n < 1 || n > maxLine(m[1]) {
						t.Fatalf("%s: %q points at line %d of %s, which has %d", what, text, n, m[1], maxLine(m[1]))
					}
				}
			}
		}
	})
}
