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
// left out. Users add or remove linters, change settings and exclude paths.
//
// It does not render findings (package report does) and does not decide a
// verdict (the lint kind of package checks and perfctl lint do).
package lint
