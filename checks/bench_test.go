package checks

import "testing"

// BenchmarkParseDefaultPolicy measures parsing and validating the embedded
// default policy, which every perfctl check without perfctl.yaml does.
func BenchmarkParseDefaultPolicy(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(DefaultPolicyYAML, DefaultSource); err != nil {
			b.Fatal(err)
		}
	}
}
