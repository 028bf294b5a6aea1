package hook

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// Run with
//
//	go test -run '^$' -fuzz '^FuzzParseUnifiedZero$' -fuzztime 3m ./hook
//	go test -run '^$' -fuzz '^FuzzParseUnifiedZeroNames$' -fuzztime 3m ./hook

// maxFuzzInput bounds the inputs the fuzzers look at: see maxFuzzInput in
// bench/fuzz_test.go (Go's minimizer stalls on large inputs).
const maxFuzzInput = 1 << 10

// fuzzDiffSeeds are outputs of git diff --cached -U0 as stagedLines runs
// it, and broken ones.
var fuzzDiffSeeds = []string{
	`diff --git a/a.go b/a.go
index 1111111..2222222 100644
--- a/a.go
+++ b/a.go
@@ -3 +3 @@ func A() {
-	return 1
+	return 2
@@ -10,0 +11,3 @@ func B() {
+	x := 1
+	y := 2
+	_ = x + y
@@ -20,2 +22,0 @@ func C() {
-	a()
-	b()
diff --git a/new.go b/new.go
new file mode 100644
index 0000000..3333333
--- /dev/null
+++ b/new.go
@@ -0,0 +1,2 @@
+package x
+
diff --git a/old.go b/old.go
deleted file mode 100644
--- a/old.go
+++ /dev/null
@@ -1 +0,0 @@
-package x
`,
	"diff --git a/a b.go b/a b.go\n--- a/a b.go\t\n+++ b/a b.go\t\n@@ -1 +1 @@\n-x\n+y\n",
	"diff --git \"a/q\\\"x.go\" \"b/q\\\"x.go\"\n--- \"a/q\\\"x.go\"\n+++ \"b/q\\\"x.go\"\n@@ -1 +1,2 @@\n-x\n+y\n+z\n",
	"+++ b/é.go\n@@ -1 +1 @@\n",
	// Truncated and malformed hunks.
	"+++ b/a.go\n@@ -1 +",
	"+++ b/a.go\n@@",
	"+++ b/a.go\n@@ -1,2 +3,",
	"+++ b/a.go\n@@ -1 +0 @@\n",
	"+++ b/a.go\n@@ -1 +-5,3 @@\n",
	"+++ b/a.go\n@@ -1 +9223372036854775807,2 @@\n",
	"+++ b/a.go\n@@ -1 +5,-2 @@\n",
	"+++ b/a.go\n@@ -1 +x,y @@\n",
	"+++ b/a.go\n@@ -1 3,4 @@\n",
	"+++ \n@@ -1 +1 @@\n",
	"+++ b/\n@@ -1 +1 @@\n",
	"@@ -1 +1 @@\n+++ b/a.go\n",
	"+++ b/a.go\r\n@@ -1 +2,3 @@\r\n",
	"",
	"\x00\xff",
}

// diffFiles counts the lines that can name a file.
func diffFiles(data []byte) int {
	n := 0
	for line := range bytes.Lines(data) {
		if bytes.HasPrefix(line, []byte("+++ ")) {
			n++
		}
	}
	return n
}

func FuzzParseUnifiedZero(f *testing.F) {
	for _, s := range fuzzDiffSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		defer watchdog(fmt.Sprintf("parseUnifiedZero on %q", data))()

		got := parseUnifiedZero(data)
		if again := parseUnifiedZero(data); !reflect.DeepEqual(got, again) {
			t.Fatalf("parseUnifiedZero is not deterministic: %v, then %v", got, again)
		}
		hunks, ranges := bytes.Count(data, []byte("@@ ")), 0
		for file, rs := range got {
			if file == "" {
				t.Errorf("ranges %v without a file name", rs)
			}
			if len(rs) == 0 {
				t.Errorf("%q has an empty list of ranges", file)
			}
			for _, r := range rs {
				if r.from < 1 || r.to < r.from {
					t.Errorf("%q: range %d-%d: want 1 <= from <= to", file, r.from, r.to)
				}
			}
			ranges += len(rs)
		}
		if ranges > hunks {
			t.Errorf("%d ranges from %d hunk headers", ranges, hunks)
		}
		if len(got) > diffFiles(data) {
			t.Errorf("%d files from %d +++ lines", len(got), diffFiles(data))
		}
		// A diff cut after a line (git killed, output truncated) gives
		// the beginning of what the whole diff gives.
		if i := bytes.LastIndexByte(data[:len(data)/2], '\n'); i >= 0 {
			for file, rs := range parseUnifiedZero(data[:i+1]) {
				if full := got[file]; len(rs) > len(full) || !slices.Equal(rs, full[:len(rs)]) {
					t.Errorf("%q: the first %d bytes give ranges %v, the whole diff %v", file, i+1, rs, full)
				}
			}
		}
	})
}

// gitQuote quotes a path as git's quote_c_style does with
// core.quotePath=false: only ", \ and control characters need it.
func gitQuote(name string) string {
	if !strings.ContainsFunc(name, func(r rune) bool { return r == '"' || r == '\\' || r < 0x20 || r == 0x7f }) {
		return name
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := range len(name) {
		switch c := name[i]; c {
		case '\a':
			b.WriteString(`\a`)
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\v':
			b.WriteString(`\v`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		default:
			if c < 0x20 || c == 0x7f {
				fmt.Fprintf(&b, `\%03o`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// gitDiffHeader is the start of git diff's output for a file, as git
// writes it (diff.c: quoted names, and a tab after a name with a space).
func gitDiffHeader(name string, created bool) string {
	a, b := gitQuote("a/"+name), gitQuote("b/"+name)
	tab := ""
	if strings.Contains(name, " ") {
		tab = "\t"
	}
	old := a + tab
	mode := "index 1111111..2222222 100644\n"
	if created {
		old, mode = "/dev/null", "new file mode 100644\nindex 0000000..2222222\n"
	}
	return fmt.Sprintf("diff --git %s %s\n%s--- %s\n+++ %s%s\n", a, b, mode, old, b, tab)
}

// FuzzParseUnifiedZeroNames writes the diff git writes for a change to
// the file name and checks that parseUnifiedZero reads back that file and
// that range: the hook keeps only findings on the lines the commit changes.
func FuzzParseUnifiedZeroNames(f *testing.F) {
	for _, name := range []string{"a.go", "pkg/a.go", "a b.go", "dir with space/x.go", `q"x.go`, `back\slash.go`,
		"tab\there.go", "é.go", "日本.go", "b/b.go", "a/b.go", "-x.go", "\"quoted\".go", "n\nl.go", "dev/null", "+++ .go", "@@ .go", "x.go\t"} {
		f.Add(name, uint32(3), uint16(2), false)
	}
	f.Add("new.go", uint32(1), uint16(10), true)
	f.Fuzz(func(t *testing.T, name string, start uint32, count uint16, created bool) {
		if name == "" || len(name) > 256 || strings.Contains(name, "\x00") || strings.HasPrefix(name, "/") {
			return // not a path git can hold
		}
		if start == 0 || count == 0 {
			return
		}
		from := int(start)
		if created {
			from = 1
		}
		added := fmt.Sprintf("+%d,%d", from, count)
		if count == 1 {
			added = fmt.Sprintf("+%d", from) // as git writes it
		}
		diff := gitDiffHeader(name, created) + fmt.Sprintf("@@ -%d,0 %s @@ func F() {\n", from-1, added) +
			strings.Repeat("+\tx()\n", int(min(count, 20)))
		got := parseUnifiedZero([]byte(diff))
		want := map[string][]lineRange{name: {{from, from + int(count) - 1}}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("the diff of %q:\n%s\ngives %v, want %v", name, diff, got, want)
		}
	})
}

// watchdog panics if the returned function is not called within 10s: Go's
// fuzzer does not notice an input that never finishes.
func watchdog(what string) func() {
	done := make(chan struct{})
	timer := time.AfterFunc(10*time.Second, func() {
		select {
		case <-done:
		default:
			panic(what + " did not finish within 10s")
		}
	})
	return func() { close(done); timer.Stop() }
}
