package server_test

import (
	"net/netip"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// The dualStackIPv6 account setting is enabled by default and takes effect
// per principal, through the AWS SDK for Go v2: a role that turns it off
// for itself (PutAccountSetting without principalArn) starts Fargate
// tasks without an IPv6 address, and so do the services it creates, while
// the root user's tasks in the same subnet still get one.
func TestDualStackIPv6PerPrincipal(t *testing.T) {
	em := newEmulator(t, nil)
	root := sdkClients(em.URL)
	v, err := root.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), AmazonProvidedIpv6CidrBlock: aws.Bool(true)})
	must(t, err)
	vpc := v.Vpc.VpcId
	block := netip.MustParsePrefix(aws.ToString(v.Vpc.Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock))
	sub := netip.PrefixFrom(block.Addr(), 64).String() // the /56's first /64
	s, err := root.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.0.1.0/24"), Ipv6CidrBlock: aws.String(sub)})
	must(t, err)
	subnet := aws.ToString(s.Subnet.SubnetId)

	eff, err := root.ecs.ListAccountSettings(ctx, &ecs.ListAccountSettingsInput{Name: ecstypes.SettingName("dualStackIPv6"), EffectiveSettings: true})
	must(t, err)
	if len(eff.Settings) != 1 || aws.ToString(eff.Settings[0].Value) != "enabled" {
		t.Fatalf("the effective default: %+v", eff.Settings)
	}

	ar, err := stsClient(em.URL, sdkConfig()).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/deployer"), RoleSessionName: aws.String("ci")})
	must(t, err)
	cfg := sdkConfig()
	cfg.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(ar.Credentials.AccessKeyId), aws.ToString(ar.Credentials.SecretAccessKey), aws.ToString(ar.Credentials.SessionToken))
	role := ecs.NewFromConfig(cfg, func(o *ecs.Options) { o.BaseEndpoint = aws.String(em.URL) })
	put, err := role.PutAccountSetting(ctx, &ecs.PutAccountSettingInput{Name: ecstypes.SettingName("dualStackIPv6"), Value: aws.String("disabled")})
	must(t, err)
	if p := aws.ToString(put.Setting.PrincipalArn); p != "arn:aws:iam::123456789012:role/deployer" {
		t.Errorf("the setting's principal is %q, want the role", p)
	}
	mine, err := role.ListAccountSettings(ctx, &ecs.ListAccountSettingsInput{Name: ecstypes.SettingName("dualStackIPv6"), EffectiveSettings: true})
	must(t, err)
	if len(mine.Settings) != 1 || aws.ToString(mine.Settings[0].Value) != "disabled" {
		t.Errorf("the role's effective setting: %+v", mine.Settings)
	}
	eff, err = root.ecs.ListAccountSettings(ctx, &ecs.ListAccountSettingsInput{Name: ecstypes.SettingName("dualStackIPv6"), EffectiveSettings: true})
	must(t, err)
	if aws.ToString(eff.Settings[0].Value) != "enabled" {
		t.Errorf("the root user's setting changed: %s %s", aws.ToString(eff.Settings[0].Value), aws.ToString(eff.Settings[0].PrincipalArn))
	}

	_, err = root.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("c")})
	must(t, err)
	_, err = root.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx")}}})
	must(t, err)
	network := &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{subnet}}}
	ipv6Of := func(tk ecstypes.Task) string {
		for _, d := range tk.Attachments[0].Details {
			if aws.ToString(d.Name) == "ipv6Address" {
				return aws.ToString(d.Value)
			}
		}
		return ""
	}
	run := func(c *ecs.Client) string {
		out, err := c.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("web"), LaunchType: ecstypes.LaunchTypeFargate, NetworkConfiguration: network})
		must(t, err)
		return ipv6Of(out.Tasks[0])
	}
	if a := run(root.ecs); a == "" {
		t.Error("the root user's task has no IPv6 address")
	}
	if a := run(role); a != "" {
		t.Errorf("the role's task has the IPv6 address %s", a)
	}

	svc, err := role.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("svc"), TaskDefinition: aws.String("web"),
		DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeFargate, NetworkConfiguration: network})
	must(t, err)
	if by := aws.ToString(svc.Service.CreatedBy); by != "arn:aws:iam::123456789012:role/deployer" {
		t.Errorf("createdBy %q", by)
	}
	var tasks *ecs.DescribeTasksOutput
	eventually(t, "the service starts its task", func() bool {
		l, err := root.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), ServiceName: aws.String("svc")})
		if err != nil || len(l.TaskArns) == 0 {
			return false
		}
		tasks, err = root.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: l.TaskArns})
		return err == nil && len(tasks.Tasks) > 0
	})
	if a := ipv6Of(tasks.Tasks[0]); a != "" {
		t.Errorf("the role's service's task has the IPv6 address %s", a)
	}
}
