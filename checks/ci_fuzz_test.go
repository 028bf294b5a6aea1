package checks

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/checks/buildfiles"
	"github.com/perfctl/perfctl/internal/fuzzcheck"
)

// Run with
//
//	go test -run '^$' -fuzz '^FuzzCIKinds$' -fuzztime 3m ./checks
//
// The readers of the files are fuzzed in package buildfiles.

// fuzzBuildFiles are the files the ci and build-flags kinds read; a fuzz
// input's first argument picks one (modulo their number).
var fuzzBuildFiles = []string{
	"Makefile", "justfile", "Taskfile.yml", ".github/workflows/ci.yml", ".goreleaser.yaml", "Dockerfile",
	"scripts/build.sh", "magefile.go",
}

// addBuildFileSeeds adds the ci and build-flags fixtures and the hostile
// files of package buildfiles, each as the fuzzed file of its kind.
func addBuildFileSeeds(f *testing.F) {
	which := map[buildfiles.Kind]uint8{}
	for i, name := range fuzzBuildFiles {
		which[buildfiles.KindOf(name)] = uint8(i)
	}
	for _, root := range []string{"testdata/ci", "testdata/build-flags", "buildfiles/testdata/hostile"} {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if n, ok := which[buildfiles.KindOf(filepath.ToSlash(p))]; ok && err == nil && len(data) <= maxFuzzInput {
				f.Add(n, data)
			}
			return nil
		})
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
		defer fuzzcheck.Watchdog("evaluating ci and build-flags with "+name, data)()
		files := map[string]string{".github/workflows/ci.yml": ciWorkflow, name: string(data)}
		dir := writeTree(t, files).Dir
		maxLine := func(file string) int { return fuzzcheck.YAMLLines([]byte(files[file])) }
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
