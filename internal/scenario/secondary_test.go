package scenario_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// secondary_cidrs adds IPv4 blocks to a VPC (AssociateVpcCidrBlock): a
// subnet may use one, every route table routes it locally, and a block AWS
// refuses is an error at its line.
func TestSecondaryCIDRs(t *testing.T) {
	sc, err := scenario.Parse("sec.yaml", []byte(`
vpcs:
  main: {cidr: 10.0.0.0/16, secondary_cidrs: [100.64.0.0/16]}
subnets:
  a: {vpc: main, cidr: 10.0.1.0/24}
  b: {vpc: main, cidr: 100.64.1.0/24}
security_groups:
  sg:
    vpc: main
    ingress:
      - {protocol: tcp, ports: 8080, cidr: 10.0.0.0/16}
instances:
  client: {subnet: a, security_groups: [sg]}
  server: {subnet: b, security_groups: [sg]}
`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	st, _ := b.Engine.Snapshot()
	for _, rt := range st.RouteTables {
		if len(rt.Routes) != 2 {
			t.Errorf("route table %s: %d routes, want the local routes of both blocks", rt.ID, len(rt.Routes))
		}
	}
	n := reach.Compile(st)
	probe := func(from, to string) reach.Verdict {
		t.Helper()
		q, err := reach.NewQuery(n, from, to, "tcp")
		if err != nil {
			t.Fatal(err)
		}
		return reach.Probe(n, q).Verdict
	}
	// Nothing listens on the server: refused means the packet got there.
	if v := probe("client", "server:8080"); v != reach.Refused {
		t.Errorf("client -> server:8080 across the blocks: %s, want refused (reached, nothing listening)", v)
	}
	// The group admits only the primary block: the server in the secondary
	// block cannot reach the client.
	if v := probe("server", "client:8080"); v != reach.Timeout {
		t.Errorf("server -> client:8080: %s, want timeout (the group admits 10.0.0.0/16 only)", v)
	}

	for _, c := range []struct{ yaml, want string }{
		{"vpcs:\n  main:\n    cidr: 10.0.0.0/16\n    secondary_cidrs: [10.0.128.0/17]\n",
			"bad.yaml:4: vpc \"main\": InvalidVpc.Range: The CIDR '10.0.128.0/17' conflicts with the CIDR block 10.0.0.0/16 of vpc-"},
		{"vpcs:\n  main:\n    cidr: 10.0.0.0/16\n    secondary_cidrs: [10.1.0.0/29]\n",
			"bad.yaml:4: vpc \"main\": InvalidVpc.Range: The CIDR '10.1.0.0/29' is invalid."},
	} {
		sc, err := scenario.Parse("bad.yaml", []byte(c.yaml))
		if err == nil {
			_, err = sc.Build()
		}
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("got %v, want %s…", err, c.want)
		}
	}
}
