// Package lint runs golangci-lint v2 with perfctl's performance profile and
// reads its findings. perfctl does not re-implement linters: it generates a
// configuration (written to a temporary file, never into the user's
// repository), runs the real golangci-lint, and parses its JSON output —
// never its text.
//
// # The profile
//
// The default profile enables the linters whose findings are performance
// mistakes; see DefaultProfile for the list and the reasons behind what is
// left out. Users add or remove linters, turn single gocritic and
// staticcheck checks on or off by name (Profile.EnableChecks,
// Profile.DisableChecks, checked against the names the pinned
// golangci-lint knows), change settings and exclude paths. A configuration
// golangci-lint rejects is a *ConfigError that names the setting to blame.
//
// # Findings nobody can act on
//
// gocritic's hugeParam findings on signatures their author cannot change
// (a parameter named _, a method that implements an interface, exported
// API) are moved out of Result.Findings into Result.Filtered, counted by
// reason, using type information from golang.org/x/tools/go/packages.
// docs/lint.md has the measurements behind this.
//
// It does not render findings (package report does) and does not decide a
// verdict (the lint kind of package checks and perfctl lint do).
package lint
