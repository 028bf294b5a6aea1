package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestLogMode(t *testing.T) {
	var b bytes.Buffer
	p := New(&b, false)
	p.Building(2)
	p.Running(1, 3, "ex.com/a", 0, -1)
	p.Benchmark("BenchmarkParse-8") // not shown in a log
	p.Running(2, 3, "ex.com/a", 65*time.Second, 130*time.Second)
	p.Done()
	want := "perfctl: building 2 test binaries\n" +
		"perfctl: round 1/3 · ex.com/a · 0s elapsed, estimating time left\n" +
		"perfctl: round 2/3 · ex.com/a · 1m5s elapsed, about 2m10s left\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestTerminalMode(t *testing.T) {
	var b bytes.Buffer
	p := New(&b, true)
	p.Building(1)
	p.Running(1, 2, "ex.com/a", 0, -1)
	p.Benchmark("BenchmarkParse-8")
	p.Done()
	out := b.String()
	if strings.Contains(out, "\n") {
		t.Errorf("terminal mode wrote a newline: %q", out)
	}
	for _, want := range []string{"\r\033[Kbuilding 1 test binary", "\r\033[Kround 1/2 · ex.com/a · 0s elapsed, estimating time left · BenchmarkParse-8"} {
		if !strings.Contains(out, want) {
			t.Errorf("output %q lacks %q", out, want)
		}
	}
	if !strings.HasSuffix(out, "\r\033[K") {
		t.Errorf("Done did not clear the line: %q", out)
	}
	long := New(&b, true)
	b.Reset()
	long.Running(1, 2, strings.Repeat("é", 200), 0, -1)
	if r := []rune(strings.TrimPrefix(b.String(), "\r\033[K")); len(r) != 120 || r[119] != '…' {
		t.Errorf("a long line is not cut to 120 runes: %d", len(r))
	}
}

func TestShort(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "0s", 1499 * time.Millisecond: "1s", 59 * time.Second: "59s",
		2*time.Minute + 10*time.Second: "2m10s", 3 * time.Minute: "3m", 65 * time.Minute: "1h5m"} {
		if got := short(d); got != want {
			t.Errorf("short(%v) = %q, want %q", d, got, want)
		}
	}
}
