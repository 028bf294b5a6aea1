// Triggers: unconvert.
// Converting a value to the type it already has is a no-op at best and
// obscures the code; in hot arithmetic it hides real conversions.
package mistakes

import "time"

// ElapsedNanos returns the elapsed time in nanoseconds.
func ElapsedNanos(start time.Time) int64 {
	ns := time.Since(start).Nanoseconds()
	return int64(ns)
}
