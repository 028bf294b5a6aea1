package bench

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// maxLine is the longest line perfctl reads from benchmark output. go test
// output can hold far longer lines (a benchmark's b.Log of a large value),
// which benchfmt's reader, a bufio.Scanner, refuses with "token too long"
// for the whole file. A result line is never that long.
const maxLine = 32 << 10

// A lineCapReader passes text through with every line longer than maxLine
// replaced by an empty line, so that line numbers stay right. It
// remembers the overlong lines that start like a benchmark result.
type lineCapReader struct {
	r       *bufio.Reader
	line    int
	pending []byte
	err     error
	// longResults are the numbers of overlong lines that start with
	// "Benchmark": results perfctl would have to drop.
	longResults []int
	// identities are the values of the "# perfctl-package " lines: what a
	// recorded package ran on (benchfmt and benchstat skip such lines).
	identities []string
}

func newLineCapReader(r io.Reader) *lineCapReader {
	return &lineCapReader{r: bufio.NewReaderSize(r, maxLine)}
}

var benchmarkPrefix = []byte("Benchmark")

func (c *lineCapReader) Read(p []byte) (int, error) {
	for len(c.pending) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		c.next()
	}
	n := copy(p, c.pending)
	c.pending = c.pending[n:]
	return n, nil
}

// next reads one line into pending (valid until the next call).
func (c *lineCapReader) next() {
	line, err := c.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		c.line++
		if bytes.HasPrefix(line, benchmarkPrefix) {
			c.longResults = append(c.longResults, c.line)
		}
		for errors.Is(err, bufio.ErrBufferFull) {
			_, err = c.r.ReadSlice('\n')
		}
		c.pending = []byte{'\n'}
		c.err = err
		return
	}
	if len(line) > 0 {
		c.line++
	}
	if v, ok := bytes.CutPrefix(line, identityPrefix); ok {
		c.identities = append(c.identities, string(bytes.TrimSpace(v)))
	}
	c.pending, c.err = line, err
}

// identityPrefix starts the lines that record a package's identity.
var identityPrefix = []byte("# perfctl-package ")
