// Package escapeuser configures the pool that escape.Open returns: that is
// not seen in package escape, which is reported there.
package escapeuser

import (
	"time"

	"escape"
)

func Use() {
	db, _ := escape.Open("dsn")
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(time.Minute)
}
