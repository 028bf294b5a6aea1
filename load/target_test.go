package load

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
)

// fakeResolver maps names to addresses.
type fakeResolver map[string][]string

func (f fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	addrs, ok := f[host]
	if !ok {
		return nil, errors.New("no such host")
	}
	out := make([]netip.Addr, len(addrs))
	for i, a := range addrs {
		out[i] = netip.MustParseAddr(a)
	}
	return out, nil
}

func TestLoopback(t *testing.T) {
	r := fakeResolver{
		"localhost":    {"127.0.0.1", "::1"},
		"svc.internal": {"10.0.0.7"},
		"mixed":        {"127.0.0.1", "192.168.1.2"},
		"mapped":       {"::ffff:127.0.0.1"},
	}
	for _, tc := range []struct {
		url  string
		want string // "" is allowed; else a part of the error
	}{
		{"http://127.0.0.1:8080/", ""},
		{"http://127.3.4.5/", ""},
		{"http://[::1]:8080/x", ""},
		{"http://localhost:8080/", ""},
		{"http://mapped/", ""},
		{"http://[::ffff:127.0.0.1]/", ""},
		{"http://0.0.0.0:8080/", "0.0.0.0 is not a loopback address"},
		{"http://[::]:8080/", ":: is not a loopback address"},
		{"http://127.1/", `host "127.1" is a number but not a dotted-quad address`},
		{"http://2130706433/", "is a number"},
		{"http://0x7f.1/", "is a number"},
		{"http://10.1.2.3/", "10.1.2.3 is not a loopback address"},
		{"http://svc.internal/", "svc.internal resolves to 10.0.0.7"},
		{"http://mixed/", "mixed resolves to 192.168.1.2"},
		{"http://[fe80::1%25eth0]/", "is not a loopback address"},
		{"http://nowhere/", "resolving nowhere: no such host"},
	} {
		tg, err := ParseTarget("GET " + tc.url)
		if err != nil {
			t.Fatalf("%s: %v", tc.url, err)
		}
		err = tg.CheckLoopback(t.Context(), r)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.url, err)
		case tc.want != "" && err == nil:
			t.Errorf("%s: allowed", tc.url)
		case tc.want != "" && !strings.Contains(err.Error(), tc.want):
			t.Errorf("%s: error %q, want …%s…", tc.url, err, tc.want)
		}
	}
}

func TestParseTarget(t *testing.T) {
	tg, err := ParseTarget("POST http://127.0.0.1:8080/api/items?page=2")
	if err != nil {
		t.Fatal(err)
	}
	if tg.Name() != "POST /api/items?page=2" || tg.BenchName() != "BenchmarkLoad/POST_/api/items?page=2" {
		t.Errorf("name %q, bench name %q", tg.Name(), tg.BenchName())
	}
	if tg, _ := ParseTarget("http://127.0.0.1:8080"); tg.Name() != "GET /" {
		t.Errorf("bare URL: %q", tg.Name())
	}
	for _, bad := range []string{"", "GET", "get http://127.0.0.1/", "GET ftp://127.0.0.1/", "GET http:///x", "GET http://127.0.0.1/ extra"} {
		if _, err := ParseTarget(bad); err == nil {
			t.Errorf("ParseTarget(%q) is no error", bad)
		}
	}
}

func TestSplitCommand(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"./server -addr 127.0.0.1:8080", []string{"./server", "-addr", "127.0.0.1:8080"}},
		{`server --name 'a b' "c d" e\ f`, []string{"server", "--name", "a b", "c d", "e f"}},
		{`server '*.go' [x]`, []string{"server", "*.go", "[x]"}},
	} {
		got, err := SplitCommand(tc.line)
		if err != nil || strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("SplitCommand(%q) = %q, %v; want %q", tc.line, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "a; b", "a && b", "a | b", "a > out", "X=1 server", "server $HOME", "server $(id)", "server `id`", "server &", "'unterminated", "server $((1+1))", "server <(ls)"} {
		if got, err := SplitCommand(bad); err == nil {
			t.Errorf("SplitCommand(%q) = %q, no error", bad, got)
		}
	}
}
