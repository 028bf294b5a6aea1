// Package store keeps word counts in a SQL database.
package store

import (
	"context"
	"database/sql"
	"time"
)

// Open opens the database with the pool limits the service runs with.
func Open(driver, dsn string) (*sql.DB, error) {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(10)
	db.SetMaxIdleConns(5)
	db.SetConnMaxLifetime(30 * time.Minute)
	return db, nil
}

// Save stores one count.
func Save(ctx context.Context, db *sql.DB, word string, n int) error {
	_, err := db.ExecContext(ctx, "INSERT INTO counts (word, n) VALUES (?, ?)", word, n)
	return err
}
