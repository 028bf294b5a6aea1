// Package escape returns and passes pools around.
package escape

import (
	"database/sql"
	"fmt"
	"time"
)

// open returns the pool; its callers configure it.
func open(dsn string) (*sql.DB, error) {
	return sql.Open("postgres", dsn)
}

func caller() error {
	db, err := open("dsn")
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(time.Minute)
	return nil
}

// openVar returns the variable it opened into; the caller hands it to configure.
func openVar(dsn string) (*sql.DB, error) {
	db, err := sql.Open("postgres", dsn)
	return db, err
}

func caller2() {
	db, _ := openVar("dsn")
	configure(db)
}

func configure(db *sql.DB) {
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(time.Minute)
}

// openNamed returns through a named result.
func openNamed() (db *sql.DB, err error) {
	db, err = sql.Open("postgres", "dsn")
	return
}

func caller3() {
	db, _ := openNamed()
	configure(db)
}

// openNever is returned to a caller that never configures it.
func openNever() (*sql.DB, error) {
	return sql.Open("postgres", "dsn") // want `^\*sql\.DB from sql\.Open is never given SetMaxOpenConns, SetMaxIdleConns, SetConnMaxLifetime: configure the pool`
}

func caller4() {
	db, _ := openNever()
	_ = db.Ping()
}

// Open is exported: its callers in other packages are not seen.
func Open(dsn string) (*sql.DB, error) {
	return sql.Open("postgres", dsn) // want `^\*sql\.DB from sql\.Open is never given SetMaxOpenConns, SetMaxIdleConns, SetConnMaxLifetime in this package \(it is returned by exported Open; setters called elsewhere are not seen\): configure the pool where it is opened \(database/sql defaults`
}

// OpenTuned is exported and configures part of the pool.
func OpenTuned(dsn string) *sql.DB {
	db, _ := sql.Open("postgres", dsn) // want `never given SetMaxIdleConns, SetConnMaxLifetime in this package \(it is returned by exported OpenTuned;`
	db.SetMaxOpenConns(5)
	return db
}

// OpenGood is exported and configures the whole pool.
func OpenGood(dsn string) (*sql.DB, error) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(5)
	db.SetMaxIdleConns(5)
	db.SetConnMaxLifetime(time.Hour)
	return db, nil
}

// openGeneric is generic; its instantiated calls are followed.
func openGeneric[T any](dsn string) *sql.DB {
	db, _ := sql.Open("postgres", dsn)
	return db
}

func caller5() {
	db := openGeneric[int]("dsn")
	configure(db)
}

type factory struct{}

func (factory) open() *sql.DB {
	db, _ := sql.Open("postgres", "dsn")
	return db
}

func caller6() {
	var f factory
	configure(f.open())
}

// literal opens in a function literal and configures what calling it returns.
func literal() {
	openIt := func() (*sql.DB, error) { return sql.Open("postgres", "dsn") }
	db, _ := openIt()
	configure(db)
}

func immediate() {
	db := func() *sql.DB {
		db, _ := sql.Open("postgres", "dsn")
		return db
	}()
	configure(db)
}

// passedOut hands the pool to another package.
func passedOut() {
	db, _ := sql.Open("postgres", "dsn") // want `never given SetMaxOpenConns, SetMaxIdleConns, SetConnMaxLifetime in this package \(it is passed to fmt.Println;`
	fmt.Println(db)
}

// passedOutConfigured hands a configured pool on: no diagnostic.
func passedOutConfigured() {
	db, _ := sql.Open("postgres", "dsn")
	configure(db)
	fmt.Println(db)
}

// stored keeps pools in a map and a slice.
func stored() []*sql.DB {
	pools := map[string]*sql.DB{}
	db, _ := sql.Open("postgres", "dsn") // want `it is stored in a map and stored in a slice;`
	pools["x"] = db
	return []*sql.DB{db}
}

// unusedHelper is never called: what it returns goes nowhere.
func unusedHelper() *sql.DB {
	db, _ := sql.Open("postgres", "dsn") // want `never given SetMaxOpenConns, SetMaxIdleConns, SetConnMaxLifetime: configure`
	return db
}

// asValue hands the helper itself on.
func openForValue() *sql.DB {
	db, _ := sql.Open("postgres", "dsn") // want `it is returned by openForValue, which is used as a value;`
	return db
}

var opener = openForValue

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// throughGeneric opens through a generic helper that returns its argument.
func throughGeneric() {
	db := must(sql.Open("postgres", "dsn"))
	configure(db)
}

func throughGenericUnconfigured() {
	db := must(sql.Open("postgres", "dsn")) // want `never given SetMaxOpenConns, SetMaxIdleConns, SetConnMaxLifetime: configure`
	_ = db.Ping()
}
