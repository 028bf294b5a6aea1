package clean

import (
	"io"
	"sync"
	"time"
)

var bufPool = sync.Pool{
	New: func() any {
		b := make([]byte, 0, 4096)
		return &b
	},
}

// Render formats name into a pooled buffer stored as a pointer.
func Render(name string) string {
	bp := bufPool.Get().(*[]byte)
	buf := append((*bp)[:0], name...)
	out := string(buf)
	*bp = buf
	bufPool.Put(bp)
	return out
}

// WritePayload writes the bytes directly.
func WritePayload(w io.Writer, payload []byte) error {
	_, err := w.Write(payload)
	return err
}

// ElapsedNanos returns the elapsed time in nanoseconds.
func ElapsedNanos(start time.Time) int64 {
	return time.Since(start).Nanoseconds()
}
