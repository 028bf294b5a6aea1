package bench

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Run with
//
//	go test -run '^$' -fuzz '^FuzzParseGoList$' -fuzztime 3m ./bench

// fuzzGoListSeeds are what go list -e -json=ImportPath,Dir,Name,TestGoFiles,XTestGoFiles,Error
// prints, and near misses.
var fuzzGoListSeeds = []string{
	`{
	"Dir": "/src/example/hook",
	"ImportPath": "example.com/m/hook",
	"Name": "hook",
	"TestGoFiles": [
		"bench_test.go",
		"hook_test.go"
	]
}
{
	"Dir": "/src/example/bench",
	"ImportPath": "example.com/m/bench",
	"Name": "bench",
	"TestGoFiles": [
		"run_test.go"
	],
	"XTestGoFiles": [
		"fuzz_test.go"
	]
}
`,
	`{
	"ImportPath": "./nothere",
	"Error": {
		"ImportStack": [],
		"Pos": "",
		"Err": "stat /src/example/nothere: directory not found"
	}
}
`,
	`{"Dir": "/src/x", "ImportPath": "x", "Name": "main"}` + "\n" + `{"ImportPath": "y", "Error": {"Err": "no Go files"}}`,
	`{"ImportPath": "x", "TestGoFiles": ["../../etc/passwd", "/abs_test.go"]}`,
	"", "null", "{}", "[]", "1", `"x"`, "{", `{"ImportPath": 1}`, `{"Error": null, "ImportPath": "a"}`,
	`{"ImportPath": "a"}{"ImportPath": "b"}`, `{"ImportPath": "a"} garbage`, `{"ImportPath": "a", "Error": {}}`,
	`{"ImportPath": "\u0000\ud800"}`, `{"importpath": "case"}`, `{"ImportPath": "a", "TestGoFiles": null}`,
}

func FuzzParseGoList(f *testing.F) {
	for _, s := range fuzzGoListSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<10 {
			return // see maxFuzzInput in fuzz_test.go
		}
		done := make(chan struct{})
		timer := time.AfterFunc(10*time.Second, func() {
			select {
			case <-done:
			default:
				panic(fmt.Sprintf("parseGoList did not finish within 10s on %q", data))
			}
		})
		defer func() { close(done); timer.Stop() }()

		pkgs, err := parseGoList(data)
		again, err2 := parseGoList(data)
		if fmt.Sprint(err) != fmt.Sprint(err2) || !reflect.DeepEqual(pkgs, again) {
			t.Fatalf("parseGoList is not deterministic: %v, %v then %v, %v", pkgs, err, again, err2)
		}
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("an error without a message: %#v", err)
			}
			var pe *PackageError
			if errors.As(err, &pe) {
				if pe.Msg == "" || pe.Hint == "" {
					t.Errorf("a package error without message or hint: %#v", pe)
				}
			} else if !strings.HasPrefix(err.Error(), "reading go list output: ") {
				t.Errorf("error %q: want a *PackageError or one that says it is go list's output", err)
			}
		}
		// Every package is a JSON object of the input: there are not more
		// of them than opening braces.
		if n := bytes.Count(data, []byte("{")); len(pkgs) > n {
			t.Errorf("%d packages from an input with %d '{'", len(pkgs), n)
		}
		for _, p := range pkgs {
			if p.ImportPath == "" {
				t.Errorf("a package without an import path: %+v (error %v)", p, err)
			}
			if p.Benchmarks != 0 {
				t.Errorf("parseGoList looked at the test files of %s", p.ImportPath)
			}
		}
	})
}
