package buildfiles

import (
	"encoding/json"
	"strings"
)

// readDockerfile returns the commands of the RUN instructions of a
// Dockerfile (ONBUILD RUN too), in shell form or exec form.
func readDockerfile(name string, data []byte) []Command {
	s := splitter{file: name}
	for _, l := range LogicalLines(name, data) {
		instr, rest := cutWord(l.Text)
		if strings.EqualFold(instr, "ONBUILD") {
			instr, rest = cutWord(rest)
		}
		if !strings.EqualFold(instr, "RUN") {
			continue
		}
		for strings.HasPrefix(rest, "--") { // --mount=type=cache,…
			_, rest = cutWord(rest)
		}
		at := place{line: l.Line, flat: true}
		var argv []string
		if strings.HasPrefix(rest, "[") && json.Unmarshal([]byte(rest), &argv) == nil {
			s.add(&Command{Pos: l.Pos, Args: argv}, false, at)
			continue
		}
		s.script(rest, at, false)
	}
	return s.out
}

// cutWord returns the first word of s and what follows it, without the
// blanks around them.
func cutWord(s string) (word, rest string) {
	s = strings.TrimSpace(s)
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i:])
}
