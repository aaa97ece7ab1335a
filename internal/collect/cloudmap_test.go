package collect_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	sdtypes "github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ecsnet/ecsnet/internal/collect"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// The article's system plus what a dual-stack, service-discovering
// account adds, built through the SDK on ecsnet serve: an egress-only
// internet gateway, a Cloud Map private DNS namespace "internal" with a
// service "api", and an ECS service "api" (awsvpc, port 8080) that
// registers with it. Collected, the snapshot holds the gateway, the
// namespace (with its VPC), the service, the tasks' instances and the ECS
// service's serviceRegistries, and `web → api.internal:8080` answers as on
// the live state.
func TestCollectCloudMapAndEgressOnlyFromServe(t *testing.T) {
	srv, url := startServe(t)
	cfg := sdkConfig(t, url)
	buildArticleOnServe(t, cfg)
	ctx := context.Background()
	e, s, c := ec2.NewFromConfig(cfg), ecs.NewFromConfig(cfg), sd.NewFromConfig(cfg)

	vpcs := must[*ec2.DescribeVpcsOutput](t)(e.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("cidr"), Values: []string{"10.0.0.0/16"}}}}))
	vpc := aws.ToString(vpcs.Vpcs[0].VpcId)
	subs := must[*ec2.DescribeSubnetsOutput](t)(e.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpc}}}}))
	sub := aws.ToString(subs.Subnets[0].SubnetId)
	eigw := must[*ec2.CreateEgressOnlyInternetGatewayOutput](t)(e.CreateEgressOnlyInternetGateway(ctx, &ec2.CreateEgressOnlyInternetGatewayInput{VpcId: &vpc}))
	apiSG := must[*ec2.CreateSecurityGroupOutput](t)(e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("api-sg"), Description: aws.String("api"), VpcId: &vpc})).GroupId
	must[*ec2.AuthorizeSecurityGroupIngressOutput](t)(e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: apiSG,
		IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(8080), ToPort: aws.Int32(8080), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("10.0.0.0/16")}}}}}))

	must[*sd.CreatePrivateDnsNamespaceOutput](t)(c.CreatePrivateDnsNamespace(ctx, &sd.CreatePrivateDnsNamespaceInput{Name: aws.String("internal"), Vpc: &vpc}))
	var nsID string
	eventually(t, "the namespace is created", func() bool {
		l, err := c.ListNamespaces(ctx, &sd.ListNamespacesInput{})
		if err != nil || len(l.Namespaces) != 1 {
			return false
		}
		nsID = aws.ToString(l.Namespaces[0].Id)
		return true
	})
	svc := must[*sd.CreateServiceOutput](t)(c.CreateService(ctx, &sd.CreateServiceInput{Name: aws.String("api"), NamespaceId: &nsID,
		DnsConfig: &sdtypes.DnsConfig{DnsRecords: []sdtypes.DnsRecord{{Type: sdtypes.RecordTypeA, TTL: aws.Int64(10)}}}})).Service
	must[*ecs.RegisterTaskDefinitionOutput](t)(s.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("api"),
		NetworkMode: ecstypes.NetworkModeAwsvpc, RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityEc2},
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("api"), Image: aws.String("public.ecr.aws/docker/library/node:20"),
			Memory: aws.Int32(256), PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(8080)}}}}}))
	must[*ecs.CreateServiceOutput](t)(s.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("demo"), ServiceName: aws.String("api"),
		TaskDefinition: aws.String("api"), DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeEc2,
		ServiceRegistries:    []ecstypes.ServiceRegistry{{RegistryArn: svc.Arn}},
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{sub}, SecurityGroups: []string{aws.ToString(apiSG)}}}}))
	eventually(t, "the api task registers with Cloud Map", func() bool {
		l, err := c.ListInstances(ctx, &sd.ListInstancesInput{ServiceId: svc.Id})
		return err == nil && len(l.Instances) == 1
	})

	out := t.TempDir()
	m, err := collect.Run(context.Background(), collect.Options{Regions: []string{"us-east-1"}, EndpointURL: url, Out: out, TestCredentials: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, call := range m.Calls {
		if call.Error != "" {
			t.Errorf("%s: %s", call.Call, call.Error)
		}
	}
	res, err := snapshot.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		t.Errorf("warning: %s", w)
	}
	eng, err := srv.Engine("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	live, _ := eng.Snapshot()
	snap, _ := res.Engine.Snapshot()
	if g := snap.EgressOnlyIGWs[model.EgressOnlyIGWID(aws.ToString(eigw.EgressOnlyInternetGateway.EgressOnlyInternetGatewayId))]; g == nil || g.VpcID != model.VpcID(vpc) {
		t.Errorf("egress-only gateway in the snapshot: %+v", g)
	}
	// Not in list-namespaces, get-service or list-instances: tags
	// (ListTagsForResource), a namespace's creator request id
	// (get-namespace), operations, revisions, service attributes and
	// registration times.
	cloudMap := cmp.Options{
		cmpopts.IgnoreFields(model.Namespace{}, "Tags", "OperationID", "CreatorRequestID"),
		cmpopts.IgnoreFields(model.DiscoveryService{}, "Tags", "InstancesRevision", "Attributes"),
		cmpopts.IgnoreFields(model.DiscoveryInstance{}, "RegisteredAt"),
	}
	for _, x := range []struct {
		what       string
		live, snap any
	}{
		{"namespaces", live.Namespaces, snap.Namespaces},
		{"Cloud Map services", live.DiscoveryServices, snap.DiscoveryServices},
		{"Cloud Map instances", live.DiscoveryInstances, snap.DiscoveryInstances},
		{"egress-only gateways", live.EgressOnlyIGWs, snap.EgressOnlyIGWs},
	} {
		if diff := cmp.Diff(x.live, x.snap, cloudMap, sameAsLive); diff != "" {
			t.Errorf("%s differ (-live +snapshot):\n%s", x.what, diff)
		}
	}
	for arn, sv := range live.Services {
		if got := snap.Services[arn]; got == nil || !cmp.Equal(sv.ServiceRegistries, got.ServiceRegistries) {
			t.Errorf("service %s: registries %+v in the snapshot, %+v live", sv.Name, got, sv.ServiceRegistries)
		}
	}
	l, sn := probeState(t, live, "web", "api.internal:8080"), probeState(t, snap, "web", "api.internal:8080")
	if l.Verdict != reach.Connected || sn.Verdict != reach.Connected || l.Summary != sn.Summary {
		t.Errorf("web → api.internal:8080: live %s, snapshot %s\nlive     %s\nsnapshot %s", l.Verdict, sn.Verdict, l.Summary, sn.Summary)
	}
}
