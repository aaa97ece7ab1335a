package scenario

import (
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TestLaunchTemplateMoreInterfaces: a launch template's more_interfaces
// give every instance an Auto Scaling group launches from it a second
// network interface (device index 1) in the group's subnet (none given)
// with its own groups, and no public IPv4 address; an unknown subnet is an
// error at the interface's line.
func TestLaunchTemplateMoreInterfaces(t *testing.T) {
	const src = `name: lt-interfaces
vpcs:
  main: {cidr: 10.0.0.0/16, internet_gateway: igw}
subnets:
  a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a, public_ip_on_launch: true}
security_groups:
  node-sg: {vpc: main}
  mgmt-sg: {vpc: main}
launch_templates:
  node:
    instance_type: m5.large
    security_groups: [node-sg]
    more_interfaces:
      - {SUBNET security_groups: [mgmt-sg]}
auto_scaling_groups:
  nodes: {launch_template: node, desired: 1, subnets: [a]}
`
	sc, err := Parse("lt.yaml", []byte(strings.Replace(src, "SUBNET ", "", 1)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	st, _ := b.Engine.Snapshot()
	var inst *model.Instance
	for _, i := range st.Instances {
		inst = i
	}
	if inst == nil {
		t.Fatal("the group launched no instance")
	}
	var second *model.NetworkInterface
	for _, n := range st.NetworkInterfaces {
		if n.Attachment != nil && n.Attachment.InstanceID == inst.ID && n.Attachment.DeviceIndex == 1 {
			second = n
		}
	}
	sub := st.Subnets[inst.SubnetID]
	if second == nil || second.SubnetID != inst.SubnetID || sub == nil {
		t.Fatalf("no second interface in the instance's subnet: %+v", second)
	}
	var mgmt model.SecurityGroupID
	for _, g := range st.SecurityGroups {
		if g.Name == "mgmt-sg" {
			mgmt = g.ID
		}
	}
	if mgmt == "" || !slices.Equal(second.SecurityGroups, []model.SecurityGroupID{mgmt}) {
		t.Errorf("second interface's groups %v, want mgmt-sg (%s)", second.SecurityGroups, mgmt)
	}
	if p := st.NetworkInterfaces[inst.PrimaryENI]; p == nil {
		t.Error("no primary interface")
	} else if ip, ok := p.PublicIP(); ok {
		t.Errorf("an instance with two interfaces got a public IPv4 address %s", ip)
	}
	sc, err = Parse("lt.yaml", []byte(strings.Replace(src, "SUBNET ", "subnet: nowhere, ", 1)))
	if err == nil {
		_, err = sc.Build()
	}
	if err == nil || !strings.Contains(err.Error(), "lt.yaml:14:") || !strings.Contains(err.Error(), "nowhere") {
		t.Errorf("unknown subnet: err = %v", err)
	}
}
