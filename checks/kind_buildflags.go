package checks

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/perfctl/perfctl/checks/buildfiles"
	"github.com/perfctl/perfctl/internal/english"
)

var buildFlagsKind = &Kind{
	Name:    "build-flags",
	Summary: "release builds are not de-optimized (profile: release), or dev builds stay incremental (profile: dev)",
	New:     func() Evaluator { return &buildFlagsCheck{} },
}

// defaultBuildFiles are where build definitions are looked for when files
// is not given: the CI configurations and the build files.
var defaultBuildFiles = buildfiles.BuildGlobs()

// The profiles of a build-flags check.
const (
	profileRelease = "release"
	profileDev     = "dev"
)

// buildFlagsCheck reads the build definitions (Makefiles, scripts,
// Dockerfiles, CI configurations, .goreleaser.yaml: every command they
// define, whether CI runs it or not: a release is often built by hand)
// for flags that de-optimize release builds or make dev builds start from
// scratch.
type buildFlagsCheck struct {
	Profile string   `yaml:"profile"` // release (default) or dev
	Files   []string `yaml:"files"`   // globs of the build definitions (default defaultBuildFiles)
	// RequireTrimpath makes a release build without -trimpath a problem;
	// without it, such builds are a note. -trimpath is about reproducible
	// builds, not speed.
	RequireTrimpath *bool `yaml:"require_trimpath"`
	PGO             bool  `yaml:"pgo"` // release: every main package has a default.pgo
	// DebugTargets are Makefile targets and just recipes that build for a
	// debugger: their builds are waived, as those of a target marked with
	// a # perfctl:debug-build comment are.
	DebugTargets []string      `yaml:"debug_targets"`
	Waive        []waiverParam `yaml:"waive"` // problems under these paths or targets are waived, with the reason
	// Scope is all (default: every command the build definitions define;
	// a release is often built by hand) or ci (only the commands CI runs,
	// as the ci kind reads them, and Dockerfiles and goreleaser
	// configurations).
	Scope string `yaml:"scope"`
}

// The scopes of a build-flags check.
const (
	scopeAll = "all"
	scopeCI  = "ci"
)

func (c *buildFlagsCheck) validate() error {
	if err := validateGlobs("files", c.Files); err != nil {
		return err
	}
	switch c.Profile {
	case "", profileRelease:
	case profileDev:
		if c.RequireTrimpath != nil {
			return errors.New("require_trimpath applies to profile: release only")
		}
		if c.PGO {
			return errors.New("pgo applies to profile: release only")
		}
	default:
		return fmt.Errorf("profile: %q: use release or dev", c.Profile)
	}
	switch c.Scope {
	case "", scopeAll, scopeCI:
	default:
		return fmt.Errorf("scope: %q: use all or ci", c.Scope)
	}
	for i, t := range c.DebugTargets {
		if strings.TrimSpace(t) == "" {
			return fmt.Errorf("debug_targets[%d]: an empty target name", i)
		}
	}
	return validateWaivers(c.Waive, true)
}

// What build definitions are searched for.
var (
	// a GOFLAGS setting (Makefile, shell, Dockerfile ENV/ARG, YAML env): group 1 is the value
	goflagsSetting = regexp.MustCompile(`(?:^|[^\w$({])GOFLAGS['"]?(\s*[:?+]?=|\s*:\s|\s+)\s*(.*)$`)
	// GOCACHE=off
	gocacheOff = regexp.MustCompile(`\bGOCACHE['"]?\s*[:=]\s*['"]?off\b`)
	// -N or -l in a -gcflags value
	noOptFlag = regexp.MustCompile(`(?:^|[\s=,'"])-([Nl])(?:$|[\s,'"])`)
	// arguments of a Go string list in a magefile: "go", "build"
	goStringSep = regexp.MustCompile(`"\s*,\s*"`)
	// a comment that marks a Makefile target or just recipe as a debug build
	debugBuildComment = regexp.MustCompile(`(?:#|//)\s*perfctl:debug-build\b`)
)

// A buildProblem is something wrong in a build definition.
type buildProblem struct {
	file    string
	line    int
	msg     string   // "what is wrong — fix"
	targets []string // the Makefile targets or just recipes it is in
}

func (c *buildFlagsCheck) Evaluate(_ context.Context, ws *Workspace) Result {
	globs := c.Files
	if len(globs) == 0 {
		globs = defaultBuildFiles
	}
	files, err := ws.Files()
	if err != nil {
		return errResult("listing the module's files: " + err.Error())
	}
	buildFiles := matchFiles(files, globs)
	scan := buildScan{dev: c.Profile == profileDev, trimpath: c.RequireTrimpath != nil && *c.RequireTrimpath, module: modulePath(ws)}
	if c.Scope == scopeCI {
		_, ci, err := ws.readCI(defaultCIFiles)
		if err != nil {
			return errResult(err.Error())
		}
		scan.only = map[string]bool{}
		for i := range ci.Configs {
			cmds := ci.Configs[i].Commands
			for j := range cmds {
				scan.only[cmds[j].Loc()] = true
			}
		}
	}
	for _, f := range buildFiles {
		data, err := ws.ReadFile(f)
		if err != nil {
			return errResult(fmt.Sprintf("reading %s: %v", f, err))
		}
		if buildfiles.KindOf(f) == buildfiles.KindGoreleaser {
			if !scan.dev {
				scan.goreleaser(f, data)
			}
			continue
		}
		scan.file(f, data)
	}
	debug := &debugBuilds{c: c, ws: ws}
	problems, waivedOnes := c.waive(ws, debug, scan.problems)
	if scan.dev {
		return c.devResult(problems, waivedOnes, len(buildFiles))
	}
	if scan.builds == 0 {
		msg := "no release build definitions (Makefile, .goreleaser.yaml, Dockerfile, scripts): nothing to check"
		if scan.only != nil {
			msg = "CI runs no release build, and there is no Dockerfile or .goreleaser.yaml that builds one (scope: ci): nothing to check"
		}
		r := skip(msg)
		r.Details = waivedDetails(waivedOnes)
		return r
	}
	var pgoNote string
	if c.PGO {
		missing, err := missingPGO(ws, files)
		if err != nil {
			return errResult(err.Error())
		}
		problems = append(problems, missing...)
		pgoNote = ", and every main package has a default.pgo"
	}
	note := waivedNote(len(waivedOnes))
	trimpathNotes, noTrimpath := trimpathNotes(debug, scan.noTrimpath)
	if len(problems) > 0 {
		msg := fmt.Sprintf("%d problem(s) in release builds", len(problems))
		if note != "" {
			msg += " (" + note + ")"
		}
		r := problemsResult(msg, problems)
		r.Details = append(r.Details, waivedDetails(waivedOnes)...)
		r.Details = append(r.Details, trimpathNotes...)
		return r
	}
	what := "are optimized"
	if scan.trimpath {
		what += " and use -trimpath"
	}
	r := pass(fmt.Sprintf("release builds (%d in %s) %s%s", scan.builds, strings.Join(limitList(scan.buildFiles, 3), ", "), what, pgoNote))
	if noTrimpath > 0 {
		r.Message += fmt.Sprintf("; note: %d without -trimpath", noTrimpath)
	}
	if note != "" {
		r.Message += "; " + note
	}
	r.Details = append(waivedDetails(waivedOnes), trimpathNotes...)
	return r
}

// waive splits problems into those that stand and those waived: the
// builds of debug targets, problems under a waive: path or target, and
// problems with a perfctl:ignore build-flags comment on or above their
// line. A comment without a reason is a problem of its own.
func (c *buildFlagsCheck) waive(ws *Workspace, debug *debugBuilds, problems []buildProblem) ([]buildProblem, []waived) {
	var keep []buildProblem
	var out []waived
	noReason := map[string]bool{} // file:line of comments without a reason, reported once
	for _, p := range problems {
		f := Finding{File: p.file, Line: p.line, Rule: buildFlagsKind.Name, Message: p.msg}
		if t := debug.why(p); t != "" {
			out = append(out, waived{f, t})
			continue
		}
		if w := matchWaiver(c.Waive, p.file, p.targets); w != nil {
			where := w.Path
			if w.Target != "" {
				where = strings.TrimSpace(where + " target " + w.Target)
			}
			out = append(out, waived{f, fmt.Sprintf("%s (waive: %s in the policy)", w.Reason, where)})
			continue
		}
		data, err := ws.ReadFile(p.file)
		if err != nil {
			keep = append(keep, p)
			continue
		}
		reason, at, found := commentWaiver(data, p.line, buildFlagsKind.Name)
		switch {
		case !found:
			keep = append(keep, p)
		case reason == "":
			keep = append(keep, p)
			if loc := fmt.Sprintf("%s:%d", p.file, at); !noReason[loc] {
				noReason[loc] = true
				keep = append(keep, buildProblem{file: p.file, line: at, msg: errNoReason.Error()})
			}
		default:
			out = append(out, waived{f, fmt.Sprintf("%s (perfctl:ignore at %s:%d)", reason, p.file, at)})
		}
	}
	return keep, out
}

// debugBuilds knows which builds are debug builds: those of the targets
// in debug_targets and of the targets marked with a perfctl:debug-build
// comment. It reads each Makefile or justfile once.
type debugBuilds struct {
	c     *buildFlagsCheck
	ws    *Workspace
	files map[string]*ruleFile
}

// A ruleFile is the rules of a Makefile or justfile and its lines.
type ruleFile struct {
	rules map[string]*buildfiles.Rule
	lines []string
}

func (d *debugBuilds) file(name string) *ruleFile {
	if rf, ok := d.files[name]; ok {
		return rf
	}
	if d.files == nil {
		d.files = map[string]*ruleFile{}
	}
	d.files[name] = nil
	data, err := d.ws.ReadFile(name)
	if err != nil {
		return nil
	}
	rf := &ruleFile{lines: strings.Split(string(data), "\n")}
	switch buildfiles.KindOf(name) {
	case buildfiles.KindMakefile:
		rf.rules = buildfiles.ReadMakefile(name, data).Rules
	case buildfiles.KindJustfile:
		rf.rules = buildfiles.ReadJustfile(name, data).Recipes
	default:
		return nil
	}
	d.files[name] = rf
	return rf
}

// why says why the problem p is in a debug build ("" when it is not): one
// of its targets is in debug_targets, or is marked with a
// perfctl:debug-build comment on its rule line or the line above.
func (d *debugBuilds) why(p buildProblem) string {
	for _, t := range p.targets {
		if slices.Contains(d.c.DebugTargets, t) {
			return fmt.Sprintf("debug build: target %s is in debug_targets", t)
		}
	}
	if len(p.targets) == 0 {
		return ""
	}
	rf := d.file(p.file)
	if rf == nil {
		return ""
	}
	rules, lines := rf.rules, rf.lines
	for _, t := range p.targets {
		r := rules[t]
		if r == nil {
			continue
		}
		for _, l := range []int{r.Line, r.Line - 1} {
			if l >= 1 && l <= len(lines) && debugBuildComment.MatchString(lines[l-1]) {
				return fmt.Sprintf("debug build: target %s is marked perfctl:debug-build at %s:%d", t, p.file, l)
			}
		}
	}
	return ""
}

// modulePath is the module path of the workspace's go.mod ("" when it
// cannot be read).
func modulePath(ws *Workspace) string {
	data, err := ws.ReadFile("go.mod")
	if err != nil {
		return ""
	}
	if m := moduleLine.FindSubmatch(data); m != nil {
		return string(m[1])
	}
	return ""
}

// moduleLine is the module directive of a go.mod file.
var moduleLine = regexp.MustCompile(`(?m)^\s*module\s+"?([^\s"/]+[^\s"]*)"?\s*(?://.*)?$`)

func (c *buildFlagsCheck) devResult(problems []buildProblem, waivedOnes []waived, nfiles int) Result {
	note := waivedNote(len(waivedOnes))
	if len(problems) > 0 {
		msg := fmt.Sprintf("%d build definition(s) defeat go's build cache", len(problems))
		if note != "" {
			msg += " (" + note + ")"
		}
		r := problemsResult(msg, problems)
		r.Details = append(r.Details, waivedDetails(waivedOnes)...)
		return r
	}
	r := pass(fmt.Sprintf("dev builds stay incremental: go's build cache reuses every unchanged package, and none of the %d build file(s) disables it (-a, GOCACHE=off, go clean -cache)", nfiles))
	if note != "" {
		r.Message += "; " + note
	}
	r.Details = waivedDetails(waivedOnes)
	return r
}

// problemsResult fails with the problems as findings.
func problemsResult(msg string, problems []buildProblem) Result {
	r := fail(fmt.Sprintf("%s: %s:%d: %s", msg, problems[0].file, problems[0].line, problems[0].msg))
	for _, p := range problems {
		r.Details = append(r.Details, fmt.Sprintf("%s:%d: %s", p.file, p.line, p.msg))
		r.Findings = append(r.Findings, Finding{File: p.file, Line: p.line, Rule: "build-flags", Message: p.msg})
	}
	return r
}

// buildScan accumulates what the build definitions hold.
type buildScan struct {
	dev, trimpath bool
	module        string   // the module path: go install of another module's package installs a tool
	builds        int      // build commands and goreleaser builds found
	buildFiles    []string // the files that have them
	problems      []buildProblem
	noTrimpath    []buildProblem // release builds without -trimpath, when it is not required
	targets       []string       // the targets of the command being scanned
	// only, when set, holds the file:line of the commands CI runs: the
	// others are not read (scope: ci). Dockerfiles are read whole.
	only map[string]bool
}

func (s *buildScan) add(file string, line int, format string, args ...any) {
	s.problems = append(s.problems, buildProblem{file, line, fmt.Sprintf(format, args...), s.targets})
}

// maxTrimpathNotes bounds the builds without -trimpath listed in details.
const maxTrimpathNotes = 20

// trimpathNotes are the details that say which release builds have no
// -trimpath, when it is not required (the builds of debug targets aside),
// and how many there are.
func trimpathNotes(debug *debugBuilds, builds []buildProblem) ([]string, int) {
	var where []string
	for _, b := range builds {
		if debug.why(b) == "" {
			where = append(where, fmt.Sprintf("%s:%d", b.file, b.line))
		}
	}
	if len(where) == 0 {
		return nil, 0
	}
	return []string{fmt.Sprintf("note: %s without -trimpath (%s): the binaries record local file paths; -trimpath makes builds reproducible (it does not make them faster) — add it, or set require_trimpath: true to require it",
		english.Plural(len(where), "release build", "release builds"), strings.Join(limitList(where, maxTrimpathNotes), ", "))}, len(where)
}

// missingTrimpath records a release build without -trimpath: a problem
// when it is required, a note otherwise.
func (s *buildScan) missingTrimpath(file string, line int, format string, args ...any) {
	if s.trimpath {
		s.add(file, line, format, args...)
		return
	}
	s.noTrimpath = append(s.noTrimpath, buildProblem{file: file, line: line, targets: s.targets})
}

func (s *buildScan) built(file string) {
	s.builds++
	if !slices.Contains(s.buildFiles, file) {
		s.buildFiles = append(s.buildFiles, file)
	}
}

// file scans a build definition other than a goreleaser configuration:
// its GOFLAGS and GOCACHE settings, line by line, and its go commands.
func (s *buildScan) file(f string, data []byte) {
	kind := buildfiles.KindOf(f)
	lines := buildfiles.LogicalLines(f, data)
	switch kind {
	case buildfiles.KindMakefile:
		vars := buildfiles.ReadMakeVars(lines)
		for i := range lines {
			lines[i].Text = vars.Expand(lines[i].Text)
		}
	case buildfiles.KindMagefile:
		for i := range lines {
			lines[i].Text = goStringSep.ReplaceAllString(lines[i].Text, " ")
		}
	}
	// GOFLAGS set anywhere in the file applies to its builds.
	fileTrimpath := false
	var goflags []buildfiles.Line
	for _, l := range lines {
		if m := goflagsSetting.FindStringSubmatch(l.Text); m != nil {
			value := m[2]
			if m[1] == "=" && kind != buildfiles.KindMakefile { // shell: GOFLAGS=-trimpath go build, GOFLAGS="-a -x"
				value = shellValue(value)
			}
			goflags = append(goflags, buildfiles.Line{Pos: l.Pos, Text: value})
			if hasFlag(buildfiles.SimpleWords(value), "trimpath") {
				fileTrimpath = true
			}
		}
	}
	before, start := s.builds, len(s.problems)
	for _, l := range lines {
		if s.dev && gocacheOff.MatchString(l.Text) {
			s.add(f, l.Line, "GOCACHE=off turns the build cache off (and is an error since Go 1.12) — remove it")
		}
	}
	var targets map[int][]string // recipe line → Makefile targets or just recipes
	switch kind {
	case buildfiles.KindMakefile:
		targets = buildfiles.ReadMakefile(f, data).RecipeTargets()
	case buildfiles.KindJustfile:
		targets = buildfiles.ReadJustfile(f, data).RecipeTargets()
	}
	cmds := buildfiles.Commands(f, data)
	for i := range cmds {
		c := &cmds[i]
		if len(c.Args) < 2 || path.Base(c.Args[0]) != "go" {
			continue
		}
		if s.only != nil && kind != buildfiles.KindDockerfile && !s.only[c.Loc()] {
			continue // CI does not run it
		}
		s.targets = targets[c.Line]
		switch sub, args := c.Args[1], c.Args[2:]; {
		case sub == "clean":
			if s.dev && hasFlag(args, "cache") {
				s.add(f, c.Line, "go clean -cache empties the build cache, so the next build compiles everything again — remove it from the build")
			}
		case (sub == "build" || sub == "install") && !buildsTools(args, s.module):
			s.built(f)
			s.buildCommand(c, "go "+sub, args, fileTrimpath)
		}
	}
	s.targets = nil
	slices.SortStableFunc(s.problems[start:], func(a, b buildProblem) int { return cmp.Compare(a.line, b.line) })
	if s.builds == before && !s.dev {
		return // GOFLAGS of a file without builds (a test workflow) does not matter
	}
	for _, g := range goflags {
		words := buildfiles.SimpleWords(g.Text)
		if s.dev {
			if hasFlag(words, "a") {
				s.add(f, g.Line, "GOFLAGS has -a, which rebuilds every package instead of using the build cache — remove -a")
			}
			continue
		}
		if hasFlag(words, "race") {
			s.add(f, g.Line, "GOFLAGS has -race, which makes the builds of this file race-detector builds, several times slower — remove -race (use go test -race)")
		}
		s.gcflags(f, g.Line, words)
	}
}

// shellValue is the value at the start of text: a quoted string or a word.
func shellValue(text string) string {
	if text == "" {
		return ""
	}
	if q := text[0]; q == '"' || q == '\'' {
		if end := strings.IndexByte(text[1:], q); end >= 0 {
			return text[1 : end+1]
		}
		return text[1:]
	}
	if words := strings.Fields(text); len(words) > 0 {
		return words[0]
	}
	return ""
}

// goBuildValueFlags are the flags of go build and go install that take a
// value in the next word.
var goBuildValueFlags = []string{"o", "C", "p", "tags", "ldflags", "gcflags", "asmflags", "gccgoflags", "mod", "modfile",
	"overlay", "pgo", "pkgdir", "toolexec", "exec", "buildmode", "compiler", "installsuffix", "covermode", "coverpkg"}

// buildsTools reports whether go build or go install with the arguments
// args builds tools rather than the module (module is its path; "" when
// unknown): every package argument is pkg@version, or an import path of
// another module (its first element has a dot, and it is not under
// module). go install golang.org/x/vuln/cmd/govulncheck@latest, or run in
// a tools module, installs a tool; it is not a release build.
func buildsTools(args []string, module string) bool {
	pkgs := 0
	for i := 0; i < len(args); i++ {
		w := strings.Trim(args[i], `'"`)
		if strings.HasPrefix(w, "-") {
			name := strings.TrimLeft(w, "-")
			if !strings.Contains(name, "=") && slices.Contains(goBuildValueFlags, name) {
				i++ // the flag's value
			}
			continue
		}
		if !strings.Contains(w, "@") && !otherModule(w, module) {
			return false
		}
		pkgs++
	}
	return pkgs > 0
}

// otherModule reports whether the package pattern p is an import path
// outside the module module.
func otherModule(p, module string) bool {
	first, _, _ := strings.Cut(p, "/")
	if !strings.Contains(first, ".") || strings.HasPrefix(p, ".") || strings.HasSuffix(p, ".go") || strings.ContainsAny(p, "$`") {
		return false // relative, a file, or not known
	}
	if module != "" && (p == module || strings.HasPrefix(p, module+"/")) {
		return false
	}
	return true
}

// buildCommand checks one go build or go install command: args are the
// words after the subcommand.
func (s *buildScan) buildCommand(c *buildfiles.Command, cmd string, args []string, fileTrimpath bool) {
	if s.dev {
		if hasFlag(args, "a") {
			s.add(c.File, c.Line, "%s -a rebuilds every package instead of using the build cache — remove -a", cmd)
		}
		return
	}
	s.gcflags(c.File, c.Line, args)
	if hasFlag(args, "race") {
		s.add(c.File, c.Line, "%s -race builds a race-detector binary, several times slower — remove -race from release builds (use go test -race)", cmd)
	}
	for _, flag := range []string{"msan", "asan", "cover"} {
		if hasFlag(args, flag) {
			s.add(c.File, c.Line, "%s -%s builds an instrumented binary, slower than a release build — remove -%s from release builds (use it in tests)", cmd, flag, flag)
		}
	}
	if !fileTrimpath && !hasFlag(args, "trimpath") {
		s.missingTrimpath(c.File, c.Line, "%s without -trimpath records local file paths in the binary — add -trimpath (or set GOFLAGS=-trimpath)", cmd)
	}
}

// hasFlag reports whether words has the flag -name (or --name, -name=…).
func hasFlag(words []string, name string) bool {
	for _, w := range words {
		w = strings.TrimLeft(w, "'\"")
		if !strings.HasPrefix(w, "-") {
			continue
		}
		w = strings.TrimPrefix(strings.TrimPrefix(w, "-"), "-")
		if w == name || strings.HasPrefix(w, name+"=") && !strings.HasSuffix(w, "=false") {
			return true
		}
	}
	return false
}

// gcflags reports the -gcflags values of words that turn off optimization
// (-N) or inlining (-l).
func (s *buildScan) gcflags(file string, line int, words []string) {
	for _, v := range gcflagsValues(words) {
		if noOptFlag.MatchString(v) {
			s.add(file, line, "-gcflags %q turns off optimizations (-N) or inlining (-l) — remove it from release builds (debug builds only)", v)
		}
	}
}

// gcflagsValues returns the values of the -gcflags flags of words
// (-gcflags=V or -gcflags V), each with the -N and -l words after it (as
// in -gcflags=all=-N -l).
func gcflagsValues(words []string) []string {
	var out []string
	for i := 0; i < len(words); i++ {
		if !strings.HasPrefix(words[i], "-") {
			continue
		}
		name, v, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(words[i], "-"), "-"), "=")
		if name != "gcflags" {
			continue
		}
		if !hasValue {
			if i+1 == len(words) {
				continue
			}
			i++
			v = words[i]
		}
		value := []string{v}
		for i+1 < len(words) && (words[i+1] == "-N" || words[i+1] == "-l") {
			i++
			value = append(value, words[i])
		}
		out = append(out, strings.Trim(strings.Join(value, " "), `"'`))
	}
	return out
}

// goreleaser scans the builds of a goreleaser configuration.
func (s *buildScan) goreleaser(f string, data []byte) {
	g, err := buildfiles.ReadGoreleaser(data)
	if err != nil {
		s.add(f, 1, "the goreleaser configuration is not valid YAML, so its builds could not be checked — fix it (goreleaser check)")
		s.built(f)
		return
	}
	fileTrimpath := goflagsTrimpath(g.Env)
	if g.Default {
		s.built(f)
		if !fileTrimpath {
			s.missingTrimpath(f, g.Line, "goreleaser's default build has no -trimpath — add builds: [{flags: [-trimpath]}]")
		}
		return
	}
	for i := range g.Builds {
		b := &g.Builds[i]
		if b.Skip || b.Builder != "go" {
			continue
		}
		s.built(f)
		name := "the build"
		if b.ID != "" {
			name = fmt.Sprintf("build %q", b.ID)
		}
		trimpath := fileTrimpath || goflagsTrimpath(b.Env)
		for _, v := range b.Flags {
			words := strings.Fields(v.Text)
			if hasFlag(words, "trimpath") {
				trimpath = true
			}
			if hasFlag(words, "race") {
				s.add(f, v.Line, "%s has flags -race, a race-detector build several times slower — remove it", name)
			}
			s.gcflags(f, v.Line, words)
		}
		for _, v := range b.Gcflags {
			if noOptFlag.MatchString(v.Text) {
				s.add(f, v.Line, "%s has gcflags %q, which turns off optimizations (-N) or inlining (-l) — remove it", name, v.Text)
			}
		}
		// ldflags are not read: -s -w and -X do not de-optimize.
		if !trimpath {
			s.missingTrimpath(f, b.Line, "goreleaser %s has no -trimpath — add flags: [-trimpath]", name)
		}
	}
}

// goflagsTrimpath reports whether a goreleaser env list sets GOFLAGS with
// -trimpath.
func goflagsTrimpath(env []buildfiles.Value) bool {
	for _, n := range env {
		if v, ok := strings.CutPrefix(n.Text, "GOFLAGS="); ok && hasFlag(strings.Fields(strings.Trim(v, `"'`)), "trimpath") {
			return true
		}
	}
	return false
}

// missingPGO lists the directories of main packages without a default.pgo.
func missingPGO(ws *Workspace, files []string) ([]buildProblem, error) {
	have := map[string]bool{}
	for _, f := range files {
		if path.Base(f) == "default.pgo" {
			have[path.Dir(f)] = true
		}
	}
	checked := map[string]bool{}
	var out []buildProblem
	for _, f := range files {
		dir := path.Dir(f)
		if !strings.HasSuffix(f, ".go") || strings.HasSuffix(f, "_test.go") || have[dir] || checked[dir] {
			continue
		}
		line, pkg, err := packageClause(ws.Abs(f))
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", f, err)
		}
		if pkg == "" {
			continue
		}
		checked[dir] = true
		if pkg == "main" {
			out = append(out, buildProblem{file: f, line: line, msg: fmt.Sprintf("main package %s has no default.pgo — save a CPU profile of a production run as %s so that go build optimizes with it (-pgo=auto)",
				dir, path.Join(dir, "default.pgo"))})
		}
	}
	return out, nil
}

// packageClause returns the package of the Go file at abs and the line of
// its package clause; the package is "" when the file does not parse or
// is left out of builds (//go:build ignore, mage).
func packageClause(abs string) (int, string, error) {
	fh, err := os.Open(abs)
	if err != nil {
		return 0, "", err
	}
	defer fh.Close()
	head := make([]byte, 16<<10) // the package clause is near the top
	n, err := io.ReadFull(fh, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return 0, "", err
	}
	fset := token.NewFileSet()
	af, perr := parser.ParseFile(fset, abs, head[:n], parser.PackageClauseOnly|parser.ParseComments)
	if perr != nil {
		return 0, "", nil
	}
	for _, g := range af.Comments {
		for _, cm := range g.List {
			if strings.HasPrefix(cm.Text, "//go:build") && (strings.Contains(cm.Text, "ignore") || strings.Contains(cm.Text, "mage")) {
				return 0, "", nil
			}
		}
	}
	return fset.Position(af.Package).Line, af.Name.Name, nil
}
