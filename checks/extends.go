package checks

import (
	"bytes"

	"gopkg.in/yaml.v3"
)

// A policy with 'extends: default' adjusts the embedded default policy
// instead of copying it: an entry of its checks: whose id is a default
// check's changes the keys it gives (level, params, presets, skip, …) and
// keeps the others; an entry with a new id is a check of its own. So a
// repository's perfctl.yaml holds only what it changes, and a new perfctl's
// default reaches it.

// defaultCheckNodes returns the checks of the embedded default policy as
// YAML nodes by id, and their ids in order. Each call decodes a fresh
// copy: parsing may rewrite nodes.
func defaultCheckNodes() (map[string]*yaml.Node, []string) {
	var doc struct {
		Checks []yaml.Node `yaml:"checks"`
	}
	if err := yaml.NewDecoder(bytes.NewReader(DefaultPolicyYAML)).Decode(&doc); err != nil {
		panic("the embedded default policy does not parse: " + err.Error())
	}
	byID := make(map[string]*yaml.Node, len(doc.Checks))
	order := make([]string, 0, len(doc.Checks))
	for i := range doc.Checks {
		id := nodeID(&doc.Checks[i])
		byID[id] = &doc.Checks[i]
		order = append(order, id)
	}
	return byID, order
}

// nodeID is the id of a check's mapping node, or "".
func nodeID(n *yaml.Node) string {
	if v := valueNode(n, "id"); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}

// valueNode is the value of key in mapping n, or nil.
func valueNode(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// hasKey reports whether mapping n has key.
func hasKey(n *yaml.Node, key string) bool { return valueNode(n, key) != nil }

// overlay returns base (a check of the extended policy) with the keys that
// change (an entry of the extending policy with the same id) replacing
// its own. The kind cannot change: the params would mean something else.
func overlay(base, change *yaml.Node, ps *problems) *yaml.Node {
	out := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: change.Line, Column: change.Column}
	if change.Kind != yaml.MappingNode {
		ps.add(change.Line, "a check is a mapping with id, level, kind, title, rationale and fix, not a %s", nodeKind(change))
		return base
	}
	out.Content = append(out.Content, base.Content...)
	for i := 0; i+1 < len(change.Content); i += 2 {
		key, val := change.Content[i], change.Content[i+1]
		if key.Value == "kind" {
			if old := valueNode(base, "kind"); old != nil && val.Value != old.Value {
				ps.add(val.Line, "check %s is a %s check in the default policy: its kind cannot change; give your check a new id", nodeID(base), old.Value)
			}
			continue
		}
		replaced := false
		for j := 0; j+1 < len(out.Content); j += 2 {
			if out.Content[j].Value == key.Value {
				out.Content[j], out.Content[j+1] = key, val
				replaced = true
				break
			}
		}
		if !replaced {
			out.Content = append(out.Content, key, val)
		}
	}
	return out
}

// ExtendingPolicy is the perfctl.yaml 'perfctl init --preset' writes: the
// default policy for preset, with room for the module's changes.
func ExtendingPolicy(preset Preset) []byte {
	return []byte(`# perfctl policy: perfctl's default policy (perfctl policy show prints it
# in full), adjusted. Checks are changed by id: the keys given replace the
# default's, 'skip: REASON' turns a check off, a new id adds a check.
# Every kind and key: docs/policy.md.
version: 1
extends: default
# library, service or cli: the checks that apply (auto: detected each run).
preset: ` + string(preset) + `
checks: []
# For example:
# checks:
#   - id: test-coverage
#     params: {min: 80}
#   - id: db-pool-configured
#     skip: the pool's limits are set by the caller
`)
}
