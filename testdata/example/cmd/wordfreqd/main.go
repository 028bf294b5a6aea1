// Command wordfreqd serves word counts over HTTP: GET /count?text=…&n=…
// answers the n most frequent words of text as JSON, GET /healthz answers
// ok. It listens on -addr until SIGINT or SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"example.com/wordfreq"
)

// Bounds of a request: longer texts and larger n are refused.
const (
	maxText = 64 << 10
	maxN    = 1000
)

func main() { os.Exit(run()) }

func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return cli(ctx, os.Args[1:], os.Stderr)
}

// cli serves on the address of args until ctx is done and returns the exit
// code.
func cli(ctx context.Context, args []string, errOut io.Writer) int {
	fs := flag.NewFlagSet("wordfreqd", flag.ContinueOnError)
	fs.SetOutput(errOut)
	addr := fs.String("addr", "127.0.0.1:8080", "the address to listen on")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ln, err := new(net.ListenConfig).Listen(ctx, "tcp", *addr)
	if err != nil {
		fmt.Fprintln(errOut, "wordfreqd:", err)
		return 1
	}
	if err := serve(ctx, ln); err != nil {
		fmt.Fprintln(errOut, "wordfreqd:", err)
		return 1
	}
	return 0
}

// serve answers requests on ln until ctx is done, then lets the requests
// in flight finish.
func serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           newHandler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       time.Minute,
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func newHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /count", count)
	return mux
}

// count answers the n (default 10) most frequent words of the text
// parameter as a JSON array of {"word", "n"}.
func count(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	text := q.Get("text")
	if len(text) > maxText {
		http.Error(w, fmt.Sprintf("text is longer than %d bytes", maxText), http.StatusRequestEntityTooLarge)
		return
	}
	n := 10
	if s := q.Get("n"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 || v > maxN {
			http.Error(w, fmt.Sprintf("n=%q is not a number from 1 to %d", s, maxN), http.StatusBadRequest)
			return
		}
		n = v
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(wordfreq.Top(wordfreq.Counts(text), n))
}
