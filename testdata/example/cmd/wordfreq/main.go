// Command wordfreq prints the most frequent words of its input.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"example.com/wordfreq"
)

func main() { os.Exit(cli(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

// cli runs wordfreq with args and returns the exit code.
func cli(ctx context.Context, args []string, in io.Reader, out, errOut io.Writer) int {
	fs := flag.NewFlagSet("wordfreq", flag.ContinueOnError)
	fs.SetOutput(errOut)
	n := fs.Int("n", 10, "how many words to print")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := run(ctx, in, out, *n); err != nil {
		fmt.Fprintln(errOut, "wordfreq:", err)
		return 1
	}
	return 0
}

func run(ctx context.Context, r io.Reader, w io.Writer, n int) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	counts, err := wordfreq.CountsParallel(ctx, strings.Split(string(data), "\n"))
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	for _, c := range wordfreq.Top(counts, n) {
		fmt.Fprintf(bw, "%7d %s\n", c.N, c.Word)
	}
	return bw.Flush()
}
