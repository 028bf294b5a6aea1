package buildfiles

import (
	"errors"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"testing"
)

// memTree is a Tree of files in memory.
func memTree(files map[string]string) Tree {
	return Tree{
		Files: slices.Sorted(maps.Keys(files)),
		Read: func(name string) ([]byte, error) {
			data, ok := files[name]
			if !ok {
				return nil, fs.ErrNotExist
			}
			return []byte(data), nil
		},
	}
}

func TestReadCI(t *testing.T) {
	tree := memTree(map[string]string{
		".github/workflows/ci.yml": `on: push
jobs:
  ci:
    steps:
      - name: make release
        run: FOO=1 make -C sub bench
      - run: |
          just ci
          sh -c 'task -d tools lint'
          ./scripts/ci.sh $(make -f build.mk -j 4 gen)
      - run: make nothere && just nothere && task -t nothere.yml
`,
		"sub/Makefile":       "bench: prep\n\tgo test -bench . ./...\nprep:\n\t$(MAKE) gen\ngen:\n\tgo generate ./...\nrelease:\n\tgo build -o app .\n",
		"build.mk":           "gen:\n\tgo generate\n",
		"justfile":           "ci: lint\n    go test ./...\nlint:\n    golangci-lint run\n",
		"tools/Taskfile.yml": "tasks:\n  lint: go vet ./...\n",
		"scripts/ci.sh":      "#!/bin/sh\nperfctl check\nmake release\n",
	})
	ci, err := ReadCI(tree, []string{".github/workflows/ci.yml"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ci.Configs) != 1 || ci.Configs[0].File != ".github/workflows/ci.yml" {
		t.Fatalf("configs %+v", ci.Configs)
	}
	var got []string
	for _, c := range ci.Configs[0].Commands {
		got = append(got, c.Where()+" "+c.String())
	}
	want := []string{
		".github/workflows/ci.yml:6 make -C sub bench",
		".github/workflows/ci.yml:8 just ci",
		".github/workflows/ci.yml:9 task -d tools lint",
		".github/workflows/ci.yml:10 ./scripts/ci.sh $(make -f build.mk -j 4 gen)",
		".github/workflows/ci.yml:10 make -f build.mk -j 4 gen",
		".github/workflows/ci.yml:11 make nothere",
		".github/workflows/ci.yml:11 just nothere",
		".github/workflows/ci.yml:11 task -t nothere.yml",
		// prerequisites first, $(MAKE) targets after the line that runs them
		"sub/Makefile:4 via make bench from .github/workflows/ci.yml:6 make gen",
		"sub/Makefile:6 via make bench from .github/workflows/ci.yml:6 go generate ./...",
		"sub/Makefile:2 via make bench from .github/workflows/ci.yml:6 go test -bench . ./...",
		"justfile:4 via just ci from .github/workflows/ci.yml:8 golangci-lint run",
		"justfile:2 via just ci from .github/workflows/ci.yml:8 go test ./...",
		"tools/Taskfile.yml:2 via task lint from .github/workflows/ci.yml:9 go vet ./...",
		// A script's commands are not followed: one level deep.
		"scripts/ci.sh:2 via scripts/ci.sh from .github/workflows/ci.yml:10 perfctl check",
		"scripts/ci.sh:3 via scripts/ci.sh from .github/workflows/ci.yml:10 make release",
		"build.mk:2 via make gen from .github/workflows/ci.yml:10 go generate",
	}
	if !slices.Equal(got, want) {
		t.Errorf("what CI runs:\n got %q\nwant %q", got, want)
	}
	wantFollowed := []string{
		"sub/Makefile (make bench from .github/workflows/ci.yml:6)",
		"justfile (just ci from .github/workflows/ci.yml:8)",
		"tools/Taskfile.yml (task lint from .github/workflows/ci.yml:9)",
		"scripts/ci.sh (run from .github/workflows/ci.yml:10)",
		"build.mk (make gen from .github/workflows/ci.yml:10)",
	}
	if !slices.Equal(ci.Followed, wantFollowed) {
		t.Errorf("followed %q, want %q", ci.Followed, wantFollowed)
	}
	wantNotes := []string{
		".github/workflows/ci.yml:11: make: no Makefile in the module root",
		".github/workflows/ci.yml:11: just nothere: justfile has no recipe nothere",
		".github/workflows/ci.yml:11: task: no Taskfile in the module root",
	}
	if !slices.Equal(ci.Notes, wantNotes) {
		t.Errorf("notes %q, want %q", ci.Notes, wantNotes)
	}
	// The release target of sub/Makefile is not part of what CI runs.
	for _, c := range ci.Configs[0].Commands {
		if strings.Contains(c.String(), "go build") {
			t.Errorf("CI does not run %s", c.Where())
		}
	}
}

func TestReadCIFails(t *testing.T) {
	tree := memTree(map[string]string{"ci.yml": "run: sh x.sh\n", "x.sh": "make\n"})
	broken := tree.Read
	tree.Read = func(name string) ([]byte, error) {
		if name == "x.sh" {
			return nil, fs.ErrPermission
		}
		return broken(name)
	}
	if _, err := ReadCI(tree, []string{"ci.yml"}); !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "reading x.sh") {
		t.Errorf("got %v", err)
	}
	if _, err := ReadCI(tree, []string{"nothere.yml"}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("got %v", err)
	}
}

// TestReadCITriggersAreNotCommands: a trigger filter that names the
// Makefile does not make CI run it, whether the configuration is YAML or
// (not parsing) read line by line, and a Makefile named as a word is not
// run as a script.
func TestReadCITriggersAreNotCommands(t *testing.T) {
	files := map[string]string{
		"Makefile": "test:\n\tgo test ./...\nbench:\n\tgo test -run '^$$' -bench . -benchmem ./...\n",
		".github/workflows/ci.yml": `on:
  push:
    paths:
      - Makefile
      - '**.go'
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test
`,
		// Not YAML (a tab in the indentation), so it is read line by line.
		".gitlab-ci.yml": "test:\n\tbad: [\n  rules:\n    - changes:\n      - Makefile\n  only:\n    - Makefile\n  script:\n    - make test\n",
		"ci/run":         "Makefile\n./Makefile bench\n",
	}
	ci, err := ReadCI(memTree(files), []string{".github/workflows/ci.yml", ".gitlab-ci.yml", "ci/run"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, cfg := range ci.Configs {
		for _, c := range cfg.Commands {
			got = append(got, c.Where()+" "+c.String())
		}
	}
	want := []string{
		".github/workflows/ci.yml:10 make test",
		"Makefile:2 via make test from .github/workflows/ci.yml:10 go test ./...",
		".gitlab-ci.yml:9 make test",
		"Makefile:2 via make test from .gitlab-ci.yml:9 go test ./...",
		"ci/run:1 Makefile",
		"ci/run:2 ./Makefile bench",
	}
	if !slices.Equal(got, want) {
		t.Errorf("what CI runs:\n got %q\nwant %q", got, want)
	}
}
