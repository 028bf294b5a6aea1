// Triggers: gocritic hugeParam.
// Config is over 1 KiB; passing it by value copies the whole
// struct on every call, a pointer would copy 8 bytes.
package mistakes

// Config is a large settings struct.
type Config struct {
	Name     string
	Labels   [64]string
	Limits   [16]int64
	Verbose  bool
	MaxConns int
}

// connLimit returns the connection limit from the configuration. It is
// unexported: on exported API perfctl filters hugeParam out, as changing
// the signature would break callers.
func connLimit(cfg Config) int {
	return cfg.MaxConns
}

var _ = connLimit
