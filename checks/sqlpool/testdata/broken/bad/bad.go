// Package bad does not compile.
package bad

import "database/sql"

func open() *sql.DB {
	db, _ := sql.Open("postgres", undefinedDSN)
	return db
}
