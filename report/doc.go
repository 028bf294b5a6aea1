// Package report renders perfctl's results for people and for machines:
// a terminal table (lipgloss), JSON that follows the documented perfctl/*/v1
// schemas, and Markdown for pull-request comments and job summaries.
//
// It is the only package that imports lipgloss. It computes nothing: every
// number it prints comes from the result it is given.
package report
