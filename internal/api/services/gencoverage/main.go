// Command gencoverage writes docs/coverage.md: every operation of the
// services ecsnet emulates and whether it is implemented.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/awsproto"
)

func main() {
	out := flag.String("out", "docs/coverage.md", "file to write")
	flag.Parse()
	m, err := awsproto.LoadModels()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencoverage:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, services.CoverageMarkdown(m), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gencoverage:", err)
		os.Exit(1)
	}
}
