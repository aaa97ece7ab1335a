// Command gencodes writes the one table of explanation codes that ecsnet
// check's reports and docs/codes.md are made of: every code internal/reach
// declares (a constant Code… of a string), with its declaration's comment
// as what fails, and the words of supplement.go where a declaration has no
// comment, and how to fix it. Run it from the module's root after adding a
// code: go run ./internal/cli/gencodes
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	reachDir := flag.String("reach", "internal/reach", "the package whose codes are read")
	goOut := flag.String("go", "internal/cli/codes_gen.go", "the Go table to write")
	mdOut := flag.String("md", "docs/codes.md", "the documentation page to write")
	flag.Parse()
	codes, err := readCodes(*reachDir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencodes:", err)
		os.Exit(1)
	}
	for _, c := range codes {
		if c.Unsaid {
			fmt.Fprintf(os.Stderr, "gencodes: %s (%s) has no comment in %s and no words in supplement.go: its help is its name in words; say what fails\n", c.Code, c.Const, *reachDir)
		}
	}
	src, err := goTable(codes)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencodes:", err)
		os.Exit(1)
	}
	for path, b := range map[string][]byte{*goOut: src, *mdOut: markdown(codes)} {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gencodes:", err)
			os.Exit(1)
		}
	}
}
