package buildfiles

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// commandKeys are the YAML keys whose values are shell: run (GitHub
// Actions, CircleCI), script, before_script and after_script (GitLab CI,
// Travis CI, Bitbucket, Azure Pipelines), commands (Drone, Woodpecker),
// command (Buildkite), and the like.
var commandKeys = []string{"run", "script", "scripts", "command", "commands", "cmd", "cmds", "sh", "bash", "before_script", "after_script", "entrypoint"}

// readWorkflow returns the commands of a YAML CI configuration: the
// scalars under its command keys, at any depth, and the actions its steps
// use. Names, conditions, environments and the inputs of actions are not
// commands. A file that is not YAML is read line by line.
func readWorkflow(name string, data []byte) []Command {
	w := workflow{file: name}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return w.out
		}
		if err != nil {
			return readWorkflowLines(name, data)
		}
		w.node(&doc, false)
	}
}

// workflow collects the commands of a YAML CI configuration.
type workflow struct {
	file string
	out  []Command
}

// node adds the commands of n; shell says n is the value of a command key.
// Aliases are not followed: what they stand for is read where it is
// defined.
func (w *workflow) node(n *yaml.Node, shell bool) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			w.node(c, false)
		}
	case yaml.SequenceNode:
		if n.Tag == "!reference" {
			return // GitLab's !reference [.job, script]: read at .job
		}
		for _, c := range n.Content {
			w.node(c, shell)
		}
	case yaml.ScalarNode:
		if shell {
			w.out = append(w.out, splitScalar(w.file, n)...)
		}
	case yaml.MappingNode:
		uses := mappingValue(n, "uses")
		if uses != nil && uses.Kind == yaml.ScalarNode && uses.Value != "" {
			w.out = append(w.out, w.action(uses, mappingValue(n, "with")))
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i].Value, n.Content[i+1]
			if uses != nil && (k == "uses" || k == "with") {
				continue // an action's inputs are its own (github-script's script: is JavaScript)
			}
			w.node(v, slices.Contains(commandKeys, k))
		}
	}
}

// action is a step that uses an action, with its inputs.
func (w *workflow) action(uses, with *yaml.Node) Command {
	c := Command{Pos: Pos{File: w.file, Line: uses.Line}, Uses: uses.Value}
	for i := 0; with != nil && with.Kind == yaml.MappingNode && i+1 < len(with.Content); i += 2 {
		if v := with.Content[i+1]; v.Kind == yaml.ScalarNode {
			c.With = append(c.With, Input{Pos: Pos{File: w.file, Line: v.Line}, Name: with.Content[i].Value, Value: v.Value})
		}
	}
	return c
}

var (
	// a command key and what follows it
	commandKey = regexp.MustCompile(`^(?:-\s*)?(?:` + strings.Join(commandKeys, "|") + `)\s*:(?:\s+|$)`)
	// an action a step uses
	usesKey = regexp.MustCompile(`^(?:-\s*)?uses\s*:\s*['"]?([^'"\s]+)`)
	// any other key
	otherKey = regexp.MustCompile(`^(?:-\s*)?[\w.-]+\s*:(?:\s|$)`)
)

// filterKeys are keys whose values are not shell but triggers, filters,
// conditions and settings: on.push.paths, GitLab's rules: changes:, and
// the like. Read line by line, a list under one of them is not commands:
// a workflow that runs when the Makefile changes does not run the
// Makefile.
var filterKeys = []string{"on", "paths", "paths-ignore", "branches", "branches-ignore", "tags", "tags-ignore",
	"changes", "rules", "only", "except", "if", "when", "exists", "needs", "dependencies", "artifacts", "cache",
	"variables", "env", "environment", "services", "image", "include", "exclude", "matrix", "trigger", "pr", "workflow"}

// A yamlKey is a key of a YAML line and its indentation.
type yamlKey struct {
	indent int
	name   string
}

// readWorkflowLines reads a CI configuration that is not YAML line by
// line: the values of command keys, list items and lines that are no key
// (those of a block scalar) are shell, unless they are under one of
// filterKeys (found by indentation).
func readWorkflowLines(name string, data []byte) []Command {
	s := splitter{file: name}
	var keys []yamlKey // the keys enclosing the line, by indentation
	for _, l := range LogicalLines(name, data) {
		indent := len(l.Text) - len(strings.TrimLeft(l.Text, " \t"))
		t := strings.TrimSpace(l.Text)
		item := strings.HasPrefix(t, "- ") || t == "-"
		for len(keys) > 0 {
			top := keys[len(keys)-1]
			if top.indent > indent || top.indent == indent && !item {
				keys = keys[:len(keys)-1]
				continue
			}
			break
		}
		if m := usesKey.FindStringSubmatch(t); m != nil {
			s.out = append(s.out, Command{Pos: l.Pos, Uses: m[1]})
			continue
		}
		if m := commandKey.FindStringIndex(t); m != nil {
			t = t[m[1]:]
		} else if otherKey.MatchString(t) {
			name, _, _ := strings.Cut(t, ":")
			key := strings.TrimSpace(strings.TrimPrefix(name, "-"))
			keyIndent := indent
			if item {
				keyIndent += 2
			}
			keys = append(keys, yamlKey{keyIndent, strings.Trim(key, `'"`)})
			continue
		} else if underFilter(keys) {
			continue
		}
		s.script(strings.TrimPrefix(t, "- "), place{line: l.Line, flat: true}, false)
	}
	return s.out
}

// underFilter reports whether one of keys is a filter key.
func underFilter(keys []yamlKey) bool {
	for _, k := range keys {
		if slices.Contains(filterKeys, k.name) {
			return true
		}
	}
	return false
}
