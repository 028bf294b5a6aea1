// Triggers: staticcheck SA6001.
// Converting the []byte key to a string in a separate statement forces an
// allocation; writing m[string(key)] lets the compiler look the key up
// without allocating a string.
package mistakes

// LookupCode returns the status code registered for a raw name.
func LookupCode(codes map[string]int, raw []byte) int {
	key := string(raw)
	return codes[key]
}
