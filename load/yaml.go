package load

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// A LineError is a problem in a load: section, at a line of the policy.
type LineError struct {
	Line int
	Msg  string
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// ParseYAML reads a policy's load: section strictly: unknown keys, values
// of the wrong type, budgets that do not parse and specs out of bounds are
// errors with their lines. Remote targets are never allowed from a policy
// (only the --allow-remote flag allows them).
func ParseYAML(n *yaml.Node) (*Spec, []*LineError) {
	p := &yparser{}
	spec := &Spec{}
	p.mapping(n, "load", map[string]func(*yaml.Node){
		"service":     func(v *yaml.Node) { p.service(v, &spec.Service) },
		"targets":     func(v *yaml.Node) { spec.Targets = p.targets(v) },
		"rate":        func(v *yaml.Node) { spec.Rate = p.rate(v) },
		"ramp_to":     func(v *yaml.Node) { spec.RampTo = p.rate(v) },
		"duration":    func(v *yaml.Node) { spec.Duration = p.duration(v) },
		"warmup":      func(v *yaml.Node) { spec.Warmup = p.duration(v) },
		"timeout":     func(v *yaml.Node) { spec.Timeout = p.duration(v) },
		"max_workers": func(v *yaml.Node) { spec.MaxWorkers = p.int(v) },
		"budgets":     func(v *yaml.Node) { spec.Budgets = p.budgets(v) },
	}, "targets", "rate", "duration")
	if len(p.errs) == 0 {
		if err := spec.Validate(); err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				p.add(n.Line, "load: %s", line)
			}
		}
	}
	return spec, p.errs
}

type yparser struct{ errs []*LineError }

func (p *yparser) add(line int, format string, args ...any) {
	p.errs = append(p.errs, &LineError{Line: line, Msg: fmt.Sprintf(format, args...)})
}

// mapping calls each key's handler; unknown keys and missing required
// ones are errors.
func (p *yparser) mapping(n *yaml.Node, what string, keys map[string]func(*yaml.Node), required ...string) {
	if n.Kind != yaml.MappingNode {
		p.add(n.Line, "%s is a mapping", what)
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		h, ok := keys[k.Value]
		if !ok {
			known := make([]string, 0, len(keys))
			for name := range keys {
				known = append(known, name)
			}
			slices.Sort(known)
			p.add(k.Line, "%s: unknown key %q (known: %s)", what, k.Value, strings.Join(known, ", "))
			continue
		}
		if seen[k.Value] {
			p.add(k.Line, "%s: %s is given twice", what, k.Value)
			continue
		}
		seen[k.Value] = true
		h(v)
	}
	for _, r := range required {
		if !seen[r] {
			p.add(n.Line, "%s: %s is missing", what, r)
		}
	}
}

func (p *yparser) scalar(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		p.add(n.Line, "%s is a single value, not a %s", what, kindName(n))
		return "", false
	}
	return n.Value, true
}

func (p *yparser) strings(n *yaml.Node, what string) []string {
	if n.Kind != yaml.SequenceNode {
		p.add(n.Line, "%s is a list of strings", what)
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		if s, ok := p.scalar(c, what+" item"); ok {
			out = append(out, s)
		}
	}
	return out
}

func (p *yparser) duration(n *yaml.Node) time.Duration {
	s, ok := p.scalar(n, "a duration")
	if !ok {
		return 0
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		p.add(n.Line, "%q is not a duration like 2s or 500ms", s)
	}
	return d
}

func (p *yparser) int(n *yaml.Node) int {
	s, ok := p.scalar(n, "a number")
	if !ok {
		return 0
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		p.add(n.Line, "%q is not a whole number", s)
	}
	return v
}

// rate reads 50, 50/s or 2.5/s.
func (p *yparser) rate(n *yaml.Node) float64 {
	s, ok := p.scalar(n, "a rate")
	if !ok {
		return 0
	}
	v, err := ParseRate(s)
	if err != nil {
		p.add(n.Line, "%v", err)
	}
	return v
}

// ParseRate reads a rate of requests per second: 50, 50/s or 2.5/s.
func ParseRate(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "/s"), 64)
	if err != nil || !(v > 0) || v > MaxRate {
		return 0, fmt.Errorf("rate %q is not a number of requests per second in (0, %d], like 50/s", s, MaxRate)
	}
	return v, nil
}

func (p *yparser) service(n *yaml.Node, s *Service) {
	p.mapping(n, "service", map[string]func(*yaml.Node){
		"command": func(v *yaml.Node) {
			if v.Kind == yaml.ScalarNode {
				words, err := SplitCommand(v.Value)
				if err != nil {
					p.add(v.Line, "service: %v", err)
				}
				s.Command = words
				return
			}
			s.Command = p.strings(v, "service: command")
		},
		"build": func(v *yaml.Node) { s.Build, _ = p.scalar(v, "service: build") },
		"args":  func(v *yaml.Node) { s.Args = p.strings(v, "service: args") },
		"env": func(v *yaml.Node) {
			if v.Kind != yaml.MappingNode {
				p.add(v.Line, "service: env is a mapping of NAME: value")
				return
			}
			for i := 0; i+1 < len(v.Content); i += 2 {
				val, _ := p.scalar(v.Content[i+1], "service: env value")
				s.Env = append(s.Env, v.Content[i].Value+"="+val)
			}
		},
		"dir":           func(v *yaml.Node) { s.Dir, _ = p.scalar(v, "service: dir") },
		"ready":         func(v *yaml.Node) { s.Ready, _ = p.scalar(v, "service: ready") },
		"ready_timeout": func(v *yaml.Node) { s.ReadyTimeout = p.duration(v) },
		"grace":         func(v *yaml.Node) { s.Grace = p.duration(v) },
	})
}

func (p *yparser) targets(n *yaml.Node) []Target {
	if n.Kind != yaml.SequenceNode {
		p.add(n.Line, "targets is a list: 'GET http://127.0.0.1:8080/path' or {method, url, headers, body, budgets}")
		return nil
	}
	var out []Target
	for _, c := range n.Content {
		if c.Kind == yaml.ScalarNode {
			t, err := ParseTarget(c.Value)
			if err != nil {
				p.add(c.Line, "%v", err)
			}
			t.Line = c.Line
			out = append(out, t)
			continue
		}
		t := Target{Method: http.MethodGet, Line: c.Line}
		p.mapping(c, "target", map[string]func(*yaml.Node){
			"method": func(v *yaml.Node) { t.Method, _ = p.scalar(v, "target: method") },
			"url":    func(v *yaml.Node) { t.URL, _ = p.scalar(v, "target: url") },
			"body":   func(v *yaml.Node) { b, _ := p.scalar(v, "target: body"); t.Body = []byte(b) },
			"headers": func(v *yaml.Node) {
				if v.Kind != yaml.MappingNode {
					p.add(v.Line, "target: headers is a mapping of Name: value")
					return
				}
				t.Header = http.Header{}
				for i := 0; i+1 < len(v.Content); i += 2 {
					val, _ := p.scalar(v.Content[i+1], "target: header value")
					t.Header.Add(v.Content[i].Value, val)
				}
			},
			"budgets": func(v *yaml.Node) { t.Budgets = p.budgets(v) },
		}, "url")
		if t.URL != "" {
			if err := t.validate(); err != nil {
				p.add(c.Line, "%v", err)
			}
		}
		out = append(out, t)
	}
	return out
}

func (p *yparser) budgets(n *yaml.Node) []Budget {
	if n.Kind != yaml.SequenceNode {
		p.add(n.Line, "budgets is a list like [\"p(95) < 200ms\", \"rate(errors) < 1%%\"]")
		return nil
	}
	var out []Budget
	for _, c := range n.Content {
		s, ok := p.scalar(c, "a budget")
		if !ok {
			continue
		}
		b, err := ParseTargetBudget(s)
		if err != nil {
			p.add(c.Line, "%v", err)
			continue
		}
		b.Line = c.Line
		out = append(out, b)
	}
	return out
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	}
	return "value"
}
