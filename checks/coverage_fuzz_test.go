package checks

import (
	"bytes"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/internal/fuzzcheck"
)

// fuzzCoverSeeds are profiles of go test -coverprofile (set, count and
// atomic modes, -coverpkg duplicates) and broken ones.
var fuzzCoverSeeds = []string{
	`mode: set
example.com/m/a/a.go:3.24,5.2 1 1
example.com/m/a/a.go:7.24,9.2 1 0
example.com/m/b/b.go:3.13,4.16 2 1
example.com/m/b/b.go:4.16,6.3 1 0
`,
	`mode: count
example.com/m/a.go:3.24,5.2 3 17
example.com/m/a.go:3.24,5.2 3 0
example.com/m/sub/x.go:1.1,2.2 0 4
`,
	"mode: atomic\nexample.com/m/a.go:3.24,5.2 1 0\nexample.com/m/a.go:3.24,5.2 1 2\n",
	"mode: set\n",
	"",
	"mode: set\r\nexample.com/m/a.go:3.24,5.2 1 1\r\n",
	"mode: set\nexample.com/m/a.go:3.24,5.2 1\n",
	"mode: set\nexample.com/m/a.go:3.24,5.2 x 1\n",
	"mode: set\nexample.com/m/a.go:3.24,5.2 1 1 1\n",
	"mode: set\nmode: set\n",
	"example.com/m/a.go:3.24,5.2 1 1\n",
	"mode: set\nexample.com/m/a.go:3.24,5.2 -5 1\nexample.com/m/b.go:3.24,5.2 10 0\n",
	"mode: set\na.go:1.1,2.2 9223372036854775807 1\nb.go:1.1,2.2 9223372036854775807 1\n",
	"mode: set\na.go:1.1,2.2 1 -1\n",
	"mode: set\n a.go 1 1\n",
	"mode: set\nno-colon 1 1\n:1.1,2.2 1 1\n/abs.go:1.1 1 1\n",
	"mode: set\n\n\nx\n",
	"\xff\x00 1 1\n",
}

var coverLineError = regexp.MustCompile(`^cover\.out:(\d+): not a coverage profile line: (".*")$`)

func FuzzParseCoverProfile(f *testing.F) {
	for _, s := range fuzzCoverSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		defer fuzzcheck.Watchdog("parseCoverProfile", data)()
		const name = "cover.out"
		c, err := parseCoverProfile(bytes.NewReader(data), name)
		c2, err2 := parseCoverProfile(bytes.NewReader(data), name)
		if fmt.Sprint(err) != fmt.Sprint(err2) || !reflect.DeepEqual(c, c2) {
			t.Fatalf("parseCoverProfile is not deterministic: %+v, %v then %+v, %v", c, err, c2, err2)
		}
		lines := strings.Split(string(data), "\n")
		if err != nil {
			// The error names the line and quotes it; the lines before
			// it are good, and the line is bad on its own too.
			m := coverLineError.FindStringSubmatch(err.Error())
			if m == nil {
				t.Fatalf("error %q does not name %s:LINE and quote the line", err, name)
			}
			n, _ := strconv.Atoi(m[1])
			if n < 1 || n > len(lines) {
				t.Fatalf("error on line %d of %d: %v", n, len(lines), err)
			}
			text := strings.TrimSuffix(lines[n-1], "\r")
			if m[2] != strconv.Quote(text) {
				t.Fatalf("error %v quotes %s, line %d is %q", err, m[2], n, text)
			}
			if _, err := parseCoverProfile(strings.NewReader(strings.Join(lines[:n-1], "\n")), name); err != nil {
				t.Fatalf("line %d is the first bad one, but the lines before it give %v", n, err)
			}
			// \r\n: the scanner drops one \r before a newline, and text may end in \r.
			if _, err := parseCoverProfile(strings.NewReader("mode: set\n"+text+"\r\n"), name); err == nil {
				t.Fatalf("line %d (%q) is bad in the profile but good on its own", n, text)
			}
			return
		}
		if c.covered < 0 || c.covered > c.total {
			t.Fatalf("%d of %d statements covered", c.covered, c.total)
		}
		if c.total > 0 {
			if p := c.percent(); !(p >= 0 && p <= 100) {
				t.Fatalf("coverage %v%% (%d of %d)", p, c.covered, c.total)
			}
		}
		covered, total := 0, 0
		for dir, d := range c.dirs {
			if d[0] < 0 || d[0] > d[1] {
				t.Fatalf("directory %q: %d of %d statements covered", dir, d[0], d[1])
			}
			covered += d[0]
			total += d[1]
		}
		if covered != c.covered || total != c.total {
			t.Fatalf("the directories add up to %d of %d statements, the totals are %d of %d", covered, total, c.covered, c.total)
		}
		if n := len(c.lowest(5)); n > 5 || n > len(c.dirs) {
			t.Fatalf("lowest(5) lists %d of %d directories", n, len(c.dirs))
		}
	})
}
