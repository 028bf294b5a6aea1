// Package util does not use database/sql.
package util

import (
	"net/url"
	"strings"
)

// Clean trims a data source name.
func Clean(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" {
		return u.String()
	}
	return strings.TrimSpace(dsn)
}
