package report

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestHTMLRenderSmoke(t *testing.T) {
	a := synthAnalysis(300, 10, 6)
	var buf bytes.Buffer
	if err := WriteHTML(&buf, &HTMLPage{Title: "synthetic", Analysis: a}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(os.TempDir(), "html-smoke.html")
	os.WriteFile(out, buf.Bytes(), 0o644)
	t.Log(out, buf.Len())
}
