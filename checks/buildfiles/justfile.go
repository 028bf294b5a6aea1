package buildfiles

import (
	"regexp"
	"strings"
)

// A Justfile is the recipes of a justfile.
type Justfile struct {
	Name    string
	Recipes map[string]*Rule // a recipe's dependencies are its Prereqs
	Default string           // the first recipe

	lines []Line // every recipe line, in file order
}

var (
	justRecipe = regexp.MustCompile(`^@?([A-Za-z_][A-Za-z0-9_-]*)(?:\s+[^:]*?)?\s*:(?:[^=]|$)`)
	justDep    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)
)

// ReadJustfile reads the recipes of the justfile name.
func ReadJustfile(name string, data []byte) *Justfile {
	jf := &Justfile{Name: name, Recipes: map[string]*Rule{}}
	var current *Rule
	for _, l := range LogicalLines(name, data) {
		if l.Text[0] == ' ' || l.Text[0] == '\t' {
			if current != nil {
				l.Text = strings.TrimLeft(strings.TrimSpace(l.Text), "@-")
				current.Recipe = append(current.Recipe, l)
				jf.lines = append(jf.lines, l)
			}
			continue
		}
		current = nil
		m := justRecipe.FindStringSubmatchIndex(l.Text)
		if m == nil {
			continue
		}
		name := l.Text[m[2]:m[3]]
		current = &Rule{Line: l.Line}
		for _, d := range strings.Fields(l.Text[m[1]-1:]) {
			d = strings.Trim(d, ":&")
			if justDep.MatchString(d) {
				current.Prereqs = append(current.Prereqs, d)
			}
		}
		jf.Recipes[name] = current
		if jf.Default == "" {
			jf.Default = name
		}
	}
	return jf
}

// RecipeTargets maps each recipe line (1-based) to the recipes that hold
// it.
func (jf *Justfile) RecipeTargets() map[int][]string { return recipeTargets(jf.Recipes) }

// Commands returns the commands of every recipe, in file order.
func (jf *Justfile) Commands() []Command { return recipeCommands(jf.lines, splitLine) }

// Run returns the commands just runs for recipe: its dependencies' first.
func (jf *Justfile) Run(recipe string) []Command { return runRule(jf.Recipes, recipe, splitLine, nil) }

// splitLine returns the commands of one line of shell.
func splitLine(l Line) []Command {
	s := splitter{file: l.File}
	s.script(l.Text, place{line: l.Line, flat: true}, false)
	return s.out
}
