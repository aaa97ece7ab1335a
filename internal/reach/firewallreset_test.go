package reach

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A firewall's reject answers a TCP flow with a reset, which crosses the
// network ACLs on its way back to the client as any packet does (network
// ACLs are stateless and filter every packet entering a subnet): an ACL
// of the client's subnet that denies it leaves the client waiting, a
// timeout; one that admits it, refused. Found by the data plane's
// differential test (seed 688 of the firewall stream): the kernel timed
// out where the analyzer said refused.
func TestFirewallRejectResetThroughACL(t *testing.T) {
	const sys = `name: fw-reset
vpcs:
  app: {cidr: 10.1.0.0/16, internet_gateway: igw}
subnets:
  client: {vpc: app, cidr: 10.1.2.0/24, az: us-east-1b, route_table: client, network_acl: client}
  fw: {vpc: app, cidr: 10.1.250.0/28, az: us-east-1b}
route_tables:
  client:
    vpc: app
    routes: [{destination: 0.0.0.0/0, target: "fw0:us-east-1b"}]
firewalls:
  fw0:
    vpc: app
    subnets: [fw]
    stateful_rules:
      - {action: reject, protocol: tcp, ports: 54}
network_acls:
  client:
    vpc: app
    ingress: [INGRESS]
    egress:
      - {rule: 100, protocol: all, cidr: 0.0.0.0/0, action: allow}
security_groups:
  sg: {vpc: app, ingress: []}
instances:
  i0: {subnet: client, instance_type: t3.micro, security_groups: [sg]}
`
	for _, tc := range []struct {
		ingress string
		want    Verdict
	}{
		{"{rule: 100, protocol: udp, ports: 53, cidr: 0.0.0.0/0, action: allow}", Timeout},
		{"{rule: 100, protocol: tcp, ports: 1024-65535, cidr: 0.0.0.0/0, action: allow}", Refused},
	} {
		f := filepath.Join(t.TempDir(), "fw-reset.yaml")
		if err := os.WriteFile(f, []byte(strings.Replace(sys, "INGRESS", tc.ingress, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		n := compileEngine(build(t, f))
		r := probeSpec(t, n, "i0", "10.2.3.4:54", "tcp")
		if tc.want == Timeout {
			check(t, r, Timeout, CodeSubnetACLRestriction)
		} else {
			check(t, r, Refused, CodeNetworkFirewallDrop)
		}
	}
}
