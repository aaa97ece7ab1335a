package server_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery"
)

// createRound23 creates a stack of a round-twenty-three template (the
// text as given, after edits: old, new pairs) and returns its id.
func createRound23(t *testing.T, cf *cloudformation.Client, name, file string, edits ...string) string {
	t.Helper()
	body, err := os.ReadFile("../cfn/testdata/sweep23/" + file)
	must(t, err)
	text := string(body)
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(text, edits[i]) {
			t.Fatalf("%s has no %q", file, edits[i])
		}
		text = strings.ReplaceAll(text, edits[i], edits[i+1])
	}
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(text),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
	must(t, err)
	return aws.ToString(out.StackId)
}

// failedEvent returns the status reason of a resource's CREATE_FAILED
// event.
func failedEvent(t *testing.T, cf *cloudformation.Client, id, logical string) string {
	t.Helper()
	for _, e := range stackEventsOf(t, cf, id) {
		if r, ok := strings.CutPrefix(e, logical+" CREATE_FAILED "); ok {
			return r
		}
	}
	t.Fatalf("no CREATE_FAILED event of %s in %q", logical, stackEventsOf(t, cf, id))
	return ""
}

// TestCloudFormationRound23CloudMapContainerPort: the CDK's
// cloudmap-container-port integration test deploys as on AWS: its Cloud
// Map service without a Name gets a valid generated name, and the
// service's three tasks (two containers of 512 MiB hard limit and 32 MiB
// memoryReservation each) run on the one t3.micro, ECS reserving the
// memoryReservation. Before round twenty-three the stack rolled back at
// the Cloud Map service ("Service name is invalid: <71 characters>"), and
// without that the tasks did not fit. A Name Cloud Map refuses fails the
// resource with the ServiceDiscovery client's name in the reason (it said
// "Service: Ec2").
func TestCloudFormationRound23CloudMapContainerPort(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	id := createRound23(t, cf, "c4", "c4-cloudmap-container-port.json")
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)

	sd := servicediscovery.NewFromConfig(sdkConfig(), func(o *servicediscovery.Options) { o.BaseEndpoint = aws.String(em.URL) })
	svcs, err := sd.ListServices(ctx, &servicediscovery.ListServicesInput{})
	must(t, err)
	if len(svcs.Services) != 1 || !regexp.MustCompile(`^c4-[A-Za-z0-9-]+$`).MatchString(aws.ToString(svcs.Services[0].Name)) || len(aws.ToString(svcs.Services[0].Name)) > 63 {
		t.Errorf("Cloud Map services %+v, want one with a generated name of at most 63 characters", svcs.Services)
	}
	ec := ecs.NewFromConfig(sdkConfig(), func(o *ecs.Options) { o.BaseEndpoint = aws.String(em.URL) })
	rs, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String(id), LogicalResourceId: aws.String("ServiceD69D759B")})
	must(t, err)
	cl, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String(id), LogicalResourceId: aws.String("FargateCluster7CCD5F93")})
	must(t, err)
	ds, err := ec.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: cl.StackResourceDetail.PhysicalResourceId, Services: []string{aws.ToString(rs.StackResourceDetail.PhysicalResourceId)}})
	must(t, err)
	if len(ds.Services) != 1 || ds.Services[0].RunningCount != 3 {
		t.Fatalf("service %+v, want 3 tasks running", ds.Services)
	}

	bad := createRound23(t, cf, "c4-bad", "c4-cloudmap-container-port.json", `"RoutingPolicy": "MULTIVALUE"`, `"RoutingPolicy": "MULTIVALUE"`,
		`"HealthCheckCustomConfig": {`, `"Name": "not valid!", "HealthCheckCustomConfig": {`)
	waitStack(t, cf, bad, cfntypes.StackStatusRollbackComplete)
	reason := failedEvent(t, cf, bad, "ServiceCloudmapService046058A4")
	if !regexp.MustCompile(`^Resource handler returned message: "Service name is invalid: not valid! \(Service: ServiceDiscovery, Status Code: 400, Request ID: [0-9a-f-]{36}\)" \(RequestToken: [0-9a-f-]{36}, HandlerErrorCode: InvalidRequest\)$`).MatchString(reason) {
		t.Errorf("reason %q, want Cloud Map's refusal from the ServiceDiscovery client", reason)
	}
}

// TestCloudFormationRound23ListenerCertificate: the CDK's
// tls-network-load-balanced-ecs-service integration test gives its TLS
// listener a certificate ARN no account holds
// ("arn:aws:acm:test-region:12345678:certificate/…"); ELB refuses it
// (CertificateNotFound, "Certificate '<arn>' not found") and the stack
// rolls back at the listener. Before round twenty-three the endpoint's
// CloudFormation created the listener without looking the certificate
// up.
func TestCloudFormationRound23ListenerCertificate(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	id := createRound23(t, cf, "tls", "c2-tls-nlb.json")
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	reason := failedEvent(t, cf, id, "myServiceWithTlsLBPublicListener230DC5FA")
	want := `Resource handler returned message: "Certificate 'arn:aws:acm:test-region:12345678:certificate/86468209-a272-595d-b831-0efb6421265z' not found (Service: ElasticLoadBalancingV2, Status Code: 400, Request ID: `
	if !strings.HasPrefix(reason, want) {
		t.Errorf("listener's reason %q, want it to start %q", reason, want)
	}
}

// TestCloudFormationRound23SpotLaunchConfiguration: the CDK's spot-drain
// integration test's launch configuration has a SpotPrice; Auto Scaling
// keeps it and launches the group's instances as Spot Instances
// (InstanceLifecycle spot), the on-demand group's as on-demand. Before
// round twenty-three the endpoint's CloudFormation dropped SpotPrice and
// every instance was on-demand.
func TestCloudFormationRound23SpotLaunchConfiguration(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	id := createRound23(t, cf, "spot", "c5-spot-drain.json")
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)

	as := autoscaling.NewFromConfig(sdkConfig(), func(o *autoscaling.Options) { o.BaseEndpoint = aws.String(em.URL) })
	lcs, err := as.DescribeLaunchConfigurations(ctx, &autoscaling.DescribeLaunchConfigurationsInput{})
	must(t, err)
	prices := map[string]string{}
	for _, lc := range lcs.LaunchConfigurations {
		prices[aws.ToString(lc.InstanceType)] = aws.ToString(lc.SpotPrice)
	}
	if prices["c5.xlarge"] != "0.0735" || prices["t3.large"] != "" {
		t.Errorf("launch configurations' spot prices by instance type %v, want c5.xlarge 0.0735 and none for t3.large", prices)
	}
	ec := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	out, err := ec.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{{Name: aws.String("instance-state-name"), Values: []string{"running"}}}})
	must(t, err)
	got := map[string]int{}
	for _, r := range out.Reservations {
		for _, i := range r.Instances {
			got[string(i.InstanceType)+" "+string(i.InstanceLifecycle)]++
		}
	}
	if got["c5.xlarge spot"] != 2 || got["t3.large "] != 1 || len(got) != 2 {
		t.Errorf("running instances by type and lifecycle %v, want 2 c5.xlarge spot and 1 t3.large on-demand", got)
	}
}
