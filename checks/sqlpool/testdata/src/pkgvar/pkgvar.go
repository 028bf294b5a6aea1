// Package pkgvar keeps pools in package variables.
package pkgvar

import (
	"database/sql"
	"time"
)

var pool *sql.DB

func init() {
	var err error
	pool, err = sql.Open("postgres", "dsn")
	if err != nil {
		panic(err)
	}
}

// tune configures pool, in another function than the one that opened it.
func tune() {
	pool.SetMaxOpenConns(8)
	pool.SetMaxIdleConns(8)
	pool.SetConnMaxLifetime(time.Hour)
}

var db, _ = sql.Open("postgres", "dsn") // want `never given SetMaxOpenConns, SetMaxIdleConns, SetConnMaxLifetime: configure`

// shadow configures a local db, not the package's.
func shadow() {
	db, _ := sql.Open("postgres", "local")
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(time.Minute)
}

// DB is exported: other packages may configure it, but they are not seen.
var DB *sql.DB

func Connect() {
	DB, _ = sql.Open("postgres", "dsn") // want `never given SetConnMaxLifetime in this package \(it is stored in exported variable DB; setters called elsewhere are not seen\): configure the pool where it is opened`
	DB.SetMaxOpenConns(1)
	DB.SetMaxIdleConns(1)
}

func use() { _ = db.Ping() }
