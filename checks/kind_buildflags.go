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
)

var buildFlagsKind = &Kind{
	Name:    "build-flags",
	Summary: "release builds are optimized and use -trimpath (profile: release), or dev builds stay incremental (profile: dev)",
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
// define, whether CI runs it or not) for flags that de-optimize release
// builds or make dev builds start from scratch.
type buildFlagsCheck struct {
	Profile         string   `yaml:"profile"`          // release (default) or dev
	Files           []string `yaml:"files"`            // globs of the build definitions (default defaultBuildFiles)
	RequireTrimpath *bool    `yaml:"require_trimpath"` // release: every build uses -trimpath (default true)
	PGO             bool     `yaml:"pgo"`              // release: every main package has a default.pgo
}

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
	return nil
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
)

// A buildProblem is something wrong in a build definition.
type buildProblem struct {
	file string
	line int
	msg  string // "what is wrong — fix"
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
	var scan buildScan
	scan.dev = c.Profile == profileDev
	scan.trimpath = c.RequireTrimpath == nil || *c.RequireTrimpath
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
	if scan.dev {
		return c.devResult(&scan, len(buildFiles))
	}
	if scan.builds == 0 {
		return skip("no release build definitions (Makefile, .goreleaser.yaml, Dockerfile, scripts): nothing to check")
	}
	var pgoNote string
	if c.PGO {
		missing, err := missingPGO(ws, files)
		if err != nil {
			return errResult(err.Error())
		}
		scan.problems = append(scan.problems, missing...)
		pgoNote = ", and every main package has a default.pgo"
	}
	if len(scan.problems) > 0 {
		return problemsResult(fmt.Sprintf("%d problem(s) in release builds", len(scan.problems)), scan.problems)
	}
	what := "are optimized"
	if scan.trimpath {
		what += " and use -trimpath"
	}
	return pass(fmt.Sprintf("release builds (%d in %s) %s%s", scan.builds, strings.Join(limitList(scan.buildFiles, 3), ", "), what, pgoNote))
}

func (c *buildFlagsCheck) devResult(scan *buildScan, nfiles int) Result {
	if len(scan.problems) > 0 {
		return problemsResult(fmt.Sprintf("%d build definition(s) defeat go's build cache", len(scan.problems)), scan.problems)
	}
	return pass(fmt.Sprintf("dev builds stay incremental: go's build cache reuses every unchanged package, and none of the %d build file(s) disables it (-a, GOCACHE=off, go clean -cache)", nfiles))
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
	builds        int      // build commands and goreleaser builds found
	buildFiles    []string // the files that have them
	problems      []buildProblem
}

func (s *buildScan) add(file string, line int, format string, args ...any) {
	s.problems = append(s.problems, buildProblem{file, line, fmt.Sprintf(format, args...)})
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
	cmds := buildfiles.Commands(f, data)
	for i := range cmds {
		c := &cmds[i]
		if len(c.Args) < 2 || path.Base(c.Args[0]) != "go" {
			continue
		}
		switch sub, args := c.Args[1], c.Args[2:]; {
		case sub == "clean":
			if s.dev && hasFlag(args, "cache") {
				s.add(f, c.Line, "go clean -cache empties the build cache, so the next build compiles everything again — remove it from the build")
			}
		case sub == "build" || sub == "install" && !installsTools(args):
			s.built(f)
			s.buildCommand(c, "go "+sub, args, fileTrimpath)
		}
	}
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

// installsTools reports whether the arguments of go install are all
// pkg@version: a tool is installed, not the module built.
func installsTools(words []string) bool {
	pkgs := 0
	for _, w := range words {
		if strings.HasPrefix(w, "-") {
			continue
		}
		if !strings.Contains(w, "@") {
			return false
		}
		pkgs++
	}
	return pkgs > 0
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
	if s.trimpath && !fileTrimpath && !hasFlag(args, "trimpath") {
		s.add(c.File, c.Line, "%s without -trimpath records local file paths in the binary — add -trimpath (or set GOFLAGS=-trimpath)", cmd)
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
		if s.trimpath && !fileTrimpath {
			s.add(f, g.Line, "goreleaser's default build has no -trimpath — add builds: [{flags: [-trimpath]}]")
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
		if s.trimpath && !trimpath {
			s.add(f, b.Line, "goreleaser %s has no -trimpath — add flags: [-trimpath]", name)
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
			out = append(out, buildProblem{f, line, fmt.Sprintf("main package %s has no default.pgo — save a CPU profile of a production run as %s so that go build optimizes with it (-pgo=auto)",
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
