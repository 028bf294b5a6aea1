package buildfiles

import (
	"bytes"
	"strconv"
	"strings"
)

// A Pos is a line of a module file.
type Pos struct {
	File string // module-relative, slash-separated
	Line int    // 1-based
}

// Loc is "file:line".
func (p Pos) Loc() string { return p.File + ":" + strconv.Itoa(p.Line) }

// A Line is one logical line of a file: lines ending in a backslash are
// joined with the next.
type Line struct {
	Pos  // of the first physical line
	Text string
}

// LogicalLines splits the file name into logical lines. Comment lines (#
// or //) and blank lines are left out; a binary file has none.
func LogicalLines(name string, data []byte) []Line {
	if isBinary(data) {
		return nil
	}
	var out []Line
	var cur *Line
	for i, raw := range strings.Split(string(data), "\n") {
		raw = strings.TrimRight(raw, "\r")
		cont := strings.HasSuffix(raw, `\`) && !strings.HasSuffix(raw, `\\`)
		if cont {
			raw = strings.TrimSuffix(raw, `\`)
		}
		if cur != nil {
			cur.Text += " " + strings.TrimSpace(raw)
		} else {
			out = append(out, Line{Pos: Pos{File: name, Line: i + 1}, Text: raw})
			cur = &out[len(out)-1]
		}
		if !cont {
			cur = nil
		}
	}
	kept := out[:0]
	for _, l := range out {
		t := strings.TrimSpace(l.Text)
		if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//") {
			continue
		}
		kept = append(kept, l)
	}
	return kept
}

// isBinary reports whether data looks like a binary file (a NUL byte
// near its start).
func isBinary(data []byte) bool {
	return bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0
}
