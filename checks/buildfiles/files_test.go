package buildfiles

import (
	"slices"
	"testing"

	"github.com/bmatcuk/doublestar/v4"
)

func TestKindOf(t *testing.T) {
	for name, want := range map[string]Kind{
		".github/workflows/ci.yml":     KindWorkflow,
		".gitlab-ci.yml":               KindWorkflow,
		".gitlab/ci/bench.yaml":        KindWorkflow,
		"ci/pipeline.yml":              KindWorkflow,
		"Jenkinsfile":                  KindJenkinsfile,
		"Makefile":                     KindMakefile,
		"sub/GNUmakefile":              KindMakefile,
		"makefile":                     KindMakefile,
		"build/rules.mk":               KindMakefile,
		"ci/Makefile":                  KindMakefile,
		"justfile":                     KindJustfile,
		"tools/.justfile":              KindJustfile,
		"Taskfile.yml":                 KindTaskfile,
		"sub/taskfile.dist.yaml":       KindTaskfile,
		".goreleaser.yaml":             KindGoreleaser,
		"release/goreleaser-pro.yml":   KindGoreleaser,
		"Dockerfile":                   KindDockerfile,
		"build/Dockerfile.release":     KindDockerfile,
		"deploy/Containerfile":         KindDockerfile,
		"app.Dockerfile":               KindDockerfile,
		"magefile.go":                  KindMagefile,
		"magefiles/build.go":           KindMagefile,
		"scripts/ci.sh":                KindScript,
		".ci/run":                      KindScript,
		".buildkite/hooks/pre-command": KindScript,
		"scripts/gen.py":               KindScript,
	} {
		if got := KindOf(name); got != want {
			t.Errorf("KindOf(%q) = %s, want %s", name, got, want)
		}
	}
}

func TestGlobs(t *testing.T) {
	ci, all := CIGlobs(), BuildGlobs()
	if len(ci) == 0 || !slices.Equal(all[:len(ci)], ci) {
		t.Errorf("BuildGlobs does not start with the CI globs: %q, %q", all, ci)
	}
	for _, g := range all {
		if !doublestar.ValidatePattern(g) {
			t.Errorf("%q is not a valid glob", g)
		}
	}
	// The callers may change what they are given.
	ci[0] = "x"
	if CIGlobs()[0] == "x" {
		t.Error("CIGlobs returns the package's own list")
	}
}

// TestFollowedNamesAreKnown: the files make, just and task look for are
// in the list, as the kind they are.
func TestFollowedNamesAreKnown(t *testing.T) {
	for kind, names := range map[Kind][]string{KindMakefile: makefileNames, KindJustfile: justfileNames, KindTaskfile: taskfileNames} {
		for _, n := range names {
			if got := KindOf(n); got != kind {
				t.Errorf("%s: KindOf = %s, want %s", n, got, kind)
			}
			if !slices.ContainsFunc(BuildGlobs(), func(g string) bool { return doublestar.MatchUnvalidated(g, "sub/"+n) }) {
				t.Errorf("sub/%s matches none of the globs", n)
			}
		}
	}
}

func TestLogicalLines(t *testing.T) {
	data := "a \\\n  b \\\n  c\n\n# comment\n\td\r\n// note\n"
	got := LogicalLines("f", []byte(data))
	want := []Line{{Pos{"f", 1}, "a  b c"}, {Pos{"f", 6}, "\td"}}
	if !slices.Equal(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if got := LogicalLines("f", []byte("go build\x00")); got != nil {
		t.Errorf("a binary file has lines %+v", got)
	}
}
