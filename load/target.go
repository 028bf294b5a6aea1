package load

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
)

// A Target is one request the attack sends, over and over.
type Target struct {
	Method string
	URL    string
	Header http.Header
	Body   []byte
	// Budgets hold for this target only (besides the Spec's).
	Budgets []Budget
	Line    int // its line in the policy file, or 0
}

// Name is how results and budgets call the target: the method and the
// URL's path and query, e.g. "GET /api/items?page=2". Host and port are
// left out, so base and head on different ports read the same.
func (t *Target) Name() string {
	u, err := url.Parse(t.URL)
	if err != nil {
		return t.Method + " " + t.URL
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return t.Method + " " + p
}

// BenchName is the benchmark name of the target's results, e.g.
// "BenchmarkLoad/GET_/api/items": blanks become underscores.
func (t *Target) BenchName() string {
	return "BenchmarkLoad/" + strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' {
			return '_'
		}
		return r
	}, t.Name())
}

var methodPattern = regexp.MustCompile(`^[A-Z]{1,16}$`)

// ParseTarget reads "METHOD URL" (or a bare URL, which is a GET).
func ParseTarget(text string) (Target, error) {
	f := strings.Fields(text)
	var t Target
	switch len(f) {
	case 1:
		t = Target{Method: http.MethodGet, URL: f[0]}
	case 2:
		t = Target{Method: f[0], URL: f[1]}
	default:
		return t, fmt.Errorf("target %q is not METHOD URL, e.g. 'GET http://127.0.0.1:8080/api/items'", text)
	}
	return t, t.validate()
}

func (t *Target) validate() error {
	if !methodPattern.MatchString(t.Method) {
		return fmt.Errorf("target method %q is not an HTTP method in capitals (GET, POST, …)", t.Method)
	}
	u, err := url.Parse(t.URL)
	if err != nil {
		return fmt.Errorf("target URL %q: %w", t.URL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("target URL %q is not an http:// or https:// URL", t.URL)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("target URL %q has no host", t.URL)
	}
	if len(t.Body) > MaxBody {
		return fmt.Errorf("the body of target %s is %d bytes, more than %d", t.Name(), len(t.Body), MaxBody)
	}
	if len(t.Header) > MaxHeaders {
		return fmt.Errorf("target %s has %d headers, more than %d", t.Name(), len(t.Header), MaxHeaders)
	}
	return nil
}

// A Resolver looks up a host's addresses (net.DefaultResolver, or a fake
// in tests).
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// A RemoteError is a target whose host is, or resolves to, an address that
// is not loopback.
type RemoteError struct {
	Host string
	Addr string // the address that is not loopback, or ""
	Msg  string
}

func (e *RemoteError) Error() string { return e.Msg }

// numericHost is a host that some resolvers read as an IPv4 address
// (127.1, 0x7f.1, 2130706433) and others as a name.
var numericHost = regexp.MustCompile(`^(0[xX][0-9a-fA-F]*|[0-9]+)(\.(0[xX][0-9a-fA-F]*|[0-9]*))*\.?$`)

// LoopbackAddrs resolves host and returns its addresses when every one is a
// loopback address (127.0.0.0/8, ::1). 0.0.0.0 and :: are not loopback:
// they mean "this host's every address" to a server and are refused, as
// are numeric hosts other than dotted quads (127.1), which resolvers read
// differently.
func LoopbackAddrs(ctx context.Context, r Resolver, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		a = a.Unmap()
		if !a.IsLoopback() {
			return nil, &RemoteError{Host: host, Addr: a.String(), Msg: host + " is not a loopback address (127.0.0.0/8 or ::1)"}
		}
		return []netip.Addr{a}, nil
	}
	if numericHost.MatchString(host) {
		return nil, &RemoteError{Host: host, Msg: fmt.Sprintf("host %q is a number but not a dotted-quad address: write 127.0.0.1", host)}
	}
	addrs, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, fmt.Errorf("resolving %s: %w", host, err)
	}
	if len(addrs) == 0 {
		return nil, fmt.Errorf("resolving %s: no addresses", host)
	}
	for i, a := range addrs {
		a = a.Unmap()
		if !a.IsLoopback() {
			return nil, &RemoteError{Host: host, Addr: a.String(), Msg: fmt.Sprintf("%s resolves to %s, which is not a loopback address (127.0.0.0/8 or ::1)", host, a)}
		}
		addrs[i] = a
	}
	return addrs, nil
}

// CheckLoopback checks that the target's host is loopback.
func (t *Target) CheckLoopback(ctx context.Context, r Resolver) error {
	u, err := url.Parse(t.URL)
	if err != nil {
		return err
	}
	_, err = LoopbackAddrs(ctx, r, u.Hostname())
	return err
}

// loopbackDialer dials only loopback addresses (unless remote is allowed):
// it checks at every connection, so a name that resolves elsewhere later
// (DNS rebinding) is refused too.
type loopbackDialer struct {
	dialer   net.Dialer
	resolver Resolver
	remote   bool
}

func (d *loopbackDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	if d.remote {
		return d.dialer.DialContext(ctx, network, addr)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	addrs, err := LoopbackAddrs(ctx, d.resolver, host)
	if err != nil {
		return nil, err
	}
	var first error
	for _, a := range addrs {
		c, err := d.dialer.DialContext(ctx, network, net.JoinHostPort(a.String(), port))
		if err == nil {
			return c, nil
		}
		if first == nil {
			first = err
		}
	}
	return nil, first
}
