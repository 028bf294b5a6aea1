package checks

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/perfctl/perfctl/internal/english"
)

var docsKind = &Kind{
	Name:    "docs",
	Summary: "the documentation covers the required topics (profiling, benchmarking, load testing, …) under a heading that names them or in sentences that say how",
	New:     func() Evaluator { return &docsCheck{} },
}

// defaultDocFiles are the documentation files searched when files is not
// given: Markdown, reStructuredText and AsciiDoc anywhere, READMEs, text
// under docs/ and doc/, package comments of doc.go files, man pages.
var defaultDocFiles = []string{"**/*.md", "**/*.markdown", "**/*.rst", "**/*.adoc", "**/README*", "docs/**/*.txt", "doc/**/*.txt", "**/doc.go", "**/*.[1-9]", "man/**"}

// docsCheck passes when each of Topics is documented in one of Files: see
// topicHit for what counts.
type docsCheck struct {
	Files  []string   `yaml:"files"`  // globs of the documentation (default defaultDocFiles)
	Topics []docTopic `yaml:"topics"` // what the documentation must cover
}

// A docTopic is documented when one of its phrases appears under a heading
// that names it, or in a sentence that says how or what.
type docTopic struct {
	Name string   `yaml:"name"`
	Any  []string `yaml:"any"` // plain text (case-insensitive, any whitespace between words) or /regexp/
	// Headings are more phrases that name the topic in a heading (the
	// topic's name and Any always do).
	Headings []string `yaml:"headings"`

	res      []*regexp.Regexp // Any, compiled by validate
	headings []*regexp.Regexp // Headings, compiled by validate
	stems    []string         // the words of Name, stemmed
}

func (c *docsCheck) validate() error {
	if err := validateGlobs("files", c.Files); err != nil {
		return err
	}
	if len(c.Topics) == 0 {
		return errors.New("topics: give at least one topic, e.g. topics: [{name: profiling, any: [pprof]}]")
	}
	seen := map[string]bool{}
	for i := range c.Topics {
		t := &c.Topics[i]
		t.Name = strings.TrimSpace(t.Name)
		switch {
		case t.Name == "":
			return fmt.Errorf("topics[%d]: the topic has no name", i)
		case seen[t.Name]:
			return fmt.Errorf("topics[%d]: topic %q is listed twice", i, t.Name)
		case len(t.Any) == 0:
			return fmt.Errorf("topics[%d] (%s): any: give at least one phrase", i, t.Name)
		}
		seen[t.Name] = true
		t.res = make([]*regexp.Regexp, len(t.Any))
		for j, p := range t.Any {
			re, err := compilePhrase(p)
			if err != nil {
				return fmt.Errorf("topics[%d] (%s): any[%d]: %w", i, t.Name, j, err)
			}
			t.res[j] = re
		}
		t.headings = make([]*regexp.Regexp, len(t.Headings))
		for j, p := range t.Headings {
			re, err := compilePhrase(p)
			if err != nil {
				return fmt.Errorf("topics[%d] (%s): headings[%d]: %w", i, t.Name, j, err)
			}
			t.headings[j] = re
		}
		t.stems = nameStems(t.Name)
	}
	return nil
}

// compilePhrase compiles a phrase of a topic: /re/ is a regexp, anything
// else plain text; both match case-insensitively. A backspace in a regexp
// is read as \b: YAML's double quotes turn "/\bword\b/" into backspaces.
func compilePhrase(p string) (*regexp.Regexp, error) {
	if len(p) >= 2 && strings.HasPrefix(p, "/") && strings.HasSuffix(p, "/") {
		expr := strings.ReplaceAll(p[1:len(p)-1], "\b", `\b`)
		if expr == "" {
			return nil, errors.New("the regexp // is empty")
		}
		re, err := regexp.Compile("(?i)" + expr)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		return re, nil
	}
	words := strings.Fields(p)
	if len(words) == 0 {
		return nil, errors.New("an empty phrase")
	}
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return regexp.MustCompile(`(?i)` + strings.Join(words, `\s+`)), nil
}

// A docHit is where a topic was found.
type docHit struct {
	file string
	line int
	text string // the phrase or heading found
	how  string // "under the heading …" or "in a sentence that says how"
}

// maxMentions bounds the mentions that did not count, listed for a topic
// that is not documented.
const maxMentions = 3

func (c *docsCheck) Evaluate(_ context.Context, ws *Workspace) Result {
	if len(c.Topics) == 0 || c.Topics[0].res == nil { // not built by Parse
		if err := c.validate(); err != nil {
			return errResult("invalid params: " + err.Error())
		}
	}
	globs := c.Files
	if len(globs) == 0 {
		globs = defaultDocFiles
	}
	files, err := ws.Files()
	if err != nil {
		return errResult("listing the module's files: " + err.Error())
	}
	var docs, notDocs []string
	for _, f := range matchFiles(files, globs) {
		if why := notDocumentation(f); why != "" {
			notDocs = append(notDocs, f+" ("+why+")")
			continue
		}
		docs = append(docs, f)
	}
	if len(docs) == 0 {
		return fail("no documentation files: nothing matches " + strings.Join(globs, ", "))
	}
	slices.SortStableFunc(docs, func(a, b string) int { return cmp.Compare(docRank(a), docRank(b)) })
	hits := make([]*docHit, len(c.Topics))
	mentions := make([][]string, len(c.Topics)) // where a phrase appears without counting
	left := len(c.Topics)
	searched := 0
	for _, f := range docs {
		if left == 0 {
			break
		}
		data, err := ws.ReadFile(f)
		if err != nil {
			return errResult(fmt.Sprintf("reading %s: %v", f, err))
		}
		if isBinary(data) {
			continue
		}
		if isGenerated(data) {
			notDocs = append(notDocs, f+" (generated)")
			continue
		}
		blocks := readDoc(f, data)
		searched++
		for i := range c.Topics {
			if hits[i] != nil {
				continue
			}
			h, missed := c.Topics[i].find(blocks)
			if h != nil {
				h.file = f
				hits[i] = h
				left--
				continue
			}
			for _, line := range missed {
				if len(mentions[i]) < maxMentions {
					mentions[i] = append(mentions[i], fmt.Sprintf("%s:%d", f, line))
				}
			}
		}
	}
	var missing, found, missingNames []string
	inFiles := map[string]bool{}
	for i := range c.Topics {
		t := &c.Topics[i]
		if h := hits[i]; h != nil {
			inFiles[h.file] = true
			found = append(found, fmt.Sprintf("%s: found %q at %s:%d, %s", t.Name, h.text, h.file, h.line, h.how))
			continue
		}
		missingNames = append(missingNames, t.Name)
		m := fmt.Sprintf("%s: none of %s appears under a heading that names it or in a sentence that says how, in the %d documentation file(s) matching %s",
			t.Name, quotePhrases(t.Any), searched, strings.Join(globs, ", "))
		if len(mentions[i]) > 0 {
			m += " (mentioned, but not documented, at " + strings.Join(mentions[i], ", ") + ")"
		}
		missing = append(missing, m)
	}
	var skipped []string
	if len(notDocs) > 0 {
		skipped = []string{"not read as documentation: " + strings.Join(limitList(notDocs, 10), ", ")}
	}
	if len(missing) > 0 {
		return fail(fmt.Sprintf("%d of %d topic(s) not documented: %s", len(missing), len(c.Topics), strings.Join(missingNames, ", ")),
			slices.Concat(missing, found, skipped)...)
	}
	r := pass(fmt.Sprintf("%s documented in %d file(s)", english.Plural(len(c.Topics), "topic", "topics"), len(inFiles)))
	r.Details = slices.Concat(found, skipped)
	return r
}

// docRank orders the documentation files: the module's README first, then
// docs/, doc/ and man pages, then other top-level files, then the rest
// (the READMEs of packages, package comments). A topic is reported where
// it is first found, so the project's own documentation is preferred.
func docRank(f string) int {
	dir, base := path.Split(f)
	switch {
	case dir == "" && strings.HasPrefix(strings.ToUpper(base), "README"):
		return 0
	case strings.HasPrefix(f, "docs/") || strings.HasPrefix(f, "doc/") || strings.HasPrefix(f, "man/") ||
		dir == "" && docFormatOf(f) == formatMan:
		return 1
	case dir == "":
		return 2
	}
	return 3
}

// What is never read as documentation, whatever files says: baselines
// and other perfctl data, changelogs and release notes (they say what
// changed, not how things work), and generated files.
var (
	changelogName = regexp.MustCompile(`(?i)^(changelog|changes|history|releases|release[-_ ]?notes)([-_.].*)?$`)
	generatedFile = regexp.MustCompile(`(?m)^\s*(?://|#|<!--|\.\\"|\.\.)\s*Code generated .* DO NOT EDIT\.`)
)

// generatedHead is how many lines at the start of a file are searched for
// the line that says it is generated: further down it is more likely an
// example in a document about code generation.
const generatedHead = 10

// isGenerated reports whether data starts with a generated file's line.
func isGenerated(data []byte) bool {
	head := data
	for i, n := 0, 0; i < len(data); i++ {
		if data[i] == '\n' {
			if n++; n == generatedHead {
				head = data[:i]
				break
			}
		}
	}
	return generatedFile.Match(head)
}

// notDocumentation says why the module file f is not documentation ("" when
// it may be).
func notDocumentation(f string) string {
	if f == ".perfctl" || strings.HasPrefix(f, ".perfctl/") || strings.Contains(f, "/.perfctl/") {
		return "perfctl data"
	}
	if changelogName.MatchString(path.Base(f)) {
		return "a changelog"
	}
	return ""
}

// find looks for the topic in the blocks of one file, in order. It counts
// (1) a heading that names the topic — one of its phrases or headings, or
// every word of its name (stemmed: "Benchmarks" names "benchmarking") —
// over a section with something in it, and (2) a sentence of prose (a
// paragraph or list item, not code or a table) of at least
// minSentenceWords words that has a phrase and a word that says how or what
// (howWords: use, run, start, limit, cancel, measure, each, must, …).
// Anything under a heading that names the topic is covered by (1). It
// returns the hit, or the lines of mentions that did not count.
func (t *docTopic) find(blocks []docBlock) (*docHit, []int) {
	var missed []int
	for i := range blocks {
		b := &blocks[i]
		switch b.kind {
		case blockHeading:
			if name, ok := t.namedBy(b); ok {
				if sectionHasContent(blocks, i) {
					return &docHit{line: b.line, text: snippet(name), how: fmt.Sprintf("under the heading %q", snippet(b.text))}, nil
				}
				missed = append(missed, b.line)
			}
		case blockProse:
			for _, sent := range sentences(b.text) {
				loc := t.match(b.text[sent[0]:sent[1]])
				if loc == nil {
					continue
				}
				text := b.text[sent[0]:sent[1]]
				line := b.lineOf(sent[0] + loc[0])
				if saysHow(text) {
					return &docHit{line: line, text: snippet(text[loc[0]:loc[1]]), how: "in a sentence that says how or what"}, nil
				}
				missed = append(missed, line)
			}
		default:
			if loc := t.match(b.text); loc != nil {
				missed = append(missed, b.line+strings.Count(b.text[:loc[0]], "\n"))
			}
		}
	}
	return nil, missed
}

// match returns where a phrase of the topic first appears in text.
func (t *docTopic) match(text string) []int {
	var first []int
	for _, re := range t.res {
		if loc := re.FindStringIndex(text); loc != nil && (first == nil || loc[0] < first[0]) {
			first = loc
		}
	}
	return first
}

// namedBy reports whether the heading b names the topic, and with what.
func (t *docTopic) namedBy(b *docBlock) (string, bool) {
	for _, re := range slices.Concat(t.res, t.headings) {
		for _, s := range []string{b.raw, b.text} {
			if loc := re.FindStringIndex(s); loc != nil {
				return s[loc[0]:loc[1]], true
			}
		}
	}
	if len(t.stems) == 0 {
		return "", false
	}
	words := nameStems(b.text)
	for _, s := range t.stems {
		if !slices.Contains(words, s) {
			return "", false
		}
	}
	return b.text, true
}

// sectionHasContent reports whether the heading blocks[i] has a block of
// its own before the next heading of its level or above (a subsection's
// blocks count).
func sectionHasContent(blocks []docBlock, i int) bool {
	for _, b := range blocks[i+1:] {
		if b.kind == blockHeading {
			if b.level <= blocks[i].level {
				return false
			}
			continue
		}
		if len(strings.Fields(b.text)) > 0 {
			return true
		}
	}
	return false
}

// minSentenceWords is the fewest words of a sentence that documents a topic.
const minSentenceWords = 5

// howWords are the words by which a sentence says how something is done
// or what it does: verbs of instruction and of the mechanisms the topics
// are about, and quantifiers of rules.
var howWords = map[string]bool{
	"how": true, "use": true, "uses": true, "using": true, "used": true, "run": true, "runs": true, "running": true,
	"start": true, "starts": true, "spawn": true, "spawns": true,
	"limit": true, "limits": true, "limited": true, "bound": true, "bounds": true, "bounded": true,
	"cancel": true, "cancels": true, "cancelled": true, "canceled": true, "cancellation": true,
	"measure": true, "measures": true, "measured": true, "measuring": true, "compare": true, "compares": true,
	"record": true, "records": true, "configure": true, "configured": true, "enable": true, "enabled": true,
	"set": true, "each": true, "every": true, "per": true, "must": true, "should": true, "always": true, "never": true,
	"before": true, "after": true, "collect": true, "collects": true,
}

// saysHow reports whether a sentence has at least minSentenceWords words
// and one of howWords.
func saysHow(sentence string) bool {
	words := strings.FieldsFunc(strings.ToLower(sentence), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	})
	if len(strings.Fields(sentence)) < minSentenceWords {
		return false
	}
	for _, w := range words {
		if howWords[w] {
			return true
		}
	}
	return false
}

// sentences returns the byte ranges of the sentences of text: a sentence
// ends at ., ! or ? followed by a blank and a capital letter, a digit or
// a quote, or at the end.
func sentences(text string) [][2]int {
	var out [][2]int
	start := 0
	for i := range len(text) {
		if c := text[i]; c != '.' && c != '!' && c != '?' {
			continue
		}
		if i+2 < len(text) && text[i+1] == ' ' {
			r, _ := utf8.DecodeRuneInString(text[i+2:])
			if unicode.IsUpper(r) || unicode.IsDigit(r) || r == '`' || r == '"' || r == '*' {
				out = append(out, [2]int{start, i + 1})
				start = i + 2
			}
		}
	}
	if start < len(text) {
		out = append(out, [2]int{start, len(text)})
	}
	return out
}

// nameStems returns the words of s, lower-case and stemmed (ing, s, e
// removed), without short words.
func nameStems(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len(w) < 3 || w == "the" || w == "and" || w == "for" {
			continue
		}
		for _, suffix := range []string{"ing", "s", "e"} {
			if len(w) > len(suffix)+3 {
				w = strings.TrimSuffix(w, suffix)
			}
		}
		out = append(out, w)
	}
	return out
}

// quotePhrases lists phrases for a message: plain ones quoted, regexps
// as they are written.
func quotePhrases(phrases []string) string {
	out := make([]string, len(phrases))
	for i, p := range phrases {
		if len(p) >= 2 && strings.HasPrefix(p, "/") && strings.HasSuffix(p, "/") {
			out[i] = strings.ReplaceAll(p, "\b", `\b`)
		} else {
			out[i] = strconv.Quote(p)
		}
	}
	return strings.Join(out, ", ")
}
