// Package checks is perfctl's checklist engine: the policy model (a
// versioned YAML document of MUST, SHOULD and MAY checks), the registry of
// check kinds, their evaluation and the one verdict they add up to.
//
// # Policy
//
// A policy lists checks. Each has an id, a level, a kind, the kind's
// parameters, a title, a one-line rationale and a fix hint:
//
//	version: 1
//	checks:
//	  - id: perf-lints-denied
//	    level: MUST
//	    kind: lint
//	    title: The performance linters are enabled and clean
//	    rationale: Anti-patterns caught by a linter never reach a benchmark.
//	    fix: Run 'perfctl lint' and fix what it reports.
//
// [Parse] rejects unknown keys, unknown kinds and bad parameters with the
// line they are on, and parameters that would reach a command line as an
// option perfctl did not choose. [Default] is the embedded default policy;
// [PolicySource] finds the policy of a run (--policy, --policy-ref,
// perfctl.yaml at the module root, or the default).
//
// A policy may also hold a load: section (package load reads it into
// [Policy].Load): the load test that perfctl load and the checks of kind
// load run.
//
// # Verdict
//
// [Evaluate] runs the selected checks — those that measure time alone, the
// others concurrently — and decides: pass when every MUST check passes and
// no regression was found, fail when one does not, error when a MUST check
// could not be evaluated. SHOULD failures and errors are warnings unless
// the evaluation is strict, when they count as MUST ones do; MAY checks only
// inform.
//
// The regression kind compares through package compare, with the request
// the command line gave ([Workspace].Compare). The package does not print
// anything: package report renders a [Report].
package checks
