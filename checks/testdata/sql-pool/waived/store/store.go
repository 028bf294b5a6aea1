// Package store opens pools whose limits its callers set.
package store

import "database/sql"

// Open returns a pool; cmd/server sets its limits.
func Open(dsn string) (*sql.DB, error) {
	return sql.Open("postgres", dsn) //perfctl:ignore sql-pool -- limits are set by the caller, cmd/server
}

// OpenReplica returns a pool; cmd/server sets its limits too.
func OpenReplica(dsn string) (*sql.DB, error) {
	//perfctl:ignore sql-pool -- limits are set by the caller, cmd/server
	return sql.Open("postgres", dsn)
}

// OpenOther is not waived: the comment above is for another line.
func OpenOther(dsn string) (*sql.DB, error) {
	return sql.Open("postgres", dsn)
}

// OpenTwo waives the first pool only: the comment ends its line.
func OpenTwo(dsn string) (*sql.DB, *sql.DB) {
	a, _ := sql.Open("postgres", dsn) //perfctl:ignore sql-pool -- limits are set by the caller, cmd/server
	b, _ := sql.Open("postgres", dsn)
	return a, b
}
