// Triggers: staticcheck SA6005.
// strings.ToLower allocates and converts both strings completely before
// comparing; strings.EqualFold compares in place and stops at the first
// difference.
package mistakes

import (
	"net/http"
	"strings"
)

// HasContentType reports whether the request has the given content type.
func HasContentType(r *http.Request, want string) bool {
	return strings.ToLower(r.Header.Get("Content-Type")) == strings.ToLower(want)
}
