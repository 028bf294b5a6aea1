package bench

import (
	"bytes"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/internal/gomod"
)

// A run over several modules is one header, then each module's results
// after its perfctl-module line; it reads back with the modules recorded
// and the rows of each module apart.
func TestHeaderModules(t *testing.T) {
	spec := Spec{Packages: []string{"./..."}, Bench: ".", Count: 2, Timeout: DefaultTimeout}
	var b bytes.Buffer
	h := Header{GoVersion: "go1.26.8", GOOS: "linux", GOARCH: "amd64", Dir: ".", Modules: []string{".", "tools"}, Module: "example.com/root"}
	h.write(&b, &spec)
	b.WriteString("pkg: example.com/root\nBenchmarkA-8 1 10 ns/op\n")
	next := h
	next.Module, next.section = "example.com/root/tools", true
	next.Packages = []string{"example.com/root/tools 0123 4567"}
	next.write(&b, &spec)
	b.WriteString("pkg: example.com/root/tools\nBenchmarkA-8 1 20 ns/op\n")
	text := b.String()
	if n := strings.Count(text, "go: go1.26.8\n"); n != 1 {
		t.Errorf("%d headers, want 1:\n%s", n, text)
	}
	if !strings.Contains(text, "perfctl-modules: . tools\n") ||
		!strings.Contains(text, "\nperfctl-module: example.com/root/tools\n"+string(identityPrefix)+"example.com/root/tools 0123 4567\npkg:") {
		t.Errorf("module lines missing:\n%s", text)
	}
	set, err := Read(strings.NewReader(text), "modules.txt")
	if err != nil {
		t.Fatal(err)
	}
	rec := RecordedSpec(set)
	if len(rec.Modules) != 2 || rec.Modules[0].Rel != "." || rec.Modules[1].Rel != "tools" || rec.Dir != "." {
		t.Errorf("RecordedSpec = %+v", rec)
	}
	a, tools := set.Samples("example.com/root", "A-8", "sec/op"), set.Samples("example.com/root/tools", "A-8", "sec/op")
	if len(a) != 1 || len(tools) != 1 || a[0] == tools[0] {
		t.Errorf("rows of the two modules: %v and %v", a, tools)
	}
	if id := RecordedIdentities(set)["example.com/root/tools"]; id.Binary != "0123" {
		t.Errorf("identity = %+v", id)
	}
}

func TestValidateModules(t *testing.T) {
	if err := ValidateModules([]gomod.Module{{Rel: "."}, {Rel: "a/b"}}); err != nil {
		t.Error(err)
	}
	if err := ValidateModules([]gomod.Module{{Rel: "my tools"}}); err == nil || !strings.Contains(err.Error(), "space") {
		t.Errorf("a directory with a space: %v", err)
	}
}
