package checks

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/perfctl/perfctl/internal/english"
)

var docsKind = &Kind{
	Name:    "docs",
	Summary: "the documentation covers the required topics (profiling, benchmarking, load testing, …)",
	New:     func() Evaluator { return &docsCheck{} },
}

// defaultDocFiles are the documentation files searched when files is not given.
var defaultDocFiles = []string{"**/*.md", "**/*.markdown", "**/*.rst", "**/*.adoc", "**/*.txt", "**/doc.go", "docs/**"}

// docsCheck passes when each of Topics is mentioned in one of Files.
type docsCheck struct {
	Files  []string   `yaml:"files"`  // globs of the documentation (default defaultDocFiles)
	Topics []docTopic `yaml:"topics"` // what the documentation must cover
}

// A docTopic is documented when any of its phrases appears.
type docTopic struct {
	Name string   `yaml:"name"`
	Any  []string `yaml:"any"` // plain text (case-insensitive, any whitespace between words) or /regexp/

	res []*regexp.Regexp // Any, compiled by validate
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
	text string
}

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
	docs := matchFiles(files, globs)
	if len(docs) == 0 {
		return fail("no documentation files: nothing matches " + strings.Join(globs, ", "))
	}
	hits := make([]*docHit, len(c.Topics))
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
		searched++
		for i := range c.Topics {
			if hits[i] != nil {
				continue
			}
			for _, re := range c.Topics[i].res {
				if loc := re.FindIndex(data); loc != nil {
					hits[i] = &docHit{f, lineAt(data, loc[0]), snippet(string(data[loc[0]:loc[1]]))}
					left--
					break
				}
			}
		}
	}
	var missing, found, missingNames []string
	inFiles := map[string]bool{}
	for i, t := range c.Topics {
		if h := hits[i]; h != nil {
			inFiles[h.file] = true
			found = append(found, fmt.Sprintf("%s: found %q at %s:%d", t.Name, h.text, h.file, h.line))
			continue
		}
		missingNames = append(missingNames, t.Name)
		missing = append(missing, fmt.Sprintf("%s: none of %s appears in the %d documentation file(s) matching %s",
			t.Name, quotePhrases(t.Any), searched, strings.Join(globs, ", ")))
	}
	if len(missing) > 0 {
		return fail(fmt.Sprintf("%d of %d topic(s) not documented: %s", len(missing), len(c.Topics), strings.Join(missingNames, ", ")),
			append(missing, found...)...)
	}
	r := pass(fmt.Sprintf("%s documented in %d file(s)", english.Plural(len(c.Topics), "topic", "topics"), len(inFiles)))
	r.Details = found
	return r
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
