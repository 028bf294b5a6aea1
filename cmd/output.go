package cmd

import (
	"bytes"
	"fmt"
	"io"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/atomicfile"
	"github.com/perfctl/perfctl/internal/iostreams"
	"github.com/perfctl/perfctl/report"
)

// render runs a renderer into memory and then writes the result to stdout,
// so that a failing renderer never leaves half a report.
func render(ios *iostreams.IOStreams, fn func(w io.Writer, opts report.Options) error) error {
	var buf bytes.Buffer
	if err := fn(&buf, report.Options{Color: ios.ColorEnabled()}); err != nil {
		return fmt.Errorf("rendering the report: %w", err)
	}
	_, err := buf.WriteTo(ios.Out)
	return err
}

// parseFormat wraps report.ParseFormat as a usage error of --format.
func parseFormat(name string, supported ...report.Format) (report.Format, error) {
	f, err := report.ParseFormat(name, supported...)
	if err != nil {
		return "", &FlagError{Err: fmt.Errorf("--format: %w", err)}
	}
	return f, nil
}

// formatUsage is the help of a --format flag: the formats that render d.
func formatUsage(d report.Document) string {
	return "output `FORMAT`: " + report.FormatList(report.Formats(d))
}

// checkOutput checks, before anything runs, that a file can be written at
// path (given as label, e.g. "--out x.txt"), so that a long run does not
// end in an error about where to put its result.
func checkOutput(label, path string) error {
	if err := atomicfile.CheckWritable(path); err != nil {
		return &bench.InputError{Msg: fmt.Sprintf("%s: cannot write the file: %v", label, err),
			Hint: "give a file in a directory you can write to (missing directories are created)"}
	}
	return nil
}
