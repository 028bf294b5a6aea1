package checks

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/perfctl/perfctl/internal/run"
)

var coverageKind = &Kind{
	PerModule: true,
	Name:      "coverage",
	Summary:   "total statement coverage of go test -coverprofile is at least min percent (default 90)",
	New:       func() Evaluator { return &coverageCheck{} },
}

// coverageCheck runs the tests with a coverage profile.
type coverageCheck struct {
	Packages []string `yaml:"packages"` // default ./...
	Min      *float64 `yaml:"min"`      // percent, default 90
	Coverpkg string   `yaml:"coverpkg"` // -coverpkg, e.g. ./...
	Args     []string `yaml:"args"`     // more go test flags, e.g. [-short]
}

func (c *coverageCheck) min() float64 {
	if c.Min == nil {
		return 90
	}
	return *c.Min
}

func (c *coverageCheck) validate() error {
	if m := c.min(); !(m >= 0 && m <= 100) { // NaN is neither
		return fmt.Errorf("min %v is not a percentage between 0 and 100", m)
	}
	if strings.HasPrefix(c.Coverpkg, "-") || strings.ContainsAny(c.Coverpkg, "\x00\n\r") {
		return fmt.Errorf("coverpkg: %q is not a list of package patterns", c.Coverpkg)
	}
	return validateGoTestArgs(c.Args)
}

func (c *coverageCheck) Evaluate(ctx context.Context, ws *Workspace) Result {
	dir, err := os.MkdirTemp("", "perfctl-cover-")
	if err != nil {
		return errResult(err.Error())
	}
	defer os.RemoveAll(dir)
	profile := filepath.Join(dir, "cover.out")
	args := []string{"go", "test", "-covermode=set", "-coverprofile=" + profile}
	if ws.Tags != "" {
		args = append(args, "-tags", ws.Tags)
	}
	if c.Coverpkg != "" {
		args = append(args, "-coverpkg="+c.Coverpkg)
	}
	args = append(args, c.Args...)
	args = append(args, orAll(c.Packages)...)
	out := &tailBuffer{max: 64 << 10} // go test ./... can print a lot; the end says what failed
	err = ws.Exec.Run(ctx, &run.Cmd{Args: args, Dir: ws.Dir, Stdout: out, Stderr: out})
	if err != nil {
		var ee *run.ExitError
		if errors.As(err, &ee) {
			return errResult("the tests failed, so coverage is unknown ("+strings.Join(args[:2], " ")+" exit status "+strconv.Itoa(ee.Code)+")",
				out.lastLines(20)...)
		}
		return errResult(err.Error())
	}
	cov, err := readCoverProfile(profile)
	if err != nil {
		return errResult(err.Error())
	}
	if cov.total == 0 {
		return skip("the packages have no statements to cover")
	}
	pct := cov.percent()
	msg := fmt.Sprintf("%.1f%% of %d statements covered (minimum %v%%)", pct, cov.total, c.min())
	if pct >= c.min() {
		return pass(msg)
	}
	return fail(msg, cov.lowest(5)...)
}

// coverage counts statements, in total and per package directory.
type coverage struct {
	covered, total int
	dirs           map[string]*[2]int // dir → covered, total
}

func (c *coverage) percent() float64 { return 100 * float64(c.covered) / float64(c.total) }

// lowest describes the n directories with the lowest coverage.
func (c *coverage) lowest(n int) []string {
	dirs := make([]string, 0, len(c.dirs))
	for d := range c.dirs {
		dirs = append(dirs, d)
	}
	pct := func(d string) float64 { return float64(c.dirs[d][0]) / float64(c.dirs[d][1]) }
	slices.SortFunc(dirs, func(a, b string) int {
		if pa, pb := pct(a), pct(b); pa != pb {
			if pa < pb {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	out := make([]string, 0, n)
	for _, d := range dirs[:min(n, len(dirs))] {
		out = append(out, fmt.Sprintf("%s: %.1f%% of %d statements", d, 100*pct(d), c.dirs[d][1]))
	}
	return out
}

// readCoverProfile reads the coverage profile in the file name.
func readCoverProfile(name string) (*coverage, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("reading the coverage profile: %w", err)
	}
	defer f.Close()
	return parseCoverProfile(f, name)
}

// parseCoverProfile reads a coverage profile from r; name is used in error
// messages. A block listed more than once (several test binaries cover the
// same package with -coverpkg) counts once, covered if any run covered it.
func parseCoverProfile(r io.Reader, name string) (*coverage, error) {
	type block struct {
		stmts   int
		covered bool
	}
	blocks := map[string]*block{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if line == 1 && strings.HasPrefix(text, "mode:") || text == "" {
			continue
		}
		// name.go:line.col,line.col numStmt count
		pos, rest, ok1 := strings.Cut(text, " ")
		stmts, count, ok2 := strings.Cut(rest, " ")
		// go writes 32-bit statement counts, never negative: their sums
		// cannot overflow.
		n, err1 := strconv.ParseInt(stmts, 10, 32)
		hits, err2 := strconv.ParseInt(count, 10, 64)
		if !ok1 || !ok2 || err1 != nil || err2 != nil || n < 0 || hits < 0 {
			return nil, fmt.Errorf("%s:%d: not a coverage profile line: %q", name, line, text)
		}
		b := blocks[pos]
		if b == nil {
			b = &block{stmts: int(n)}
			blocks[pos] = b
		}
		b.covered = b.covered || hits > 0
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	c := &coverage{dirs: map[string]*[2]int{}}
	for pos, b := range blocks {
		file, _, _ := strings.Cut(pos, ":")
		d := c.dirs[path.Dir(file)]
		if d == nil {
			d = new([2]int)
			c.dirs[path.Dir(file)] = d
		}
		d[1] += b.stmts
		c.total += b.stmts
		if b.covered {
			d[0] += b.stmts
			c.covered += b.stmts
		}
	}
	return c, nil
}
