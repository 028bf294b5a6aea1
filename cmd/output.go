package cmd

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/perfctl/perfctl/internal/atomicfile"
	"github.com/perfctl/perfctl/internal/iostreams"
	"github.com/perfctl/perfctl/internal/usererr"
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
// path (relative to dir, given as label, e.g. "--out x.txt"), so that a
// long run does not end in an error about where to put its result.
func checkOutput(label, dir, path string) error {
	if err := atomicfile.CheckWritable(resolve(dir, path)); err != nil {
		return &usererr.Error{Msg: fmt.Sprintf("%s: cannot write the file: %s", label, relativeTo(dir, err.Error())),
			Hint: "give a file in a directory you can write to (missing directories are created)"}
	}
	return nil
}

// relativeTo shows the paths under dir in msg relative to it, as the user
// gave them.
func relativeTo(dir, msg string) string {
	if dir == "" {
		return msg
	}
	msg = strings.ReplaceAll(msg, dir+string(filepath.Separator), "")
	if strings.HasPrefix(msg, dir+" ") {
		msg = "." + strings.TrimPrefix(msg, dir)
	}
	return msg
}
