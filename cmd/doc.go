// Package cmd wires perfctl's commands with cobra. It holds no logic of its
// own: each command validates its flags into an Options struct and calls a
// function of the bench, report (and later checks) packages. Errors are
// mapped to exit codes in one place, Main.
package cmd
