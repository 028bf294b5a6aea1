package buildfiles

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// show writes commands down for a comparison: the line, the words, and
// the environment and redirections when there are some.
func show(cmds []Command) []string {
	out := []string{}
	for i := range cmds {
		c := &cmds[i]
		var b strings.Builder
		if c.Uses != "" {
			fmt.Fprintf(&b, "%d uses %s", c.Line, c.Uses)
			for _, in := range c.With {
				fmt.Fprintf(&b, " %s=%q@%d", in.Name, in.Value, in.Line)
			}
		} else {
			fmt.Fprintf(&b, "%d %q", c.Line, c.Args)
		}
		if c.Env != nil {
			fmt.Fprintf(&b, " env=%q", c.Env)
		}
		if c.Redirs != nil {
			fmt.Fprintf(&b, " redirs=%q", c.Redirs)
		}
		out = append(out, b.String())
	}
	return out
}

// splitCases are the hard cases of Split, and seeds of FuzzSplit.
var splitCases = []struct {
	name, src string
	want      []string
}{
	{"and, or, semicolon, pipe", "make lint && make bench || true; go test ./... | tee out",
		[]string{`1 ["make" "lint"]`, `1 ["make" "bench"]`, `1 ["true"]`, `1 ["go" "test" "./..."]`, `1 ["tee" "out"]`}},
	{"command substitution", "$(make bench)", []string{`1 ["make" "bench"]`}},
	{"substitution in an argument", `echo "$(go test -bench . ./...)" > out`,
		[]string{`1 ["echo"] redirs=[">out"]`, `1 ["go" "test" "-bench" "." "./..."]`}},
	{"backquotes", "x=`make bench` && go vet ./...", []string{`1 ["make" "bench"]`, `1 ["go" "vet" "./..."]`}},
	{"subshell and block", "(cd sub && make bench); { go vet ./...; }",
		[]string{`1 ["cd" "sub"]`, `1 ["make" "bench"]`, `1 ["go" "vet" "./..."]`}},
	{"if and for", "if true; then\n  make bench\nfi\nfor p in a b; do go test ./$p; done",
		[]string{`1 ["true"]`, `2 ["make" "bench"]`, `4 ["go" "test" "./$p"]`}},
	{"sh -c", "sh -c 'go test -bench .'", []string{`1 ["go" "test" "-bench" "."]`}},
	{"bash -ec with two commands", `bash -ec "make lint; make bench"`, []string{`1 ["make" "lint"]`, `1 ["make" "bench"]`}},
	{"sh runs a script", "sh -e ./scripts/ci.sh", []string{`1 ["sh" "-e" "./scripts/ci.sh"]`}},
	{"environment", "FOO=1 make -C sub bench", []string{`1 ["make" "-C" "sub" "bench"] env=["FOO=1"]`}},
	{"wrappers", "sudo -E env GOFLAGS=-trimpath nice -n 5 nohup time go build -o x .",
		[]string{`1 ["go" "build" "-o" "x" "."] env=["GOFLAGS=-trimpath"]`}},
	{"exec and command", "exec command make bench", []string{`1 ["make" "bench"]`}},
	{"command -v runs nothing", "command -v make", []string{}},
	{"eval", `eval "make bench"`, []string{`1 ["make" "bench"]`}},
	{"echo and printf only print", `echo "perfctl check" && printf '%s\n' "go test -bench ." >> "$GITHUB_STEP_SUMMARY"`,
		[]string{`1 ["echo"]`, `1 ["printf"] redirs=[">>$GITHUB_STEP_SUMMARY"]`}},
	{"here-document", "cat <<EOF > out\nperfctl check\nEOF\nmake lint",
		[]string{`1 ["cat"] redirs=["<<EOF" ">out"]`, `4 ["make" "lint"]`}},
	{"here-document fed to a shell", "bash <<'EOF'\nmake bench\nEOF", []string{`2 ["make" "bench"]`}},
	{"quoted separators", `echo "a && b" && go test -run 'A&&B|C;D' ./...`,
		[]string{`1 ["echo"]`, `1 ["go" "test" "-run" "A&&B|C;D" "./..."]`}},
	{"quotes and escapes", `go build -gcflags "all=-N -l" -ldflags='-s -w' a\ b "\$x"`,
		[]string{`1 ["go" "build" "-gcflags" "all=-N -l" "-ldflags=-s -w" "a b" "$x"]`}},
	{"continued line", "go test \\\n  -bench . \\\n  ./...\nmake", []string{`1 ["go" "test" "-bench" "." "./..."]`, `4 ["make"]`}},
	{"GitHub expressions", "go test -bench ${{ matrix.x }} ./... && echo ${{ github.sha }}",
		[]string{`1 ["go" "test" "-bench" "${{ matrix.x }}" "./..."]`, `1 ["echo"]`}},
	{"templates", "go build -o {{.OUT}} {{ .PKG }}", []string{`1 ["go" "build" "-o" "{{.OUT}}" "{{ .PKG }}"]`}},
	{"a line that does not parse", "go vet ./...\nmake bench && (\ngo test -bench . ./...",
		[]string{`1 ["go" "vet" "./..."]`, `2 ["make" "bench"]`, `3 ["go" "test" "-bench" "." "./..."]`}},
	{"not shell at all", `os.system("go test -bench . ./...")`, []string{`1 ["os.system"]`, `1 ["go" "test" "-bench" "." "./..."]`}},
	{"sh -c in a line that does not parse", "sh -c 'make bench' )", []string{`1 ["make" "bench"]`}},
	{"comments", "# make lint\nmake bench # and lint", []string{`2 ["make" "bench"]`}},
	{"assignment only", "X=$(go env GOPATH)", []string{`1 ["go" "env" "GOPATH"]`}},
	{"CRLF", "make lint\r\nmake bench\r\n", []string{`1 ["make" "lint"]`, `2 ["make" "bench"]`}},
}

func TestSplit(t *testing.T) {
	for _, tc := range splitCases {
		if got := show(Split(tc.src)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: Split(%q)\n got %q\nwant %q", tc.name, tc.src, got, tc.want)
		}
	}
}

// TestSplitNesting: sh -c inside sh -c is read maxNesting deep, and no
// deeper.
func TestSplitNesting(t *testing.T) {
	src := "make bench"
	for range maxNesting {
		src = "sh -c " + shellQuote(src)
	}
	if got := show(Split(src)); !slices.Equal(got, []string{`1 ["make" "bench"]`}) {
		t.Errorf("%d levels: %q", maxNesting, got)
	}
	if got := Split("sh -c " + shellQuote(src)); len(got) != 0 {
		t.Errorf("%d levels: %q, want nothing", maxNesting+1, show(got))
	}
}

// shellQuote quotes s for sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func TestSplitRecipe(t *testing.T) {
	for _, tc := range []struct {
		recipe string
		want   []string
	}{
		{`$(GO) test -run '^$$' -bench . $(PKGS)`, []string{`7 ["$(GO)" "test" "-run" "^$" "-bench" "." "$(PKGS)"]`}},
		{`cd $$(go env GOPATH) && echo $@ $${HOME}`, []string{`7 ["cd" "$(go env GOPATH)"]`, `7 ["go" "env" "GOPATH"]`, `7 ["echo"]`}},
		{`$(shell go build ./...) $(foo`, []string{`7 ["$(shell go build ./...)"]`, `7 ["foo"]`}}, // does not parse
	} {
		if got := show(splitRecipe(Line{Pos{"Makefile", 7}, tc.recipe})); !slices.Equal(got, tc.want) {
			t.Errorf("splitRecipe(%q)\n got %q\nwant %q", tc.recipe, got, tc.want)
		}
	}
}
