package checks

import _ "embed"

// DefaultPolicyYAML is the embedded default policy, with its comments: what
// 'perfctl init' writes as perfctl.yaml.
//
//go:embed default.yaml
var DefaultPolicyYAML []byte

// DefaultSource names the embedded default policy in reports.
const DefaultSource = "embedded default policy"

// Default returns the embedded default policy. Each call returns a new
// copy of its checks, so callers may not share evaluator state.
func Default() *Policy {
	p, err := Parse(DefaultPolicyYAML, DefaultSource)
	if err != nil {
		panic("the embedded default policy does not parse: " + err.Error())
	}
	return p
}
