package checks

import (
	"context"
	"fmt"
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
	Packages []string `yaml:"packages"` // package patterns, relative to the module root (default ./...)
}

func (c *sqlPoolCheck) validate() error { return validatePackages(c.Packages) }

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
	if len(rep.Violations) == 0 {
		switch rep.Opens {
		case 0:
			return pass(fmt.Sprintf("no sql.Open or sql.OpenDB %s (%s checked)", where, english.Plural(rep.Packages, "package", "packages")))
		case 1:
			return pass("1 *sql.DB pool configured")
		}
		return pass(fmt.Sprintf("%d *sql.DB pools configured", rep.Opens))
	}
	r := fail(fmt.Sprintf("%d *sql.DB opened without pool limits", len(rep.Violations)))
	r.Findings = make([]Finding, 0, len(rep.Violations))
	r.Details = make([]string, 0, len(rep.Violations))
	for _, v := range rep.Violations {
		f := Finding{File: ws.rel(v.File), Line: v.Line, Column: v.Column, Rule: sqlPoolKind.Name, Message: v.Message}
		r.Findings = append(r.Findings, f)
		r.Details = append(r.Details, fmt.Sprintf("%s:%d: %s", f.File, f.Line, f.Message))
	}
	return r
}
