package buildfiles

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// A Tree is the files of a module.
type Tree struct {
	Files []string                          // module-relative, slash-separated, sorted
	Read  func(name string) ([]byte, error) // the content of one of Files
}

// has reports whether the module has the file name.
func (t Tree) has(name string) bool {
	_, ok := slices.BinarySearch(t.Files, name)
	return ok
}

func (t Tree) read(name string) ([]byte, error) {
	data, err := t.Read(name)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return data, nil
}

// CI is what CI runs: the commands of its configuration files, and of the
// make targets, just recipes, tasks and scripts they run.
type CI struct {
	Configs []Config

	// Followed says what was followed, for messages: "Makefile (make ci
	// from .github/workflows/ci.yml:9)".
	Followed []string
	// Notes say what could not be followed: ".github/workflows/ci.yml:10:
	// make nothere: Makefile has no target nothere".
	Notes []string
}

// A Config is a CI configuration and what it runs.
type Config struct {
	File string
	// Commands are the configuration's own commands, then those its
	// commands run, with their Via.
	Commands []Command
}

// ReadCI reads the CI configurations configs (files of t) and follows,
// one level deep, the make targets (their prerequisites and the targets
// their recipes run with $(MAKE) in the same Makefile; make -C DIR and -f
// FILE), just recipes, tasks and scripts of the module that they run. A
// Makefile target, recipe or task that CI does not run is not part of
// what CI runs. It fails only when a file cannot be read.
func ReadCI(t Tree, configs []string) (*CI, error) {
	x := &follower{tree: t, ci: &CI{}}
	for _, f := range configs {
		data, err := t.read(f)
		if err != nil {
			return nil, err
		}
		own := Commands(f, data)
		cfg := Config{File: f, Commands: slices.Clip(own)}
		for i := range own {
			more, err := x.command(&own[i])
			if err != nil {
				return nil, err
			}
			cfg.Commands = append(cfg.Commands, more...)
		}
		x.ci.Configs = append(x.ci.Configs, cfg)
	}
	return x.ci, nil
}

// A follower follows what CI commands run.
type follower struct {
	tree Tree
	ci   *CI

	makefiles map[string]*Makefile
	justfiles map[string]*Justfile
	taskfiles map[string]*Taskfile
}

// Interpreters run the script named by their first argument.
var interpreters = []string{"python", "python3", "ruby", "node", "perl", "pwsh", "source", "."}

// command returns what the CI command from runs.
func (x *follower) command(from *Command) ([]Command, error) {
	if len(from.Args) == 0 {
		return nil, nil
	}
	prog := from.Args[0]
	switch base := path.Base(prog); {
	case isShell(base) || slices.Contains(interpreters, prog):
		for _, a := range from.Args[1:] {
			if strings.HasPrefix(a, "-") {
				continue
			}
			if s, ok := x.script(a, from.File); ok {
				return x.followScript(from, s)
			}
			break
		}
		return nil, nil
	case isMake(prog):
		return x.followMake(from, from.Args[1:])
	case base == "just":
		return x.followJust(from, from.Args[1:])
	case base == "task" || base == "go-task":
		return x.followTask(from, from.Args[1:])
	}
	if s, ok := x.script(prog, from.File); ok {
		return x.followScript(from, s)
	}
	return nil, nil
}

func (x *follower) followed(what string) {
	if !slices.Contains(x.ci.Followed, what) {
		x.ci.Followed = append(x.ci.Followed, what)
	}
}

func (x *follower) note(from *Command, format string, args ...any) {
	x.ci.Notes = append(x.ci.Notes, from.Loc()+": "+fmt.Sprintf(format, args...))
}

// via sets how CI reaches cmds.
func via(cmds []Command, how string) []Command {
	for i := range cmds {
		cmds[i].Via = how
	}
	return cmds
}

// script resolves a word naming a script of the module (other than the
// CI file itself; a file of a kind other than KindScript is not one).
func (x *follower) script(word, from string) (string, bool) {
	if word == "" || strings.ContainsAny(word, "$*?") {
		return "", false
	}
	rel := path.Clean(strings.TrimPrefix(word, "./"))
	if rel == from || strings.HasPrefix(rel, "../") || path.IsAbs(rel) || !x.tree.has(rel) {
		return "", false
	}
	if KindOf(rel) != KindScript {
		// A Makefile, justfile, Taskfile or CI configuration named as a
		// word is not run as a script: make runs the targets it is given,
		// not every recipe.
		return "", false
	}
	return rel, true
}

func (x *follower) followScript(from *Command, script string) ([]Command, error) {
	data, err := x.tree.read(script)
	if err != nil {
		return nil, err
	}
	x.followed(fmt.Sprintf("%s (run from %s)", script, from.Loc()))
	return via(Commands(script, data), fmt.Sprintf("%s from %s", script, from.Loc())), nil
}

// open returns the file that make, just or task reads, read once as
// parse reads it: file when the command line gives one, else the first of
// names in dir (module-relative; "" is the root) that the module has. When
// there is none, it notes missing about the command from and reports
// false.
func open[T any](x *follower, from *Command, cache *map[string]T, parse func(string, []byte) T, dir, file string, names []string, missing string) (v T, name string, ok bool, err error) {
	candidates := names
	if file != "" {
		candidates = []string{file}
	}
	dir = path.Clean(strings.TrimPrefix(dir, "./"))
	for _, c := range candidates {
		if name = path.Join(dir, strings.TrimPrefix(c, "./")); x.tree.has(name) {
			break
		}
		name = ""
	}
	if name == "" {
		x.note(from, "%s", missing)
		return v, "", false, nil
	}
	if cached, hit := (*cache)[name]; hit {
		return cached, name, true, nil
	}
	data, err := x.tree.read(name)
	if err != nil {
		return v, "", false, err
	}
	v = parse(name, data)
	if *cache == nil {
		*cache = map[string]T{}
	}
	(*cache)[name] = v
	return v, name, true, nil
}

// followMake follows make [options] [targets]: the targets' recipes and
// those of their prerequisites, recursively.
func (x *follower) followMake(from *Command, args []string) ([]Command, error) {
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
	mf, name, ok, err := open(x, from, &x.makefiles, ReadMakefile, dir, file, makefileNames, "make: no Makefile in "+orDefault(dir, "the module root"))
	if !ok {
		return nil, err
	}
	if len(targets) == 0 {
		if mf.Default == "" {
			return nil, nil
		}
		targets = []string{mf.Default}
	}
	var out []Command
	for _, t := range targets {
		if mf.Rules[t] == nil {
			x.note(from, "make %s: %s has no target %s", t, name, t)
			continue
		}
		x.followed(fmt.Sprintf("%s (make %s from %s)", name, t, from.Loc()))
		out = append(out, via(mf.Run(t), fmt.Sprintf("make %s from %s", t, from.Loc()))...)
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

// followJust follows just [options] recipe [args]: the recipe and its
// dependencies.
func (x *follower) followJust(from *Command, args []string) ([]Command, error) {
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
	jf, name, ok, err := open(x, from, &x.justfiles, ReadJustfile, "", file, justfileNames, "just: no justfile at the module root")
	if !ok {
		return nil, err
	}
	if recipe == "" {
		recipe = jf.Default
	}
	if jf.Recipes[recipe] == nil {
		x.note(from, "just %s: %s has no recipe %s", recipe, name, recipe)
		return nil, nil
	}
	x.followed(fmt.Sprintf("%s (just %s from %s)", name, recipe, from.Loc()))
	return via(jf.Run(recipe), fmt.Sprintf("just %s from %s", recipe, from.Loc())), nil
}

// followTask follows task [options] [tasks]: the tasks of the Taskfile,
// their commands and dependencies.
func (x *follower) followTask(from *Command, args []string) ([]Command, error) {
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
	if dir = path.Clean(strings.TrimPrefix(dir, "./")); dir == "." {
		dir = ""
	}
	tf, name, ok, err := open(x, from, &x.taskfiles, ReadTaskfile, dir, file, taskfileNames, "task: no Taskfile in "+orDefault(dir, "the module root"))
	if !ok {
		return nil, err
	}
	if len(names) == 0 {
		names = []string{"default"}
	}
	var out []Command
	for _, t := range names {
		if !tf.Has(t) {
			x.note(from, "task %s: %s has no task %s", t, name, t)
			continue
		}
		x.followed(fmt.Sprintf("%s (task %s from %s)", name, t, from.Loc()))
		out = append(out, via(tf.Run(t), fmt.Sprintf("task %s from %s", t, from.Loc()))...)
	}
	return out, nil
}
