package checks

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/internal/run"
)

func lintPolicy(params string) string {
	return "version: 1\nchecks:\n  - id: a\n    level: MUST\n    kind: lint\n    title: T\n    params:\n" + params
}

func TestLintParamsChecks(t *testing.T) {
	p, err := Parse([]byte(lintPolicy("      disable_checks: [hugeParam, SA6002]\n      enable_checks: [dupSubExpr]\n      report_exported_api: true\n      new_from_merge_base: origin/main\n")), "perfctl.yaml")
	if err != nil {
		t.Fatal(err)
	}
	prof := p.LintProfile()
	if !slices.Equal(prof.DisabledChecks, []string{"preferStringWriter", "hugeParam", "SA6002"}) || !slices.Equal(prof.EnabledChecks, []string{"dupSubExpr"}) || !prof.ReportExportedAPI {
		t.Errorf("profile %+v", prof)
	}
	if c := p.Checks[0].eval.(*lintCheck); c.NewFromMergeBase != "origin/main" {
		t.Errorf("check %+v", c)
	}
	for params, want := range map[string]string{
		"      disable_checks: [hugeParm]\n":                                    `disable_checks: disable check: "hugeParm" is not a check of gocritic or staticcheck (golangci-lint v2.15.0) (did you mean "hugeParam"?)`,
		"      enable_checks: [SA6020]\n":                                       `enable_checks: enable check: "SA6020" is not a check`,
		"      enable_checks: [hugeParam]\n      disable_checks: [hugeParam]\n": `check "hugeParam" is in both enable_checks and disable_checks`,
		"      new_from_rev: --output=x\n":                                      `new_from_rev: "--output=x" starts with '-'`,
		"      new_from_merge_base: -x\n":                                       `new_from_merge_base: "-x" starts with '-'`,
		"      new_from_rev: a\n      new_from_merge_base: b\n":                 "not both",
		"      set: ['gocritic.disabled-checks=[hugeParm]']\n":                  `did you mean "hugeParam"?`,
	} {
		_, err := Parse([]byte(lintPolicy(params)), "perfctl.yaml")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", params, err, want)
		}
	}
}

// TestLintNewFrom: perfctl check's --new-from-rev and --new-from-merge-base
// reach every lint check, in place of their params, and only when the
// revision resolves.
func TestLintNewFrom(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "-q", "--allow-empty", "-m", "base"}} {
		cmd := exec.CommandContext(t.Context(), "git", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	doc := lintPolicy("      new_from_rev: HEAD\n") + "  - {id: b, level: MUST, kind: lint, title: U}\n  - {id: c, level: MAY, kind: coverage, title: V}\n"
	p, err := Parse([]byte(doc), "perfctl.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := p.LintNewFrom(t.Context(), run.Exec{}, dir, "", ""); n != 0 || err != nil {
		t.Fatalf("no flags: %d, %v", n, err)
	}
	if c := p.Checks[0].eval.(*lintCheck); c.NewFromRev != "HEAD" {
		t.Errorf("the param went: %+v", c)
	}
	if _, err := p.LintNewFrom(t.Context(), run.Exec{}, dir, "", "nosuchbranch"); err == nil || !strings.Contains(err.Error(), `unknown revision "nosuchbranch"`) {
		t.Errorf("unknown branch: %v", err)
	}
	n, err := p.LintNewFrom(t.Context(), run.Exec{}, dir, "", "main")
	if n != 2 || err != nil {
		t.Fatalf("--new-from-merge-base main: %d, %v", n, err)
	}
	for _, c := range p.Checks[:2] {
		if l := c.eval.(*lintCheck); l.NewFromRev != "" || l.NewFromMergeBase != "main" {
			t.Errorf("check %s: %+v", c.ID, l)
		}
	}
}
