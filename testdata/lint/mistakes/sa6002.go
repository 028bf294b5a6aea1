// Triggers: staticcheck SA6002.
// Putting a []byte (a non-pointer slice header) into a sync.Pool boxes it in
// an interface, which allocates on every Put and defeats the pool.
package mistakes

import "sync"

var bufPool = sync.Pool{
	New: func() any { return make([]byte, 0, 4096) },
}

// Render formats name into a pooled buffer.
func Render(name string) string {
	buf := bufPool.Get().([]byte)[:0]
	buf = append(buf, name...)
	out := string(buf)
	bufPool.Put(buf)
	return out
}
