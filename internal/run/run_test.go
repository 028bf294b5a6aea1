package run

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestExec(t *testing.T) {
	out, err := Output(t.Context(), Exec{}, &Cmd{Args: []string{"sh", "-c", "echo out; echo err >&2"}})
	if err != nil || string(out) != "out\n" {
		t.Fatalf("Output = %q, %v", out, err)
	}
	_, err = Output(t.Context(), Exec{}, &Cmd{Args: []string{"sh", "-c", "echo broken >&2; exit 3"}})
	var exitErr *ExitError
	if !errors.As(err, &exitErr) || exitErr.Code != 3 || !strings.Contains(err.Error(), "broken") {
		t.Fatalf("err = %v, want exit status 3 with the command's stderr", err)
	}
	err = Exec{}.Run(t.Context(), &Cmd{Args: []string{"perfctl-no-such-program"}})
	var nf *NotFoundError
	if !errors.As(err, &nf) {
		t.Fatalf("err = %v, want *NotFoundError", err)
	}
	_, err = Output(t.Context(), Exec{}, &Cmd{Args: []string{"sh", "-c", "echo $PERFCTL_X"}, Env: []string{"PERFCTL_X=1"}, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
}

func TestExecInterrupts(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := Exec{}.Run(ctx, &Cmd{Args: []string{"sleep", "30"}})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the context's error", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("the process outlived its context by %v", time.Since(start))
	}
}

func TestWithEnv(t *testing.T) {
	r := WithEnv(Exec{}, []string{"PERFCTL_SVC=from-service", "PERFCTL_BOTH=service"})
	out, err := Output(t.Context(), r, &Cmd{Args: []string{"sh", "-c", "echo $PERFCTL_SVC $PERFCTL_BOTH"}, Env: []string{"PERFCTL_BOTH=command"}})
	if err != nil || string(out) != "from-service command\n" {
		t.Fatalf("Output = %q, %v: want the service's variable, and the command's own where both set one", out, err)
	}
	if _, wrapped := WithEnv(Exec{}, nil).(*envRunner); wrapped {
		t.Error("WithEnv without variables wraps the runner")
	}
}
