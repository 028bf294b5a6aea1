package buildfiles

import (
	"go/scanner"
	"go/token"
	"strconv"
)

// readMagefile returns the commands of a magefile: each run of two or more
// string literals in the arguments of a call or in a composite literal,
// as in sh.Run("go", "build", "-o", "bin/app", ".") or
// exec.Command("go", "build"), is a command and its words. The file does
// not need to compile: it is scanned, not parsed.
func readMagefile(name string, data []byte) []Command {
	fset := token.NewFileSet()
	var sc scanner.Scanner
	sc.Init(fset.AddFile(name, -1, len(data)), data, nil, 0)
	s := splitter{file: name}
	var words []string
	line := 0
	flush := func() {
		if len(words) >= 2 {
			s.add(&Command{Pos: Pos{File: name, Line: line}, Args: words}, false, place{line: line, flat: true})
		}
		words = nil
	}
	prev := token.ILLEGAL
	for {
		pos, tok, lit := sc.Scan()
		if tok == token.EOF {
			break
		}
		switch {
		case tok == token.STRING && (prev == token.LPAREN || prev == token.LBRACE || prev == token.COMMA):
			w, err := strconv.Unquote(lit)
			if err != nil {
				flush()
				break
			}
			if len(words) == 0 {
				line = fset.Position(pos).Line
			}
			words = append(words, w)
		case tok == token.COMMA && len(words) > 0:
		default:
			flush()
		}
		prev = tok
	}
	flush()
	return s.out
}
