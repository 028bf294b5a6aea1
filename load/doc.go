// Package load is perfctl's load-test engine: it starts a service, sends
// it requests at a fixed (or linearly ramping) rate with vegeta's Attacker,
// measures each target's latency percentiles, throughput, error rate and
// the service's resident memory, and holds them to k6-like budgets
// (p(95) < 200ms, rate(errors) < 1%, throughput > 500/s, rss < 200MiB).
//
// # What a run does
//
// Run validates the Spec against fixed bounds (rate, duration, total
// requests, body sizes), refuses targets and readiness URLs that are not
// loopback (127.0.0.0/8, ::1) unless the Request allows remote hosts,
// builds the service when asked (`go build -o TMP/service ./cmd/x`, fixed
// arguments), starts it in a process group of its own (internal/service),
// and attacks each target in turn: a warm-up that is not measured, then the
// measured phase. The service is stopped (SIGTERM, grace, SIGKILL to the
// group) on every way out.
//
// # Budgets
//
// ParseBudget reads one budget and refuses unknown metrics, operators and
// units with the column of the mistake; ParseYAML reads a policy's load:
// section with line numbers. A budget on a latency of a target none of
// whose requests succeeded is no verdict, not a pass.
//
// # Results
//
// Report.WriteBenchfmt writes one benchfmt line per target (units
// p50-sec/op … req/s, rss-B, with Unit lines saying which way is better),
// so baselines, compare, history and benchstat read load results as they
// read benchmarks.
//
// Package load does not render reports (package report does), parse flags
// (cmd) or decide against a policy's other checks (checks); it is the only
// package that imports vegeta.
package load
