// Triggers: perfsprint.
// fmt.Sprintf("%d", n) goes through reflection-based formatting and allocates
// an interface value; strconv.Itoa does the same conversion much faster.
package mistakes

import "fmt"

// PageLabel renders a page number for a pagination link.
func PageLabel(page int) string {
	return fmt.Sprintf("%d", page)
}
