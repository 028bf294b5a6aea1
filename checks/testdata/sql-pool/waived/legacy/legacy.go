// Package legacy is waived by the policy.
package legacy

import "database/sql"

// Open opens an unconfigured pool.
func Open(dsn string) (*sql.DB, error) { return sql.Open("postgres", dsn) }
