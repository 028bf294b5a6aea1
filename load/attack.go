package load

import (
	"context"
	"net/http"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// An attack sends one target's requests through one client, so the
// measured phase reuses the connections the warm-up opened.
type attack struct {
	client  *http.Client
	workers int
}

// newAttack builds the client every attack of a run uses: no proxy from
// the environment, no redirects followed (a 3xx counts as success, as
// vegeta counts it, and is never a way off loopback), a per-request
// timeout, and a dialer that connects to loopback only unless remote.
func newAttack(spec *Spec, resolver Resolver, remote bool) *attack {
	timeout := spec.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	workers := spec.MaxWorkers
	if workers == 0 {
		workers = DefaultWorkers
	}
	d := &loopbackDialer{dialer: netDialer(), resolver: resolver, remote: remote}
	return &attack{
		client: &http.Client{
			Timeout: timeout,
			Transport: &http.Transport{
				Proxy:               nil,
				DialContext:         d.DialContext,
				MaxIdleConnsPerHost: workers,
				IdleConnTimeout:     30 * time.Second,
			},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		workers: workers,
	}
}

// run sends t's requests at the pacer's rate for d and returns vegeta's
// metrics. Cancelling ctx stops it.
func (a *attack) run(ctx context.Context, t *Target, pacer vegeta.Pacer, d time.Duration) *vegeta.Metrics {
	atk := vegeta.NewAttacker(
		vegeta.Client(a.client),
		vegeta.Workers(uint64(min(a.workers, vegeta.DefaultWorkers))),
		vegeta.MaxWorkers(uint64(a.workers)),
		vegeta.MaxBody(MaxResponse),
	)
	stop := context.AfterFunc(ctx, func() { atk.Stop() })
	defer stop()
	tr := vegeta.NewStaticTargeter(vegeta.Target{Method: t.Method, URL: t.URL, Header: t.Header.Clone(), Body: t.Body})
	var m vegeta.Metrics
	for res := range atk.Attack(tr, pacer, d, "") {
		res.Body = nil
		m.Add(res)
	}
	m.Close()
	return &m
}

// pacer is the spec's rate: constant, or a linear ramp over d.
func pacer(spec *Spec, d time.Duration, ramp bool) vegeta.Pacer {
	start := vegeta.Rate{Freq: int(spec.Rate), Per: time.Second}
	if spec.Rate != float64(int(spec.Rate)) {
		// A fractional rate: hits per millisecond-scaled period.
		start = vegeta.Rate{Freq: int(spec.Rate * 1000), Per: 1000 * time.Second}
	}
	if !ramp || spec.RampTo == 0 || d <= 0 {
		return start
	}
	return vegeta.LinearPacer{StartAt: start, Slope: (spec.RampTo - spec.Rate) / d.Seconds()}
}
