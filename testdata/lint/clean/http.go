package clean

import (
	"context"
	"io"
	"net/http"
)

// Fetch downloads url with a request bound to ctx and closes the body.
func Fetch(ctx context.Context, client *http.Client, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, http.NoBody)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

type stepKey struct{}

// RunSteps derives a per-step context without growing ctx in the loop.
func RunSteps(ctx context.Context, steps []func(context.Context) error) error {
	for i, step := range steps {
		stepCtx := context.WithValue(ctx, stepKey{}, i)
		if err := step(stepCtx); err != nil {
			return err
		}
	}
	return nil
}
