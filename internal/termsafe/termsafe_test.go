package termsafe

import (
	"bytes"
	"testing"
)

func TestString(t *testing.T) {
	for in, want := range map[string]string{
		"Parse/small-8":        "Parse/small-8",
		"a\tb\nc":              "a\tb\nc",
		"X\x1b]52;c;aGk=\a":    `X\x1b]52;c;aGk=\x07`,
		"clear\x1b[2J":         `clear\x1b[2J`,
		"\r\x00\x7f":           `\x0d\x00\x7f`,
		"c1\u009b31m":          `c1\x9b31m`,
		"bidi\u202eevil":       `bidi\u202eevil`,
		"bad\xffutf8":          `bad\xffutf8`,
		"héllo 世界":             "héllo 世界",
		"\x1b[1;31mred\x1b[0m": `\x1b[1;31mred\x1b[0m`,
	} {
		if got := String(in, false); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
	if got := String("\x1b[1;31mred\x1b[0m \x1b[2J", true); got != "\x1b[1;31mred\x1b[0m \\x1b[2J" {
		t.Errorf("keeping colour: %q", got)
	}
	var b bytes.Buffer
	if _, err := (Writer{&b}).Write([]byte("perfctl: X\x1b[2J\n")); err != nil || b.String() != "perfctl: X\\x1b[2J\n" {
		t.Errorf("Writer: %q %v", b.String(), err)
	}
}

func BenchmarkStringClean(b *testing.B) {
	s := "BenchmarkParse/size=1024/workers=8-8 a perfectly ordinary benchmark name"
	b.ReportAllocs()
	for b.Loop() {
		_ = String(s, true)
	}
}
