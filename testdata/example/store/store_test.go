package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"testing"
)

// refusing is a driver whose connections always fail: enough to test the
// pool settings without a database.
type refusing struct{}

func (refusing) Open(string) (driver.Conn, error) { return nil, errors.New("no database here") }

func init() { sql.Register("refusing", refusing{}) }

func TestOpen(t *testing.T) {
	db, err := Open("refusing", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := db.Stats().MaxOpenConnections; got != 10 {
		t.Errorf("MaxOpenConnections = %d, want 10", got)
	}
	if err := Save(context.Background(), db, "the", 3); err == nil {
		t.Error("Save without a database: no error")
	}
	if _, err := Open("no-such-driver", ""); err == nil {
		t.Error("Open with an unknown driver: no error")
	}
}
