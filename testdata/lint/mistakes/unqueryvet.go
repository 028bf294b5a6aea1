// Triggers: unqueryvet.
// SELECT * transfers every column (including large ones the caller does not
// need) and breaks index-only scans; list the needed columns explicitly.
package mistakes

import (
	"context"
	"database/sql"
)

// CountOrders counts the orders of a customer.
func CountOrders(ctx context.Context, db *sql.DB, customer int64) (int, error) {
	rows, err := db.QueryContext(ctx, "SELECT * FROM orders WHERE customer_id = ?", customer)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}
