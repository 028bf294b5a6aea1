// Triggers: staticcheck SA6006.
// Converting a []byte to a string just to call io.WriteString copies the
// data; the bytes can be written directly with w.Write.
package mistakes

import "io"

// WritePayload writes the payload to w.
func WritePayload(w io.Writer, payload []byte) error {
	_, err := io.WriteString(w, string(payload))
	return err
}
