// Command perfctl is a performance-governance CLI and CI gatekeeper for Go projects.
package main

import (
	"os"

	"github.com/perfctl/perfctl/cmd"
)

func main() { os.Exit(cmd.Main()) }
