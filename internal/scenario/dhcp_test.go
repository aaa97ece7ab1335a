package scenario_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/scenario"
)

// dhcp_options: the set is created with its options and associated with
// each VPC listed; forwards_to_resolver false marks its servers as not
// forwarding private hosted zones; a bad option value is AWS's error with
// the file's line.
func TestDhcpOptions(t *testing.T) {
	sc, err := scenario.Parse("d.yaml", []byte(`
vpcs:
  a: {cidr: 10.0.0.0/16}
  b: {cidr: 10.1.0.0/16}
dhcp_options:
  corp: {domain_name: corp.example.com, domain_name_servers: [10.20.0.10], vpcs: [a], forwards_to_resolver: false}
  plain: {domain_name_servers: [10.20.0.10], vpcs: [b]}
`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	st, _ := b.Engine.Snapshot()
	for _, v := range st.VPCs {
		d := st.DhcpOptions[v.DhcpOptions]
		if d == nil {
			t.Fatalf("VPC %s uses no set", v.Tags.Name())
		}
		switch v.Tags.Name() {
		case "a":
			if d.Tags.Name() != "corp" || !slices.Equal(d.Options["domain-name-servers"], []string{"10.20.0.10"}) ||
				!slices.Equal(d.Options["domain-name"], []string{"corp.example.com"}) || !d.NoResolverForwarding {
				t.Errorf("VPC a's set %+v, want corp with its servers, its domain name, not forwarding", d)
			}
		case "b":
			if d.Tags.Name() != "plain" || d.NoResolverForwarding {
				t.Errorf("VPC b's set %+v, want plain, forwarding (the default)", d)
			}
		}
	}
	sc, err = scenario.Parse("e.yaml", []byte(`
vpcs:
  a: {cidr: 10.0.0.0/16}
dhcp_options:
  bad: {domain_name_servers: [1.1.1.1, 1.0.0.1, 8.8.8.8, 8.8.4.4, 9.9.9.9], vpcs: [a]}
`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sc.Build(); err == nil || !strings.Contains(err.Error(), `e.yaml:5: dhcp options "bad"`) || !strings.Contains(err.Error(), "at most 4 addresses") {
		t.Errorf("err %v, want the line and AWS's InvalidParameterValue", err)
	}
}
