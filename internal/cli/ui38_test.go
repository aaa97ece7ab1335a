package cli

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// An exposure with nothing public says what that means and the next step
// (a probe that runs), not a bare "0 ways in from the internet".
func TestExposureEmptySaysWhatNext(t *testing.T) {
	code, out, errs := run(t, "exposure", "examples/failures/awsvpc-host-port-gone.yaml", "-q")
	if code != ExitOK || !strings.HasPrefix(out, "0 ways in from the internet\n") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, "Nothing in this system answers a client on the internet") {
		t.Errorf("no meaning said:\n%s", out)
	}
	m := regexp.MustCompile(`hop by hop with verified fixes: ecsnet (probe .+)\n`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no next step:\n%s", out)
	}
	if !strings.Contains(m[1], "--to metrics") {
		t.Errorf("next step %q does not name the system's service", m[1])
	}
	pcode, pout, perrs := run(t, append(strings.Fields(m[1]), "-q")...)
	if pcode != ExitOK && pcode != ExitFailed || !strings.HasPrefix(pout, "internet") {
		t.Errorf("%s: exit %d\n%s%s", m[1], pcode, pout, perrs)
	}
}

// An exposure with entry points that fail (and none that work) keeps its
// own next step and no word of "nothing public".
func TestExposureOnlyFailingKeepsItsNextStep(t *testing.T) {
	code, out, errs := run(t, "exposure", "examples/failures/alb-private-subnets.yaml", "-q")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if strings.Contains(out, "Nothing in this system answers") || !strings.Contains(out, "verified fixes: ecsnet probe") {
		t.Errorf("wrong next step:\n%s", out)
	}
	if strings.Contains(out, "\n\n\n") {
		t.Errorf("two blank lines:\n%q", out)
	}
}

// The web UI's findings say where the SOURCE defines each resource, as
// ecsnet check prints them (examples/seed/article.yaml:62 for web/0).
func TestUIFindingsSayFileLine(t *testing.T) {
	url := startUI(t, uiOptions{Source: "../../examples/seed/article.yaml"})
	resp, err := http.Get(url + "api/topology")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var topo struct {
		Findings []struct {
			Code string `json:"code"`
			File string `json:"file"`
			Line int    `json:"line"`
		} `json:"findings"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&topo); err != nil || resp.StatusCode != 200 {
		t.Fatalf("status %d, %v", resp.StatusCode, err)
	}
	found := false
	for _, f := range topo.Findings {
		if f.Code == "ECS_AWSVPC_PUBLIC_INSTANCE" {
			found = true
			if !strings.HasSuffix(f.File, "examples/seed/article.yaml") || f.Line != 62 {
				t.Errorf("%s at %s:%d, want examples/seed/article.yaml:62", f.Code, f.File, f.Line)
			}
		}
	}
	if !found {
		t.Fatalf("no ECS_AWSVPC_PUBLIC_INSTANCE among %+v", topo.Findings)
	}
}
