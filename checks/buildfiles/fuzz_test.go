package buildfiles

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/internal/fuzzcheck"
)

// Run the fuzzers of this package one at a time, for example
//
//	go test -run '^$' -fuzz '^FuzzReaders$' -fuzztime 2m ./checks/buildfiles
//	go test -run '^$' -fuzz '^FuzzSplit$' -fuzztime 2m ./checks/buildfiles
//
// Without -fuzz, `go test` runs each one on its seeds and on the inputs
// kept under testdata/fuzz/FuzzXxx.

// maxFuzzInput bounds what the fuzzers look at: Go's minimizer spends
// minutes on every new input of several KiB, and a few lines exercise
// every path of a reader.
const maxFuzzInput = 1 << 10

// fuzzFiles are the files FuzzReaders reads; an input's first argument
// picks one (modulo their number).
var fuzzFiles = []string{
	"Makefile", "justfile", "Taskfile.yml", ".github/workflows/ci.yml", ".goreleaser.yaml", "Dockerfile",
	"scripts/build.sh", "magefile.go", "Jenkinsfile",
}

// ciWorkflow runs what the other fuzzed files define.
const ciWorkflow = `on: push
jobs:
  ci:
    steps:
      - run: make
      - run: make build bench lint ci all
      - run: just && just ci
      - run: task; task ci build
      - run: sh scripts/build.sh
`

func FuzzReaders(f *testing.F) {
	which := map[Kind]uint8{}
	for i, name := range fuzzFiles {
		which[KindOf(name)] = uint8(i)
	}
	for _, root := range []string{"../testdata/ci", "../testdata/build-flags", "testdata/hostile"} {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if n, ok := which[KindOf(filepath.ToSlash(p))]; ok && err == nil && len(data) <= maxFuzzInput {
				f.Add(n, data)
			}
			return nil
		})
	}
	aliases := hostile(f, "aliasbomb.yaml")
	for _, k := range []Kind{KindTaskfile, KindWorkflow, KindGoreleaser} {
		f.Add(which[k], aliases)
	}
	for _, s := range []struct {
		kind Kind
		data string
	}{
		{KindMakefile, "all: all\n\tmake all\nx: y\ny: x\n\t$(MAKE) x\n"},
		{KindMakefile, "A = $(\nB = ${A}}\n$(A): $(B) | $$(C)\n\t@-+go build -gcflags='all=-N -l' $(B)\n"},
		{KindMakefile, "a: b; go build -a\n\tgo clean -cache\nexport GOFLAGS := -race\noverride X += $(X)$(X)\n"},
		{KindMakefile, "x:=\\\n\\\n\t\\\n"},
		{KindJustfile, "@a x='y': b c\n  go build -race\nb:\n\tjust a\nc: a\n"},
		{KindJustfile, "a:b\n\t\t\n :\n@:\n"},
		{KindTaskfile, "tasks:\n  default:\n    cmds:\n      - >\n        go build\n        -race .\n      - |+\n\n        go test -bench .\n\n"},
		{KindTaskfile, "tasks: {default: x, a: [{task: a}, {cmd: ~}], b: {deps: [{task: b}], cmd: [x]}}"},
		{KindTaskfile, "tasks: [" + strings.Repeat("[", 300) + "\n"},
		{KindWorkflow, "jobs:\n  x:\n    steps:\n      - uses: perfctl/perfctl@v1\n        with:\n          command: compare\n          args: a b\n      - run: echo perfctl check >> $GITHUB_STEP_SUMMARY\n"},
		{KindWorkflow, "- run: make -C sub -f ../Makefile -j 4 ci && just --justfile j ci; task -d . -t T.yml x -- y | sh ./scripts/build.sh\n"},
		{KindWorkflow, "run: perfctl compare --baseline\n`go test -bench .` $(golangci-lint run) (benchstat a b)\n"},
		{KindWorkflow, "a: |\n  x\nrun: ${{ x\n}} ${{ a }}}\n---\n- [\n"},
		{KindGoreleaser, "builds:\n  - {id: a, builder: go, skip: false, flags: '-race -gcflags=all=-N', env: [GOFLAGS=-trimpath]}\n  - 1\n  - {skip: true}\n"},
		{KindGoreleaser, "env: [\"GOFLAGS='-trimpath'\"]\n"},
		{KindGoreleaser, "builds: {a: 1}\n"},
		{KindGoreleaser, "\t"},
		{KindDockerfile, "ENV GOFLAGS=\"-a -race\"\nARG GOCACHE=off\nRUN go build -gcflags \"all=-N -l\" . && go install x@latest\nRUN [\"sh\", \"-c\"\nRUN --x\n"},
		{KindScript, "GOFLAGS='-trimpath\ngo build -gcflags= -gcflags -gcflags\n"},
		{KindScript, "go build -gcflags=\"-N\n"},
		{KindScript, "bash <<EOF\nsh -c 'eval \"make $(x)\"'\nEOF\n"},
		{KindMagefile, `sh.Run("go", "build", "-gcflags", "-N -l", ".")`},
		{KindMagefile, "\x00go build\n"},
		{KindMagefile, "f(\"a\", \"\\x\", `b`, 'c', \"d\""},
		{KindJenkinsfile, "sh '''\nmake\n''' sh \"x\\\"y\" bat('a\nsh \"\"\""},
	} {
		f.Add(which[s.kind], []byte(s.data))
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		name := fuzzFiles[int(which)%len(fuzzFiles)]
		defer fuzzcheck.Watchdog("reading "+name, data)()
		maxLine := fuzzcheck.YAMLLines(data) // YAML counts more line ends than \n

		checkLines(t, "LogicalLines", LogicalLines(name, data), name, maxLine)
		for _, l := range LogicalLines(name, data) {
			for _, w := range SimpleWords(l.Text) {
				if w == "" || strings.ContainsAny(w, " \t\n") {
					t.Fatalf("SimpleWords(%q) has the word %q", l.Text, w)
				}
			}
		}
		cmds := Commands(name, data)
		checkCommands(t, "Commands", cmds, map[string]int{name: maxLine})
		if again := Commands(name, data); !reflect.DeepEqual(cmds, again) {
			t.Fatalf("Commands: %v, then %v", show(cmds), show(again))
		}
		switch KindOf(name) {
		case KindMakefile:
			fuzzMakefile(t, name, data, maxLine)
		case KindJustfile:
			jf, jf2 := ReadJustfile(name, data), ReadJustfile(name, data)
			if jf.Default != "" && jf.Recipes[jf.Default] == nil {
				t.Fatalf("the first recipe %q is not a recipe", jf.Default)
			}
			for _, r := range slices.Sorted(maps.Keys(jf.Recipes)) {
				checkRun(t, "just "+r, jf.Run(r), jf2.Run(r), name, maxLine)
			}
		case KindTaskfile:
			tf, tf2 := ReadTaskfile(name, data), ReadTaskfile(name, data)
			for _, task := range tf.Tasks() {
				checkRun(t, "task "+task, tf.Run(task), tf2.Run(task), name, maxLine)
			}
		case KindGoreleaser:
			fuzzGoreleaser(t, data, maxLine)
		}
		fuzzCI(t, name, data)
	})
}

// checkLines checks lines read from file, whose last line is maxLine.
func checkLines(t *testing.T, what string, lines []Line, file string, maxLine int) {
	t.Helper()
	for _, l := range lines {
		if l.File != file || l.Line < 1 || l.Line > maxLine {
			t.Fatalf("%s: line %s (%q) is not a line of %s, which has %d", what, l.Loc(), l.Text, file, maxLine)
		}
	}
}

// checkCommands checks commands read from files (name → last line).
func checkCommands(t *testing.T, what string, cmds []Command, files map[string]int) {
	t.Helper()
	for i := range cmds {
		c := &cmds[i]
		maxLine, ok := files[c.File]
		if !ok || c.Line < 1 || c.Line > maxLine {
			t.Fatalf("%s: %s is not a line of the files %v", what, c.Loc(), files)
		}
		if len(c.Args) == 0 && c.Uses == "" || len(c.Args) > 0 && c.Uses != "" {
			t.Fatalf("%s: %s: args %q, uses %q: want one of them", what, c.Loc(), c.Args, c.Uses)
		}
		for _, in := range c.With {
			if in.File != c.File || in.Line < 1 || in.Line > maxLine {
				t.Fatalf("%s: input %s of %s is not a line of it", what, in.Loc(), c.Loc())
			}
		}
	}
}

// checkRun checks the commands of a target, recipe or task, read twice.
func checkRun(t *testing.T, what string, cmds, again []Command, file string, maxLine int) {
	t.Helper()
	checkCommands(t, what, cmds, map[string]int{file: maxLine})
	if !reflect.DeepEqual(cmds, again) {
		t.Fatalf("%s: %v, then %v", what, show(cmds), show(again))
	}
}

// fuzzMakefile checks the variables and rules of a Makefile.
func fuzzMakefile(t *testing.T, name string, data []byte, maxLine int) {
	t.Helper()
	// Expansion is bounded per line and per Makefile, and deterministic.
	lines := LogicalLines(name, data)
	vs, vs2 := ReadMakeVars(lines), ReadMakeVars(lines)
	in, out := 0, 0
	for _, l := range lines {
		got := vs.Expand(l.Text)
		if len(got) > max(len(l.Text), maxMakeExpandLine) {
			t.Fatalf("%s expanded from %d to %d bytes", l.Loc(), len(l.Text), len(got))
		}
		if !strings.Contains(l.Text, "$") && got != l.Text {
			t.Fatalf("%s: %q has no reference, but expands to %q", l.Loc(), l.Text, got)
		}
		if again := vs2.Expand(l.Text); got != again {
			t.Fatalf("%s expands to %q, then to %q", l.Loc(), got, again)
		}
		in += len(l.Text)
		out += len(got)
	}
	if out > maxMakeExpandTotal+in {
		t.Fatalf("the lines of a %d-byte Makefile expanded to %d bytes", len(data), out)
	}
	mf, mf2 := ReadMakefile(name, data), ReadMakefile(name, data)
	if mf.Default != "" && mf.Rules[mf.Default] == nil {
		t.Fatalf("the default goal %q is not a target", mf.Default)
	}
	for _, target := range slices.Sorted(maps.Keys(mf.Rules)) {
		checkLines(t, "recipe of "+target, mf.Rules[target].Recipe, name, maxLine)
		checkRun(t, "make "+target, mf.Run(target), mf2.Run(target), name, maxLine)
	}
}

// fuzzGoreleaser checks that the builds of a goreleaser configuration are
// on its lines.
func fuzzGoreleaser(t *testing.T, data []byte, maxLine int) {
	t.Helper()
	g, err := ReadGoreleaser(data)
	if err != nil {
		return
	}
	values := slices.Clone(g.Env)
	lines := []int{g.Line}
	for _, b := range g.Builds {
		values = slices.Concat(values, b.Flags, b.Gcflags, b.Env)
		lines = append(lines, b.Line)
	}
	for _, v := range values {
		lines = append(lines, v.Line)
	}
	for _, n := range lines {
		if n < 1 || n > maxLine {
			t.Fatalf("line %d of a configuration of %d lines: %+v", n, maxLine, g)
		}
	}
	if g.Default && len(g.Builds) > 0 {
		t.Fatalf("the default build and %d more", len(g.Builds))
	}
}

// fuzzCI checks what a CI workflow that runs everything runs in a module
// of that workflow and the file name.
func fuzzCI(t *testing.T, name string, data []byte) {
	t.Helper()
	files := map[string]string{".github/workflows/ci.yml": ciWorkflow, name: string(data)}
	tree := memTree(files)
	maxLines := map[string]int{}
	for f, content := range files {
		maxLines[f] = fuzzcheck.YAMLLines([]byte(content))
	}
	ci, err := ReadCI(tree, []string{".github/workflows/ci.yml"})
	if err != nil {
		t.Fatal(err)
	}
	again, _ := ReadCI(tree, []string{".github/workflows/ci.yml"})
	if !reflect.DeepEqual(ci, again) {
		t.Fatalf("ReadCI: %+v, then %+v", ci, again)
	}
	for _, cfg := range ci.Configs {
		checkCommands(t, "ReadCI", cfg.Commands, maxLines)
		for i := range cfg.Commands {
			if c := &cfg.Commands[i]; c.Via == "" && c.File != cfg.File {
				t.Fatalf("%s in %s comes via %q", c.Loc(), cfg.File, c.Via)
			}
		}
	}
	for _, s := range slices.Concat(ci.Followed, ci.Notes) {
		if strings.Contains(s, "\n") {
			t.Fatalf("%q: want one line", s)
		}
	}
}

func FuzzSplit(f *testing.F) {
	for _, tc := range splitCases {
		f.Add(tc.src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > maxFuzzInput {
			return
		}
		defer fuzzcheck.Watchdog("Split", []byte(src))()
		cmds := Split(src)
		checkCommands(t, "Split", cmds, map[string]int{"": strings.Count(src, "\n") + 1})
		if again := Split(src); !reflect.DeepEqual(cmds, again) {
			t.Fatalf("Split(%q): %v, then %v", src, show(cmds), show(again))
		}
		// The words of plain text, however quoted, are the words of a
		// command; && makes two commands of them.
		words := strings.FieldsFunc(src, func(r rune) bool { return !plain(r) })
		if len(words) == 0 {
			return
		}
		want := append([]string{"go"}, words...)
		quoted := []string{"go"}
		for i, w := range words {
			quoted = append(quoted, [...]string{w, "'" + w + "'", `"` + w + `"`, `\` + w}[i%4])
		}
		for _, line := range []string{strings.Join(want, " "), strings.Join(quoted, " ")} {
			got := Split(line + " && " + line)
			if len(got) != 2 || !slices.Equal(got[0].Args, want) || !slices.Equal(got[1].Args, want) {
				t.Fatalf("Split(%q) = %v, want the words %q twice", line, show(got), want)
			}
		}
	})
}

// plain reports whether r means itself in shell, quoted or not.
func plain(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("./_-,:+@%", r)
}
