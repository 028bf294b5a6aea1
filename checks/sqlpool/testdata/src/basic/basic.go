// Package basic has pools configured in the function that opens them.
package basic

import (
	"database/sql"
	"database/sql/driver"
	"time"
)

func allSet() error {
	db, err := sql.Open("postgres", "dsn")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(10)
	db.SetMaxIdleConns(5)
	db.SetConnMaxLifetime(time.Hour)
	return db.Ping()
}

func oneMissing() {
	db, _ := sql.Open("postgres", "dsn") // want `^\*sql\.DB from sql\.Open is never given SetConnMaxLifetime: configure the pool \(database/sql defaults: unlimited open connections, 2 idle, connections kept forever\)$`
	db.SetMaxOpenConns(10)
	db.SetMaxIdleConns(5)
	db.SetConnMaxIdleTime(time.Minute) // does not stand in for SetConnMaxLifetime
	_ = db.Ping()
}

func allMissing() {
	db, _ := sql.Open("postgres", "dsn") // want `^\*sql\.DB from sql\.Open is never given SetMaxOpenConns, SetMaxIdleConns, SetConnMaxLifetime: configure the pool`
	_ = db.Ping()
}

func openDB(c driver.Connector) {
	db := sql.OpenDB(c) // want `^\*sql\.DB from sql\.OpenDB is never given SetMaxIdleConns, SetConnMaxLifetime: `
	db.SetMaxOpenConns(4)
}

func openDBAllSet(c driver.Connector) {
	db := (sql.OpenDB(c))
	(db).SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	db.SetConnMaxLifetime(time.Hour)
}

// varDecl opens with a var declaration.
func varDecl() error {
	var db, err = sql.Open("postgres", "dsn") // want `never given SetMaxIdleConns:`
	db.SetMaxOpenConns(1)
	db.SetConnMaxLifetime(time.Hour)
	return err
}

// inClosure configures the pool in a closure of the function that opens it.
func inClosure() {
	db, _ := sql.Open("postgres", "dsn")
	configure := func() {
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(time.Minute)
	}
	configure()
}

// reassigned copies the pool into a second variable and configures that.
func reassigned() {
	db, _ := sql.Open("postgres", "dsn")
	var pool *sql.DB
	pool = db
	pool.SetMaxOpenConns(1)
	pool.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(time.Minute)
}

func discarded() {
	_, _ = sql.Open("postgres", "dsn") // want `never given SetMaxOpenConns, SetMaxIdleConns, SetConnMaxLifetime: configure`
}

// shadowed configures only the inner db.
func shadowed() {
	db, _ := sql.Open("postgres", "outer") // want `never given SetMaxOpenConns, SetMaxIdleConns, SetConnMaxLifetime: configure`
	defer db.Close()
	{
		db, _ := sql.Open("postgres", "inner")
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(time.Minute)
	}
}

// shadowedInner configures only the outer db.
func shadowedInner() {
	db, _ := sql.Open("postgres", "outer")
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(time.Minute)
	if true {
		db, _ := sql.Open("postgres", "inner") // want `never given SetMaxOpenConns, SetMaxIdleConns, SetConnMaxLifetime: configure`
		_ = db
	}
}

// parameter uses a *sql.DB that it did not open: not its business.
func parameter(db *sql.DB) error { return db.Ping() }

// asInterface hands the pool on as an interface: that is not followed,
// and the setters on db still count.
type querier interface {
	Query(query string, args ...any) (*sql.Rows, error)
}

func asInterface() querier {
	db, _ := sql.Open("postgres", "dsn")
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(time.Minute)
	var q querier = db
	return q
}
