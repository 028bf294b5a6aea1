package buildfiles

import (
	"path"
	"regexp"
	"slices"
	"strings"
)

// A Makefile is what make would run of a Makefile: its rules, their
// recipes with the Makefile's variables expanded, and its default goal.
type Makefile struct {
	Name    string
	Vars    *MakeVars
	Rules   map[string]*Rule
	Default string // the first target that is neither special (.PHONY) nor a pattern

	recipes []Line // every recipe line once, in file order
}

// A Rule is the prerequisites and recipe of a target.
type Rule struct {
	Line    int // where the target is first defined
	Prereqs []string
	Recipe  []Line // make syntax with known variables expanded: $$ stays $$
}

// recipeTargets maps each recipe line of rules to the targets whose
// recipe it is in, sorted.
func recipeTargets(rules map[string]*Rule) map[int][]string {
	out := map[int][]string{}
	for name, r := range rules {
		for _, l := range r.Recipe {
			if !slices.Contains(out[l.Line], name) {
				out[l.Line] = append(out[l.Line], name)
			}
		}
	}
	for _, ts := range out {
		slices.Sort(ts)
	}
	return out
}

var (
	makeAssign      = regexp.MustCompile(`^\s*(?:(?:export|override)\s+)*([A-Za-z_][A-Za-z0-9_.-]*)\s*(::?=|:::=|\?=|\+=|!=|=)\s*(.*)$`)
	makeRuleLine    = regexp.MustCompile(`^([^:#=\t][^:#=]*?)\s*::?(.*)$`)
	makeTargetVar   = regexp.MustCompile(`^(?:(?:export|override|private)\s+)*[A-Za-z_][A-Za-z0-9_.-]*\s*(?:::?=|\?=|\+=|=)`)
	makeConditional = regexp.MustCompile(`^\s*(?:ifeq|ifneq|ifdef|ifndef|else|endif)\b`)
	makeVarName     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)
)

// ReadMakefile reads the rules and variables of the Makefile name.
func ReadMakefile(name string, data []byte) *Makefile {
	lines := LogicalLines(name, data)
	mf := &Makefile{Name: name, Vars: ReadMakeVars(lines), Rules: map[string]*Rule{}}
	var current []*Rule
	addRecipe := func(l Line, text string) {
		l.Text = strings.TrimLeft(strings.TrimSpace(mf.Vars.expand(text, true)), "@-+")
		for _, r := range current {
			r.Recipe = append(r.Recipe, l)
		}
		mf.recipes = append(mf.recipes, l)
	}
	for _, l := range lines {
		if strings.HasPrefix(l.Text, "\t") {
			if current != nil {
				addRecipe(l, l.Text)
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
		for _, p := range strings.Fields(strings.ReplaceAll(mf.Vars.Expand(rest), "|", " ")) {
			if !strings.Contains(p, "$") {
				prereqs = append(prereqs, p)
			}
		}
		for _, t := range strings.Fields(mf.Vars.Expand(targets)) {
			r := mf.Rules[t]
			if r == nil {
				r = &Rule{Line: l.Line}
				mf.Rules[t] = r
			}
			r.Prereqs = append(r.Prereqs, prereqs...)
			current = append(current, r)
			if mf.Default == "" && !strings.HasPrefix(t, ".") && !strings.ContainsAny(t, "%$") {
				mf.Default = t
			}
		}
		if hasInline {
			addRecipe(l, inline)
		}
	}
	return mf
}

// RecipeTargets maps each recipe line (1-based) to the targets whose
// recipe holds it.
func (mf *Makefile) RecipeTargets() map[int][]string { return recipeTargets(mf.Rules) }

// Commands returns the commands of every recipe, in file order.
func (mf *Makefile) Commands() []Command { return recipeCommands(mf.recipes, splitRecipe) }

// Run returns the commands make runs for target: its prerequisites'
// first, and those of the targets its recipe runs with $(MAKE) in the same
// Makefile. It is nil when the Makefile has no rule for target.
func (mf *Makefile) Run(target string) []Command {
	return runRule(mf.Rules, target, splitRecipe, makeTargets)
}

// makeTargets are the targets a recipe command runs with $(MAKE) in the
// same Makefile.
func makeTargets(c *Command) []string {
	if len(c.Args) < 2 || !isMake(c.Args[0]) {
		return nil
	}
	var targets []string
	for _, w := range c.Args[1:] {
		if strings.HasPrefix(w, "-") {
			break // -C or -f: another Makefile, which CI follows, not make
		}
		if !strings.Contains(w, "=") {
			targets = append(targets, w)
		}
	}
	return targets
}

// recipeCommands returns the commands of recipe lines, each read by split.
func recipeCommands(lines []Line, split func(Line) []Command) []Command {
	out := make([]Command, 0, len(lines))
	for _, l := range lines {
		out = append(out, split(l)...)
	}
	return out
}

// runRule returns the commands of the rule target of rules (a Makefile's
// or a justfile's): its prerequisites' first, then its recipe's, each line
// read by split, each command followed by those of the rules it runs
// (calls; nil for none).
func runRule(rules map[string]*Rule, target string, split func(Line) []Command, calls func(*Command) []string) []Command {
	var out []Command
	seen := map[string]bool{} // against cycles
	var run func(target string)
	run = func(target string) {
		r := rules[target]
		if r == nil || seen[target] {
			return
		}
		seen[target] = true
		for _, p := range r.Prereqs {
			run(p)
		}
		for _, l := range r.Recipe {
			cmds := split(l)
			for i := range cmds {
				out = append(out, cmds[i])
				if calls != nil {
					for _, t := range calls(&cmds[i]) {
						run(t)
					}
				}
			}
		}
	}
	run(target)
	return out
}

// isMake reports whether a program is make.
func isMake(prog string) bool {
	base := path.Base(prog)
	return base == "make" || base == "gmake"
}

// splitRecipe returns the commands of a recipe line.
func splitRecipe(l Line) []Command {
	s := splitter{file: l.File}
	s.script(l.Text, place{line: l.Line, flat: true}, true)
	return s.out
}

// Bounds of Makefile variable expansion: a Makefile is repository content,
// and `A = $(A)$(A)` a hundred times over would otherwise expand to more
// bytes than the machine has.
const (
	maxMakeExpandDepth = 16       // nested references followed
	maxMakeExpandLine  = 64 << 10 // bytes one expanded line may grow to
	maxMakeExpandTotal = 4 << 20  // bytes all the expansions of one Makefile may produce
)

// MakeVars is the variables of one Makefile and what is left of its
// expansion budget.
type MakeVars struct {
	vars   map[string]string
	budget int
}

// ReadMakeVars collects the simple variable assignments of a Makefile's
// lines. MAKE is make.
func ReadMakeVars(lines []Line) *MakeVars {
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
	return &MakeVars{vars: vars, budget: maxMakeExpandTotal}
}

// Expand replaces the references to known variables in s, following
// references in their values as make expands recursive variables; $$
// becomes $. A variable that refers to itself (make's "recursive variable
// references itself" error), a reference nested more than
// maxMakeExpandDepth deep, and anything past the line or Makefile budget
// stay as written.
func (vs *MakeVars) Expand(s string) string { return vs.expand(s, false) }

// expand is Expand; with keepDollars, $$ stays $$, so that the result is
// still make syntax (a recipe to split as make would run it).
func (vs *MakeVars) expand(s string, keepDollars bool) string {
	if !strings.Contains(s, "$") || vs.budget <= 0 {
		return s
	}
	var b strings.Builder
	limit := max(len(s), min(maxMakeExpandLine, vs.budget))
	e := makeExpansion{vars: vs.vars, out: &b, limit: limit, keepDollars: keepDollars}
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

	keepDollars bool // $$ stays $$
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
			if e.keepDollars {
				e.write("$$")
			} else {
				e.write("$")
			}
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
