// Package services starts the programs that benchmarks need running beside
// them, such as a database, from the services: section of the policy:
// each in a process group of its own (internal/proc), with a data
// directory and a free loopback port of its own, until its readiness probe
// passes; it hands back the environment the benchmarks get (export:) and
// stops them all, with every process they started, and removes their
// directories.
//
// It is not for deciding whether a service may run: the policy's
// allow_commands and the operator's trust are checked by the caller
// (cmd), before Start.
package services

import (
	"errors"
	"fmt"
	"maps"
	"net"
	"net/netip"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A Spec is one service: how to start it, how to know it is ready and what
// it exports. Strings may hold the placeholders ${dir} (the service's data
// directory, new and empty) and ${port} (a free TCP port on 127.0.0.1)
// wherever Expand is applied: the command, env, the probe and export.
type Spec struct {
	Name    string            // unique, lower-case letters, digits and dashes
	Command []string          // the program and its arguments: no shell
	Env     map[string]string // added to the service's environment
	Dir     string            // working directory, relative to the module root ("" for the root)
	Ready   Probe
	// ReadyTimeout is how long the service has to become ready
	// (DefaultReadyTimeout when 0).
	ReadyTimeout time.Duration
	Export       map[string]string // added to the benchmarks' environment
	Line         int               // where the service starts in its policy file, for messages
}

// A Probe says when a service is ready; exactly one field is set.
type Probe struct {
	TCP     string   // host:port that accepts a connection
	HTTP    string   // URL that answers a GET with a 2xx status
	Command []string // a program that exits 0 (run in the service's environment and directory)
}

// Bounds on what a policy can ask for.
const (
	MaxServices         = 8
	DefaultReadyTimeout = 30 * time.Second
	MaxReadyTimeout     = 10 * time.Minute
)

var (
	namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	envPattern  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// reservedExport reports whether an exported variable would change how
// perfctl's own tools run rather than what the benchmarks read: the go
// command's and git's settings, the dynamic loader's, the search path,
// the files a shell reads at start.
func reservedExport(key string) bool {
	k := strings.ToUpper(key)
	for _, prefix := range []string{"GO", "CGO_", "GIT_", "LD_", "DYLD_", "PERFCTL_"} {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	switch k {
	case "PATH", "HOME", "TMPDIR", "CC", "CXX", "AR", "PKG_CONFIG", "XDG_CACHE_HOME", "XDG_CONFIG_HOME",
		"ENV", "BASH_ENV", "SHELLOPTS", "BASHOPTS", "IFS", "CDPATH", "PS4", "GCONV_PATH": // shells read these: command checks run sh -c
		return true
	}
	return false
}

// Validate reports the first problem of s that its types cannot say:
// names, the probe, placeholders, the timeout. The message names the key.
func (s *Spec) Validate() error {
	switch {
	case !namePattern.MatchString(s.Name):
		return fmt.Errorf("name: %q: use lower-case letters, digits and dashes", s.Name)
	case len(s.Command) == 0 || strings.TrimSpace(s.Command[0]) == "":
		return errors.New("command: give the program and its arguments as a list, e.g. command: [redis-server, --port, '${port}']")
	case s.ReadyTimeout < 0 || s.ReadyTimeout > MaxReadyTimeout:
		return fmt.Errorf("ready_timeout: %v is not between 0 and %v", s.ReadyTimeout, MaxReadyTimeout)
	}
	if s.Dir != "" {
		if d := filepath.FromSlash(s.Dir); filepath.IsAbs(d) || !filepath.IsLocal(d) {
			return fmt.Errorf("dir: %q must be a directory inside the module, relative to its root", s.Dir)
		}
	}
	for _, a := range s.Command {
		if err := checkTemplate(a); err != nil {
			return fmt.Errorf("command: %w", err)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s.Env)) { // sorted: the same input, the same first error
		v := s.Env[k]
		if !envPattern.MatchString(k) {
			return fmt.Errorf("env: %q is not a variable name", k)
		}
		if err := checkTemplate(v); err != nil {
			return fmt.Errorf("env: %s: %w", k, err)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s.Export)) {
		v := s.Export[k]
		if !envPattern.MatchString(k) {
			return fmt.Errorf("export: %q is not a variable name", k)
		}
		if reservedExport(k) {
			return fmt.Errorf("export: %s would change how perfctl's tools run (go, git, the loader): export the service's own settings, such as DATABASE_URL", k)
		}
		if err := checkTemplate(v); err != nil {
			return fmt.Errorf("export: %s: %w", k, err)
		}
	}
	return s.Ready.validate()
}

func (p *Probe) validate() error {
	n := 0
	for _, set := range []bool{p.TCP != "", p.HTTP != "", len(p.Command) > 0} {
		if set {
			n++
		}
	}
	if n != 1 {
		return errors.New("ready: give exactly one of tcp: HOST:PORT, http: URL or command: [program, args...]")
	}
	// The placeholders stand for a directory and a port: a port is enough
	// to see whether the address is well formed.
	sample := Values{Dir: "/tmp/d", Port: 1}
	switch {
	case p.TCP != "":
		if err := checkTemplate(p.TCP); err != nil {
			return fmt.Errorf("ready: tcp: %w", err)
		}
		if err := loopbackAddr(sample.Expand(p.TCP)); err != nil {
			return fmt.Errorf("ready: tcp: %w", err)
		}
	case p.HTTP != "":
		if err := checkTemplate(p.HTTP); err != nil {
			return fmt.Errorf("ready: http: %w", err)
		}
		if err := loopbackURL(sample.Expand(p.HTTP)); err != nil {
			return fmt.Errorf("ready: http: %w", err)
		}
	default:
		if strings.TrimSpace(p.Command[0]) == "" {
			return errors.New("ready: command: the program (the first item) is empty")
		}
		for _, a := range p.Command {
			if err := checkTemplate(a); err != nil {
				return fmt.Errorf("ready: command: %w", err)
			}
		}
	}
	return nil
}

// loopbackAddr checks that addr is host:port on this machine: the probe
// is for a service perfctl started, not for reaching out.
func loopbackAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return fmt.Errorf("%q is not HOST:PORT", addr)
	}
	if !loopbackHost(host) {
		return fmt.Errorf("%q is not a loopback address (127.0.0.1, ::1, localhost): a probe checks a service perfctl started here", addr)
	}
	return nil
}

func loopbackURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http:// or https:// URL", raw)
	}
	if !loopbackHost(u.Hostname()) {
		return fmt.Errorf("%q is not on a loopback address (127.0.0.1, ::1, localhost): a probe checks a service perfctl started here", raw)
	}
	return nil
}

func loopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}

// Values are what the placeholders stand for in one service.
type Values struct {
	Dir  string // ${dir}
	Port int    // ${port}
}

// Expand replaces ${dir} and ${port} in s. Nothing else is expanded: no
// other variables, no shell; a '$' not followed by one of them stays.
func (v Values) Expand(s string) string {
	if !strings.Contains(s, "${") {
		return s
	}
	return strings.NewReplacer("${dir}", v.Dir, "${port}", strconv.Itoa(v.Port)).Replace(s)
}

// checkTemplate rejects a "${" that does not start ${dir} or ${port}: a
// misspelt placeholder would otherwise reach the program as it is.
func checkTemplate(s string) error {
	rest := s
	for {
		i := strings.Index(rest, "${")
		if i < 0 {
			return nil
		}
		rest = rest[i:]
		if !strings.HasPrefix(rest, "${dir}") && !strings.HasPrefix(rest, "${port}") {
			end := strings.IndexByte(rest, '}')
			if end < 0 {
				end = len(rest) - 1
			}
			return fmt.Errorf("%q: %s is not a placeholder: the placeholders are ${dir} and ${port}", s, rest[:end+1])
		}
		rest = rest[2:]
	}
}
