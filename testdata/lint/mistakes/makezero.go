// Triggers: makezero.
// make([]T, n) followed by append keeps n zero values at the front and
// grows (reallocates) the slice to twice the size that was needed; the
// intent was make([]T, 0, n).
package mistakes

// Squares returns the squares of xs.
func Squares(xs []int) []int {
	out := make([]int, len(xs))
	for i := 0; i < len(xs); i++ {
		out = append(out, xs[i]*xs[i])
	}
	return out
}
