package hook

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/internal/run"
)

// BenchmarkRunNothingStaged is the hook on a commit without Go changes,
// which should cost next to nothing (target: well under 0.2 s; it is one
// git diff).
func BenchmarkRunNothingStaged(b *testing.B) {
	b.ReportAllocs()
	dir := gitRepo(b)
	opts := &Options{Dir: dir, Exec: run.Exec{}}
	for b.Loop() {
		res, err := Run(context.Background(), opts)
		if err != nil || res.GoFiles != 0 {
			b.Fatal(res, err)
		}
	}
}

// BenchmarkParseUnifiedZero parses the staged diff of a large change
// (2,000 hunks in 100 files).
func BenchmarkParseUnifiedZero(b *testing.B) {
	b.ReportAllocs()
	var d strings.Builder
	for f := range 100 {
		fmt.Fprintf(&d, "diff --git a/f%d.go b/f%d.go\n--- a/f%d.go\n+++ b/f%d.go\n", f, f, f, f)
		for h := range 20 {
			fmt.Fprintf(&d, "@@ -%d,2 +%d,3 @@ func F() {\n-a\n-b\n+a\n+b\n+c\n", h*10, h*10)
		}
	}
	diff := []byte(d.String())
	for b.Loop() {
		if len(parseUnifiedZero(diff)) != 100 {
			b.Fatal("files missing")
		}
	}
}
