// Package bare has a waiver without a reason.
package bare

import "database/sql"

// Open opens an unconfigured pool.
func Open(dsn string) (*sql.DB, error) {
	return sql.Open("postgres", dsn) //perfctl:ignore sql-pool
}
