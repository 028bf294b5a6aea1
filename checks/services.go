package checks

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/perfctl/perfctl/internal/services"
)

// serviceDoc is the YAML shape of one entry of services: (docs/services.md).
type serviceDoc struct {
	Name         string            `yaml:"name"`
	Command      serviceArgv       `yaml:"command"`
	Env          map[string]string `yaml:"env"`
	Dir          string            `yaml:"dir"`
	Ready        readyDoc          `yaml:"ready"`
	ReadyTimeout string            `yaml:"ready_timeout"`
	Export       map[string]string `yaml:"export"`
}

type readyDoc struct {
	TCP     string      `yaml:"tcp"`
	HTTP    string      `yaml:"http"`
	Command serviceArgv `yaml:"command"`
}

// serviceArgv is a program and its arguments: a list, never a string that
// something would have to split.
type serviceArgv []string

func (a *serviceArgv) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		// "line N: " lets the policy parser report the line.
		return fmt.Errorf("line %d: command: give the program and its arguments as a list, e.g. command: [redis-server, --port, '${port}'], not %q: perfctl runs no shell", n.Line, n.Value)
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return err
	}
	*a = list
	return nil
}

// parseServices parses the services: list of a policy into p.Services.
func parseServices(list *yaml.Node, p *Policy, ps *problems) {
	if list.Kind == 0 || (list.Kind == yaml.ScalarNode && list.Tag == "!!null") {
		return
	}
	if list.Kind != yaml.SequenceNode {
		ps.add(list.Line, "services: give a list of services, each with name, command and ready, not a %s", nodeKind(list))
		return
	}
	if len(list.Content) > 0 && !p.AllowCommands {
		ps.add(list.Line, "services run programs: allow them with 'allow_commands: true' at the top of the policy (and see docs/services.md#trust)")
		return
	}
	if len(list.Content) > services.MaxServices {
		ps.add(list.Line, "services: %d services; perfctl starts at most %d", len(list.Content), services.MaxServices)
		return
	}
	seen := map[string]int{}
	for _, n := range list.Content {
		if n.Kind != yaml.MappingNode {
			ps.add(n.Line, "a service is a mapping with name, command and ready, not a %s", nodeKind(n))
			continue
		}
		if !strictKeys(n, reflect.TypeFor[serviceDoc](), ps) {
			continue
		}
		var d serviceDoc
		if err := n.Decode(&d); err != nil {
			addDecodeError(ps, n, err)
			continue
		}
		s := services.Spec{Name: d.Name, Command: d.Command, Env: d.Env, Dir: d.Dir,
			Ready:  services.Probe{TCP: d.Ready.TCP, HTTP: d.Ready.HTTP, Command: d.Ready.Command},
			Export: d.Export, Line: n.Line}
		if d.Name == "" {
			ps.add(n.Line, "the service has no name")
			continue
		}
		if first, dup := seen[d.Name]; dup {
			ps.add(valueLine(n, "name"), "service name %q is used twice (first on line %d): names must be unique", d.Name, first)
			continue
		}
		seen[d.Name] = n.Line
		if d.ReadyTimeout != "" {
			t, err := time.ParseDuration(d.ReadyTimeout)
			if err != nil || t <= 0 {
				ps.add(valueLine(n, "ready_timeout"), "service %s: ready_timeout: %q is not a positive duration such as 30s or 2m", d.Name, d.ReadyTimeout)
				continue
			}
			s.ReadyTimeout = t
		}
		if err := s.Validate(); err != nil {
			key, _, _ := strings.Cut(err.Error(), ":")
			ps.add(valueLine(n, key), "service %s: %v", d.Name, err)
			continue
		}
		p.Services = append(p.Services, s)
	}
	p.servicesNode = list
}

// runsCode are the kinds whose checks run the module's code (its tests,
// benchmarks, a command or a service under load): the services start for
// them.
var runsCode = []string{"bench-compile", "budget", "regression", "coverage", "command", "load"}

// NeedsServices reports whether the policy has services and a check that
// is neither turned off (skip:) nor skipped by id (--skip) would run the
// module's code: only then does perfctl check start them.
func (p *Policy) NeedsServices(skipIDs []string) bool {
	if len(p.Services) == 0 {
		return false
	}
	for _, c := range p.Checks {
		if c.Skip == "" && !slices.Contains(skipIDs, c.ID) && slices.Contains(runsCode, c.Kind) {
			return true
		}
	}
	return false
}
