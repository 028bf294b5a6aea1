package cmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/perfctl/perfctl/lint"
	"github.com/perfctl/perfctl/report"
)

// renderLint renders res as report.RenderLint does, and says what was
// filtered out (lint.Result.Filtered): a line under the text report, and
// a "filtered" field of the JSON document (always there, [] for none).
//
// The field is added here because package report is not this change's to
// edit; report.LintJSON is where it belongs.
func renderLint(w io.Writer, f report.Format, res *lint.Result, linters []string, o report.Options) error {
	var buf bytes.Buffer
	if err := report.RenderLint(&buf, f, res, linters, o); err != nil {
		return err
	}
	out := buf.Bytes()
	switch f {
	case report.Text:
		if s := lint.FilteredSummary(res.Filtered); s != "" {
			if lint.FilteredFor(res.Filtered, lint.ReasonExportedAPI) {
				s += "; --report-exported-api keeps those on exported API"
			}
			out = append(out, s+"; --format json lists them\n"...)
		}
	case report.JSON:
		var err error
		if out, err = addFilteredJSON(out, res.Filtered); err != nil {
			return err
		}
	}
	_, err := w.Write(out)
	return err
}

// addFilteredJSON adds "filtered": groups as the last field of doc, an
// indented JSON object as report.LintJSON writes it.
func addFilteredJSON(doc []byte, groups []lint.FilteredGroup) ([]byte, error) {
	if groups == nil {
		groups = []lint.FilteredGroup{}
	}
	body := bytes.TrimRight(doc, "\n")
	if !bytes.HasSuffix(body, []byte("\n}")) {
		return nil, errors.New("the lint JSON document does not end as an indented object")
	}
	field, err := json.MarshalIndent(groups, "  ", "  ")
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Write(body[:len(body)-2])
	b.WriteString(",\n  \"filtered\": ")
	b.Write(field)
	b.WriteString("\n}\n")
	if !json.Valid(b.Bytes()) {
		return nil, errors.New("adding the filtered findings made the lint JSON document invalid")
	}
	return b.Bytes(), nil
}
