// Command ecsnet is a faithful twin of AWS ECS networking: it builds a
// system from a scenario file, an AWS snapshot or a template, tells whether
// and why traffic gets through, and serves an AWS-compatible endpoint.
package main

import (
	"os"

	"github.com/ecsnet/ecsnet/internal/cli"
)

func main() { os.Exit(cli.Main()) }
