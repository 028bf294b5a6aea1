package checks

import (
	"bytes"

	"gopkg.in/yaml.v3"
)

// YAML renders the policy as a policy document that Parse reads back to
// the same checks: the effective policy, without the file's comments.
func (p *Policy) YAML() ([]byte, error) {
	type checkOut struct {
		ID        string     `yaml:"id"`
		Level     Level      `yaml:"level"`
		Kind      string     `yaml:"kind"`
		Title     string     `yaml:"title"`
		Rationale string     `yaml:"rationale,omitempty"`
		Fix       string     `yaml:"fix,omitempty"`
		Params    *yaml.Node `yaml:"params,omitempty"`
	}
	doc := struct {
		Version       int        `yaml:"version"`
		AllowCommands bool       `yaml:"allow_commands,omitempty"`
		Checks        []checkOut `yaml:"checks"`
	}{Version: Version, AllowCommands: p.AllowCommands}
	for _, c := range p.Checks {
		doc.Checks = append(doc.Checks, checkOut{c.ID, c.Level, c.Kind, c.Title, c.Rationale, c.Fix, c.Params})
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
