// Package mistakes contains deliberate performance mistakes, one per file,
// each reported by exactly one linter of the perfctl performance profile.
// It is test data for the lint profile and is never built into perfctl.
package mistakes
