package server_test

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/ecsnet/ecsnet/internal/scenario"
)

// Network Insights on a dual-stack system (examples/ipv6/dual-stack.yaml),
// through the SDK. Reachability Analyzer analyzes IPv4 and takes IPv4
// addresses only: an IPv6 SourceIp, DestinationIp or filter address is
// refused as AWS refuses it. A path between resources that is not found
// over IPv4 is analyzed again over IPv6: the internet gateway to the web
// task's ENI (no public IPv4 address) is not found, with RA's
// IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS, and ECS_IPV6_PATH_FOUND gives
// the task's IPv6 address; the worker's ENI, behind an egress-only
// gateway, is not found either way.
func TestNetworkInsightsIPv6(t *testing.T) {
	em := newEmulator(t, nil)
	sc, err := scenario.Load("../../examples/ipv6/dual-stack.yaml")
	must(t, err)
	must(t, em.srv.LoadScenario(sc))
	c := sdkClients(em.URL)
	e := c.ec2

	igws, err := e.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{Filters: []ec2types.Filter{{Name: aws.String("tag:Name"), Values: []string{"igw"}}}})
	must(t, err)
	if len(igws.InternetGateways) != 1 {
		t.Fatalf("%d internet gateways named igw", len(igws.InternetGateways))
	}
	igw := aws.ToString(igws.InternetGateways[0].InternetGatewayId)
	taskENI := func(service string) (string, netip.Addr) {
		l, err := c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("demo"), ServiceName: &service})
		must(t, err)
		d, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("demo"), Tasks: l.TaskArns})
		must(t, err)
		var eni string
		for _, kv := range d.Tasks[0].Attachments[0].Details {
			if aws.ToString(kv.Name) == "networkInterfaceId" {
				eni = aws.ToString(kv.Value)
			}
		}
		n, err := e.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{eni}})
		must(t, err)
		if len(n.NetworkInterfaces[0].Ipv6Addresses) == 0 {
			t.Fatalf("the %s task's ENI %s has no IPv6 address", service, eni)
		}
		return eni, netip.MustParseAddr(aws.ToString(n.NetworkInterfaces[0].Ipv6Addresses[0].Ipv6Address))
	}
	web, webV6 := taskENI("web")
	worker, _ := taskENI("worker")

	an := analyze(t, e, igw, web)
	if aws.ToBool(an.NetworkPathFound) || explanation(an, "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS") == nil {
		t.Errorf("igw -> web task ENI:3000: found %v, explanations %s; want RA's IPv4 answer", aws.ToBool(an.NetworkPathFound), codes(an))
	}
	x := explanation(an, "ECS_IPV6_PATH_FOUND")
	if x == nil || aws.ToString(x.Address) != webV6.String() || aws.ToString(x.Component.Id) != web || aws.ToInt32(x.Port) != 3000 {
		t.Errorf("igw -> web task ENI:3000: ECS_IPV6_PATH_FOUND %+v, want the task's IPv6 address %s", x, webV6)
	}
	an = analyzePort(t, e, igw, worker, 8080)
	if aws.ToBool(an.NetworkPathFound) || explanation(an, "ECS_IPV6_PATH_FOUND") != nil {
		t.Errorf("igw -> worker task ENI:8080: found %v, explanations %s; want not found over IPv4 or IPv6", aws.ToBool(an.NetworkPathFound), codes(an))
	}
	// Out to the internet: the worker reaches it over IPv6 through the
	// egress-only gateway, over IPv4 through the NAT gateway: found, and
	// nothing to add.
	an = analyzePort(t, e, worker, igw, 443)
	if !aws.ToBool(an.NetworkPathFound) || explanation(an, "ECS_IPV6_PATH_FOUND") != nil {
		t.Errorf("worker -> igw:443: found %v, explanations %s", aws.ToBool(an.NetworkPathFound), codes(an))
	}

	// IPv6 addresses are refused where the API takes an IpAddress.
	v6 := webV6.String()
	for _, c := range []struct {
		in    *ec2.CreateNetworkInsightsPathInput
		param string
		addr  string
	}{
		{&ec2.CreateNetworkInsightsPathInput{Source: &igw, DestinationIp: &v6, Protocol: ec2types.ProtocolTcp}, "DestinationIp", v6},
		{&ec2.CreateNetworkInsightsPathInput{Source: &igw, Destination: &web, SourceIp: aws.String("2001:db8::7"), Protocol: ec2types.ProtocolTcp}, "SourceIp", "2001:db8::7"},
		{&ec2.CreateNetworkInsightsPathInput{Source: &igw, Destination: &web, Protocol: ec2types.ProtocolTcp,
			FilterAtDestination: &ec2types.PathRequestFilter{DestinationAddress: &v6}}, "DestinationAddress", v6},
		{&ec2.CreateNetworkInsightsPathInput{Source: &igw, Destination: &web, Protocol: ec2types.ProtocolTcp,
			FilterAtSource: &ec2types.PathRequestFilter{SourceAddress: aws.String("2001:db8::7")}}, "SourceAddress", "2001:db8::7"},
	} {
		_, err := e.CreateNetworkInsightsPath(ctx, c.in)
		wantAPIError(t, err, "InvalidParameterValue", "Value ("+c.addr+") for parameter "+c.param+" is invalid. It is not a valid IPv4 address.")
	}
	p, err := e.DescribeNetworkInsightsPaths(ctx, &ec2.DescribeNetworkInsightsPathsInput{})
	must(t, err)
	if n := len(p.NetworkInsightsPaths); n != 3 || slices.ContainsFunc(p.NetworkInsightsPaths, func(x ec2types.NetworkInsightsPath) bool { return x.DestinationIp != nil }) {
		t.Errorf("%d paths after the refused ones, want the 3 analyzed", n)
	}
}
