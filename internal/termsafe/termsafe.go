// Package termsafe keeps text that came from outside (benchmark names,
// file names, tool messages) from driving the terminal it is printed on.
// A benchmark called "X\x1b]52;c;…\a" would otherwise write the reader's
// clipboard, and one with "\x1b[2J" clear their screen. Control
// characters become visible escapes such as \x1b; newlines and tabs stay.
package termsafe

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"
)

// sgr is a Select Graphic Rendition sequence: colour and weight, which
// perfctl's own renderers emit and which cannot do harm.
var sgr = regexp.MustCompile(`^\x1b\[[0-9;]*m`)

// String returns s with every control character but newline and tab
// escaped, along with bidirectional-text overrides (which can make text
// read differently from what it is) and invalid UTF-8. With keepSGR,
// colour sequences are kept.
func String(s string, keepSGR bool) string {
	i := unsafeIndex(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x1b && keepSGR && sgr.MatchString(s[i:]):
			m := sgr.FindString(s[i:])
			b.WriteString(m)
			i += len(m)
			continue
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unsafeRune(r):
			if r < 0x100 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// unsafeIndex is the index of the first byte String would change, or -1.
func unsafeIndex(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || unsafeRune(r) {
			return i
		}
		i += size
	}
	return -1
}

func unsafeRune(r rune) bool {
	switch {
	case r < 0x20:
		return r != '\n' && r != '\t'
	case r == 0x7f, r >= 0x80 && r <= 0x9f: // DEL, C1 controls (0x9b is a CSI)
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}

// A Writer escapes what is written to it as String does (without keeping
// colour), for diagnostics that carry outside text. Each Write should be
// whole lines or at least whole characters.
type Writer struct{ W io.Writer }

func (w Writer) Write(p []byte) (int, error) {
	s := string(p)
	if unsafeIndex(s) < 0 {
		return w.W.Write(p)
	}
	if _, err := io.WriteString(w.W, String(s, false)); err != nil {
		return 0, err
	}
	return len(p), nil
}
