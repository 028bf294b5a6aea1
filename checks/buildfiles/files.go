package buildfiles

import (
	"path"

	"github.com/bmatcuk/doublestar/v4"
)

// A Kind is how a file is read.
type Kind int

// The kinds of build files.
const (
	KindScript      Kind = iota // shell, line by line when it does not parse: scripts, and what no other kind claims
	KindWorkflow                // a YAML CI configuration: GitHub Actions, GitLab CI, CircleCI, Azure Pipelines, …
	KindJenkinsfile             // a Jenkins pipeline: its sh and bat steps
	KindMakefile                // make: variables, rules, recipes
	KindJustfile                // just: recipes
	KindTaskfile                // go-task: tasks
	KindGoreleaser              // a goreleaser configuration: its builds
	KindDockerfile              // a Dockerfile or Containerfile: its RUN instructions
	KindMagefile                // Go code run by mage: its calls with string arguments
)

var kindNames = [...]string{"script", "workflow", "Jenkinsfile", "Makefile", "justfile", "Taskfile", "goreleaser", "Dockerfile", "magefile"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// files is the one list of CI and build files: where each is looked for
// by default (globs relative to the module root), what kind it is, and
// whether it is a CI configuration, where what CI runs starts. Files of
// the kinds other than KindScript and KindWorkflow are known by their base
// name wherever they are; the others by their extension (.yml and .yaml
// are KindWorkflow, .go is KindMagefile, anything else KindScript).
var files = []struct {
	glob string
	kind Kind
	ci   bool
}{
	{".github/workflows/*.y*ml", KindWorkflow, true},
	{".gitlab-ci.yml", KindWorkflow, true},
	{".gitlab/**/*.y*ml", KindWorkflow, true},
	{".circleci/config.y*ml", KindWorkflow, true},
	{"azure-pipelines.y*ml", KindWorkflow, true},
	{"Jenkinsfile", KindJenkinsfile, true},
	{".buildkite/**", KindScript, true},
	{".drone.y*ml", KindWorkflow, true},
	{".woodpecker.y*ml", KindWorkflow, true},
	{".woodpecker/**", KindScript, true},
	{"bitbucket-pipelines.yml", KindWorkflow, true},
	{".travis.yml", KindWorkflow, true},
	{".ci/**", KindScript, true},
	{"ci/**", KindScript, true},

	{"**/Makefile", KindMakefile, false},
	{"**/GNUmakefile", KindMakefile, false},
	{"**/makefile", KindMakefile, false},
	{"**/*.mk", KindMakefile, false},
	{"**/justfile", KindJustfile, false},
	{"**/Justfile", KindJustfile, false},
	{"**/.justfile", KindJustfile, false},
	{"**/Taskfile.y*ml", KindTaskfile, false},
	{"**/taskfile.y*ml", KindTaskfile, false},
	{"**/Taskfile.dist.y*ml", KindTaskfile, false},
	{"**/taskfile.dist.y*ml", KindTaskfile, false},
	{"*goreleaser*.y*ml", KindGoreleaser, false},
	{"**/Dockerfile*", KindDockerfile, false},
	{"**/Containerfile*", KindDockerfile, false},
	{"**/*.Dockerfile", KindDockerfile, false},
	{"magefile.go", KindMagefile, false},
	{"magefiles/**/*.go", KindMagefile, false},
	{"**/*.sh", KindScript, false},
	{"**/*.bash", KindScript, false},
	{"scripts/**", KindScript, false},
	{"build/**", KindScript, false},
}

// CIGlobs returns the globs of the CI configurations.
func CIGlobs() []string {
	var out []string
	for _, f := range files {
		if f.ci {
			out = append(out, f.glob)
		}
	}
	return out
}

// BuildGlobs returns the globs of every file that defines builds: the CI
// configurations, then Makefiles, justfiles, Taskfiles, goreleaser
// configurations, Dockerfiles, magefiles and scripts.
func BuildGlobs() []string {
	out := make([]string, 0, len(files))
	for _, f := range files {
		out = append(out, f.glob)
	}
	return out
}

// KindOf returns how the file name (module-relative, slash-separated) is
// read.
func KindOf(name string) Kind {
	base := path.Base(name)
	for _, f := range files {
		if f.kind != KindScript && f.kind != KindWorkflow && doublestar.MatchUnvalidated(path.Base(f.glob), base) {
			return f.kind
		}
	}
	switch path.Ext(base) {
	case ".yml", ".yaml":
		return KindWorkflow
	case ".go":
		return KindMagefile
	}
	return KindScript
}

// makefileNames are the names make looks for in a directory, in its order.
var makefileNames = []string{"GNUmakefile", "makefile", "Makefile"}

// taskfileNames are the names task looks for in a directory, in its order.
var taskfileNames = []string{"Taskfile.yml", "taskfile.yml", "Taskfile.yaml", "taskfile.yaml", "Taskfile.dist.yml", "taskfile.dist.yml", "Taskfile.dist.yaml", "taskfile.dist.yaml"}

// justfileNames are the names just looks for.
var justfileNames = []string{"justfile", "Justfile", ".justfile"}
