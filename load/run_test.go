package load_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/load"
)

// TestRun attacks a real HTTP server on loopback (no service to start):
// the fast target passes its latency budget, the failing one fails the
// error budget, and the results read back as benchfmt.
func TestRun(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/fast", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("/fail", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "no", http.StatusInternalServerError) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	budget := func(s string) load.Budget {
		b, err := load.ParseTargetBudget(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	fast, _ := load.ParseTarget("GET " + srv.URL + "/fast")
	failing, _ := load.ParseTarget("GET " + srv.URL + "/fail")
	req := &load.Request{Spec: load.Spec{
		Targets:  []load.Target{fast, failing},
		Rate:     50,
		Duration: 400 * time.Millisecond,
		Warmup:   100 * time.Millisecond,
		Budgets:  []load.Budget{budget("GET /fast: p(95) < 5s"), budget("rate(errors) < 1%"), budget("GET /fail: throughput >= 0")},
	}}
	rep, err := load.Run(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Verdict != load.Fail {
		t.Errorf("verdict %s, want fail", rep.Verdict)
	}
	want := map[string]string{
		"GET /fast p(95) < 5s": load.Pass, "GET /fast rate(errors) < 1%": load.Pass,
		"GET /fail rate(errors) < 1%": load.Fail, "GET /fail throughput >= 0.0/s": load.Pass,
	}
	for _, b := range rep.Budgets {
		key := b.Target + " " + b.Budget.String()
		if w, ok := want[key]; ok && w != b.Status {
			t.Errorf("%s: %s (%s), want %s", key, b.Status, b.Message, w)
		}
		delete(want, key)
	}
	if len(want) > 0 {
		t.Errorf("budgets not evaluated: %v", want)
	}
	for _, r := range rep.Targets {
		// 50/s for 0.4s: about 20 requests, the warm-up not counted.
		if r.Requests < 10 || r.Requests > 30 {
			t.Errorf("%s: %d requests measured, want about 20", r.Name, r.Requests)
		}
	}
	if r := rep.Targets[1]; r.ErrorRate != 1 || r.Status["500"] != int(r.Requests) {
		t.Errorf("/fail: error rate %g, status %v", r.ErrorRate, r.Status)
	}

	b95 := budget("p(95) < 5s")
	if _, why := rep.Targets[1].Value(&b95); !strings.Contains(why, "no request to GET /fail succeeded (500 ×") {
		t.Errorf("the latency of a target with no success: %q", why)
	}
	var buf bytes.Buffer
	if err := rep.WriteBenchfmt(&buf); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	set, err := bench.Read(&buf, "load.txt")
	if err != nil {
		t.Fatalf("bench.Read: %v\n%s", err, buf.String())
	}
	names := strings.Join(set.Names(), ",")
	if !strings.Contains(names, "Load/GET_/fast") || !strings.Contains(names, "Load/GET_/fail") {
		t.Errorf("names %s", names)
	}
	for _, unit := range []string{"p95-sec/op", "error-rate", "req/s"} {
		if s := set.Samples("", "Load/GET_/fail", unit); len(s) != 1 {
			t.Errorf("%s of Load/GET_/fail: %v", unit, s)
		}
	}
	if s := set.Samples("", "Load/GET_/fail", "error-rate"); len(s) == 1 && s[0] != 1 {
		t.Errorf("error-rate of /fail is %v", s)
	}
	if !strings.Contains(text, "Unit req/s better=higher") || !strings.Contains(text, "Unit p95-sec/op better=lower") {
		t.Errorf("no Unit lines:\n%s", text)
	}
}

func TestRunRefusesRemote(t *testing.T) {
	tg, _ := load.ParseTarget("GET http://10.255.255.1/")
	_, err := load.Run(t.Context(), &load.Request{Spec: load.Spec{Targets: []load.Target{tg}, Rate: 1, Duration: time.Second}})
	if err == nil || !strings.Contains(err.Error(), "10.255.255.1 is not a loopback address") {
		t.Fatalf("error %v", err)
	}
}

func TestValidateBounds(t *testing.T) {
	tg, _ := load.ParseTarget("GET http://127.0.0.1/")
	for _, tc := range []struct {
		spec load.Spec
		want string
	}{
		{load.Spec{Targets: []load.Target{tg}, Rate: 20000, Duration: time.Second}, "more than 10000/s"},
		{load.Spec{Targets: []load.Target{tg}, Rate: 10, Duration: time.Hour}, "longer than 10m0s"},
		{load.Spec{Targets: []load.Target{tg, tg}, Rate: 5000, Duration: 2 * time.Minute}, "more than 1000000"},
		{load.Spec{Targets: []load.Target{tg}, Rate: 10, Duration: time.Second, Service: load.Service{Build: "-toolexec=sh"}}, "is not a package path"},
		{load.Spec{Targets: []load.Target{tg}, Rate: 10, Duration: time.Second, Service: load.Service{Build: "./../x"}}, "is not a package path"},
		{load.Spec{Targets: []load.Target{tg}, Rate: 10, Duration: time.Second, Service: load.Service{Build: "./x", Dir: "../up"}}, "not a directory inside the module"},
		{load.Spec{Rate: 10, Duration: time.Second}, "no targets"},
	} {
		err := tc.spec.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate: %v, want …%s…", err, tc.want)
		}
	}
}
