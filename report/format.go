package report

import (
	"fmt"
	"strings"
)

// Format is an output format.
type Format string

// The output formats.
const (
	Text     Format = "text"
	JSON     Format = "json"
	Markdown Format = "markdown"
	SARIF    Format = "sarif"
	JUnit    Format = "junit"
	// CodeQuality is GitLab's Code Quality report (a Code Climate subset).
	CodeQuality Format = "codequality"
)

// ParseFormat checks name against the formats a command supports.
func ParseFormat(name string, supported ...Format) (Format, error) {
	for _, f := range supported {
		if string(f) == name || (f == Markdown && name == "md") {
			return f, nil
		}
	}
	names := make([]string, len(supported))
	for i, f := range supported {
		names[i] = string(f)
	}
	return "", fmt.Errorf("unknown format %q: use one of %s", name, strings.Join(names, ", "))
}

// Options say how to render.
type Options struct {
	// Color enables ANSI colour in text output.
	Color bool
}
