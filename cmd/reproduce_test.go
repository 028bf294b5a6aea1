package cmd

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

// TestRequestArgsRoundTrip checks compare.Request.Args, the arguments the
// Markdown report's reproduce command is made of, against the real flag
// parser: parsed again, they make the same request as the command line
// that made it.
func TestRequestArgsRoundTrip(t *testing.T) {
	t.Parallel()
	dir := moduleDir(t)
	for _, args := range [][]string{
		{"compare", "a.txt", "b c.txt"},
		{"compare", "--threshold", "3%", "--threshold", "B/op=12.5%", "--threshold", "ns/op=7%", "--threshold", "allocs/op=2%",
			"--alpha", "0.01", "--correction", "none", "--filter", "^Parse$|x y", "old.txt", "-"},
		{"compare", "--threshold", "0.123456789", "--threshold", "MB/s=150%", "a.txt", "b.txt"},
		{"compare", "--merge-base", "master", "--bench", "a|b$", "--count", "7", "--benchtime", "50ms", "--cpu", "1,2",
			"--tags", "x,y", "--timeout", "3m30s", "--max-time", "90s", "--full", "./x/...", "./sub"},
		{"compare", "--base-ref", "v1.2.3~1", "--bench", "-x"},
		{"compare", "--baseline", "main", "--baseline-dir", "some dir", "--rerun-base", "--count", "6"},
		{"compare", "--baseline", "main", "--head", "new.txt", "--bench", ""},
		{"compare", "--", "-a.txt", "b.txt"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Parallel()
			parse := func(args []string) *CompareOptions {
				t.Helper()
				var got *CompareOptions
				f := testFactory(t, dir, nil)
				if err := execute(f, NewCmdCompare(f, func(_ context.Context, o *CompareOptions) error { got = o; return nil }), args...); err != nil {
					t.Fatalf("%q: %v", args, err)
				}
				return got
			}
			first := parse(args)
			again := first.Request.Args()
			second := parse(append([]string{"compare"}, again...))
			q1, q2 := *first.Request, *second.Request
			if f1, f2 := q1.Stats.Filter, q2.Stats.Filter; (f1 == nil) != (f2 == nil) || f1 != nil && f1.String() != f2.String() {
				t.Errorf("filter %v, then %v", f1, f2)
			}
			q1.Stats.Filter, q2.Stats.Filter = nil, nil
			if !reflect.DeepEqual(q1, q2) {
				t.Errorf("%q\nmade %+v;\nits args %q made %+v", args, q1, again, q2)
			}
		})
	}
}
