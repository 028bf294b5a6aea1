// Triggers: bodyclose.
// The response body is never closed, so the underlying TCP connection can
// not be returned to the keep-alive pool and is leaked.
package mistakes

import (
	"context"
	"net/http"
)

// StatusOf returns the HTTP status code of url.
func StatusOf(ctx context.Context, client *http.Client, url string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, http.NoBody)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}
