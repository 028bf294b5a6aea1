package checks

import (
	"bytes"
	"errors"
	"fmt"

	"gopkg.in/yaml.v3"
)

// YAML renders the policy as a policy document that Parse reads back to
// the same checks: the effective policy, without the file's comments (and
// with the checks of the policy it extends written out).
func (p *Policy) YAML() ([]byte, error) {
	type checkOut struct {
		ID        string     `yaml:"id"`
		Level     Level      `yaml:"level"`
		Kind      string     `yaml:"kind"`
		Title     string     `yaml:"title"`
		Rationale string     `yaml:"rationale,omitempty"`
		Fix       string     `yaml:"fix,omitempty"`
		Presets   []Preset   `yaml:"presets,omitempty,flow"`
		Skip      string     `yaml:"skip,omitempty"`
		Params    *yaml.Node `yaml:"params,omitempty"`
	}
	doc := struct {
		Version       int        `yaml:"version"`
		AllowCommands bool       `yaml:"allow_commands,omitempty"`
		Preset        Preset     `yaml:"preset,omitempty"`
		Services      *yaml.Node `yaml:"services,omitempty"`
		Checks        []checkOut `yaml:"checks"`
	}{Version: Version, AllowCommands: p.AllowCommands, Preset: p.Preset}
	if len(p.Services) > 0 {
		var err error
		if doc.Services, err = plainNode(p.servicesNode, &nodeBudget{left: maxRenderedNodes}); err != nil {
			return nil, fmt.Errorf("services: %w", err)
		}
	}
	for _, c := range p.Checks {
		params, err := plainNode(c.Params, &nodeBudget{left: maxRenderedNodes})
		if err != nil {
			return nil, fmt.Errorf("check %s: %w", c.ID, err)
		}
		doc.Checks = append(doc.Checks, checkOut{c.ID, c.Level, c.Kind, c.Title, c.Rationale, c.Fix, c.Presets, c.Skip, params})
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

// maxRenderedNodes bounds the params of one check as YAML renders them:
// aliases are written out in full, and a document of aliases to aliases
// can stand for more nodes than it has bytes.
const maxRenderedNodes = 100_000

type nodeBudget struct{ left int }

// plainNode copies params for rendering so that the copy reads back the
// same on its own: aliases are replaced by what they refer to (their
// anchor may sit outside params, on a check's id, and would not be
// written), anchors are dropped, and an empty null ({packages}) is written
// as null (yaml.v3 would write ”, an empty string).
func plainNode(n *yaml.Node, b *nodeBudget) (*yaml.Node, error) {
	if n == nil {
		return nil, nil
	}
	if b.left--; b.left < 0 {
		return nil, errors.New("the params are too large to print (aliases expand to more than 100,000 values)")
	}
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	c := *n
	c.Anchor = ""
	c.Content = nil
	if c.Kind == yaml.ScalarNode && c.Tag == "!!null" {
		c.Value, c.Style = "null", 0
	}
	for _, child := range n.Content {
		cc, err := plainNode(child, b)
		if err != nil {
			return nil, err
		}
		c.Content = append(c.Content, cc)
	}
	return &c, nil
}
