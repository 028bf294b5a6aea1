package clean

import (
	"context"
	"database/sql"
)

// Touch prepares, uses and closes a statement.
func Touch(ctx context.Context, db *sql.DB, id int64) error {
	stmt, err := db.PrepareContext(ctx, "UPDATE users SET seen_at = NOW() WHERE id = ?")
	if err != nil {
		return err
	}
	defer stmt.Close()
	_, err = stmt.ExecContext(ctx, id)
	return err
}

// Names selects explicit columns, closes rows and checks rows.Err.
func Names(ctx context.Context, db *sql.DB) (map[int64]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT id, name FROM users")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names := make(map[int64]string)
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		names[id] = name
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return names, nil
}

// CountOrders lets the database count instead of fetching rows.
func CountOrders(ctx context.Context, db *sql.DB, customer int64) (int, error) {
	var n int
	err := db.QueryRowContext(ctx, "SELECT COUNT(id) FROM orders WHERE customer_id = ?", customer).Scan(&n)
	return n, err
}
