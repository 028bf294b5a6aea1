package checks

import (
	"go/doc/comment"
	"go/parser"
	"go/token"
	"path"
	"regexp"
	"strings"
)

// The docs kind reads documentation as blocks — headings, prose, code and
// table rows — so that a topic counts only where it is documented: under
// a heading that names it, or in a sentence that says something about it.
// This file turns each format (Markdown and plain text, reStructuredText,
// AsciiDoc, man pages, Go package comments) into blocks.

// A docBlockKind is what a block of documentation is.
type docBlockKind int

const (
	blockProse   docBlockKind = iota // a paragraph or list item
	blockCode                        // a code block
	blockTable                       // a table row
	blockHeading                     // a heading
)

// A docBlock is one block of a documentation file.
type docBlock struct {
	kind  docBlockKind
	line  int    // of its first line
	text  string // its text, lines joined with blanks (code keeps its newlines)
	raw   string // a heading as written ("## Benchmarks"), for phrases that match markup
	level int    // a heading's level (1 is the top)
	lines []int  // offsets in text where each further source line starts (prose)
}

// lineOf is the line of the byte offset off of a block's text.
func (b *docBlock) lineOf(off int) int {
	n := 0
	for _, o := range b.lines {
		if o > off {
			break
		}
		n++
	}
	return b.line + n
}

// docFormat is how a documentation file is read.
type docFormat int

const (
	formatMarkdown docFormat = iota // Markdown, and plain text
	formatRST
	formatAsciiDoc
	formatMan
	formatGo // a Go file: its package comment
)

// manSection is the extension of a man page: .1 to .9.
var manSection = regexp.MustCompile(`\.[1-9][a-z]*$`)

// docFormatOf says how the file name is read.
func docFormatOf(name string) docFormat {
	switch ext := strings.ToLower(path.Ext(name)); {
	case ext == ".go":
		return formatGo
	case ext == ".rst" || ext == ".rest":
		return formatRST
	case ext == ".adoc" || ext == ".asciidoc":
		return formatAsciiDoc
	case manSection.MatchString(ext):
		return formatMan
	}
	return formatMarkdown
}

// readDoc returns the blocks of a documentation file. A file with the
// extension of a man page that is not troff (no .TH or .SH) has none.
func readDoc(name string, data []byte) []docBlock {
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	switch docFormatOf(name) {
	case formatGo:
		return readGoDoc(name, data)
	case formatMan:
		if !manPage.MatchString(text) {
			return nil
		}
		return readMan(text)
	case formatRST:
		return readRST(text)
	case formatAsciiDoc:
		return readLight(text, true)
	}
	return readLight(text, false)
}

// A blockBuilder collects blocks.
type blockBuilder struct {
	out  []docBlock
	para *docBlock // the paragraph being read
}

// addLine adds a line of prose to the current paragraph.
func (b *blockBuilder) addLine(line int, text string) {
	text = strings.TrimSpace(text)
	if text == "" {
		b.flush()
		return
	}
	if b.para == nil {
		b.para = &docBlock{kind: blockProse, line: line, text: text}
		return
	}
	b.para.text += " "
	b.para.lines = append(b.para.lines, len(b.para.text))
	b.para.text += text
}

// flush ends the current paragraph.
func (b *blockBuilder) flush() {
	if b.para != nil {
		b.para.text = inlineText(b.para.text)
		b.out = append(b.out, *b.para)
		b.para = nil
	}
}

func (b *blockBuilder) heading(line, level int, text, raw string) {
	b.flush()
	b.out = append(b.out, docBlock{kind: blockHeading, line: line, level: level, text: inlineText(text), raw: raw})
}

func (b *blockBuilder) block(kind docBlockKind, line int, text string) {
	b.flush()
	b.out = append(b.out, docBlock{kind: kind, line: line, text: text})
}

var (
	mdHeading    = regexp.MustCompile(`^(#{1,6})\s+(.*?)\s*#*\s*$`)
	adocHeading  = regexp.MustCompile(`^(={1,6})\s+(.*?)\s*$`)
	setextLine   = regexp.MustCompile(`^(=+|-+)\s*$`)
	listItem     = regexp.MustCompile(`^(?:[-*+]|\d+[.)]|#\.)\s+`)
	mdLinkTarget = regexp.MustCompile(`\]\([^)\s]*\)|\]\[[^\]]*\]`)
	htmlTag      = regexp.MustCompile(`</?[a-zA-Z][^>]*>`)
)

// inlineText removes what is not text from a line of prose: link targets
// (URLs name things, they do not document them) and HTML tags.
func inlineText(s string) string {
	s = mdLinkTarget.ReplaceAllString(s, "]")
	return htmlTag.ReplaceAllString(s, " ")
}

// readLight reads Markdown and plain text (or, with adoc, AsciiDoc):
// ATX and setext headings (AsciiDoc's = headings), fenced code (AsciiDoc's
// ---- and .... blocks), table rows, list items and paragraphs. HTML
// comments are skipped.
func readLight(text string, adoc bool) []docBlock {
	lines := strings.Split(text, "\n")
	var b blockBuilder
	for i := 0; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		line := i + 1
		switch {
		case strings.HasPrefix(t, "<!--"):
			for ; i < len(lines) && !strings.Contains(lines[i], "-->"); i++ {
			}
			b.flush()
			continue
		case !adoc && (strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~")),
			adoc && (t == "----" || t == "...."):
			fence := t[:3]
			if adoc {
				fence = t
			}
			var code []string
			for i++; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), fence); i++ {
				code = append(code, lines[i])
			}
			b.block(blockCode, line+1, strings.Join(code, "\n"))
			continue
		case t == "":
			b.flush()
			continue
		case strings.HasPrefix(t, "|"):
			b.block(blockTable, line, inlineText(t))
			continue
		}
		if adoc {
			if m := adocHeading.FindStringSubmatch(t); m != nil {
				b.heading(line, len(m[1]), m[2], t)
				continue
			}
			if strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
				continue // an attribute line: [source,go]
			}
		} else {
			if m := mdHeading.FindStringSubmatch(t); m != nil {
				b.heading(line, len(m[1]), m[2], t)
				continue
			}
			if b.para == nil && i+1 < len(lines) && setextLine.MatchString(strings.TrimSpace(lines[i+1])) && !listItem.MatchString(t) {
				level := 1
				if strings.HasPrefix(strings.TrimSpace(lines[i+1]), "-") {
					level = 2
				}
				b.heading(line, level, t, t)
				i++
				continue
			}
		}
		if listItem.MatchString(t) {
			b.flush()
			t = listItem.ReplaceAllString(t, "")
		}
		b.addLine(line, t)
	}
	b.flush()
	return b.out
}

var rstUnderline = regexp.MustCompile(`^([=\-~^"'` + "`" + `+#*:.])(?:[=\-~^"'` + "`" + `+#*:.])*$`)

// readRST reads reStructuredText: titles (a line over an underline, with
// or without an overline; levels in the order the underline characters
// appear), literal blocks (after a paragraph ending in :: and after code
// directives, the indented lines), directives, list items and paragraphs.
func readRST(text string) []docBlock {
	lines := strings.Split(text, "\n")
	var b blockBuilder
	var levels []byte // underline characters, in the order they appear
	literal := false  // the next indented block is code
	for i := 0; i < len(lines); i++ {
		raw := strings.TrimRight(lines[i], " \t")
		t := strings.TrimSpace(raw)
		line := i + 1
		if t == "" {
			if b.para != nil && strings.HasSuffix(b.para.text, "::") {
				literal = true
			}
			b.flush()
			continue
		}
		indented := raw != "" && (raw[0] == ' ' || raw[0] == '\t')
		if literal && indented {
			var code []string
			for ; i < len(lines) && (strings.TrimSpace(lines[i]) == "" || lines[i][0] == ' ' || lines[i][0] == '\t'); i++ {
				code = append(code, lines[i])
			}
			i--
			b.block(blockCode, line, strings.Join(code, "\n"))
			literal = false
			continue
		}
		literal = false
		if strings.HasPrefix(t, ".. ") {
			b.flush()
			literal = strings.Contains(t, "code") || strings.Contains(t, "sourcecode")
			continue
		}
		if rstUnderline.MatchString(t) && len(t) >= 3 {
			if i+2 < len(lines) && strings.TrimSpace(lines[i+2]) == t && b.para == nil { // overline
				title := strings.TrimSpace(lines[i+1])
				b.heading(line+1, rstLevel(&levels, t[0]), title, title)
				i += 2
				continue
			}
			if b.para != nil && len(b.para.lines) == 0 && len(t) >= len(strings.TrimSpace(b.para.text)) {
				title := b.para.text
				tline := b.para.line
				b.para = nil
				b.heading(tline, rstLevel(&levels, t[0]), title, title)
				continue
			}
		}
		if listItem.MatchString(t) {
			b.flush()
			t = listItem.ReplaceAllString(t, "")
		}
		b.addLine(line, t)
	}
	if b.para != nil && strings.HasSuffix(b.para.text, "::") {
		b.flush()
	}
	b.flush()
	return b.out
}

func rstLevel(levels *[]byte, c byte) int {
	for i, l := range *levels {
		if l == c {
			return i + 1
		}
	}
	*levels = append(*levels, c)
	return len(*levels)
}

var (
	manPage   = regexp.MustCompile(`(?m)^\.(?:TH|SH)\b`)
	manEscape = regexp.MustCompile(`\\f(?:\(..|\[[^\]]*\]|.)|\\&|\\\(..|\\\*\(..|\\s[+-]?\d|\\[e|^]`)
)

// readMan reads a man page (troff with the man macros): .SH and .SS are
// headings, .nf/.fi and .EX/.EE code, paragraph macros (.PP, .TP, .IP, …)
// end paragraphs, font macros (.B, .I, .BR, …) are text, other requests
// and comments are skipped.
func readMan(text string) []docBlock {
	lines := strings.Split(text, "\n")
	var b blockBuilder
	for i := 0; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		line := i + 1
		if !strings.HasPrefix(t, ".") && !strings.HasPrefix(t, "'") {
			b.addLine(line, manText(t))
			continue
		}
		req, args, _ := strings.Cut(strings.TrimLeft(t[1:], " "), " ")
		switch req {
		case `\"`, "":
		case "SH", "SS":
			level := 1
			if req == "SS" {
				level = 2
			}
			title := manText(strings.Trim(strings.TrimSpace(args), `"`))
			if title == "" && i+1 < len(lines) { // the title on the next line
				i++
				title = manText(strings.TrimSpace(lines[i]))
			}
			b.heading(line, level, title, title)
		case "nf", "EX":
			var code []string
			for i++; i < len(lines); i++ {
				if c := strings.TrimSpace(lines[i]); c == ".fi" || c == ".EE" {
					break
				}
				code = append(code, manText(lines[i]))
			}
			b.block(blockCode, line+1, strings.Join(code, "\n"))
		case "PP", "LP", "P", "TP", "IP", "HP", "sp", "RS", "RE", "TQ":
			b.flush()
		case "B", "I", "BR", "RB", "BI", "IB", "RI", "IR", "SM", "SB":
			b.addLine(line, manText(strings.ReplaceAll(args, `"`, "")))
		}
	}
	b.flush()
	return b.out
}

// manText removes troff escapes from text.
func manText(s string) string {
	s = strings.ReplaceAll(s, `\-`, "-")
	s = strings.ReplaceAll(s, `\(em`, "—")
	s = strings.ReplaceAll(s, `\ `, " ")
	return manEscape.ReplaceAllString(s, "")
}

// readGoDoc reads the package comment of a Go file, with go/doc/comment:
// # headings, paragraphs, list items and code blocks. A file that does not
// parse, or has no package comment, has none.
func readGoDoc(name string, data []byte) []docBlock {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, data, parser.PackageClauseOnly|parser.ParseComments)
	if err != nil || f.Doc == nil {
		return nil
	}
	start := fset.Position(f.Doc.Pos()).Line
	src := strings.Split(string(data), "\n")
	var p comment.Parser
	doc := p.Parse(f.Doc.Text())
	var out []docBlock
	at := start // blocks are found in order: search from the last one's line
	add := func(kind docBlockKind, level int, text string) {
		first, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
		out = append(out, docBlock{kind: kind, line: lineFrom(src, at, first), level: level, text: text, raw: text})
		at = out[len(out)-1].line
	}
	for _, blk := range doc.Content {
		switch blk := blk.(type) {
		case *comment.Heading:
			add(blockHeading, 1, commentText(blk.Text))
		case *comment.Paragraph:
			add(blockProse, 0, commentText(blk.Text))
		case *comment.Code:
			add(blockCode, 0, blk.Text)
		case *comment.List:
			for _, item := range blk.Items {
				for _, c := range item.Content {
					if par, ok := c.(*comment.Paragraph); ok {
						add(blockProse, 0, commentText(par.Text))
					}
				}
			}
		}
	}
	return out
}

// lineFrom is the first line, from line start on, of src that holds the
// start of text (start when none does).
func lineFrom(src []string, start int, text string) int {
	words := strings.Fields(text)
	if len(words) == 0 {
		return start
	}
	probe := strings.Join(words[:min(len(words), 3)], " ")
	for i := max(start-1, 0); i < len(src); i++ {
		if strings.Contains(strings.Join(strings.Fields(src[i]), " "), probe) {
			return i + 1
		}
	}
	return start
}

// commentText is the plain text of a doc comment's text.
func commentText(ts []comment.Text) string {
	var b strings.Builder
	for _, t := range ts {
		switch t := t.(type) {
		case comment.Plain:
			b.WriteString(string(t))
		case comment.Italic:
			b.WriteString(string(t))
		case *comment.Link:
			b.WriteString(commentText(t.Text))
		case *comment.DocLink:
			b.WriteString(commentText(t.Text))
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
