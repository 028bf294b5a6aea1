// Package db opens configured pools.
package db

import (
	"database/sql"
	"time"
)

type Store struct{ db *sql.DB }

func Open(dsn string) (*Store, error) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return nil, err
	}
	s := &Store{db: db}
	s.tune()
	return s, nil
}

func (s *Store) tune() {
	s.db.SetMaxOpenConns(16)
	s.db.SetMaxIdleConns(16)
	s.db.SetConnMaxLifetime(time.Hour)
}

func openReplica(dsn string) (*sql.DB, error) { return sql.Open("postgres", dsn) }

func Replica(dsn string) (*Store, error) {
	db, err := openReplica(dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	db.SetConnMaxLifetime(time.Hour)
	return &Store{db: db}, nil
}
