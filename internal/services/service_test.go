package services

import (
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/perfctl/perfctl/internal/proc"
	"github.com/perfctl/perfctl/internal/usererr"
)

// TestMain lets the test binary be the service: with
// PERFCTL_SERVICE_HELPER set it serves as that says and never returns.
func TestMain(m *testing.M) {
	if mode := os.Getenv("PERFCTL_SERVICE_HELPER"); mode != "" {
		helper(mode)
	}
	os.Exit(m.Run())
}

// helper is a service: "tcp" listens on $PORT, "http" serves 200 on
// $PORT, "quiet" prints and never listens, "crash" prints and exits 3.
func helper(mode string) {
	fmt.Println("helper starting", mode, "seen", os.Getenv("SEEN"))
	if f := os.Getenv("PIDFILE"); f != "" {
		_ = os.WriteFile(f, fmt.Appendf(nil, "%d\n", os.Getpid()), 0o644)
	}
	switch mode {
	case "crash":
		fmt.Fprintln(os.Stderr, "fatal: cannot open the data directory")
		os.Exit(3)
	case "brief":
		go func() {
			time.Sleep(300 * time.Millisecond)
			fmt.Println("lost the disk")
			os.Exit(4)
		}()
	case "quiet":
		for i := 0; ; i++ {
			fmt.Println("waiting", i)
			time.Sleep(20 * time.Millisecond)
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:"+os.Getenv("PORT")) //nolint:noctx // a test's server
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	if mode == "http" {
		_ = http.Serve(l, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })) //nolint:gosec // a test's server
	}
	for {
		c, err := l.Accept()
		if err == nil {
			c.Close()
		}
	}
}

func helperSpec(t *testing.T, name, mode string) Spec {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return Spec{Name: name, Command: []string{exe},
		Env:   map[string]string{"PERFCTL_SERVICE_HELPER": mode, "PORT": "${port}", "PIDFILE": "${dir}/pid"},
		Ready: Probe{TCP: "127.0.0.1:${port}"}, ReadyTimeout: 10 * time.Second,
		Export: map[string]string{strings.ToUpper(name) + "_ADDR": "127.0.0.1:${port}", strings.ToUpper(name) + "_DIR": "${dir}"}}
}

func lookup(env []string, key string) string {
	for _, kv := range env {
		if k, v, _ := strings.Cut(kv, "="); k == key {
			return v
		}
	}
	return ""
}

func TestStartExportsAndStops(t *testing.T) {
	db := helperSpec(t, "db", "tcp")
	web := helperSpec(t, "web", "http")
	web.Ready = Probe{HTTP: "http://127.0.0.1:${port}/health"}
	web.Env["SEEN"] = "seen" // the service before it exports DB_ADDR: it is in web's environment
	probe := helperSpec(t, "probed", "tcp")
	probe.Ready = Probe{Command: []string{"sh", "-c", `test -s "$0/pid"`, "${dir}"}}
	var log strings.Builder
	set, err := Start(t.Context(), []Spec{db, web, probe}, Options{Root: t.TempDir(), Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	env := set.Env()
	addr, dir := lookup(env, "DB_ADDR"), lookup(env, "DB_DIR")
	if addr == "" || dir == "" || lookup(env, "WEB_ADDR") == "" || lookup(env, "PROBED_ADDR") == "" {
		t.Fatalf("Env = %q: an export is missing", env)
	}
	c, err := net.Dial("tcp", addr) //nolint:noctx // a test
	if err != nil {
		t.Fatalf("the exported address %s does not answer: %v", addr, err)
	}
	c.Close()
	var pids []int
	for _, r := range set.running {
		pids = append(pids, r.group.Pid())
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Fatalf("the data directory %s: %v", dir, err)
	}
	set.Stop()
	for _, pid := range pids {
		if proc.Alive(pid) {
			t.Errorf("pid %d outlived Stop", pid)
		}
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the data directory %s outlived Stop: %v", dir, err)
	}
	if n := strings.Count(log.String(), " ready in "); n != 3 {
		t.Errorf("log:\n%s\nwant a line per service ready", log.String())
	}
	set.Stop() // twice is harmless
}

func TestStartFailures(t *testing.T) {
	for _, tc := range []struct {
		name, mode string
		timeout    time.Duration
		want       string
		details    string
	}{
		{"never-ready", "quiet", 500 * time.Millisecond, "was not ready within 500ms (tcp 127.0.0.1:", "waiting"},
		{"crashes", "crash", 10 * time.Second, "exited before it was ready (tcp 127.0.0.1:", "fatal: cannot open the data directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first := helperSpec(t, "first", "tcp")
			spec := helperSpec(t, "second", tc.mode)
			spec.ReadyTimeout = tc.timeout
			tmp := t.TempDir()
			first.Env["PIDFILE"] = filepath.Join(tmp, "first.pid")
			spec.Env["PIDFILE"] = filepath.Join(tmp, "second.pid")
			_, err := Start(t.Context(), []Spec{first, spec}, Options{Root: t.TempDir()})
			var ue *usererr.Error
			if !errors.As(err, &ue) || !strings.Contains(ue.Msg, tc.want) {
				t.Fatalf("err = %v, want a *usererr.Error saying %q", err, tc.want)
			}
			if !slices.ContainsFunc(ue.Details, func(s string) bool { return strings.Contains(s, tc.details) }) {
				t.Errorf("details %q do not have the service's output %q", ue.Details, tc.details)
			}
			for _, f := range []string{"first.pid", "second.pid"} {
				data, err := os.ReadFile(filepath.Join(tmp, f))
				if err != nil {
					t.Fatal(err)
				}
				var pid int
				if _, err := fmt.Sscan(string(data), &pid); err != nil {
					t.Fatal(err)
				}
				if proc.Alive(pid) {
					t.Errorf("%s: pid %d outlived the failure", f, pid)
				}
			}
		})
	}
}

func TestStopSaysWhenAServiceDied(t *testing.T) {
	var log strings.Builder
	set, err := Start(t.Context(), []Spec{helperSpec(t, "brief", "brief")}, Options{Root: t.TempDir(), Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-set.running[0].group.Exited():
	case <-time.After(10 * time.Second):
		t.Fatal("the service did not exit")
	}
	set.Stop()
	if !strings.Contains(log.String(), "perfctl: service brief exited while it was needed (exit status 4)\n    helper starting brief") ||
		!strings.Contains(log.String(), "lost the disk") {
		t.Errorf("log:\n%s\nwant the service's exit and its last lines", log.String())
	}
}

func TestStartMissingProgram(t *testing.T) {
	spec := Spec{Name: "gone", Command: []string{"perfctl-no-such-server"}, Ready: Probe{TCP: "127.0.0.1:${port}"}}
	_, err := Start(t.Context(), []Spec{spec}, Options{Root: t.TempDir()})
	var ue *usererr.Error
	if !errors.As(err, &ue) || !strings.Contains(ue.Msg, "cannot start perfctl-no-such-server") {
		t.Fatalf("err = %v", err)
	}
}

func TestValidate(t *testing.T) {
	ok := Spec{Name: "pg", Command: []string{"postgres", "-p", "${port}", "-D", "${dir}/data"},
		Env: map[string]string{"PGDATA": "${dir}"}, Ready: Probe{TCP: "127.0.0.1:${port}"},
		Export: map[string]string{"DATABASE_URL": "postgres://127.0.0.1:${port}/db?x=$HOME"}}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid spec: %v", err)
	}
	for _, tc := range []struct {
		edit func(*Spec)
		want string
	}{
		{func(s *Spec) { s.Name = "Pg" }, "name"},
		{func(s *Spec) { s.Command = nil }, "command: give the program"},
		{func(s *Spec) { s.Command = []string{" "} }, "command: give the program"},
		{func(s *Spec) { s.Command = []string{"x", "${data}"} }, "${data} is not a placeholder"},
		{func(s *Spec) { s.Command = []string{"x", "${port"} }, "${port is not a placeholder"},
		{func(s *Spec) { s.Env = map[string]string{"A B": "1"} }, `env: "A B" is not a variable name`},
		{func(s *Spec) { s.Export = map[string]string{"GOFLAGS": "-toolexec=x"} }, "export: GOFLAGS would change"},
		{func(s *Spec) { s.Export = map[string]string{"LD_PRELOAD": "x.so"} }, "export: LD_PRELOAD"},
		{func(s *Spec) { s.Export = map[string]string{"path": "/x"} }, "export: path"},
		{func(s *Spec) { s.Export = map[string]string{"BASH_ENV": "/x"} }, "export: BASH_ENV"},
		{func(s *Spec) { s.Dir = "../up" }, "dir:"},
		{func(s *Spec) { s.Dir = "/abs" }, "dir:"},
		{func(s *Spec) { s.ReadyTimeout = time.Hour }, "ready_timeout"},
		{func(s *Spec) { s.Ready = Probe{} }, "exactly one"},
		{func(s *Spec) { s.Ready.HTTP = "http://127.0.0.1/" }, "exactly one"},
		{func(s *Spec) { s.Ready = Probe{TCP: "10.0.0.1:${port}"} }, "not a loopback address"},
		{func(s *Spec) { s.Ready = Probe{TCP: "db.example.com:5432"} }, "not a loopback address"},
		{func(s *Spec) { s.Ready = Probe{TCP: "127.0.0.1"} }, "not HOST:PORT"},
		{func(s *Spec) { s.Ready = Probe{HTTP: "http://example.com/"} }, "not on a loopback address"},
		{func(s *Spec) { s.Ready = Probe{HTTP: "file:///etc/passwd"} }, "not an http"},
		{func(s *Spec) { s.Ready = Probe{Command: []string{""}} }, "ready: command: the program"},
	} {
		s := ok
		s.Env, s.Export = maps.Clone(ok.Env), maps.Clone(ok.Export)
		tc.edit(&s)
		if err := s.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want %q", s, err, tc.want)
		}
	}
	for _, addr := range []string{"[::1]:${port}", "localhost:5432", "127.0.0.2:1"} {
		s := ok
		s.Ready = Probe{TCP: addr}
		if err := s.Validate(); err != nil {
			t.Errorf("tcp %s: %v", addr, err)
		}
	}
}

func TestExpand(t *testing.T) {
	v := Values{Dir: "/tmp/x", Port: 5432}
	for in, want := range map[string]string{
		"${dir}/data":                     "/tmp/x/data",
		"host=${dir} port=${port}":        "host=/tmp/x port=5432",
		"$HOME and $${port} and ${other}": "$HOME and $5432 and ${other}",
		"plain":                           "plain",
	} {
		if got := v.Expand(in); got != want {
			t.Errorf("Expand(%q) = %q, want %q", in, got, want)
		}
	}
}
