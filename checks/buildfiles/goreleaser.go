package buildfiles

import (
	"errors"

	"gopkg.in/yaml.v3"
)

// A Goreleaser is the builds of a goreleaser configuration.
type Goreleaser struct {
	Line   int       // of the configuration's first key
	Env    []Value   // the top-level env, applied to every build
	Builds []GoBuild // the builds listed under builds
	// Default says there is no builds list: goreleaser builds the main
	// package with its defaults.
	Default bool
}

// A GoBuild is one entry of a goreleaser configuration's builds.
type GoBuild struct {
	Line    int
	ID      string
	Skip    bool   // skip: true
	Builder string // "go" unless given
	Flags   []Value
	Gcflags []Value
	Env     []Value
}

// A Value is a string of a YAML document and its line.
type Value struct {
	Line int
	Text string
}

// ReadGoreleaser reads the builds of a goreleaser configuration; it fails
// when the configuration is not a YAML document.
func ReadGoreleaser(data []byte) (*Goreleaser, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, errors.New("an empty document")
	}
	root := doc.Content[0]
	g := &Goreleaser{Line: root.Line, Env: yamlStrings(mappingValue(root, "env"))}
	builds := mappingValue(root, "builds")
	if builds == nil || builds.Kind != yaml.SequenceNode {
		g.Default = true
		return g, nil
	}
	for _, b := range builds.Content {
		if b.Kind != yaml.MappingNode {
			continue
		}
		gb := GoBuild{Line: b.Line, Builder: "go",
			Flags: yamlStrings(mappingValue(b, "flags")), Gcflags: yamlStrings(mappingValue(b, "gcflags")), Env: yamlStrings(mappingValue(b, "env"))}
		if skip := mappingValue(b, "skip"); skip != nil {
			gb.Skip = skip.Value == "true"
		}
		if builder := mappingValue(b, "builder"); builder != nil {
			gb.Builder = builder.Value
		}
		if id := mappingValue(b, "id"); id != nil {
			gb.ID = id.Value
		}
		g.Builds = append(g.Builds, gb)
	}
	return g, nil
}

// yamlStrings returns the scalars of a YAML string or list of strings.
func yamlStrings(n *yaml.Node) []Value {
	switch {
	case n == nil:
		return nil
	case n.Kind == yaml.ScalarNode:
		return []Value{{n.Line, n.Value}}
	case n.Kind == yaml.SequenceNode:
		var out []Value
		for _, c := range n.Content {
			if c.Kind == yaml.ScalarNode {
				out = append(out, Value{c.Line, c.Value})
			}
		}
		return out
	}
	return nil
}
