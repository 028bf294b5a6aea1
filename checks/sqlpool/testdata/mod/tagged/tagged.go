//go:build pooltag

// Package tagged is built only with the pooltag tag.
package tagged

import "database/sql"

var db, _ = sql.Open("postgres", "dsn")

func ping() error { return db.Ping() }
