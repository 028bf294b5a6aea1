// Package store opens a pool and forgets its lifetime.
package store

import (
	"database/sql"
	"fmt"
	"strings"

	"example.com/fixture/util"
)

// Store is a table.
type Store struct{ db *sql.DB }

// New opens the store.
func New(dsn string) (*Store, error) {
	db, err := sql.Open("postgres", util.Clean(dsn))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", strings.TrimSpace(dsn), err)
	}
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	return &Store{db: db}, nil
}
