// Package cache returns an unconfigured pool.
package cache

import "database/sql"

// Open is exported: the pool leaves the package unconfigured.
func Open(dsn string) (*sql.DB, error) {
	return sql.Open("sqlite", dsn)
}
