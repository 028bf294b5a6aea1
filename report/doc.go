// Package report renders perfctl's results for people and for machines.
//
// It computes nothing: every measurement, status and verdict it prints
// comes from the result it is given — bench compares, checks evaluates,
// lint finds — and report chooses words, layout and escapes, adding up
// only what a format wants per group (JUnit's suites). It runs nothing
// and writes only to the io.Writer it is given; where the bytes go
// (stdout, a --report file, the job summary) is the command's business.
// It is the only package that imports lipgloss.
//
// # Documents and formats
//
// There are five documents: a check report (checks.Report, from perfctl
// check), a comparison (bench.Comparison, perfctl compare), lint findings
// (lint.Result, perfctl lint), and the stored baselines and one baseline
// (perfctl baseline list and show). There are seven formats:
//
//   - text: tables for a terminal, coloured when Options.Color is set, with
//     the repository's text escaped (every document);
//   - json: the documented perfctl/*/v1 schemas (every document);
//   - markdown, or md: a pull-request comment or job summary that stays
//     under GitHub's size limit (a check report, a comparison);
//   - junit: JUnit XML as Maven Surefire writes it, for CI test views (a
//     check report, a comparison);
//   - sarif: SARIF 2.1.0 for GitHub code scanning (a check report, a
//     comparison, lint findings);
//   - codequality: GitLab's Code Quality report (a check report);
//   - html: one self-contained HTML page (a comparison).
//
// # The HTML report
//
// WriteHTML writes an HTMLPage, the trends of the history (a
// trend.Analysis) and a comparison, as one HTML file with its styles,
// scripts and data inline and no URL: it opens from file://. The charts
// are uPlot's (html/uplot, embedded); page.tmpl, report.css and report.js
// in html/ are the page. The repository's text goes through html/template
// or, in the page's script, textContent; the data is JSON in a
// <script type="application/json"> element. Unlike the other renderers it
// computes what it draws: each commit's 95% interval (trend.Interval) and,
// for a long series, buckets of commits (drawSeries), which keep the
// change points and the newest commit. ReadCompareJSON reads a comparison
// document back for perfctl report --compare.
//
// Beside a format, GitHub Actions workflow annotations mark the problems
// of a check report (CheckGitHubAnnotations) or lint findings
// (GitHubAnnotations) on the pull request's diff.
//
// # The registry
//
// One table, in format.go, names each format and gives its renderer of
// each document it renders. Formats lists the formats of a document and
// FormatList says them as help text does; ParseFormat checks a --format
// value against them; RenderCheck, RenderCompare, RenderLint,
// RenderBaselineList, RenderBaselineShow and RenderHistoryLog render
// through the table. A new format is one file with its renderers and one
// line in the table.
//
// # Problems
//
// The formats of code-review tools — SARIF, Code Quality, annotations —
// see a result as a list of Problem values, as golangci-lint's printers
// see its issues: a finding at a file, line and column, or a check that
// failed as a whole, each with a Level (LevelError decides the verdict,
// LevelWarning is a SHOULD problem, LevelNote a MAY one), a rule, a title
// and a message. CheckProblems builds them from a check report, with
// RepoPaths to make paths relative to the repository root — a regression
// at its benchmark function when bench located it, and the problems of
// what the change caused (its regressions) before the standing ones;
// CompareProblems from a comparison's regressions; LintProblems from lint
// findings. WriteSARIF, WriteCodeQuality and
// WriteAnnotations only encode them.
//
// # Changes in a comparison
//
// A comparison row's Δ is the change of the two centers beside it
// (delta_pct in JSON). A row of interleaved rounds also shows its paired
// change (paired_delta_pct), the median of the per-round changes that the
// threshold and the signed-rank test judge, under a label of its own and
// with a legend, so that the numbers of a row never contradict each other.
//
// # Profiles and flame graphs
//
// RenderProfile writes what perfctl profile wrote and found (a
// ProfileReport: the top functions of each profile, the files, the
// go tool pprof commands that open them) as text or perfctl/profile/v1
// JSON. FlameGraphSVG draws a profile.Tree as an inline SVG flame graph —
// head's widths, red and blue by change for a difference — with every name
// escaped by html/template and no script or URL, so any page can embed it;
// FlameGraphPage is the self-contained page of perfctl profile
// (ProfileFlames lists its graphs). The HTML report draws two under each
// regression that compare --profile profiled, the difference and head,
// from the row's bench.RowProfile.Flame (checked by profile.TreeOf, since
// a comparison document may come from anywhere).
package report
