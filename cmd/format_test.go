package cmd

import (
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/perfctl/perfctl/internal/iostreams"
	"github.com/perfctl/perfctl/report"
)

// TestHelpFormats checks the formats the help names against the registry:
// each --format flag lists the formats of its command's document, and
// every format named anywhere in the help (--format X, --report X=FILE,
// "the X format") is one the registry has.
func TestHelpFormats(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	docs := map[string]report.Document{
		"perfctl check":           report.DocCheck,
		"perfctl compare":         report.DocCompare,
		"perfctl lint":            report.DocLint,
		"perfctl baseline list":   report.DocBaselineList,
		"perfctl baseline show":   report.DocBaselineShow,
		"perfctl history log":     report.DocHistoryLog,
		"perfctl history changes": report.DocHistoryChanges,
		"perfctl profile":         report.DocProfile,
		"perfctl load":            report.DocLoad,
		"perfctl merge":           report.DocCompare,
		"perfctl shard plan":      report.DocShardPlan,
	}
	var all []report.Format
	for _, d := range docs {
		all = append(all, report.Formats(d)...)
	}
	named := regexp.MustCompile("--format[ =]([a-z]+)|--report[ =]([a-z]+)=|[Tt]he ([a-z]+) format")
	listed := regexp.MustCompile(`--format \(([a-z, ]+)\)`)
	found := 0
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		path := c.CommandPath()
		if fl := c.Flags().Lookup("format"); fl != nil {
			d, ok := docs[path]
			if !ok {
				t.Errorf("%s has --format but no document in this test", path)
			} else if want := "output `FORMAT`: " + report.FormatList(report.Formats(d)); fl.Usage != want {
				t.Errorf("%s --format: %q, want %q", path, fl.Usage, want)
			}
		}
		// A list of formats in the long help ("printed in --format (text,
		// json or html)") is the list of the command's document.
		for _, m := range listed.FindAllStringSubmatch(c.Long, -1) {
			if d, ok := docs[path]; !ok || m[1] != report.FormatList(report.Formats(d)) {
				t.Errorf("%s lists the formats %q in its help, want %q", path, m[1], report.FormatList(report.Formats(d)))
			}
			found++
		}
		var help strings.Builder
		help.WriteString(c.Long + "\n" + c.Example + "\n")
		c.Flags().VisitAll(func(fl *pflag.Flag) { help.WriteString(fl.Usage + "\n") })
		for _, m := range named.FindAllStringSubmatch(help.String(), -1) {
			name := m[1] + m[2] + m[3]
			found++
			if _, err := report.ParseFormat(name, all...); err != nil {
				t.Errorf("%s names the format %q, which the registry does not have", path, name)
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(NewCmdRoot(&Factory{IOStreams: ios}))
	if found == 0 {
		t.Error("no format named in the help: the pattern is stale")
	}
}
