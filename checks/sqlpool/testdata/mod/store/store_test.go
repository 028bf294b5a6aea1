package store

import (
	"database/sql"
	"testing"
)

// Test files are not analysed: this pool is not reported.
func TestOpen(t *testing.T) {
	db, err := sql.Open("postgres", "dsn")
	if err != nil {
		t.Fatal(err)
	}
	_ = db
}
