package main

import (
	"bufio"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xeipuuv/gojsonschema"
	"gopkg.in/yaml.v3"

	"github.com/perfctl/perfctl/cmd"
)

// The CI kit's tests: action.yml and the configurations in docs/ci.md are
// validated against the schemas in testdata/schemas (see its README), the
// perfctl command lines of docs/ci.md are parsed by perfctl's own command
// tree, each is run by testdata/script/ci_github.txtar with the same flags,
// and the action's script is run with a stand-in perfctl.

// schema compiles testdata/schemas/NAME.
func schema(t *testing.T, name string) *gojsonschema.Schema {
	t.Helper()
	text, err := os.ReadFile(filepath.Join("testdata", "schemas", name))
	if err != nil {
		t.Fatal(err)
	}
	s, err := gojsonschema.NewSchema(gojsonschema.NewBytesLoader(text))
	if err != nil {
		t.Fatalf("compiling %s: %v", name, err)
	}
	return s
}

// validate reports the schema errors of a YAML document.
func validate(t *testing.T, s *gojsonschema.Schema, doc any) []string {
	t.Helper()
	res, err := s.Validate(gojsonschema.NewGoLoader(doc))
	if err != nil {
		t.Fatal(err)
	}
	var errs []string
	for _, e := range res.Errors() {
		errs = append(errs, e.String())
	}
	return errs
}

func parseYAML(t *testing.T, text string) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatalf("not YAML: %v\n%s", err, text)
	}
	return doc
}

// actionYAML is action.yml, parsed.
func actionYAML(t *testing.T) map[string]any {
	t.Helper()
	text, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	return parseYAML(t, string(text))
}

// TestCIKitActionSchema validates action.yml against SchemaStore's schema
// for GitHub Actions metadata, and checks that the validation can fail.
func TestCIKitActionSchema(t *testing.T) {
	s := schema(t, "github-action.json")
	if errs := validate(t, s, actionYAML(t)); len(errs) > 0 {
		t.Fatalf("action.yml does not validate against github-action.json:\n%s", strings.Join(errs, "\n"))
	}
	for name, breakIt := range map[string]func(map[string]any){
		"a run step without shell": func(a map[string]any) { delete(step(t, a, "run"), "shell") },
		"an unknown runner":        func(a map[string]any) { a["runs"].(map[string]any)["using"] = "composite2" },
		"no description":           func(a map[string]any) { delete(a, "description") },
	} {
		a := actionYAML(t)
		breakIt(a)
		if errs := validate(t, s, a); len(errs) == 0 {
			t.Errorf("action.yml with %s passed the schema check", name)
		}
	}
}

// step is the step of the composite action with id, or fails.
func step(t *testing.T, action map[string]any, id string) map[string]any {
	t.Helper()
	for _, s := range action["runs"].(map[string]any)["steps"].([]any) {
		if s := s.(map[string]any); s["id"] == id {
			return s
		}
	}
	t.Fatalf("action.yml has no step with id %q", id)
	return nil
}

// TestCIKitActionInputs checks the action's interface and that no run
// script has an expression pasted into it (inputs go through env).
func TestCIKitActionInputs(t *testing.T) {
	a := actionYAML(t)
	inputs := a["inputs"].(map[string]any)
	want := map[string]string{"command": "check", "args": "", "go-version": "stable", "version": "latest",
		"working-directory": ".", "install-tools": "true"}
	for name, def := range want {
		in, ok := inputs[name].(map[string]any)
		if !ok {
			t.Errorf("no input %q", name)
			continue
		}
		if in["default"] != def {
			t.Errorf("input %q defaults to %#v, want %q", name, in["default"], def)
		}
	}
	if len(inputs) != len(want) {
		t.Errorf("inputs %v, want %v", slices.Sorted(maps.Keys(inputs)), slices.Sorted(maps.Keys(want)))
	}
	if out := a["outputs"].(map[string]any)["exit-code"].(map[string]any); out["value"] != "${{ steps.run.outputs.exit-code }}" {
		t.Errorf("output exit-code = %v", out)
	}
	for _, s := range a["runs"].(map[string]any)["steps"].([]any) {
		s := s.(map[string]any)
		if run, ok := s["run"].(string); ok && strings.Contains(run, "${{") {
			t.Errorf("step %q pastes an expression into its script (pass it in env):\n%s", s["name"], run)
		}
	}
	if setup := a["runs"].(map[string]any)["steps"].([]any)[0].(map[string]any); setup["uses"] != "actions/setup-go@v5" || setup["if"] != "inputs.go-version != ''" {
		t.Errorf("first step %v, want actions/setup-go@v5 when go-version is set", setup)
	}
}

// TestCIKitActionScript runs the action's perfctl step as the runner does
// (bash -e -o pipefail) with a stand-in perfctl that prints its arguments:
// the inputs are split on whitespace and nothing in them is expanded or
// run; perfctl's exit status becomes the step's and the exit-code output.
func TestCIKitActionScript(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	script := step(t, actionYAML(t), "run")["run"].(string)
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	fake := "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\nexit \"$FAKE_EXIT\"\n"
	if err := os.WriteFile(filepath.Join(bin, "perfctl"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		command, args, exit string
		want                []string
	}{
		{"baseline save", "--force\n  --count 3\t$(touch pwned) `touch pwned2` * ${HOME} ;exit", "1",
			[]string{"baseline", "save", "--force", "--count", "3", "$(touch", "pwned)", "`touch", "pwned2`", "*", "${HOME}", ";exit"}},
		{"check", "", "0", []string{"check"}},
		{"compare", "--merge-base origin/main --format markdown", "2", []string{"compare", "--merge-base", "origin/main", "--format", "markdown"}},
	} {
		output := filepath.Join(dir, "output")
		os.Remove(output)
		run := exec.CommandContext(t.Context(), bash, "--noprofile", "--norc", "-eo", "pipefail", "-c", script)
		run.Dir = dir
		run.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "FAKE_EXIT="+c.exit,
			"PERFCTL_COMMAND="+c.command, "PERFCTL_ARGS="+c.args, "GITHUB_OUTPUT="+output)
		out, err := run.Output()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n"); !slices.Equal(got, c.want) {
			t.Errorf("command %q, args %q: perfctl got %q, want %q", c.command, c.args, got, c.want)
		}
		if strconv.Itoa(code) != c.exit {
			t.Errorf("command %q: the step exited %d, want perfctl's %s", c.command, code, c.exit)
		}
		if o, _ := os.ReadFile(output); string(o) != "exit-code="+c.exit+"\n" {
			t.Errorf("command %q: $GITHUB_OUTPUT has %q, want exit-code=%s", c.command, o, c.exit)
		}
	}
	for _, f := range []string{"pwned", "pwned2"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("the args input ran a command (%s exists)", f)
		}
	}
}

// A codeBlock is a fenced block of docs/ci.md.
type codeBlock struct {
	lang, text string
	line       int // of the opening fence
	file       string
}

// docBlocks returns the fenced code blocks of docs/ci.md; file is the path
// named by the block's first line ("# .gitlab-ci.yml", "// Jenkinsfile").
func docBlocks(t *testing.T) []codeBlock {
	t.Helper()
	f, err := os.Open(filepath.Join("docs", "ci.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var blocks []codeBlock
	var cur *codeBlock
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && strings.HasPrefix(line, "```"):
			cur = &codeBlock{lang: strings.TrimPrefix(line, "```"), line: n}
		case cur != nil && line == "```":
			first, _, _ := strings.Cut(cur.text, "\n")
			for _, p := range []string{"# ", "// "} {
				if name, ok := strings.CutPrefix(first, p); ok && !strings.Contains(name, " ") {
					cur.file = name
				}
			}
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.text += line + "\n"
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return blocks
}

// TestCIKitDocsSchemas validates every YAML block of docs/ci.md: GitHub
// workflows against SchemaStore's github-workflow.json, .gitlab-ci.yml
// against GitLab's ci.json, the Buildkite pipeline by its keys. A block
// that names no file it is fails the test: every example is complete.
func TestCIKitDocsSchemas(t *testing.T) {
	github, gitlab := schema(t, "github-workflow.json"), schema(t, "gitlab-ci.json")
	counts := map[string]int{}
	var workflow map[string]any
	for _, b := range docBlocks(t) {
		if b.lang != "yaml" {
			continue
		}
		doc := parseYAML(t, b.text)
		var errs []string
		switch {
		case strings.HasPrefix(b.file, ".github/workflows/") && strings.HasSuffix(b.file, ".yml"):
			errs = validate(t, github, doc)
			counts["github"]++
			if workflow == nil {
				workflow = doc
			}
		case b.file == ".gitlab-ci.yml":
			errs = validate(t, gitlab, doc)
			counts["gitlab"]++
		case b.file == ".buildkite/pipeline.yml":
			errs = buildkiteErrors(doc)
			counts["buildkite"]++
		default:
			t.Errorf("docs/ci.md:%d: a YAML block whose first line names no known file (# .github/workflows/….yml, # .gitlab-ci.yml, # .buildkite/pipeline.yml)", b.line)
			continue
		}
		if len(errs) > 0 {
			t.Errorf("docs/ci.md:%d: %s does not validate:\n%s\n%s", b.line, b.file, strings.Join(errs, "\n"), b.text)
		}
	}
	if want := map[string]int{"github": 7, "gitlab": 4, "buildkite": 1}; fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("YAML blocks: %v, want %v", counts, want)
	}

	// The check can fail: a misspelt event, a job without runs-on, a
	// GitLab job with a misspelt keyword.
	for name, breakIt := range map[string]func(map[string]any){
		"event pull-request": func(w map[string]any) { w["on"] = map[string]any{"pull-request": nil} },
		"no runs-on": func(w map[string]any) {
			delete(w["jobs"].(map[string]any)["check"].(map[string]any), "runs-on")
		},
	} {
		w := parseYAML(t, mustYAML(t, workflow))
		breakIt(w)
		if errs := validate(t, github, w); len(errs) == 0 {
			t.Errorf("a workflow with %s passed the schema check", name)
		}
	}
	broken := parseYAML(t, "perf-check:\n  scripts:\n    - perfctl check\n")
	if errs := validate(t, gitlab, broken); len(errs) == 0 {
		t.Error("a GitLab job with 'scripts' passed the schema check")
	}
}

func mustYAML(t *testing.T, v any) string {
	t.Helper()
	b, err := yaml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// buildkiteErrors checks the keys a Buildkite command step of docs/ci.md
// relies on (there is no schema for it in testdata/schemas).
func buildkiteErrors(doc map[string]any) []string {
	steps, ok := doc["steps"].([]any)
	if !ok || len(steps) == 0 {
		return []string{"no steps"}
	}
	var errs []string
	for i, s := range steps {
		s, ok := s.(map[string]any)
		if !ok {
			errs = append(errs, fmt.Sprintf("step %d is not a mapping", i))
			continue
		}
		for k := range s {
			if !slices.Contains([]string{"label", "command", "if", "artifact_paths", "timeout_in_minutes", "agents", "env"}, k) {
				errs = append(errs, fmt.Sprintf("step %d: unknown key %q", i, k))
			}
		}
		if _, ok := s["command"].(string); !ok {
			errs = append(errs, fmt.Sprintf("step %d: no command", i))
		}
		if _, ok := s["artifact_paths"].([]any); !ok {
			errs = append(errs, fmt.Sprintf("step %d: no artifact_paths list", i))
		}
	}
	return errs
}

// An invocation is a perfctl command line found in docs/ci.md or a script.
type invocation struct {
	where string
	words []string // perfctl and its arguments
}

// docInvocations returns every perfctl command line that docs/ci.md runs:
// in shell blocks, in the scripts of YAML blocks (run, script,
// before_script, command), in the sh steps of the Jenkinsfile, and the
// command and args of the perfctl action.
func docInvocations(t *testing.T) []invocation {
	t.Helper()
	var invs []invocation
	add := func(where, script string) {
		for _, words := range shellCommands(script) {
			if words[0] == "perfctl" {
				invs = append(invs, invocation{where, words})
			}
		}
	}
	groovySh := regexp.MustCompile(`(?s)'''(.*?)'''|\bsh\s+'([^']*)'`)
	for _, b := range docBlocks(t) {
		where := fmt.Sprintf("docs/ci.md:%d", b.line)
		switch b.lang {
		case "sh":
			add(where, b.text)
		case "groovy":
			for _, m := range groovySh.FindAllStringSubmatch(b.text, -1) {
				add(where, m[1]+m[2])
			}
		case "yaml":
			walkYAML(parseYAML(t, b.text), func(key string, v any, parent map[string]any) {
				switch key {
				case "run", "script", "before_script", "after_script", "command", "commands":
					if s, ok := v.(string); ok {
						add(where, s)
					}
					if l, ok := v.([]any); ok {
						for _, s := range l {
							if s, ok := s.(string); ok {
								add(where, s)
							}
						}
					}
				case "uses":
					if s, _ := v.(string); strings.HasPrefix(s, "perfctl/perfctl@") {
						with, _ := parent["with"].(map[string]any)
						command, _ := with["command"].(string)
						args, _ := with["args"].(string)
						if command == "" {
							command = "check"
						}
						add(where+" (the perfctl action)", "perfctl "+command+" "+args)
					}
				}
			})
		}
	}
	return invs
}

// walkYAML calls f for every key of every mapping in v.
func walkYAML(v any, f func(key string, value any, parent map[string]any)) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			f(k, x, v)
			walkYAML(x, f)
		}
	case []any:
		for _, x := range v {
			walkYAML(x, f)
		}
	}
}

// shellCommands splits a shell script into simple commands (at newlines,
// ;, &&, ||, | and &), each as its words with quotes removed, without
// redirections and leading VAR=value assignments. ${{ expressions }}
// become X. It is the small part of sh that CI scripts use.
func shellCommands(script string) [][]string {
	script = regexp.MustCompile(`\$\{\{[^}]*\}\}`).ReplaceAllString(script, "X")
	script = strings.ReplaceAll(script, "\\\n", " ")
	var cmds [][]string
	var words []string
	var w strings.Builder
	inWord, redirect := false, false
	endWord := func() {
		if !inWord {
			return
		}
		if redirect {
			redirect = false
		} else {
			words = append(words, w.String())
		}
		w.Reset()
		inWord = false
	}
	endCmd := func() {
		endWord()
		for len(words) > 0 && regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`).MatchString(words[0]) {
			words = words[1:]
		}
		if len(words) > 0 {
			cmds = append(cmds, words)
		}
		words = nil
	}
	for i := 0; i < len(script); i++ {
		c := script[i]
		switch {
		case c == '\'':
			j := strings.IndexByte(script[i+1:], '\'')
			if j < 0 {
				j = len(script) - i - 1
			}
			w.WriteString(script[i+1 : i+1+j])
			inWord = true
			i += j + 1
		case c == '"':
			j := i + 1
			for j < len(script) && script[j] != '"' {
				if script[j] == '\\' {
					j++
				}
				j++
			}
			w.WriteString(script[i+1 : min(j, len(script))])
			inWord = true
			i = j
		case c == '#' && !inWord:
			for i < len(script) && script[i] != '\n' {
				i++
			}
			endCmd()
		case c == '\n' || c == ';' || c == '|' || c == '&':
			endCmd()
		case c == '>' || c == '<':
			if inWord && (w.String() == "2" || w.String() == "1") { // 2>file
				w.Reset()
				inWord = false
			} else {
				endWord()
			}
			for i+1 < len(script) && (script[i+1] == '>' || script[i+1] == '&') {
				i++
			}
			redirect = true
		case c == ' ' || c == '\t':
			endWord()
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	endCmd()
	return cmds
}

// parseInvocation finds the perfctl command of words, parses its flags and
// checks its arguments, as perfctl would, without running it. It returns
// the command's path and the long flags given.
func parseInvocation(words []string) (string, []string, error) {
	root := cmd.NewCmdRoot(cmd.NewFactory())
	c, rest, err := root.Find(words[1:])
	if err != nil {
		return "", nil, err
	}
	if c == root || !c.Runnable() {
		return "", nil, fmt.Errorf("%q is not a perfctl command", strings.Join(words[:min(len(words), 3)], " "))
	}
	if err := c.ParseFlags(rest); err != nil {
		return "", nil, err
	}
	if err := c.ValidateArgs(c.Flags().Args()); err != nil {
		return "", nil, err
	}
	var flags []string
	for _, w := range rest {
		if name, ok := strings.CutPrefix(w, "--"); ok {
			name, _, _ = strings.Cut(name, "=")
			if !slices.Contains(flags, name) {
				flags = append(flags, name)
			}
		}
	}
	return c.CommandPath(), flags, nil
}

// pendingCommands are commands that docs/ci.md names and other branches of
// issue 15 are building: while perfctl lacks one, its lines are not
// parsed (and ci_history.txtar runs them under [perfctl:NAME]); once
// perfctl has it, the entry must go, and its lines are checked like the
// others.
var pendingCommands []string

// pending reports whether words run a pending command that perfctl does
// not have yet.
func pending(t *testing.T, words []string) bool {
	t.Helper()
	for _, p := range pendingCommands {
		pw := strings.Fields(p)
		if len(words) >= len(pw) && slices.Equal(words[:len(pw)], pw) {
			if hasCommand(pw[1:]) {
				t.Errorf("perfctl has %s now: remove it from pendingCommands", p)
				return false
			}
			return true
		}
	}
	return false
}

// ciScripts are the testscripts that run docs/ci.md's command lines.
var ciScripts = []string{"ci_github.txtar", "ci_history.txtar"}

// scriptCondition is a testscript line's leading conditions ("[exec:git] ").
var scriptCondition = regexp.MustCompile(`^(\[[^\]]*\] )+`)

// TestCIKitDocsCommands parses every perfctl command line of docs/ci.md
// with perfctl's command tree (the command exists, its flags exist, its
// arguments fit), and checks that testdata/script/ci_github.txtar or
// ci_history.txtar runs each of them with at least the same flags.
func TestCIKitDocsCommands(t *testing.T) {
	invs := docInvocations(t)
	if len(invs) < 10 {
		t.Fatalf("found %d perfctl command lines in docs/ci.md, want more: is the extraction broken?", len(invs))
	}
	type run struct {
		path  string
		flags []string
	}
	var runs []run
	for _, name := range ciScripts {
		script, err := os.ReadFile(filepath.Join("testdata", "script", name))
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(script), "\n") {
			line = strings.TrimPrefix(scriptCondition.ReplaceAllString(line, ""), "! ")
			rest, ok := strings.CutPrefix(line, "exec perfctl ")
			if !ok {
				continue
			}
			for _, words := range shellCommands("perfctl " + rest) {
				if pending(t, words) {
					continue
				}
				path, flags, err := parseInvocation(words)
				if err != nil {
					t.Errorf("%s: %s: %v", name, line, err)
					continue
				}
				runs = append(runs, run{path, flags})
			}
		}
	}
	seen := map[string]bool{}
	for _, inv := range invs {
		line := strings.Join(inv.words, " ")
		if pending(t, inv.words) {
			t.Logf("%s: %s: not checked until perfctl has the command", inv.where, line)
			continue
		}
		path, flags, err := parseInvocation(inv.words)
		if err != nil {
			t.Errorf("%s: %s: %v", inv.where, line, err)
			continue
		}
		seen[path] = true
		if path == "perfctl tools install" { // needs the network; tools_install.txtar runs it
			continue
		}
		covered := slices.ContainsFunc(runs, func(r run) bool {
			return r.path == path && !slices.ContainsFunc(flags, func(f string) bool { return !slices.Contains(r.flags, f) })
		})
		if !covered {
			t.Errorf("%s: %s: %s runs no %s with the flags %v", inv.where, line, strings.Join(ciScripts, " or "), path, flags)
		}
	}
	for _, want := range []string{"perfctl check", "perfctl compare", "perfctl baseline save", "perfctl tools install",
		"perfctl bench", "perfctl history pull", "perfctl history push"} {
		if !seen[want] {
			t.Errorf("docs/ci.md never runs %s", want)
		}
	}

	// The parser is strict: an unknown flag, command or extra argument is an error.
	for _, bad := range []string{"perfctl check --merge-bass origin/main", "perfctl chek", "perfctl check extra", "perfctl baseline"} {
		if _, _, err := parseInvocation(shellCommands(bad)[0]); err == nil {
			t.Errorf("%s parsed", bad)
		}
	}
}

// TestCIKitShellCommands checks the small shell splitter.
func TestCIKitShellCommands(t *testing.T) {
	got := shellCommands(`code=0
BASE=x perfctl compare --merge-base "origin/$BASE_REF" --format markdown > perf-compare.md || code=$?
echo "a; b" 2>&1 | tee 'c d' # comment
perfctl check \
  --baseline ${{ inputs.x }}`)
	want := [][]string{{"perfctl", "compare", "--merge-base", "origin/$BASE_REF", "--format", "markdown"},
		{"echo", "a; b"}, {"tee", "c d"}, {"perfctl", "check", "--baseline", "X"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
