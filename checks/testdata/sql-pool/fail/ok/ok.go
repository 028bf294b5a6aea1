// Package ok configures the pool that cache.Open returns: that does not
// count for package cache.
package ok

import (
	"time"

	"example.com/sqlpoolfail/cache"
)

func Open() error {
	db, err := cache.Open("file::memory:")
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(time.Hour)
	return nil
}
