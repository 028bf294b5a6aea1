package services

import (
	"net"
	"net/netip"
	"net/url"
	"strings"
	"testing"
)

// FuzzTemplate: a string checkTemplate accepts expands to one with no
// placeholder left, and Expand never panics.
//
//	go test -run '^$' -fuzz '^FuzzTemplate$' -fuzztime 1m ./internal/services
func FuzzTemplate(f *testing.F) {
	for _, s := range []string{"${dir}/data", "postgres://127.0.0.1:${port}/x", "$${port}", "${port", "${}", "${dir}${dir}", "$HOME", "${other}", "}${"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := Values{Dir: "/D", Port: 1}
		got := v.Expand(s)
		if checkTemplate(s) == nil && strings.Contains(got, "${") {
			t.Errorf("checkTemplate accepts %q, whose expansion %q still has a placeholder", s, got)
		}
	})
}

// FuzzProbe: the readiness probe's checks never panic, and an address
// they accept is one whose host, as net and net/url read it, is loopback.
func FuzzProbe(f *testing.F) {
	for _, s := range []string{"127.0.0.1:${port}", "[::1]:5432", "localhost:1", "10.0.0.1:1", "http://127.0.0.1:${port}/health", "http://[::1]/", "http://user@127.0.0.1@evil.example/", "127.0.0.1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := Values{Dir: "/D", Port: 1}
		if err := (&Probe{TCP: s}).validate(); err == nil {
			host, _, err := net.SplitHostPort(v.Expand(s))
			if a, perr := netip.ParseAddr(host); err != nil || (host != "localhost" && (perr != nil || !a.IsLoopback())) {
				t.Errorf("tcp %q passes; its host %q is not loopback", s, host)
			}
		}
		if err := (&Probe{HTTP: s}).validate(); err == nil {
			u, err := url.Parse(v.Expand(s))
			if err != nil {
				t.Fatalf("http %q passes and does not parse: %v", s, err)
			}
			if a, perr := netip.ParseAddr(u.Hostname()); u.Hostname() != "localhost" && (perr != nil || !a.IsLoopback()) {
				t.Errorf("http %q passes; its host %q is not loopback", s, u.Hostname())
			}
		}
	})
}
