// Triggers: gocritic rangeValCopy.
// Each iteration copies a 512-byte Sample into the loop variable; ranging
// by index (or over pointers) avoids the per-iteration copy.
package mistakes

// Sample is a large measurement record.
type Sample struct {
	Values [64]float64
}

// FirstValueSum sums the first value of every sample.
func FirstValueSum(samples []Sample) float64 {
	var total float64
	for _, s := range samples {
		total += s.Values[0]
	}
	return total
}
