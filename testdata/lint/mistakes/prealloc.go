// Triggers: prealloc.
// The slice is declared empty and grown by append inside a range loop whose
// length is known up front, so append reallocates and copies the backing
// array several times instead of allocating once with make([]T, 0, len(src)).
package mistakes

// UserIDs returns the ID of every user.
func UserIDs(users []User) []int64 {
	var ids []int64
	for _, u := range users {
		ids = append(ids, u.ID)
	}
	return ids
}

// User is a small record shared by several examples in this package.
type User struct {
	ID   int64
	Name string
}
