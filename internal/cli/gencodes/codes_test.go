package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// The committed table and page are what gencodes makes of internal/reach
// now: a code added there without running gencodes fails here, with the
// command that brings them up to date.
func TestGeneratedFilesCurrent(t *testing.T) {
	codes, err := readCodes("../../reach")
	if err != nil {
		t.Fatal(err)
	}
	src, err := goTable(codes)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string][]byte{"../codes_gen.go": src, "../../../docs/codes.md": markdown(codes)} {
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is not what internal/reach's codes make: run go run ./internal/cli/gencodes from the module's root", path)
		}
	}
}

// Every code internal/reach declares is in the table, with words that
// say what fails and how to fix it; the comments' leads are gone.
func TestEveryCodeHasHelp(t *testing.T) {
	codes, err := readCodes("../../reach")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range codes {
		seen[c.Code] = true
		if c.Unsaid {
			t.Errorf("%s (%s): no comment on its declaration and no words in supplement.go say what fails", c.Code, c.Const)
		}
		if c.What == "" || c.Fix == "" {
			t.Errorf("%s: what %q, fix %q", c.Code, c.What, c.Fix)
		}
		if strings.HasPrefix(c.What, "Code") {
			t.Errorf("%s: the comment's lead stayed: %q", c.Code, c.What)
		}
	}
	for _, want := range []string{"ECS_NO_LISTENER", "ENI_SG_RULES_MISMATCH", "ECS_SECRET_NOT_FOUND", "ECS_PRIVATE_ZONE_NOT_ASSOCIATED", "ECSNET_EXPECTATION", "ECSNET_SOURCE_ERROR"} {
		if !seen[want] {
			t.Errorf("%s is not in the table", want)
		}
	}
	if len(codes) < 140 {
		t.Errorf("%d codes read; internal/reach declares more than 140", len(codes))
	}
}

// A comment heading a block of constants ("Additional-detail codes") is
// no constant's meaning; a constant's own comment loses its lead.
func TestDocWhat(t *testing.T) {
	for doc, want := range map[string]string{
		"CodeNAT64 (a note): DNS64 and a NAT gateway carry it.\n":  "DNS64 and a NAT gateway carry it.",
		"CodeNoListener: nothing listens on the destination port.": "Nothing listens on the destination port.",
	} {
		if got, _ := docWhat(doc); got != want {
			t.Errorf("docWhat(%q) = %q, want %q", doc, got, want)
		}
	}
	if _, detail := docWhat("CodeNAT64 (a note): DNS64."); !detail {
		t.Error("a note is not a detail")
	}
}
