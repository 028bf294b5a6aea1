package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestCount(t *testing.T) {
	h := newHandler()
	for _, tc := range []struct {
		url, body string
		status    int
	}{
		{"/count?text=b+a+B%0Ac+b+a&n=2", `[{"word":"b","n":3},{"word":"a","n":2}]` + "\n", http.StatusOK},
		{"/count?text=", "[]\n", http.StatusOK},
		{"/count?text=a&n=0", "n=\"0\" is not a number from 1 to 1000\n", http.StatusBadRequest},
		{"/count?text=a&n=x", "n=\"x\" is not a number from 1 to 1000\n", http.StatusBadRequest},
		{"/count?text=" + strings.Repeat("a", maxText+1), "text is longer than 65536 bytes\n", http.StatusRequestEntityTooLarge},
		{"/healthz", "ok\n", http.StatusOK},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.url, nil))
		if got := rec.Body.String(); rec.Code != tc.status || got != tc.body {
			t.Errorf("GET %.40s: %d %q, want %d %q", tc.url, rec.Code, got, tc.status, tc.body)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/count", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /count: %d, want %d", rec.Code, http.StatusMethodNotAllowed)
	}
}

// TestServe answers a request on a real listener, then stops when the
// context is cancelled.
func TestServe(t *testing.T) {
	ln, err := new(net.ListenConfig).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln) }()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://"+ln.Addr().String()+"/count?text=go+go+gopher", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if want := `[{"word":"go","n":2},{"word":"gopher","n":1}]` + "\n"; string(body) != want {
		t.Errorf("answered %q, want %q", body, want)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
}

func TestServeClosedListener(t *testing.T) {
	ln, err := new(net.ListenConfig).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	if err := serve(t.Context(), ln); err == nil {
		t.Error("no error from a closed listener")
	}
}

func TestCLI(t *testing.T) {
	var errOut strings.Builder
	if code := cli(t.Context(), []string{"-x"}, &errOut); code != 2 {
		t.Errorf("bad flag: exit code %d, want 2", code)
	}
	if code := cli(t.Context(), []string{"-addr", "127.0.0.1:-1"}, &errOut); code != 1 {
		t.Errorf("bad address: exit code %d, want 1", code)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	// A cancelled context: the server starts and shuts down cleanly.
	if code := cli(ctx, []string{"-addr", "127.0.0.1:0"}, &errOut); code != 0 {
		t.Errorf("cancelled: exit code %d, want 0: %s", code, errOut.String())
	}
}
