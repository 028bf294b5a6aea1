package load_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/perfctl/perfctl/load"
)

// BenchmarkAgainstVegeta measures the same endpoint, at the same rate and
// for the same time, with perfctl's engine (load.Run: its own client,
// the loopback dialer, per-target metrics) and with a plain vegeta
// Attacker, alternating which goes first, and reports both p50 and p95
// (mean over the iterations) and the ratio of the p95s.
// The endpoint sleeps 2ms, so the latency has a known floor.
//
// It is a measurement for a person to read, not a test: run it on a quiet
// machine, e.g.
//
//	go test -run '^$' -bench AgainstVegeta -benchtime 5x ./load
//
// Each iteration sends 200 req/s for 2s twice (about 8 s).
func BenchmarkAgainstVegeta(b *testing.B) {
	const (
		rate     = 200
		duration = 2 * time.Second
		sleep    = 2 * time.Millisecond
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		time.Sleep(sleep)
		fmt.Fprintln(w, "ok")
	}))
	defer srv.Close()
	target, err := load.ParseTarget("GET " + srv.URL + "/")
	if err != nil {
		b.Fatal(err)
	}
	perfctlRun := func() (p50, p95 float64) {
		rep, err := load.Run(b.Context(), &load.Request{Spec: load.Spec{Targets: []load.Target{target}, Rate: rate, Duration: duration}})
		if err != nil {
			b.Fatal(err)
		}
		return rep.Targets[0].P50, rep.Targets[0].P95
	}
	vegetaRun := func() (p50, p95 float64) {
		atk := vegeta.NewAttacker()
		tr := vegeta.NewStaticTargeter(vegeta.Target{Method: "GET", URL: srv.URL + "/"})
		var m vegeta.Metrics
		for res := range atk.Attack(tr, vegeta.Rate{Freq: rate, Per: time.Second}, duration, "") {
			m.Add(res)
		}
		m.Close()
		if m.Success < 1 {
			b.Fatalf("vegeta: success %g", m.Success)
		}
		return m.Latencies.P50.Seconds(), m.Latencies.P95.Seconds()
	}
	var sum [4]float64
	for i := range b.N {
		var p, v [2]float64
		if i%2 == 0 {
			p[0], p[1] = perfctlRun()
			v[0], v[1] = vegetaRun()
		} else {
			v[0], v[1] = vegetaRun()
			p[0], p[1] = perfctlRun()
		}
		sum[0] += p[0]
		sum[1] += p[1]
		sum[2] += v[0]
		sum[3] += v[1]
	}
	n := float64(b.N)
	b.ReportMetric(sum[0]/n, "perfctl-p50-sec")
	b.ReportMetric(sum[1]/n, "perfctl-p95-sec")
	b.ReportMetric(sum[2]/n, "vegeta-p50-sec")
	b.ReportMetric(sum[3]/n, "vegeta-p95-sec")
	// A ratio, not a difference: benchmark metrics are never negative
	// (perfctl and benchstat refuse them).
	b.ReportMetric(sum[1]/sum[3], "p95-perfctl/vegeta")
}
