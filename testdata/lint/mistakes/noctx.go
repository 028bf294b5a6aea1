// Triggers: noctx.
// A request built without a context can not be cancelled or time out with
// its caller, so slow backends pile up goroutines and connections.
package mistakes

import (
	"io"
	"net/http"
)

// Fetch downloads url.
func Fetch(client *http.Client, url string) ([]byte, error) {
	req, err := http.NewRequest(http.MethodGet, url, http.NoBody)
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
