// Triggers: gocritic hugeParam.
// Config is several hundred bytes; passing it by value copies the whole
// struct on every call, a pointer would copy 8 bytes.
package mistakes

// Config is a large settings struct.
type Config struct {
	Name     string
	Labels   [16]string
	Limits   [16]int64
	Verbose  bool
	MaxConns int
}

// ConnLimit returns the connection limit from the configuration.
func ConnLimit(cfg Config) int {
	return cfg.MaxConns
}
