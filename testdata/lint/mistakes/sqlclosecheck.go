// Triggers: sqlclosecheck.
// The prepared statement is never closed, so it keeps a server-side
// statement handle (and a connection reference) alive until GC.
package mistakes

import (
	"context"
	"database/sql"
)

// Touch updates the last-seen time of a user.
func Touch(ctx context.Context, db *sql.DB, id int64) error {
	stmt, err := db.PrepareContext(ctx, "UPDATE users SET seen_at = NOW() WHERE id = ?")
	if err != nil {
		return err
	}
	_, err = stmt.ExecContext(ctx, id)
	return err
}
