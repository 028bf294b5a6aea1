package load

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/service"
	"github.com/perfctl/perfctl/internal/usererr"
)

// Rounds of an A/B load test.
const (
	DefaultRounds = 10
	MaxRounds     = 30
)

// A Base is the other side of an A/B load test: the module root of the
// base revision, checked out in a worktree by the caller.
type Base struct {
	Root   string
	Label  string // e.g. "HEAD~1 (3f2c…)", for progress
	Rounds int    // 0 is DefaultRounds
}

// An ABResult is what an A/B load test measured: each side's rounds as
// benchfmt text (one line per target per round) and their comparison.
type ABResult struct {
	Base, Head []byte
	Comparison *bench.Comparison
}

// RunAB builds the service at base and at head, then runs them
// alternately (base first in even rounds, head first in odd ones, each
// started afresh and attacked on every target as Run does) for the
// rounds, and compares the two with bench.Compare's paired test on the
// per-round values: opts are the comparison's options (Paired is set).
// Only a service built from the module (Service.Build) can be compared: a
// command would run the same program on both sides.
func RunAB(ctx context.Context, req *Request, base *Base, opts bench.Options) (*ABResult, error) {
	spec := &req.Spec
	rounds := base.Rounds
	if rounds == 0 {
		rounds = DefaultRounds
	}
	if err := spec.Validate(); err != nil {
		return nil, &usererr.Error{Msg: "invalid load test", Details: strings.Split(err.Error(), "\n"),
			Hint: "docs/load.md describes the load: section and the flags of perfctl load"}
	}
	switch {
	case spec.Service.Build == "":
		return nil, usererr.New("comparing against a base revision needs a service built from the module (--build or service: build:)",
			"a --cmd or command: service runs the same program for base and head; build it from its package instead")
	case rounds < 2 || rounds > MaxRounds:
		return nil, usererr.New(fmt.Sprintf("%d rounds: give between 2 and %d", rounds, MaxRounds), "the paired test needs rounds: 10 is the default")
	case spec.plannedRequests()*float64(2*rounds) > MaxRequests:
		return nil, usererr.New(fmt.Sprintf("%d rounds of base and head would send about %.0f requests, more than %d", rounds, spec.plannedRequests()*float64(2*rounds), MaxRequests),
			"lower the rate, the duration, the warm-up or the rounds")
	}
	resolver := req.Resolver
	if resolver == nil {
		resolver = net.DefaultResolver
	}
	if !req.AllowRemote {
		if err := checkLocal(ctx, resolver, spec); err != nil {
			return nil, err
		}
	}
	tmp, err := os.MkdirTemp("", "perfctl-load-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	type side struct {
		name, root, bin string
		out             bytes.Buffer
	}
	sides := [2]*side{{name: "base", root: base.Root}, {name: "head", root: req.Root}}
	for _, sd := range sides {
		sd.bin = filepath.Join(tmp, sd.name)
		req.progress("building %s (%s)", spec.Service.Build, sd.name)
		if err := build(ctx, req.Runner, sd.root, spec.Service.Build, sd.bin); err != nil {
			return nil, err
		}
		if err := writeUnits(&sd.out); err != nil {
			return nil, err
		}
	}
	atk := newAttack(spec, resolver, req.AllowRemote)
	defer atk.client.CloseIdleConnections()
	for r := range rounds {
		order := []*side{sides[0], sides[1]}
		if r%2 == 1 {
			order[0], order[1] = order[1], order[0]
		}
		for _, sd := range order {
			req.progress("round %d/%d: %s", r+1, rounds, sd.name)
			results, err := measureSide(ctx, req, atk, append([]string{sd.bin}, spec.Service.Args...), sd.root, ", "+sd.name)
			if err != nil {
				return nil, err
			}
			if err := writeResults(&sd.out, results); err != nil {
				return nil, err
			}
		}
	}
	res := &ABResult{Base: sides[0].out.Bytes(), Head: sides[1].out.Bytes()}
	baseSet, err := bench.Read(bytes.NewReader(res.Base), "base")
	if err != nil {
		return nil, err
	}
	headSet, err := bench.Read(bytes.NewReader(res.Head), "head")
	if err != nil {
		return nil, err
	}
	opts.Paired = true
	if res.Comparison, err = bench.Compare(baseSet, headSet, opts); err != nil {
		return nil, err
	}
	return res, nil
}

// measureSide starts one side's service, attacks every target and stops
// it; connections to it are closed, so the next side starts afresh.
func measureSide(ctx context.Context, req *Request, atk *attack, argv []string, root, label string) ([]*TargetResult, error) {
	svc, err := startOne(ctx, req, argv, root, label)
	if err != nil {
		return nil, err
	}
	defer atk.client.CloseIdleConnections()
	results, err := measure(ctx, req, atk, svc)
	if serr := stop(svc); err == nil {
		err = serr
	}
	return results, err
}

func stop(p *service.Process) error { return p.Stop() }
