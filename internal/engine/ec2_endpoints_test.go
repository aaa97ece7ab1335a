package engine_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// endpointENIs returns the ENIs an endpoint manages, by subnet.
func endpointENIs(e *engine.Engine, id model.VpcEndpointID) map[model.SubnetID]*model.NetworkInterface {
	out := map[model.SubnetID]*model.NetworkInterface{}
	e.Read(func(st *model.State) {
		for _, n := range st.NetworkInterfaces {
			if n.ManagedBy == string(id) {
				out[n.SubnetID] = n
			}
		}
	})
	return out
}

func endpointRoutes(e *engine.Engine, rt model.RouteTableID) []model.Route {
	var out []model.Route
	e.Read(func(st *model.State) {
		for _, r := range st.RouteTables[rt].Routes {
			if r.Target == model.TargetVpcEndpoint {
				out = append(out, r)
			}
		}
	})
	return out
}

func TestGatewayEndpoint(t *testing.T) {
	f := newNetFixture(t, true)
	private := need(f.e.CreateRouteTable(f.vpc.ID, nil))
	ep := need(f.e.CreateVpcEndpoint(engine.CreateVpcEndpointInput{VpcID: f.vpc.ID, ServiceName: "com.amazonaws.us-east-1.s3",
		RouteTableIDs: []model.RouteTableID{f.vpc.MainRouteTable, private.ID}}))
	if ep.Type != "Gateway" || ep.State != "available" || ep.PrivateDNSEnabled || len(ep.NetworkInterfaces) != 0 {
		t.Errorf("endpoint = %+v", ep)
	}
	for _, rt := range []model.RouteTableID{f.vpc.MainRouteTable, private.ID} {
		got := endpointRoutes(f.e, rt)
		if len(got) != 1 || got[0].DestinationPrefixList != "pl-63a5400a" || got[0].TargetID != string(ep.ID) {
			t.Errorf("routes of %s = %+v", rt, got)
		}
	}
	failsCleanly(t, f.e, "RouteAlreadyExists", fmt.Sprintf("route table %s already has a route with destination-prefix-list-id pl-63a5400a", private.ID), func() error {
		_, err := f.e.CreateVpcEndpoint(engine.CreateVpcEndpointInput{VpcID: f.vpc.ID, ServiceName: "com.amazonaws.us-east-1.s3",
			RouteTableIDs: []model.RouteTableID{private.ID}})
		return err
	})
	failsCleanly(t, f.e, "DependencyViolation", fmt.Sprintf("The routeTable '%s' has dependencies and cannot be deleted.", private.ID), func() error {
		return f.e.DeleteRouteTable(private.ID)
	})
	// Move the endpoint off the private table.
	ep = need(f.e.ModifyVpcEndpoint(engine.ModifyVpcEndpointInput{ID: ep.ID, RemoveRouteTableIDs: []model.RouteTableID{private.ID}}))
	if len(endpointRoutes(f.e, private.ID)) != 0 || !slices.Equal(ep.RouteTables, []model.RouteTableID{f.vpc.MainRouteTable}) {
		t.Errorf("after removing the private table: %v", ep.RouteTables)
	}
	ntNoErr(t, f.e.DeleteRouteTable(private.ID))
	failed := need(f.e.DeleteVpcEndpoints([]model.VpcEndpointID{ep.ID, "vpce-0000000000000dead"}))
	if len(failed) != 1 || failed[0].ResourceID != "vpce-0000000000000dead" || failed[0].Code != "InvalidVpcEndpoint.NotFound" {
		t.Errorf("unsuccessful = %+v", failed)
	}
	if got := endpointRoutes(f.e, f.vpc.MainRouteTable); len(got) != 0 {
		t.Errorf("routes left after delete: %+v", got)
	}
}

func TestInterfaceEndpoint(t *testing.T) {
	f := newNetFixture(t, true)
	logs := "com.amazonaws.us-east-1.logs"
	failsCleanly(t, f.e, "InvalidParameter", fmt.Sprintf("Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for %s", f.vpc.ID), func() error {
		_, err := f.e.CreateVpcEndpoint(engine.CreateVpcEndpointInput{VpcID: f.vpc.ID, ServiceName: logs, Type: "Interface", SubnetIDs: []model.SubnetID{f.a.ID}})
		return err
	})
	yes := true
	ntNoErr(t, f.e.ModifyVpcAttribute(f.vpc.ID, nil, &yes))
	ep := need(f.e.CreateVpcEndpoint(engine.CreateVpcEndpointInput{VpcID: f.vpc.ID, ServiceName: logs, Type: "Interface",
		SubnetIDs: []model.SubnetID{f.a.ID, f.b.ID}}))
	if !ep.PrivateDNSEnabled || !slices.Equal(ep.SecurityGroups, []model.SecurityGroupID{f.vpc.DefaultSecurityGroup}) || len(ep.NetworkInterfaces) != 2 {
		t.Errorf("endpoint = %+v", ep)
	}
	enis := endpointENIs(f.e, ep.ID)
	for _, s := range []*model.Subnet{f.a, f.b} {
		n := enis[s.ID]
		if n == nil {
			t.Fatalf("no endpoint ENI in %s", s.ID)
		}
		if n.AvailabilityZone != s.AvailabilityZone || n.Type != model.InterfaceEndpoint || n.Description != "VPC Endpoint Interface "+string(ep.ID) ||
			!n.RequesterManaged || n.OwnerKind != model.OwnedByVpcEndpoint || !slices.Equal(n.SecurityGroups, ep.SecurityGroups) {
			t.Errorf("ENI in %s = %+v", s.ID, n)
		}
		if _, ok := n.PublicIP(); ok {
			t.Errorf("endpoint ENI %s has a public IP", n.ID)
		}
	}
	cases := []struct {
		name      string
		in        engine.CreateVpcEndpointInput
		code, msg string
	}{
		{"unknown service", engine.CreateVpcEndpointInput{VpcID: f.vpc.ID, ServiceName: "com.amazonaws.us-east-1.nope", Type: "Interface"},
			"InvalidServiceName", "The Vpc Endpoint Service 'com.amazonaws.us-east-1.nope' does not exist"},
		{"other region", engine.CreateVpcEndpointInput{VpcID: f.vpc.ID, ServiceName: "com.amazonaws.eu-west-1.logs", Type: "Interface"},
			"InvalidServiceName", "The Vpc Endpoint Service 'com.amazonaws.eu-west-1.logs' does not exist"},
		{"gateway by default", engine.CreateVpcEndpointInput{VpcID: f.vpc.ID, ServiceName: "com.amazonaws.us-east-1.ecr.dkr"},
			"InvalidParameter", "Endpoint type (Gateway) does not match available service types ([Interface])"},
		{"two subnets in one zone", engine.CreateVpcEndpointInput{VpcID: f.vpc.ID, ServiceName: "com.amazonaws.us-east-1.ecr.dkr", Type: "Interface",
			SubnetIDs: []model.SubnetID{f.a.ID, f.a2.ID}},
			"DuplicateSubnetsInSameZone", fmt.Sprintf("Found another VPC endpoint subnet in the availability zone of %s. VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service.", f.a.ID)},
		{"private dns taken", engine.CreateVpcEndpointInput{VpcID: f.vpc.ID, ServiceName: logs, Type: "Interface", SubnetIDs: []model.SubnetID{f.a2.ID}},
			"InvalidParameter", fmt.Sprintf("private-dns-enabled cannot be set because there is already a conflicting DNS domain for logs.us-east-1.amazonaws.com in the VPC %s", f.vpc.ID)},
		{"malformed vpc", engine.CreateVpcEndpointInput{VpcID: "vpc-XYZ", ServiceName: logs, Type: "Interface"},
			"InvalidVpcId.Malformed", "Invalid Id: 'vpc-XYZ' (expecting 'vpc-...; the Id may only contain lowercase alphanumeric characters and a single dash')"},
		{"unknown vpc", engine.CreateVpcEndpointInput{VpcID: "vpc-0000000000000dead", ServiceName: logs, Type: "Interface"},
			"InvalidVpcID.NotFound", "The vpc ID 'vpc-0000000000000dead' does not exist"},
		{"unknown subnet", engine.CreateVpcEndpointInput{VpcID: f.vpc.ID, ServiceName: "com.amazonaws.us-east-1.ecr.api", Type: "Interface",
			SubnetIDs: []model.SubnetID{"subnet-0000000000000dead"}},
			"InvalidSubnetID.NotFound", "The subnet ID 'subnet-0000000000000dead' does not exist"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			failsCleanly(t, f.e, c.code, c.msg, func() error {
				_, err := f.e.CreateVpcEndpoint(c.in)
				return err
			})
		})
	}
	// Without private DNS a second endpoint to the service is fine.
	no := false
	second := need(f.e.CreateVpcEndpoint(engine.CreateVpcEndpointInput{VpcID: f.vpc.ID, ServiceName: logs, Type: "Interface",
		SubnetIDs: []model.SubnetID{f.a2.ID}, PrivateDNSEnabled: &no, SecurityGroupIDs: []model.SecurityGroupID{f.sg.ID}}))
	if second.PrivateDNSEnabled {
		t.Error("PrivateDNSEnabled false was ignored")
	}

	// Modify: move from subnet a to a2's zone mate is refused; swap b for
	// nothing and change the groups on every ENI.
	failsCleanly(t, f.e, "DuplicateSubnetsInSameZone", fmt.Sprintf("Found another VPC endpoint subnet in the availability zone of %s. VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service.", f.a.ID), func() error {
		_, err := f.e.ModifyVpcEndpoint(engine.ModifyVpcEndpointInput{ID: ep.ID, AddSubnetIDs: []model.SubnetID{f.a2.ID}})
		return err
	})
	ep = need(f.e.ModifyVpcEndpoint(engine.ModifyVpcEndpointInput{ID: ep.ID, RemoveSubnetIDs: []model.SubnetID{f.b.ID},
		AddSecurityGroupIDs: []model.SecurityGroupID{f.sg.ID}, RemoveSecurityGroupIDs: []model.SecurityGroupID{f.vpc.DefaultSecurityGroup}}))
	enis = endpointENIs(f.e, ep.ID)
	if len(enis) != 1 || enis[f.a.ID] == nil || !slices.Equal(enis[f.a.ID].SecurityGroups, []model.SecurityGroupID{f.sg.ID}) {
		t.Errorf("after modify: subnets %v, ENIs %v", ep.Subnets, enis)
	}
	failsCleanly(t, f.e, "InvalidVpcEndpointId.NotFound", "The Vpc Endpoint Id 'vpce-0000000000000dead' does not exist", func() error {
		_, err := f.e.ModifyVpcEndpoint(engine.ModifyVpcEndpointInput{ID: "vpce-0000000000000dead", PrivateDNSEnabled: &yes})
		return err
	})
	failsCleanly(t, f.e, "InvalidVpcEndpointId.Malformed", "Invalid Id: 'vpce' (expecting 'vpce-...; the Id may only contain lowercase alphanumeric characters and a single dash')", func() error {
		_, err := f.e.DeleteVpcEndpoints([]model.VpcEndpointID{ep.ID, "vpce"})
		return err
	})
	failsCleanly(t, f.e, "DependencyViolation", fmt.Sprintf("The subnet '%s' has dependencies and cannot be deleted.", f.a.ID), func() error {
		return f.e.DeleteSubnet(f.a.ID)
	})
	if failed := need(f.e.DeleteVpcEndpoints([]model.VpcEndpointID{ep.ID, second.ID})); len(failed) != 0 {
		t.Errorf("unsuccessful = %+v", failed)
	}
	f.e.Read(func(st *model.State) {
		for _, n := range st.NetworkInterfaces {
			if n.OwnerKind == model.OwnedByVpcEndpoint {
				t.Errorf("endpoint ENI %s left behind", n.ID)
			}
		}
	})
	ntNoErr(t, f.e.DeleteSubnet(f.a.ID))
}

func TestVpcEndpointServices(t *testing.T) {
	e := engine.New(engine.WithIDs(engine.SeededIDs(1)))
	byName := map[string]engine.EndpointService{}
	for _, s := range e.VpcEndpointServices() {
		byName[s.Name] = s
	}
	for name, want := range map[string]struct {
		types []string
		dns   string
		base  string
	}{
		"com.amazonaws.us-east-1.s3":      {[]string{"Gateway", "Interface"}, "*.s3.us-east-1.amazonaws.com", "s3.us-east-1.vpce.amazonaws.com"},
		"com.amazonaws.us-east-1.ecr.dkr": {[]string{"Interface"}, "*.dkr.ecr.us-east-1.amazonaws.com", "dkr.ecr.us-east-1.vpce.amazonaws.com"},
		"com.amazonaws.us-east-1.ecr.api": {[]string{"Interface"}, "api.ecr.us-east-1.amazonaws.com", "api.ecr.us-east-1.vpce.amazonaws.com"},
		"com.amazonaws.us-east-1.logs":    {[]string{"Interface"}, "logs.us-east-1.amazonaws.com", "logs.us-east-1.vpce.amazonaws.com"},
		"com.amazonaws.us-east-1.ecs":     {[]string{"Interface"}, "ecs.us-east-1.amazonaws.com", "ecs.us-east-1.vpce.amazonaws.com"},
	} {
		s, ok := byName[name]
		if !ok {
			t.Errorf("%s missing", name)
			continue
		}
		if !slices.Equal(s.Types, want.types) || s.PrivateDNSName != want.dns || !slices.Equal(s.BaseEndpointDNSNames, []string{want.base}) || s.Owner != "amazon" {
			t.Errorf("%s = %+v", name, s)
		}
	}
	for _, svc := range []string{"ecs-agent", "ecs-telemetry", "secretsmanager", "ssm", "ssmmessages", "ec2messages", "sts", "kms", "elasticloadbalancing", "monitoring", "dynamodb", "sqs", "sns", "events", "lambda", "xray", "elasticfilesystem", "servicediscovery"} {
		if _, ok := byName["com.amazonaws.us-east-1."+svc]; !ok {
			t.Errorf("%s missing", svc)
		}
	}
}
