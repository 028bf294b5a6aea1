// Package cmd wires perfctl's commands with cobra and holds no logic of its
// own. Each command is NewCmdX(f, runF): its RunE settles the flags into an
// XOptions struct (usage mistakes are *FlagError, exit 2) and calls runF in
// tests or xRun, which calls the packages that do the work: compare, checks,
// bench, baseline, lint, hook, and report to render. The Factory carries
// what commands share (streams, the process runner, the directory -C gives,
// the environment), so commands run in-process in tests, in parallel.
// Errors become exit codes in one place, exitCode, and are printed with
// usererr.Fprint.
package cmd
