package clean

// User is a small record.
type User struct {
	ID   int64
	Name string
}

// UserIDs returns the ID of every user, allocating the result once.
func UserIDs(users []User) []int64 {
	ids := make([]int64, 0, len(users))
	for _, u := range users {
		ids = append(ids, u.ID)
	}
	return ids
}

// Squares returns the squares of xs into a zero-length, pre-sized slice.
func Squares(xs []int) []int {
	out := make([]int, 0, len(xs))
	for _, x := range xs {
		out = append(out, x*x)
	}
	return out
}
