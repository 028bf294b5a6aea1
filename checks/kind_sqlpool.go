package checks

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/perfctl/perfctl/checks/sqlpool"
	"github.com/perfctl/perfctl/internal/english"
)

var sqlPoolKind = &Kind{
	PerModule: true,
	Name:      "sql-pool",
	Summary:   "every *sql.DB from sql.Open or sql.OpenDB is given SetMaxOpenConns, SetMaxIdleConns and SetConnMaxLifetime in the package that opens it",
	New:       func() Evaluator { return &sqlPoolCheck{} },
}

// sqlPoolCheck runs the sqlpool analyzer over the module's packages (their
// non-test files, built with the workspace's tags).
type sqlPoolCheck struct {
	Packages []string      `yaml:"packages"` // package patterns, relative to the module root (default ./...)
	Waive    []waiverParam `yaml:"waive"`    // findings under these paths are waived, with the reason
}

func (c *sqlPoolCheck) validate() error {
	if err := validatePackages(c.Packages); err != nil {
		return err
	}
	return validateWaivers(c.Waive, false)
}

func (c *sqlPoolCheck) Evaluate(ctx context.Context, ws *Workspace) Result {
	if err := c.validate(); err != nil { // not built by Parse
		return errResult("invalid params: " + err.Error())
	}
	patterns, where := c.Packages, "in "+strings.Join(c.Packages, " ")
	if len(patterns) == 0 || len(patterns) == 1 && patterns[0] == "./..." {
		patterns, where = []string{"./..."}, "in the module"
	}
	rep, err := sqlpool.Run(ctx, ws.Dir, patterns, ws.Tags)
	if err != nil {
		return errResult("cannot check the *sql.DB pools: " + err.Error())
	}
	var findings []Finding
	var waivedOnes []waived
	noReason := 0 // waiver comments without a reason
	for _, v := range rep.Violations {
		f := Finding{File: ws.rel(v.File), Line: v.Line, Column: v.Column, Rule: sqlPoolKind.Name, Message: v.Message}
		w, bad := c.waiver(ws, f)
		switch {
		case bad != nil:
			findings = append(findings, f, *bad)
			noReason++
		case w != "":
			waivedOnes = append(waivedOnes, waived{f, w})
		default:
			findings = append(findings, f)
		}
	}
	note := waivedNote(len(waivedOnes))
	if len(findings) == 0 {
		var r Result
		switch configured := rep.Opens - len(waivedOnes); {
		case rep.Opens == 0:
			r = pass(fmt.Sprintf("no sql.Open or sql.OpenDB %s (%s checked)", where, english.Plural(rep.Packages, "package", "packages")))
		case configured == 0:
			r = pass("no *sql.DB pool left without limits: " + note)
		default:
			r = pass(english.Plural(configured, "*sql.DB pool", "*sql.DB pools") + " configured")
			if note != "" {
				r.Message += "; " + note
			}
		}
		r.Details = waivedDetails(waivedOnes)
		return r
	}
	msg := fmt.Sprintf("%d *sql.DB opened without pool limits", len(findings)-noReason)
	if noReason > 0 {
		msg += fmt.Sprintf(", %s without a reason", english.Plural(noReason, "waiver", "waivers"))
	}
	if note != "" {
		msg += " (" + note + ")"
	}
	r := fail(msg)
	r.Findings = findings
	for _, f := range findings {
		r.Details = append(r.Details, fmt.Sprintf("%s:%d: %s", f.File, f.Line, f.Message))
	}
	r.Details = append(r.Details, waivedDetails(waivedOnes)...)
	return r
}

// waiver returns why the finding f is waived ("" when it is not), or, for
// a perfctl:ignore comment without a reason, a finding at the comment.
func (c *sqlPoolCheck) waiver(ws *Workspace, f Finding) (string, *Finding) {
	if w := matchWaiver(c.Waive, f.File, nil); w != nil {
		return w.Reason + " (waive: " + w.Path + " in the policy)", nil
	}
	if filepath.IsAbs(f.File) {
		return "", nil // outside the module
	}
	data, err := ws.ReadFile(f.File)
	if err != nil {
		return "", nil // the finding stands
	}
	reason, at, found := commentWaiver(data, f.Line, sqlPoolKind.Name)
	switch {
	case !found:
		return "", nil
	case reason == "":
		return "", &Finding{File: f.File, Line: at, Rule: sqlPoolKind.Name, Message: errNoReason.Error()}
	}
	return fmt.Sprintf("%s (perfctl:ignore at %s:%d)", reason, f.File, at), nil
}
