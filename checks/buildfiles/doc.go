// Package buildfiles reads what a Go module's CI and build files run.
//
// It knows one list of the files that define builds and CI ([CIGlobs],
// [BuildGlobs], [KindOf]), reads each kind of them — logical lines,
// Makefiles with their variables and rules, justfiles, Taskfiles, YAML CI
// configurations, Jenkinsfiles, Dockerfiles, goreleaser configurations and
// magefiles — and reads the shell in them with one parser
// (mvdan.cc/sh/v3/syntax): [Split] turns a command line into simple
// commands and their words, looking through &&, pipes, subshells, $(…),
// sh -c and wrappers such as env and sudo. [Commands] is every command a
// file defines; [ReadCI] is what CI runs: the commands of the CI
// configurations and of the make targets, just recipes, tasks and scripts
// they run, each with where it is and how CI reaches it.
//
// # What it is not
//
// It does not judge: which flags are wrong, what a CI must run and what a
// message says are the business of package checks, which imports this one.
// It runs nothing, and reads only what it is given. It is a reader of
// repository content, which can be anything: it never fails on a file it
// cannot parse (a line that is not shell is split on blanks, a YAML file
// that does not parse is read line by line), and it bounds the work a file
// can cause (Makefile variable expansion, sh -c nesting).
package buildfiles
