package buildfiles

import (
	"regexp"
	"strings"
)

// jenkinsStep is the start of a sh or bat step of a Jenkins pipeline and
// the quote of its script: sh 'make', sh("make"), sh script: """…""".
var jenkinsStep = regexp.MustCompile(`\b(?:sh|bat)\s*\(?\s*(?:script\s*:\s*)?('''|"""|'|")`)

// readJenkinsfile returns the commands of the sh and bat steps of a
// Jenkinsfile: the rest is Groovy.
func readJenkinsfile(name string, data []byte) []Command {
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	s := splitter{file: name}
	for pos := 0; pos < len(text); {
		m := jenkinsStep.FindStringSubmatchIndex(text[pos:])
		if m == nil {
			break
		}
		quote := text[pos+m[2] : pos+m[3]]
		start := pos + m[1]
		end := groovyStringEnd(text, start, quote)
		if end < 0 {
			pos = start
			continue
		}
		line := 1 + strings.Count(text[:start], "\n")
		s.script(groovyUnescape(text[start:end]), place{line: line}, false)
		pos = end + len(quote)
	}
	return s.out
}

// groovyStringEnd is the index of the quote that closes the string that
// starts at text[start], or -1. A string in single quotes ends on its line.
func groovyStringEnd(text string, start int, quote string) int {
	for i := start; i < len(text); i++ {
		switch {
		case text[i] == '\\':
			i++
		case text[i] == '\n' && len(quote) == 1:
			return -1
		case strings.HasPrefix(text[i:], quote):
			return i
		}
	}
	return -1
}

// groovyUnescape removes the backslashes of \\, \', \" and \$.
func groovyUnescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	return strings.NewReplacer(`\\`, `\`, `\'`, `'`, `\"`, `"`, `\$`, `$`).Replace(s)
}
