// Triggers: rowserrcheck.
// rows.Err is never checked, so an error that stops iteration early (for
// example a dropped connection) looks like a short, successful result and
// callers retry or recompute work.
package mistakes

import (
	"context"
	"database/sql"
)

// Names returns the names of all users.
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
	return names, nil
}
