package buildfiles

import (
	"path"
	"regexp"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// A Command is one simple command that a build file or CI runs.
type Command struct {
	Pos             // the line it starts on
	Env    []string // what it sets in its environment: FOO=x of FOO=x cmd or env FOO=x cmd
	Args   []string // the program and its arguments, unquoted; echo and printf keep only their name
	Redirs []string // its redirections, such as ">>$GITHUB_STEP_SUMMARY"

	// Uses is the action a GitHub Actions step uses (actions/checkout@v4),
	// and With its inputs. Such a step has no Args.
	Uses string
	With []Input

	// Via says how CI reaches a command of a file other than a CI
	// configuration: "make bench from .github/workflows/ci.yml:20".
	Via string
}

// An Input is an input of a GitHub action: with: {Name: Value}.
type Input struct {
	Pos
	Name, Value string
}

// String is the command's words, separated by blanks.
func (c *Command) String() string { return strings.Join(c.Args, " ") }

// Where is the command's file:line, and how CI reaches it.
func (c *Command) Where() string {
	if c.Via == "" {
		return c.Loc()
	}
	return c.Loc() + " via " + c.Via
}

// Split returns the simple commands of the shell text src: those joined by
// ;, &&, || and pipes, those in subshells, blocks, if and for, and those
// of command substitutions ($(…) and backquotes), each with its line
// (the first line of src is 1). A command run through a wrapper (env,
// sudo, time, exec, nice, nohup, command) is the command wrapped; the
// command string of sh -c and bash -c, the arguments of eval and a
// here-document fed to a shell are read as shell too. GitHub expressions
// (${{ … }}) and templates ({{ … }}) are words. Text that does not parse
// is split on blanks and on ;, &&, ||, |, parentheses and backquotes.
func Split(src string) []Command {
	var s splitter
	s.script(src, place{line: 1}, false)
	return s.out
}

// maxNesting bounds sh -c, eval and here-documents fed to a shell inside
// each other.
const maxNesting = 4

// A splitter collects the commands of shell text.
type splitter struct {
	file   string
	depth  int
	parser *syntax.Parser
	out    []Command
}

// A place is where shell text is in its file.
type place struct {
	line int  // the file line of the text's first line
	flat bool // every command of the text is on line (a YAML scalar that is not a block)
}

// at is the file line of the line n (1-based) of the text.
func (p place) at(n uint) int {
	if p.flat || n == 0 {
		return p.line
	}
	return p.line + int(n) - 1
}

// script adds the commands of src. In a Makefile recipe (makeRecipe), $$
// is $ and $(…), ${…} and $x are make's.
func (s *splitter) script(src string, at place, makeRecipe bool) {
	h := hide(strings.ReplaceAll(src, "\r\n", "\n"), makeRecipe)
	if f, err := s.parse(h.text); err == nil {
		s.walk(f, h.text, at, &h)
		return
	}
	// Line by line, so that one line that is not shell loses no other.
	for _, l := range LogicalLines("", []byte(h.text)) {
		lat := place{line: at.at(uint(l.Line)), flat: true}
		if f, err := s.parse(l.Text); err == nil {
			s.walk(f, l.Text, lat, &h)
		} else {
			s.simple(l.Text, lat, &h)
		}
	}
}

func (s *splitter) parse(src string) (*syntax.File, error) {
	if s.parser == nil {
		s.parser = syntax.NewParser(syntax.Variant(syntax.LangBash))
	}
	return s.parser.Parse(strings.NewReader(src), "")
}

// walk adds the simple commands of the parsed text src.
func (s *splitter) walk(f *syntax.File, src string, at place, h *hidden) {
	syntax.Walk(f, func(n syntax.Node) bool {
		if st, ok := n.(*syntax.Stmt); ok {
			if ce, ok := st.Cmd.(*syntax.CallExpr); ok {
				s.call(st, ce, src, at, h)
			}
		}
		return true
	})
}

// call adds the simple command ce of the statement st.
func (s *splitter) call(st *syntax.Stmt, ce *syntax.CallExpr, src string, at place, h *hidden) {
	if len(ce.Args) == 0 {
		return // FOO=x: sets a variable, runs nothing (but what its value substitutes)
	}
	if len(ce.Args[0].Parts) == 1 {
		if _, ok := ce.Args[0].Parts[0].(*syntax.CmdSubst); ok {
			return // $(make bench): the commands inside are the ones that run
		}
	}
	args := make([]string, 0, len(ce.Args))
	for _, w := range ce.Args {
		args = append(args, h.word(w, src))
	}
	var env []string
	for _, a := range ce.Assigns {
		if a.Name != nil && a.Value != nil {
			env = append(env, a.Name.Value+"="+h.word(a.Value, src))
		}
	}
	var redirs []string
	var heredoc *syntax.Redirect
	for _, r := range st.Redirs {
		if r.Word != nil {
			redirs = append(redirs, r.Op.String()+h.word(r.Word, src))
		}
		if (r.Op == syntax.Hdoc || r.Op == syntax.DashHdoc) && r.Hdoc != nil {
			heredoc = r
		}
	}
	line := at.at(ce.Pos().Line())
	c := Command{Pos: Pos{File: s.file, Line: line}, Env: env, Args: args, Redirs: redirs}
	if body, ok := s.unwrap(&c, false); ok {
		if body.script != "" {
			s.nested(body.script, place{line: line, flat: true})
			return
		}
		if heredoc != nil {
			s.nested(h.restore(heredocText(heredoc.Hdoc, src)), place{line: at.at(heredoc.Hdoc.Pos().Line()), flat: at.flat})
			return
		}
	}
	if len(c.Args) > 0 {
		s.out = append(s.out, c)
	}
}

// simple adds the commands of text, which does not parse as shell, split
// on blanks and separators.
func (s *splitter) simple(text string, at place, h *hidden) {
	for _, seg := range simpleSeparators.Split(text, -1) {
		words := SimpleWords(seg)
		if len(words) == 0 {
			continue
		}
		for i, w := range words {
			words[i] = h.restore(w)
		}
		s.add(&Command{Pos: Pos{File: s.file, Line: at.line}, Args: words}, true, at)
	}
}

// add adds c, a command of text at at, without its wrappers, or the
// commands of the shell text it runs. split says c's words were split on
// blanks, not parsed.
func (s *splitter) add(c *Command, split bool, at place) {
	if body, ok := s.unwrap(c, split); ok && body.script != "" {
		s.nested(body.script, at)
		return
	}
	if len(c.Args) > 0 {
		s.out = append(s.out, *c)
	}
}

var simpleSeparators = regexp.MustCompile("&&|\\|\\||\\$\\(|[;|()`]")

// SimpleWords splits text that is not shell (a YAML value, a line that
// does not parse) on blanks, dropping quotes, YAML list brackets and a
// trailing comment.
func SimpleWords(s string) []string {
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

// nested adds the commands of shell text that a command runs: sh -c's
// command string, eval's arguments, a here-document fed to a shell.
func (s *splitter) nested(src string, at place) {
	if s.depth >= maxNesting {
		return
	}
	s.depth++
	s.script(src, at, false)
	s.depth--
}

// A shellBody is the shell text a shell command runs.
type shellBody struct {
	script string // the command string of sh -c, or eval's arguments
}

// What a command line can be wrapped in: programs that run the command
// after their options, with the options that take a value.
var wrappers = map[string]struct {
	short string   // one-letter options that take a value
	long  []string // long options that take a value (when not written --opt=value)
}{
	"env":     {"uCS", []string{"--unset", "--chdir", "--split-string"}},
	"sudo":    {"ugCDhprtUT", []string{"--user", "--group", "--chdir", "--prompt", "--role", "--type", "--other-user"}},
	"doas":    {"uC", nil},
	"time":    {"fo", []string{"--format", "--output"}},
	"exec":    {"a", nil},
	"nice":    {"n", []string{"--adjustment"}},
	"nohup":   {},
	"command": {},
}

// shells run a command string with -c, a script, or their standard input.
var shells = []string{"sh", "bash", "zsh", "dash", "ksh", "ash", "mksh"}

// unwrap takes the wrappers off c: its Args become the command wrapped,
// env's variables go to Env. echo and printf keep only their name. It
// reports a shell (ok) and the command string it runs, if any. split says
// c's words were split on blanks, not parsed.
func (s *splitter) unwrap(c *Command, split bool) (body shellBody, ok bool) {
	for len(c.Args) > 0 {
		if split && isAssign(c.Args[0]) {
			c.Env = append(c.Env, c.Args[0])
			c.Args = c.Args[1:]
			continue
		}
		name := path.Base(c.Args[0])
		if w, ok := wrappers[name]; ok {
			if name == "command" && len(c.Args) > 1 && (c.Args[1] == "-v" || c.Args[1] == "-V") {
				c.Args = nil // command -v make: says where make is, runs nothing
				return body, false
			}
			c.Args = skipOptions(c.Args[1:], w.short, w.long)
			for name == "env" && len(c.Args) > 0 && isAssign(c.Args[0]) {
				c.Env = append(c.Env, c.Args[0])
				c.Args = c.Args[1:]
			}
			continue
		}
		switch {
		case name == "eval":
			body.script = strings.Join(c.Args[1:], " ")
			c.Args = nil
			return body, true
		case name == "echo" || name == "printf":
			c.Args = c.Args[:1] // what they print is text, not a command
		case isShell(name):
			operand, i, dashC := shellOperand(c.Args[1:])
			if dashC && i >= 0 {
				body.script = operand
				if split { // sh -c make bench: the words left are the command
					body.script = strings.Join(c.Args[1+i:], " ")
				}
				c.Args = nil
			}
			return body, i < 0 || dashC
		}
		return body, false
	}
	return body, false
}

func isShell(name string) bool {
	for _, sh := range shells {
		if name == sh {
			return true
		}
	}
	return false
}

var assignWord = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)

func isAssign(w string) bool { return assignWord.MatchString(w) }

// skipOptions returns args without the options at their start (and --):
// valued are the one-letter options, and long the long ones, that take
// the next word as their value.
func skipOptions(args []string, valued string, long []string) []string {
	for len(args) > 0 {
		a := args[0]
		if a == "--" {
			return args[1:]
		}
		if len(a) < 2 || a[0] != '-' {
			return args
		}
		args = args[1:]
		takesValue := len(a) == 2 && strings.IndexByte(valued, a[1]) >= 0
		for _, l := range long {
			takesValue = takesValue || a == l
		}
		if takesValue && len(args) > 0 {
			args = args[1:]
		}
	}
	return args
}

// shellOperand reads the arguments of a shell: the first operand, its
// index (-1 when there is none), and whether an option has -c, which makes
// the operand a command string instead of a script.
func shellOperand(args []string) (operand string, index int, dashC bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-o" || a == "+o" || a == "-O" || a == "+O":
			i++
		case a == "--":
			if i+1 < len(args) {
				return args[i+1], i + 1, dashC
			}
			return "", -1, dashC
		case strings.HasPrefix(a, "--"): // --norc, --login
		case len(a) > 1 && (a[0] == '-' || a[0] == '+'):
			dashC = dashC || a[0] == '-' && strings.IndexByte(a[1:], 'c') >= 0
		default:
			return a, i, dashC
		}
	}
	return "", -1, dashC
}

// hidden is shell text with what is not shell replaced by placeholder
// words: GitHub expressions, templates, and a Makefile's references.
type hidden struct {
	text string
	r    *strings.Replacer // placeholders → what they stand for; nil when none
}

// restore puts back what the placeholders in s stand for.
func (h *hidden) restore(s string) string {
	if h.r == nil {
		return s
	}
	return h.r.Replace(s)
}

// hide replaces ${{ … }} and {{ … }} on one line, and in a Makefile
// recipe $(…), ${…} and $x, by placeholder words, and a recipe's $$ by $.
func hide(src string, makeRecipe bool) hidden {
	if !strings.Contains(src, "{{") && (!makeRecipe || !strings.Contains(src, "$")) {
		return hidden{text: src}
	}
	prefix := "BFx"
	for strings.Contains(src, prefix) {
		prefix += "x"
	}
	var b strings.Builder
	var pairs []string
	put := func(orig string) {
		ph := prefix + strconv.Itoa(len(pairs)/2) + "Q"
		pairs = append(pairs, ph, orig)
		b.WriteString(ph)
	}
	for i := 0; i < len(src); {
		rest := src[i:]
		if open := templateOpen(rest); open > 0 {
			if end := strings.Index(rest[open:], "}}"); end >= 0 && !strings.Contains(rest[:open+end], "\n") {
				put(rest[:open+end+2])
				i += open + end + 2
				continue
			}
		}
		if makeRecipe && rest[0] == '$' && len(rest) > 1 {
			switch rest[1] {
			case '$':
				b.WriteByte('$')
				i += 2
				continue
			case '(', '{':
				if end := matchingClose(rest, 1); end >= 0 {
					put(rest[:end+1])
					i += end + 1
					continue
				}
			default:
				put(rest[:2])
				i += 2
				continue
			}
		}
		b.WriteByte(src[i])
		i++
	}
	if len(pairs) == 0 {
		return hidden{text: b.String()}
	}
	return hidden{text: b.String(), r: strings.NewReplacer(pairs...)}
}

// templateOpen is the length of the ${{ or {{ that s starts with, or 0.
func templateOpen(s string) int {
	switch {
	case strings.HasPrefix(s, "${{"):
		return 3
	case strings.HasPrefix(s, "{{"):
		return 2
	}
	return 0
}

// word is the text of w, unquoted, with placeholders restored: a
// parameter expansion or a substitution is kept as written.
func (h *hidden) word(w *syntax.Word, src string) string {
	var b strings.Builder
	for _, p := range w.Parts {
		wordPart(&b, p, src, false)
	}
	return h.restore(b.String())
}

func wordPart(b *strings.Builder, p syntax.WordPart, src string, quoted bool) {
	switch p := p.(type) {
	case *syntax.Lit:
		b.WriteString(unescape(p.Value, quoted))
	case *syntax.SglQuoted:
		b.WriteString(p.Value)
	case *syntax.DblQuoted:
		for _, q := range p.Parts {
			wordPart(b, q, src, true)
		}
	default:
		b.WriteString(source(src, p))
	}
}

// unescape removes the backslashes of a literal: before any character
// outside double quotes, before $ ` " \ inside.
func unescape(s string, quoted bool) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && (!quoted || strings.IndexByte("$`\"\\", s[i+1]) >= 0) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// heredocText is the body of a here-document, as written.
func heredocText(w *syntax.Word, src string) string {
	var b strings.Builder
	for _, p := range w.Parts {
		if l, ok := p.(*syntax.Lit); ok {
			b.WriteString(l.Value)
		} else {
			b.WriteString(source(src, p))
		}
	}
	return b.String()
}

// source is the text of the node n in src.
func source(src string, n syntax.Node) string {
	start, end := n.Pos().Offset(), n.End().Offset()
	if start > end || end > uint(len(src)) {
		return ""
	}
	return src[start:end]
}
