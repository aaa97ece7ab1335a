package difftest

import (
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
)

// exampleFiles lists the scenario examples and the CloudFormation
// examples that load on their own (no parameters without defaults).
func exampleFiles(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, g := range []string{"seed/*.yaml", "failures/*.yaml", "tgw/*.yaml", "classic/*.yaml", "ipv6/*.yaml"} {
		m, _ := filepath.Glob(filepath.Join("..", "..", "..", "examples", g))
		m = slices.DeleteFunc(m, func(f string) bool { return strings.HasSuffix(f, ".cfn.yaml") })
		out = append(out, m...)
	}
	cf, _ := filepath.Glob(filepath.Join("..", "..", "..", "examples", "cfn", "*"))
	tcf, _ := filepath.Glob(filepath.Join("..", "..", "..", "examples", "tgw", "*.cfn.yaml"))
	ccf, _ := filepath.Glob(filepath.Join("..", "..", "..", "examples", "classic", "*.cfn.yaml"))
	cf = append(append(cf, tcf...), ccf...)
	for _, f := range cf {
		if _, err := cfn.Load(f, nil); err == nil {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		t.Fatal("no examples found")
	}
	// The disagreements found so far, kept as regressions.
	reg, _ := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	out = append(out, reg...)
	// The data plane's own Network Load Balancer files (every protocol,
	// preserved replies, group references), with generated probes.
	nlbs, _ := filepath.Glob(filepath.Join("..", "testdata", "nlb*.yaml"))
	// And its IPv6 file (every IPv6 piece).
	v6, _ := filepath.Glob(filepath.Join("..", "testdata", "ipv6.yaml"))
	nlbs = append(nlbs, v6...)
	// And its VPC Block Public Access files (each mode, each exclusion).
	bpa, _ := filepath.Glob(filepath.Join("..", "testdata", "bpa*.yaml"))
	nlbs = append(nlbs, bpa...)
	out = append(out, nlbs...)
	out = append(out, filepath.Join("..", "..", "reach", "testdata", "refused-reply.yaml"), filepath.Join("..", "..", "reach", "testdata", "udp-refused.yaml"),
		filepath.Join("..", "..", "reach", "testdata", "docker0-bip.yaml"), filepath.Join("..", "..", "reach", "testdata", "alb-zone-nacl.yaml"),
		filepath.Join("..", "..", "reach", "testdata", "two-interfaces.yaml"))
	if *flagExamples != "" {
		re, err := regexp.Compile(*flagExamples)
		if err != nil {
			t.Fatalf("-examples: %v", err)
		}
		out = slices.DeleteFunc(out, func(f string) bool { return !re.MatchString(f) })
		if len(out) == 0 {
			t.Fatalf("-examples %q matches no example file", *flagExamples)
		}
	}
	return out
}
