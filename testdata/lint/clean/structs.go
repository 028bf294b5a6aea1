package clean

// Config is a large settings struct; it is passed by pointer.
type Config struct {
	Name     string
	Labels   [16]string
	Limits   [16]int64
	Verbose  bool
	MaxConns int
}

// ConnLimit returns the connection limit from the configuration.
func ConnLimit(cfg *Config) int {
	return cfg.MaxConns
}

// Sample is a large measurement record.
type Sample struct {
	Values [64]float64
}

// FirstValueSum ranges by index so no Sample is copied.
func FirstValueSum(samples []Sample) float64 {
	var total float64
	for i := range samples {
		total += samples[i].Values[0]
	}
	return total
}
