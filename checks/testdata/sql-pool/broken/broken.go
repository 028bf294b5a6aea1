// Package broken does not compile.
package broken

import "database/sql"

var db, _ = sql.Open("postgres", missing)
