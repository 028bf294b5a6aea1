package checks

import (
	"strings"
	"testing"
)

// FuzzReadDoc: documentation is repository content; reading it in any
// format never panics, and every block is at a line of the file.
func FuzzReadDoc(f *testing.F) {
	for _, seed := range []string{
		"# T\n\ntext\n\n```\ncode\n```\n| a | b |\n- item\nSetext\n===\n<!-- x\n",
		"Title\n=====\n\npara::\n\n    code\n\n.. code-block:: go\n\n    more\n\n===\nOver\n===\n",
		"= T\n[source]\n----\ncode\n----\ntext\n",
		".TH X 1\n.SH\nNAME\n.nf\ncode\n.B bold \\fBx\\fR\\&.\n.TP\n.SS \"sub\"\ntext\n",
		"// Package p does.\n//\n// # Heading\n//\n//   - item\n//\n//\tcode\npackage p\n",
		"```", "~~~\n", "----", "\n\n", ".nf", "::\n\n ", "a\n---", "<!--",
	} {
		for _, name := range []string{"README.md", "doc.rst", "doc.adoc", "x.1", "doc.go"} {
			f.Add(name, seed)
		}
	}
	f.Fuzz(func(t *testing.T, name, data string) {
		lines := strings.Count(data, "\n") + 1
		for _, b := range readDoc(name, []byte(data)) {
			if b.line < 1 || b.line > lines+1 {
				t.Fatalf("%s: block %q at line %d of %d", name, b.text, b.line, lines)
			}
			for _, s := range sentences(b.text) {
				if s[0] > s[1] || s[1] > len(b.text) {
					t.Fatalf("sentence %v out of %q", s, b.text)
				}
				_ = b.lineOf(s[0])
			}
		}
	})
}

// TestReadDocFormats reads one small document of each format.
func TestReadDocFormats(t *testing.T) {
	type blk struct {
		kind docBlockKind
		line int
		text string
	}
	for _, tc := range []struct {
		name, data string
		want       []blk
	}{
		{"README.md", "# Title\n\nSome text\nwraps here.\n\n```sh\ngo test\n```\n\n| a | b |\n- an item\n\nSub\n---\n",
			[]blk{{blockHeading, 1, "Title"}, {blockProse, 3, "Some text wraps here."}, {blockCode, 7, "go test"},
				{blockTable, 10, "| a | b |"}, {blockProse, 11, "an item"}, {blockHeading, 13, "Sub"}}},
		{"guide.rst", "Guide\n=====\n\nRun it::\n\n    go test\n\n- an item\n",
			[]blk{{blockHeading, 1, "Guide"}, {blockProse, 4, "Run it::"}, {blockCode, 6, "    go test\n"}, {blockProse, 8, "an item"}}},
		{"guide.adoc", "= Guide\n\n[source,sh]\n----\ngo test\n----\nText.\n",
			[]blk{{blockHeading, 1, "Guide"}, {blockCode, 5, "go test"}, {blockProse, 7, "Text."}}},
		{"app.1", ".TH APP 1\n.SH NAME\napp \\- does \\fBthings\\fR\\&.\n.SH EXAMPLES\n.nf\napp run\n.fi\n",
			[]blk{{blockHeading, 2, "NAME"}, {blockProse, 3, "app - does things."}, {blockHeading, 4, "EXAMPLES"}, {blockCode, 6, "app run"}}},
		{"app.1", "not a man page\n", nil},
		{"doc.go", "// Package p does things.\n//\n// # Usage\n//\n// Call [Do] first.\n//\n//\tp.Do()\npackage p\n",
			[]blk{{blockProse, 1, "Package p does things."}, {blockHeading, 3, "Usage"}, {blockProse, 5, "Call [Do] first."}, {blockCode, 7, "p.Do()\n"}}},
	} {
		var got []blk
		for _, b := range readDoc(tc.name, []byte(tc.data)) {
			got = append(got, blk{b.kind, b.line, b.text})
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: blocks %+v, want %+v", tc.name, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: block %d is %+v, want %+v", tc.name, i, got[i], tc.want[i])
			}
		}
	}
}
