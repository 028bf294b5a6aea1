// Package fields keeps pools in struct fields.
package fields

import (
	"database/sql"
	"time"
)

// Store is opened by its constructor and configured by another method.
type Store struct {
	db *sql.DB
}

func NewStore(dsn string) (*Store, error) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return nil, err
	}
	s := &Store{db: db}
	s.configure()
	return s, nil
}

func (s *Store) configure() {
	s.db.SetMaxOpenConns(10)
	s.db.SetMaxIdleConns(10)
	s.db.SetConnMaxLifetime(time.Hour)
}

// Cache assigns the field directly and forgets the lifetime.
type Cache struct {
	conn *sql.DB
}

func NewCache() *Cache {
	c := &Cache{}
	c.conn, _ = sql.Open("postgres", "dsn") // want `never given SetConnMaxLifetime: configure`
	return c
}

func (c *Cache) Tune() {
	c.conn.SetMaxOpenConns(1)
	c.conn.SetMaxIdleConns(1)
}

// Other has a field of the same type: setting it does not configure Cache.conn.
type Other struct {
	conn *sql.DB
}

func (o *Other) Tune() { o.conn.SetConnMaxLifetime(time.Hour) }

// Positional fills its field with a positional literal.
type Positional struct {
	name string
	db   *sql.DB
}

func NewPositional() Positional {
	db, _ := sql.Open("postgres", "dsn") // want `never given SetMaxIdleConns, SetConnMaxLifetime: configure`
	p := Positional{"x", db}
	p.db.SetMaxOpenConns(1)
	return p
}

// Embedded gets the setters promoted from its embedded *sql.DB.
type Embedded struct {
	*sql.DB
}

func NewEmbedded() *Embedded {
	db, _ := sql.Open("postgres", "dsn")
	e := &Embedded{DB: db}
	e.SetMaxOpenConns(1)
	e.SetMaxIdleConns(1)
	e.SetConnMaxLifetime(time.Hour)
	return e
}

// Pair is generic: its field is the same one whatever the instance.
type Pair[T any] struct {
	v  T
	db *sql.DB
}

func newPair() *Pair[int] {
	p := &Pair[int]{}
	p.db, _ = sql.Open("postgres", "dsn")
	return p
}

func (p *Pair[T]) tune() {
	p.db.SetMaxOpenConns(1)
	p.db.SetMaxIdleConns(1)
	p.db.SetConnMaxLifetime(time.Hour)
}
