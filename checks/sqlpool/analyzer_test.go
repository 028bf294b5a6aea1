package sqlpool_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/perfctl/perfctl/checks/sqlpool"
)

// TestSQLPoolAnalyzer checks the diagnostics against the // want comments of
// testdata/src: pools configured or not, in locals, package variables and
// fields, returned from helpers and passed to other packages.
func TestSQLPoolAnalyzer(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), sqlpool.Analyzer,
		"basic", "pkgvar", "fields", "escape", "escapeuser")
	opens := map[string]int{}
	for _, r := range results {
		opens[r.Action.Package.PkgPath] = r.Action.Result.(*sqlpool.Result).Opens
	}
	want := map[string]int{"basic": 14, "pkgvar": 4, "fields": 5, "escape": 18, "escapeuser": 0}
	for pkg, n := range want {
		if opens[pkg] != n {
			t.Errorf("package %s: %d Open calls counted, want %d", pkg, opens[pkg], n)
		}
	}
}
