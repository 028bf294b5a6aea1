package checks

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

var ciKind = &Kind{
	Name:    "ci",
	Summary: "the CI configuration runs the performance checks (perf), compares with a reference (regression) or publishes results (report)",
	New:     func() Evaluator { return &ciCheck{} },
}

// defaultCIFiles are the CI configurations searched when files is not given.
var defaultCIFiles = []string{
	".github/workflows/*.y*ml", ".gitlab-ci.yml", ".gitlab/**/*.y*ml", ".circleci/config.y*ml",
	"azure-pipelines.y*ml", "Jenkinsfile", ".buildkite/**", ".drone.y*ml", ".woodpecker.y*ml",
	".woodpecker/**", "bitbucket-pipelines.yml", ".travis.yml", ".ci/**", "ci/**",
}

// What a ci check can require.
const (
	ciPerf       = "perf"
	ciRegression = "regression"
	ciReport     = "report"
)

// ciCheck passes when the CI configuration (with the make targets, just
// recipes, tasks and scripts it runs, one level deep) does what Require
// asks.
type ciCheck struct {
	Files   []string `yaml:"files"`   // globs of the CI configuration (default defaultCIFiles)
	Require string   `yaml:"require"` // perf (default), regression or report
}

func (c *ciCheck) validate() error {
	if err := validateGlobs("files", c.Files); err != nil {
		return err
	}
	switch c.Require {
	case "", ciPerf, ciRegression, ciReport:
		return nil
	}
	return fmt.Errorf("require: %q: use perf, regression or report", c.Require)
}

// What the CI lines are searched for.
var (
	// perfctl with a subcommand; also ./bin/perfctl, go tool perfctl and
	// go run …/perfctl@v1. Group 1 is the subcommand, 2 what follows.
	ciPerfctlCmd = regexp.MustCompile(`(?:^|[\s/'"(=])perfctl(?:@\S+)?(?:\s+-\S+)*\s+(check|lint|bench|compare)\b(.*)`)
	// the perfctl GitHub action
	ciPerfctlAction = regexp.MustCompile(`\buses:\s*['"]?[\w.-]+/[\w.-]*perfctl[\w./-]*@`)
	// go test with -bench (not just -benchmem or -benchtime)
	ciGoBench = regexp.MustCompile(`\bgo\s+test\b.*\s-{1,2}(?:test\.)?bench(?:[=\s]|$)`)
	// golangci-lint run, or its GitHub action
	ciGolangciLint = regexp.MustCompile(`(?:(?:^|[\s/'"(=])golangci-lint(?:@\S+)?(?:\s+-\S+)*\s+run\b|\bgolangci/golangci-lint-action@)`)
	// a comparison flag of perfctl check/compare
	ciReferenceFlag = regexp.MustCompile(`(?:^|\s)--(baseline|base-ref|merge-base)(?:[=\s]|$)`)
	// benchstat with arguments
	ciBenchstat = regexp.MustCompile(`(?:^|[\s/'"(=])benchstat(?:@\S+)?\s+[^\s&|;]`)
	// a report format of perfctl
	ciReportFormat = regexp.MustCompile(`(?:^|\s)--(?:format[=\s]+|report[=\s]+['"]?)['"]?(markdown|md|junit|sarif|codequality)\b`)
	// lines that only describe: YAML keys that name or label things, and
	// comments
	ciNotCommand = regexp.MustCompile(`^\s*(?:-\s*)?(?:(?:name|description|title|label|id|key|if|stage|environment|group)\s*:|#|//)`)
	// a command segment that prints text instead of running it
	ciEcho = regexp.MustCompile(`^\s*(?:(?:-\s*)?run:\s*\|?\s*)?(?:echo|printf)\b`)
	// the inputs of the perfctl action, on the lines after its uses:
	ciActionInput = regexp.MustCompile(`^\s*(command|args):\s*['"]?(.*?)['"]?\s*$`)
	// the step summary of GitHub Actions
	ciStepSummary = regexp.MustCompile(`GITHUB_STEP_SUMMARY`)
	// publishing tools
	ciPublisher = regexp.MustCompile(`\bbenchmark-action/github-action-benchmark@|(?:^|[\s/'"(=])gobenchdata\b`)
)

// perfctlValueFlags are the flags of perfctl compare that take a value.
var perfctlValueFlags = []string{"--alpha", "--threshold", "--filter", "--format", "--baseline", "--baseline-dir",
	"--head", "--base-ref", "--merge-base", "--max-time", "--bench", "--count", "--benchtime", "--cpu", "--tags", "--timeout"}

// A ciLine is a line of CI configuration, or of what it runs.
type ciLine struct {
	srcLine
	via string // how the CI file reaches it: "make bench from .github/workflows/ci.yml:20"; "" for the CI file's own lines
}

func (l ciLine) where() string {
	if l.via == "" {
		return l.loc()
	}
	return l.loc() + " via " + l.via
}

// A ciHit is something found in CI.
type ciHit struct {
	what string // e.g. "perfctl check"
	line ciLine
}

func (h *ciHit) String() string { return fmt.Sprintf("%s at %s", h.what, h.line.where()) }

func (c *ciCheck) Evaluate(_ context.Context, ws *Workspace) Result {
	globs := c.Files
	if len(globs) == 0 {
		globs = defaultCIFiles
	}
	files, err := ws.Files()
	if err != nil {
		return errResult("listing the module's files: " + err.Error())
	}
	ciFiles := matchFiles(files, globs)
	if len(ciFiles) == 0 {
		return fail(fmt.Sprintf("no CI configuration found (looked for %s)", strings.Join(globs, ", ")))
	}
	x := &ciExpander{ws: ws, files: files}
	var hits ciHits
	for _, f := range ciFiles {
		lines, err := x.expand(f)
		if err != nil {
			return errResult(err.Error())
		}
		hits.scan(lines)
	}
	searched := append(slices.Clone(ciFiles), x.followed...)
	where := "searched " + strings.Join(limitList(searched, 4), ", ")
	details := x.notes
	if len(searched) > 4 {
		// The message names the first few; the details all of them.
		details = append([]string{"searched: " + strings.Join(searched, ", ")}, details...)
	}
	switch c.Require {
	case ciRegression:
		if hits.reference != nil {
			return pass("CI compares benchmarks with a reference: " + hits.reference.String())
		}
		return fail("CI does not compare benchmarks with a reference (perfctl check or compare with --baseline, --base-ref or --merge-base; perfctl compare BASE HEAD; benchstat); "+where, details...)
	case ciReport:
		if hits.report != nil {
			return pass("CI publishes performance results: " + hits.report.String())
		}
		return fail("CI does not publish performance results (perfctl with --format or --report markdown, junit or sarif; perfctl check in GitHub Actions; $GITHUB_STEP_SUMMARY with perfctl or benchstat; github-action-benchmark; gobenchdata); "+where, details...)
	}
	switch {
	case hits.perfctl != nil:
		return pass("CI runs " + hits.perfctl.String())
	case hits.bench != nil && hits.lint != nil:
		return pass(fmt.Sprintf("CI runs benchmarks (%s) and golangci-lint (%s)", hits.bench.line.where(), hits.lint.line.where()))
	case hits.lint != nil:
		return fail(fmt.Sprintf("CI runs golangci-lint (%s) but no benchmarks (perfctl bench or check, or go test -bench); %s", hits.lint.line.where(), where), details...)
	case hits.bench != nil:
		return fail(fmt.Sprintf("CI runs benchmarks (%s) but not golangci-lint (perfctl lint or check, golangci-lint run, or golangci-lint-action); %s", hits.bench.line.where(), where), details...)
	}
	return fail("CI runs neither perfctl (check, lint, bench or compare) nor both benchmarks (go test -bench) and golangci-lint; "+where, details...)
}

// ciHits are the first lines found for each thing a ci check looks for.
type ciHits struct {
	perfctl, bench, lint, reference, report *ciHit
}

func setHit(h **ciHit, what string, l ciLine) {
	if *h == nil {
		*h = &ciHit{what, l}
	}
}

// scan looks at the lines of one CI file and what it runs.
func (h *ciHits) scan(lines []ciLine) {
	var summary *ciLine
	publishes := false // perfctl or benchstat runs in this file
	action := -1       // index of the line of the last perfctl action
	actionCmd := "check"
	for i, l := range lines {
		t := l.Text
		if ciNotCommand.MatchString(t) {
			continue // a step's name or a comment mentions perfctl; nothing runs it
		}
		segs := cmdSeparators.Split(t, -1)
		for j, seg := range segs {
			if ciEcho.MatchString(seg) {
				segs[j] = "" // echo "run perfctl check" prints, it does not run
			}
		}
		if action >= 0 && i-action <= 8 {
			// The action runs 'perfctl <command> <args>': read its inputs
			// as a command line.
			switch in := ciActionInput.FindStringSubmatch(t); {
			case in == nil:
			case in[1] == "command":
				actionCmd = in[2]
			default:
				segs = append(segs, "perfctl "+actionCmd+" "+in[2])
			}
		}
		for _, seg := range segs {
			m := ciPerfctlCmd.FindStringSubmatch(seg)
			if m == nil {
				continue
			}
			sub, rest := m[1], m[2]
			setHit(&h.perfctl, "perfctl "+sub, l)
			publishes = true
			if sub == "check" || sub == "compare" {
				if f := ciReferenceFlag.FindStringSubmatch(rest); f != nil {
					setHit(&h.reference, fmt.Sprintf("perfctl %s --%s", sub, f[1]), l)
				} else if sub == "compare" && positionalArgs(rest) >= 2 {
					setHit(&h.reference, "perfctl compare BASE HEAD", l)
				}
			}
			if f := ciReportFormat.FindStringSubmatch(rest); f != nil {
				setHit(&h.report, "perfctl "+sub+" with a "+f[1]+" report", l)
			} else if sub == "check" && strings.HasPrefix(l.File, ".github/workflows/") {
				// check appends its Markdown report to the job summary.
				setHit(&h.report, "perfctl check in GitHub Actions (job summary)", l)
			}
		}
		if ciPerfctlAction.MatchString(t) {
			setHit(&h.perfctl, "the perfctl action", l)
			publishes = true
			action, actionCmd = i, "check"
			if strings.HasPrefix(l.File, ".github/workflows/") {
				setHit(&h.report, "the perfctl action (perfctl check writes the job summary)", l)
			}
		}
		if ciGoBench.MatchString(t) {
			setHit(&h.bench, "go test -bench", l)
		}
		if ciGolangciLint.MatchString(t) {
			setHit(&h.lint, "golangci-lint", l)
		}
		if ciBenchstat.MatchString(t) {
			setHit(&h.reference, "benchstat", l)
			publishes = true
		}
		if m := ciPublisher.FindString(t); m != "" {
			setHit(&h.report, strings.TrimSuffix(strings.TrimSpace(strings.Trim(m, `'"(=/`)), "@"), l)
		}
		if summary == nil && ciStepSummary.MatchString(t) {
			summary = &l
		}
	}
	if summary != nil && publishes {
		setHit(&h.report, "$GITHUB_STEP_SUMMARY", *summary)
	}
}

// positionalArgs counts the arguments of a perfctl command line that are
// not flags or flag values.
func positionalArgs(rest string) int {
	n := 0
	words := shellWords(rest)
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case w == "--":
			return n + len(words) - i - 1
		case strings.HasPrefix(w, "-"):
			if !strings.Contains(w, "=") && slices.Contains(perfctlValueFlags, w) {
				i++
			}
		case w == ">" || w == ">>" || w == "2>" || w == "<":
			i++
		case strings.ContainsAny(w, "<>"):
		default:
			n++
		}
	}
	return n
}

// ciExpander reads CI files and follows, one level deep, the make
// targets, just recipes, tasks and scripts they run.
type ciExpander struct {
	ws       *Workspace
	files    []string
	followed []string // what was followed, for messages
	notes    []string // targets that could not be followed

	makefiles map[string]*makefile
	justfiles map[string]*justfile
	taskfiles map[string]*yaml.Node
}

func (x *ciExpander) has(rel string) bool {
	_, ok := slices.BinarySearch(x.files, rel)
	return ok
}

func (x *ciExpander) read(rel string) ([]byte, error) {
	data, err := x.ws.ReadFile(rel)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", rel, err)
	}
	return data, nil
}

func (x *ciExpander) follow(what string) {
	if !slices.Contains(x.followed, what) {
		x.followed = append(x.followed, what)
	}
}

// expand returns the lines of the CI file f followed by the lines it runs.
func (x *ciExpander) expand(f string) ([]ciLine, error) {
	data, err := x.read(f)
	if err != nil {
		return nil, err
	}
	var out []ciLine
	own := logicalLines(f, data)
	if isMakefile(f) {
		vars := makeVars(own)
		for i := range own {
			own[i].Text = vars.expand(own[i].Text)
		}
	}
	for _, l := range own {
		out = append(out, ciLine{srcLine: l})
	}
	for _, l := range own {
		for _, words := range commandWords(l.Text) {
			more, err := x.command(l, words)
			if err != nil {
				return nil, err
			}
			out = append(out, more...)
		}
	}
	return out, nil
}

// Programs that run the command that follows them, and interpreters that
// run a script.
var (
	cmdWrappers  = []string{"sudo", "time", "env", "exec", "nice", "nohup", "command", "eval"}
	cmdShells    = []string{"sh", "bash", "zsh", "dash", "ksh"}
	interpreters = []string{"python", "python3", "ruby", "node", "perl", "pwsh", "source", "."}
	envAssign    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)
)

// command follows one simple command of the CI file line l.
func (x *ciExpander) command(l srcLine, words []string) ([]ciLine, error) {
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case envAssign.MatchString(w) || slices.Contains(cmdWrappers, w):
			continue
		case slices.Contains(cmdShells, w) || slices.Contains(interpreters, w):
			for i+1 < len(words) && strings.HasPrefix(words[i+1], "-") {
				i++
			}
			if i+1 < len(words) {
				if s, ok := x.script(words[i+1], l.File); ok {
					return x.followScript(l, s)
				}
			}
			if slices.Contains(interpreters, w) {
				return nil, nil
			}
			continue // sh -c 'make bench'
		case w == "make" || w == "gmake" || strings.HasSuffix(w, "/make"):
			return x.followMake(l, words[i+1:])
		case w == "just":
			return x.followJust(l, words[i+1:])
		case w == "task" || w == "go-task":
			return x.followTask(l, words[i+1:])
		}
		if s, ok := x.script(w, l.File); ok {
			return x.followScript(l, s)
		}
		return nil, nil
	}
	return nil, nil
}

// script resolves a word naming a file of the module (other than the
// CI file itself).
func (x *ciExpander) script(word, from string) (string, bool) {
	if word == "" || strings.ContainsAny(word, "$*?") {
		return "", false
	}
	rel := path.Clean(strings.TrimPrefix(word, "./"))
	if rel == from || strings.HasPrefix(rel, "../") || path.IsAbs(rel) || !x.has(rel) {
		return "", false
	}
	return rel, true
}

func (x *ciExpander) followScript(from srcLine, script string) ([]ciLine, error) {
	data, err := x.read(script)
	if err != nil {
		return nil, err
	}
	via := fmt.Sprintf("%s from %s", script, from.loc())
	x.follow(fmt.Sprintf("%s (run from %s)", script, from.loc()))
	var out []ciLine
	for _, l := range logicalLines(script, data) {
		out = append(out, ciLine{srcLine: l, via: via})
	}
	return out, nil
}

// followMake follows make [options] [targets]: the targets' recipes and
// those of their prerequisites, recursively.
func (x *ciExpander) followMake(from srcLine, args []string) ([]ciLine, error) {
	var dir, file string
	var targets []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		next := func() string {
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		switch {
		case a == "-C" || a == "--directory":
			dir = next()
		case strings.HasPrefix(a, "--directory="):
			dir = strings.TrimPrefix(a, "--directory=")
		case strings.HasPrefix(a, "-C"):
			dir = a[2:]
		case a == "-f" || a == "--file" || a == "--makefile":
			file = next()
		case strings.HasPrefix(a, "--file=") || strings.HasPrefix(a, "--makefile="):
			_, file, _ = strings.Cut(a, "=")
		case strings.HasPrefix(a, "-f"):
			file = a[2:]
		case a == "-j" || a == "-l" || a == "--jobs":
			if i+1 < len(args) && strings.Trim(args[i+1], "0123456789") == "" {
				i++
			}
		case a == "-o" || a == "-W" || a == "-I":
			next()
		case strings.HasPrefix(a, "-") || strings.Contains(a, "="):
		default:
			targets = append(targets, a)
		}
	}
	mf, name, err := x.makefile(dir, file)
	if err != nil || mf == nil {
		if err == nil {
			x.notes = append(x.notes, fmt.Sprintf("%s: make: no Makefile in %s", from.loc(), orDefault(dir, "the module root")))
		}
		return nil, err
	}
	if len(targets) == 0 {
		if mf.first == "" {
			return nil, nil
		}
		targets = []string{mf.first}
	}
	var out []ciLine
	for _, t := range targets {
		if mf.rules[t] == nil {
			x.notes = append(x.notes, fmt.Sprintf("%s: make %s: %s has no target %s", from.loc(), t, name, t))
			continue
		}
		via := fmt.Sprintf("make %s from %s", t, from.loc())
		x.follow(fmt.Sprintf("%s (make %s from %s)", name, t, from.loc()))
		for _, l := range mf.lines(t, map[string]bool{}) {
			out = append(out, ciLine{srcLine: l, via: via})
		}
	}
	return out, nil
}

// orDefault returns s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// makefile finds and parses the Makefile make would read in dir (module
// relative; "" is the root), or file.
func (x *ciExpander) makefile(dir, file string) (*makefile, string, error) {
	dir = path.Clean(strings.TrimPrefix(dir, "./"))
	if dir == "." {
		dir = ""
	}
	var candidates []string
	if file != "" {
		candidates = []string{path.Join(dir, strings.TrimPrefix(file, "./"))}
	} else {
		candidates = []string{path.Join(dir, "GNUmakefile"), path.Join(dir, "makefile"), path.Join(dir, "Makefile")}
	}
	for _, name := range candidates {
		if !x.has(name) {
			continue
		}
		if mf, ok := x.makefiles[name]; ok {
			return mf, name, nil
		}
		data, err := x.read(name)
		if err != nil {
			return nil, "", err
		}
		mf := parseMakefile(name, data)
		if x.makefiles == nil {
			x.makefiles = map[string]*makefile{}
		}
		x.makefiles[name] = mf
		return mf, name, nil
	}
	return nil, "", nil
}

// followJust follows just [options] recipe [args]: the recipe and its
// dependencies.
func (x *ciExpander) followJust(from srcLine, args []string) ([]ciLine, error) {
	file, recipe := "", ""
	for i := 0; i < len(args) && recipe == ""; i++ {
		switch a := args[i]; {
		case a == "-f" || a == "--justfile":
			if i+1 < len(args) {
				file = args[i+1]
				i++
			}
		case a == "-d" || a == "--working-directory" || a == "--set":
			i++
			if a == "--set" {
				i++
			}
		case strings.HasPrefix(a, "-") || strings.Contains(a, "="):
		default:
			recipe = a
		}
	}
	candidates := []string{"justfile", "Justfile", ".justfile"}
	if file != "" {
		candidates = []string{path.Clean(strings.TrimPrefix(file, "./"))}
	}
	for _, name := range candidates {
		if !x.has(name) {
			continue
		}
		jf, ok := x.justfiles[name]
		if !ok {
			data, err := x.read(name)
			if err != nil {
				return nil, err
			}
			jf = parseJustfile(name, data)
			if x.justfiles == nil {
				x.justfiles = map[string]*justfile{}
			}
			x.justfiles[name] = jf
		}
		if recipe == "" {
			recipe = jf.first
		}
		if jf.recipes[recipe] == nil {
			x.notes = append(x.notes, fmt.Sprintf("%s: just %s: %s has no recipe %s", from.loc(), recipe, name, recipe))
			return nil, nil
		}
		via := fmt.Sprintf("just %s from %s", recipe, from.loc())
		x.follow(fmt.Sprintf("%s (just %s from %s)", name, recipe, from.loc()))
		var out []ciLine
		for _, l := range jf.lines(recipe, map[string]bool{}) {
			out = append(out, ciLine{srcLine: l, via: via})
		}
		return out, nil
	}
	x.notes = append(x.notes, from.loc()+": just: no justfile at the module root")
	return nil, nil
}

// followTask follows task [options] [tasks]: the tasks of the Taskfile,
// their commands and dependencies.
func (x *ciExpander) followTask(from srcLine, args []string) ([]ciLine, error) {
	dir, file := "", ""
	var names []string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--":
			i = len(args)
		case a == "-d" || a == "--dir":
			if i+1 < len(args) {
				dir = args[i+1]
				i++
			}
		case a == "-t" || a == "--taskfile":
			if i+1 < len(args) {
				file = args[i+1]
				i++
			}
		case strings.HasPrefix(a, "-") || strings.Contains(a, "="):
		default:
			names = append(names, a)
		}
	}
	dir = strings.TrimPrefix(path.Clean(strings.TrimPrefix(dir, "./")), ".")
	candidates := []string{"Taskfile.yml", "taskfile.yml", "Taskfile.yaml", "taskfile.yaml", "Taskfile.dist.yml", "Taskfile.dist.yaml"}
	if file != "" {
		candidates = []string{strings.TrimPrefix(file, "./")}
	}
	for _, c := range candidates {
		name := path.Join(dir, c)
		if !x.has(name) {
			continue
		}
		tasks, ok := x.taskfiles[name]
		if !ok {
			data, err := x.read(name)
			if err != nil {
				return nil, err
			}
			tasks = parseTaskfile(data)
			if x.taskfiles == nil {
				x.taskfiles = map[string]*yaml.Node{}
			}
			x.taskfiles[name] = tasks
		}
		if len(names) == 0 {
			names = []string{"default"}
		}
		var out []ciLine
		for _, t := range names {
			if mappingValue(tasks, t) == nil {
				x.notes = append(x.notes, fmt.Sprintf("%s: task %s: %s has no task %s", from.loc(), t, name, t))
				continue
			}
			via := fmt.Sprintf("task %s from %s", t, from.loc())
			x.follow(fmt.Sprintf("%s (task %s from %s)", name, t, from.loc()))
			for _, l := range taskLines(name, tasks, t, map[string]bool{}) {
				out = append(out, ciLine{srcLine: l, via: via})
			}
		}
		return out, nil
	}
	x.notes = append(x.notes, fmt.Sprintf("%s: task: no Taskfile in %s", from.loc(), orDefault(dir, "the module root")))
	return nil, nil
}

// Splitting shell command lines into simple commands and words.
var (
	cmdSeparators = regexp.MustCompile("&&|\\|\\||\\$\\(|[;|()`]")
	// the YAML keys whose values are commands
	commandKey = regexp.MustCompile(`^(?:-\s*)?(run|script|scripts|command|commands|cmd|cmds|sh|bash|before_script|after_script|entrypoint)\s*:(?:\s+|$)`)
	otherKey   = regexp.MustCompile(`^(?:-\s*)?[\w.-]+\s*:(?:\s|$)`)
)

// commandWords splits a line of a CI file, Makefile recipe or script into
// the words of its simple commands. YAML keys other than the ones that
// hold commands (run:, script:, …) give nothing.
func commandWords(text string) [][]string {
	t := strings.TrimSpace(text)
	if m := commandKey.FindStringIndex(t); m != nil {
		t = t[m[1]:]
	} else if otherKey.MatchString(t) {
		return nil
	}
	t = strings.TrimPrefix(t, "- ")
	var out [][]string
	for _, seg := range cmdSeparators.Split(t, -1) {
		if words := shellWords(seg); len(words) > 0 {
			out = append(out, words)
		}
	}
	return out
}

// shellWords splits s into words, dropping quotes, YAML list brackets and
// a trailing comment.
func shellWords(s string) []string {
	var words []string
	for _, w := range strings.Fields(s) {
		if strings.HasPrefix(w, "#") {
			break
		}
		if w = strings.Trim(w, `'"[],`); w != "" {
			words = append(words, w)
		}
	}
	return words
}

// A makefile is what the ci and build-flags checks need of a Makefile:
// its simple variables and its rules.
type makefile struct {
	vars  *makeVarSet
	rules map[string]*makeRule
	first string // the default goal
}

type makeRule struct {
	prereqs []string
	recipe  []srcLine // with variables expanded
}

var (
	makeAssign      = regexp.MustCompile(`^\s*(?:(?:export|override)\s+)*([A-Za-z_][A-Za-z0-9_.-]*)\s*(::?=|:::=|\?=|\+=|!=|=)\s*(.*)$`)
	makeRuleLine    = regexp.MustCompile(`^([^:#=\t][^:#=]*?)\s*::?(.*)$`)
	makeTargetVar   = regexp.MustCompile(`^(?:(?:export|override|private)\s+)*[A-Za-z_][A-Za-z0-9_.-]*\s*(?:::?=|\?=|\+=|=)`)
	makeConditional = regexp.MustCompile(`^\s*(?:ifeq|ifneq|ifdef|ifndef|else|endif)\b`)
	makeVarName     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)
)

// Bounds of Makefile variable expansion: a Makefile is repository content,
// and `A = $(A)$(A)` a hundred times over would otherwise expand to more
// bytes than the machine has.
const (
	maxMakeExpandDepth = 16       // nested references followed
	maxMakeExpandLine  = 64 << 10 // bytes one expanded line may grow to
	maxMakeExpandTotal = 4 << 20  // bytes all the expansions of one Makefile may produce
)

// makeVarSet is the variables of one Makefile and what is left of its
// expansion budget.
type makeVarSet struct {
	vars   map[string]string
	budget int
}

// makeVars collects the simple variable assignments of a Makefile's lines.
func makeVars(lines []srcLine) *makeVarSet {
	vars := map[string]string{"MAKE": "make"}
	for _, l := range lines {
		if strings.HasPrefix(l.Text, "\t") {
			continue
		}
		m := makeAssign.FindStringSubmatch(l.Text)
		if m == nil {
			continue
		}
		name, op, val := m[1], m[2], strings.TrimSpace(m[3])
		switch op {
		case "?=":
			if _, set := vars[name]; !set {
				vars[name] = val
			}
		case "+=":
			if len(vars[name]) < maxMakeExpandLine { // appends cannot grow a value past a line
				vars[name] = strings.TrimSpace(vars[name] + " " + val)
			}
		case "!=":
		default:
			vars[name] = val
		}
	}
	return &makeVarSet{vars: vars, budget: maxMakeExpandTotal}
}

// expand replaces the references to known variables in s, following
// references in their values as make expands recursive variables; $$
// becomes $. A variable that refers to itself (make's "recursive variable
// references itself" error), a reference nested more than
// maxMakeExpandDepth deep, and anything past the line or Makefile budget
// stay as written.
func (vs *makeVarSet) expand(s string) string {
	if !strings.Contains(s, "$") || vs.budget <= 0 {
		return s
	}
	var b strings.Builder
	limit := max(len(s), min(maxMakeExpandLine, vs.budget))
	e := makeExpansion{vars: vs.vars, out: &b, limit: limit}
	e.expand(s, nil)
	vs.budget -= b.Len() + e.spent
	return b.String()
}

// makeExpansion is one expansion in progress.
type makeExpansion struct {
	vars  map[string]string
	out   *strings.Builder
	limit int
	// spent counts the text of the references met: a reference costs its
	// text even when it expands to nothing (V = $(W)$(W)… over 16 levels
	// of variables that end empty), and a nested one each time it is
	// scanned. It has a limit of its own.
	spent int
	full  bool // a limit was reached: the rest is dropped
}

// charge spends n bytes on a reference; it reports false, and stops the
// expansion, when that is over the limit.
func (e *makeExpansion) charge(n int) bool {
	e.spent += n
	if e.spent > e.limit {
		e.full = true
	}
	return !e.full
}

func (e *makeExpansion) write(s string) {
	if e.full {
		return
	}
	if e.out.Len()+len(s) > e.limit {
		s = s[:e.limit-e.out.Len()]
		e.full = true
	}
	e.out.WriteString(s)
}

// expand writes s expanded; stack holds the variables being expanded.
func (e *makeExpansion) expand(s string, stack []string) {
	for i := 0; i < len(s) && !e.full; {
		j := strings.IndexByte(s[i:], '$')
		if j < 0 {
			e.write(s[i:])
			return
		}
		e.write(s[i : i+j])
		i += j
		if i+1 >= len(s) {
			e.write("$")
			return
		}
		switch open := s[i+1]; open {
		case '$':
			e.write("$")
			i += 2
		case '(', '{':
			end := matchingClose(s, i+1)
			if end < 0 {
				e.write(s[i:])
				return
			}
			if !e.charge(end + 1 - i) {
				return
			}
			inner := s[i+2 : end]
			name := inner
			if v, ok := e.vars[name]; ok && makeVarName.MatchString(name) && !slices.Contains(stack, name) && len(stack) < maxMakeExpandDepth {
				e.expand(v, append(stack, name))
			} else {
				// An unknown variable, a function call or a recursive
				// reference: kept, with what is inside expanded.
				e.write(s[i : i+2])
				if len(stack) < maxMakeExpandDepth {
					e.expand(inner, stack)
				} else {
					e.write(inner)
				}
				e.write(s[end : end+1])
			}
			i = end + 1
		default:
			e.write(s[i : i+2])
			i += 2
		}
	}
}

// matchingClose returns the index of the bracket that closes the one at
// s[open], or -1.
func matchingClose(s string, open int) int {
	o, c := s[open], byte(')')
	if o == '{' {
		c = '}'
	}
	depth := 0
	for k := open; k < len(s); k++ {
		switch s[k] {
		case o:
			depth++
		case c:
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	return -1
}

// parseMakefile reads the rules and variables of the Makefile rel.
func parseMakefile(rel string, data []byte) *makefile {
	lines := logicalLines(rel, data)
	mf := &makefile{vars: makeVars(lines), rules: map[string]*makeRule{}}
	var current []*makeRule
	for _, l := range lines {
		if strings.HasPrefix(l.Text, "\t") {
			if current != nil {
				l.Text = strings.TrimLeft(strings.TrimSpace(mf.vars.expand(l.Text)), "@-+")
				for _, r := range current {
					r.recipe = append(r.recipe, l)
				}
			}
			continue
		}
		if makeConditional.MatchString(l.Text) {
			continue
		}
		current = nil
		if makeAssign.MatchString(l.Text) {
			continue
		}
		m := makeRuleLine.FindStringSubmatch(l.Text)
		if m == nil {
			continue
		}
		targets, rest := m[1], strings.TrimSpace(m[2])
		if makeTargetVar.MatchString(rest) {
			continue // target: VAR = value
		}
		rest, inline, hasInline := strings.Cut(rest, ";")
		var prereqs []string
		for _, p := range strings.Fields(strings.ReplaceAll(mf.vars.expand(rest), "|", " ")) {
			if !strings.Contains(p, "$") {
				prereqs = append(prereqs, p)
			}
		}
		for _, t := range strings.Fields(mf.vars.expand(targets)) {
			r := mf.rules[t]
			if r == nil {
				r = &makeRule{}
				mf.rules[t] = r
			}
			r.prereqs = append(r.prereqs, prereqs...)
			current = append(current, r)
			if mf.first == "" && !strings.HasPrefix(t, ".") && !strings.ContainsAny(t, "%$") {
				mf.first = t
			}
		}
		if hasInline {
			l.Text = strings.TrimLeft(strings.TrimSpace(mf.vars.expand(inline)), "@-+")
			for _, r := range current {
				r.recipe = append(r.recipe, l)
			}
		}
	}
	return mf
}

// lines returns the recipe lines make runs for target: its prerequisites'
// first, and those of targets its recipe runs with $(MAKE) in the same
// Makefile. seen makes it safe against cycles.
func (mf *makefile) lines(target string, seen map[string]bool) []srcLine {
	r := mf.rules[target]
	if r == nil || seen[target] {
		return nil
	}
	seen[target] = true
	var out []srcLine
	for _, p := range r.prereqs {
		out = append(out, mf.lines(p, seen)...)
	}
	for _, l := range r.recipe {
		out = append(out, l)
		for _, words := range commandWords(l.Text) {
			if len(words) > 1 && (words[0] == "make" || words[0] == "gmake") {
				for _, w := range words[1:] {
					if strings.HasPrefix(w, "-") {
						break // -C or -f: another Makefile; not followed
					}
					if !strings.Contains(w, "=") {
						out = append(out, mf.lines(w, seen)...)
					}
				}
			}
		}
	}
	return out
}

// A justfile is the recipes of a justfile.
type justfile struct {
	recipes map[string]*makeRule
	first   string
}

var (
	justRecipe = regexp.MustCompile(`^@?([A-Za-z_][A-Za-z0-9_-]*)(?:\s+[^:]*?)?\s*:(?:[^=]|$)`)
	justDep    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)
)

func parseJustfile(rel string, data []byte) *justfile {
	jf := &justfile{recipes: map[string]*makeRule{}}
	var current *makeRule
	for _, l := range logicalLines(rel, data) {
		if l.Text[0] == ' ' || l.Text[0] == '\t' {
			if current != nil {
				l.Text = strings.TrimLeft(strings.TrimSpace(l.Text), "@-")
				current.recipe = append(current.recipe, l)
			}
			continue
		}
		current = nil
		m := justRecipe.FindStringSubmatchIndex(l.Text)
		if m == nil {
			continue
		}
		name := l.Text[m[2]:m[3]]
		current = &makeRule{}
		for _, d := range strings.Fields(l.Text[m[1]-1:]) {
			d = strings.Trim(d, ":&")
			if justDep.MatchString(d) {
				current.prereqs = append(current.prereqs, d)
			}
		}
		jf.recipes[name] = current
		if jf.first == "" {
			jf.first = name
		}
	}
	return jf
}

func (jf *justfile) lines(recipe string, seen map[string]bool) []srcLine {
	r := jf.recipes[recipe]
	if r == nil || seen[recipe] {
		return nil
	}
	seen[recipe] = true
	var out []srcLine
	for _, p := range r.prereqs {
		out = append(out, jf.lines(p, seen)...)
	}
	return append(out, r.recipe...)
}

// parseTaskfile returns the tasks mapping of a Taskfile, or nil.
func parseTaskfile(data []byte) *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) == 0 {
		return nil
	}
	if tasks := mappingValue(doc.Content[0], "tasks"); tasks != nil && tasks.Kind == yaml.MappingNode {
		return tasks
	}
	return nil
}

// mappingValue is the value of key in the mapping n, or nil.
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// taskLines returns the command lines of a task: its dependencies',
// then its commands, following task: references.
func taskLines(file string, tasks *yaml.Node, name string, seen map[string]bool) []srcLine {
	t := mappingValue(tasks, name)
	if t == nil || seen[name] {
		return nil
	}
	seen[name] = true
	var out []srcLine
	ref := func(n *yaml.Node) bool {
		switch {
		case n.Kind == yaml.MappingNode && mappingValue(n, "task") != nil:
			out = append(out, taskLines(file, tasks, mappingValue(n, "task").Value, seen)...)
			return true
		case n.Kind == yaml.MappingNode && mappingValue(n, "cmd") != nil:
			out = append(out, scalarLines(file, mappingValue(n, "cmd"))...)
			return true
		}
		return false
	}
	switch t.Kind {
	case yaml.ScalarNode:
		return scalarLines(file, t)
	case yaml.SequenceNode:
		for _, c := range t.Content {
			if !ref(c) {
				out = append(out, scalarLines(file, c)...)
			}
		}
		return out
	}
	if deps := mappingValue(t, "deps"); deps != nil && deps.Kind == yaml.SequenceNode {
		for _, d := range deps.Content {
			if !ref(d) && d.Kind == yaml.ScalarNode {
				out = append(out, taskLines(file, tasks, d.Value, seen)...)
			}
		}
	}
	if c := mappingValue(t, "cmd"); c != nil {
		out = append(out, scalarLines(file, c)...)
	}
	if cmds := mappingValue(t, "cmds"); cmds != nil && cmds.Kind == yaml.SequenceNode {
		for _, c := range cmds.Content {
			if !ref(c) {
				out = append(out, scalarLines(file, c)...)
			}
		}
	}
	return out
}

// scalarLines are the lines of a YAML scalar, with their lines in file.
func scalarLines(file string, n *yaml.Node) []srcLine {
	if n.Kind != yaml.ScalarNode {
		return nil
	}
	lines := logicalLines(file, []byte(n.Value))
	for i := range lines {
		if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			lines[i].Line += n.Line
		} else {
			lines[i].Line = n.Line
		}
	}
	return lines
}
