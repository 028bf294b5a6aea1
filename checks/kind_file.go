package checks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

var fileKind = &Kind{
	Name:    "file",
	Summary: "files matching globs exist (or are absent), optionally containing a regular expression",
	New:     func() Evaluator { return &fileCheck{} },
}

// fileCheck passes when a module file matches one of Paths (and, with
// Contains, has a match of the regexp); with Absent, when none does.
type fileCheck struct {
	Paths    []string `yaml:"paths"`    // globs, relative to the module root; ** matches any depth
	Contains string   `yaml:"contains"` // RE2 regexp a matching file must contain
	Absent   bool     `yaml:"absent"`   // pass only when no file matches (contains it)

	re *regexp.Regexp // Contains, compiled by validate
}

func (c *fileCheck) validate() error {
	if len(c.Paths) == 0 {
		return errors.New("paths: give at least one glob, e.g. paths: [.golangci.yml]")
	}
	if err := validateGlobs("paths", c.Paths); err != nil {
		return err
	}
	if c.Contains != "" {
		re, err := regexp.Compile(c.Contains)
		if err != nil {
			return fmt.Errorf("contains: %w", err)
		}
		c.re = re
	}
	return nil
}

// maxFileFindings caps the findings of an absent check.
const maxFileFindings = 100

func (c *fileCheck) Evaluate(_ context.Context, ws *Workspace) Result {
	if len(c.Paths) == 0 || c.Contains != "" && c.re == nil { // not built by Parse
		if err := c.validate(); err != nil {
			return errResult("invalid params: " + err.Error())
		}
	}
	files, err := ws.Files()
	if err != nil {
		return errResult("listing the module's files: " + err.Error())
	}
	matched := matchFiles(files, c.Paths)
	globs := strings.Join(c.Paths, ", ")
	if c.re == nil {
		return c.existence(matched, globs)
	}
	what := fmt.Sprintf("/%s/", c.Contains)
	if len(matched) == 0 {
		if c.Absent {
			return pass(fmt.Sprintf("no file matches %s, so none contains %s", globs, what))
		}
		return fail(fmt.Sprintf("no file matches %s (looking for one that contains %s)", globs, what))
	}
	var r Result
	searched := 0
	for _, f := range matched {
		data, err := ws.ReadFile(f)
		if err != nil {
			return errResult(fmt.Sprintf("reading %s: %v", f, err))
		}
		if isBinary(data) {
			continue
		}
		searched++
		if !c.Absent {
			if loc := c.re.FindIndex(data); loc != nil { // the first match is enough
				return pass(fmt.Sprintf("%s:%d matches %s", f, lineAt(data, loc[0]), what))
			}
			continue
		}
		locs := c.re.FindAllIndex(data, -1)
		if len(locs) == 0 {
			continue
		}
		last := 0
		for _, loc := range locs {
			line := lineAt(data, loc[0])
			if line == last {
				continue
			}
			last = line
			if len(r.Findings) == maxFileFindings {
				break
			}
			msg := fmt.Sprintf("matches %s, which must not appear in %s", what, globs)
			r.Findings = append(r.Findings, Finding{File: f, Line: line, Rule: "file", Message: msg})
			r.Details = append(r.Details, fmt.Sprintf("%s:%d: %s", f, line, snippet(lineText(data, loc[0]))))
		}
	}
	if c.Absent {
		if len(r.Findings) == 0 {
			return pass(fmt.Sprintf("none of the %d file(s) matching %s contains %s", searched, globs, what))
		}
		r.Status = Fail
		r.Message = fmt.Sprintf("%s must not appear in %s, but it does at %s:%d", what, globs, r.Findings[0].File, r.Findings[0].Line)
		if n := len(r.Findings); n > 1 {
			r.Message += fmt.Sprintf(" and %d more place(s)", n-1)
		}
		return r
	}
	return fail(fmt.Sprintf("no file matching %s contains %s (searched %d file(s))", globs, what, searched),
		"searched: "+strings.Join(limitList(matched, 10), ", "))
}

// existence decides a check without contains.
func (c *fileCheck) existence(matched []string, globs string) Result {
	switch {
	case !c.Absent && len(matched) == 0:
		return fail("no file matches " + globs)
	case !c.Absent:
		msg := "found " + matched[0]
		if len(matched) > 1 {
			msg += fmt.Sprintf(" (and %d more matching %s)", len(matched)-1, globs)
		}
		return pass(msg)
	case len(matched) == 0:
		return pass("no file matches " + globs)
	}
	r := fail(fmt.Sprintf("no file may match %s, but %d do: %s", globs, len(matched), strings.Join(limitList(matched, 3), ", ")))
	for _, f := range matched[:min(len(matched), maxFileFindings)] {
		r.Findings = append(r.Findings, Finding{File: f, Rule: "file", Message: "this file must not exist (it matches " + globs + ")"})
		r.Details = append(r.Details, f)
	}
	return r
}

// The helpers below are shared by the kinds that look at files.

// validateGlobs checks the globs of the parameter param, removing a
// leading "./" in place.
func validateGlobs(param string, globs []string) error {
	for i, g := range globs {
		g = strings.TrimPrefix(strings.TrimSpace(g), "./")
		switch {
		case g == "":
			return fmt.Errorf("%s: an empty pattern", param)
		case path.IsAbs(g):
			return fmt.Errorf("%s: %q is absolute: patterns are relative to the module root", param, g)
		case !doublestar.ValidatePattern(g):
			return fmt.Errorf("%s: %q is not a valid glob", param, g)
		}
		globs[i] = g
	}
	return nil
}

// matchFiles returns the files that match any of globs, in the order of
// files.
func matchFiles(files, globs []string) []string {
	var matched []string
	for _, f := range files {
		for _, g := range globs {
			if doublestar.MatchUnvalidated(g, f) {
				matched = append(matched, f)
				break
			}
		}
	}
	return matched
}

// isBinary reports whether data looks like a binary file (a NUL byte
// near its start).
func isBinary(data []byte) bool {
	return bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0
}

// lineAt is the 1-based line of the byte offset off in data.
func lineAt(data []byte, off int) int {
	return 1 + bytes.Count(data[:off], []byte{'\n'})
}

// lineText is the line of data that holds the byte offset off.
func lineText(data []byte, off int) string {
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	end := bytes.IndexByte(data[off:], '\n')
	if end < 0 {
		end = len(data) - off
	}
	return string(data[start : off+end])
}

// snippet trims s to one short line for a message.
func snippet(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 100 {
		s = string(r[:99]) + "…"
	}
	return s
}

// limitList returns at most n of list, with "… and N more" last when
// some were left out.
func limitList(list []string, n int) []string {
	if len(list) <= n {
		return list
	}
	out := append([]string(nil), list[:n-1]...)
	return append(out, fmt.Sprintf("… and %d more", len(list)-n+1))
}
