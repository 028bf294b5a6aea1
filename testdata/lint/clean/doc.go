// Package clean holds the correct counterparts of the examples in
// ../mistakes. The perfctl performance lint profile must report nothing here.
package clean
