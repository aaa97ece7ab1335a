package server_test

import (
	"encoding/base64"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TestTrunkingOfTheInstanceRole: a container instance registers with the
// account settings of its instance role (the principal its agent signs
// as): awsvpcTrunking enabled for the role ecsInstanceRole alone, with
// the account default left disabled, gives an m5.large a trunk interface
// (the ecs.awsvpc-trunk-id attribute); the same setting for another role
// does not. Until round thirty-six registration read the account default
// only.
func TestTrunkingOfTheInstanceRole(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		role      string
		wantTrunk bool
	}{{"ecsInstanceRole", true}, {"someoneElse", false}} {
		t.Run(c.role, func(t *testing.T) {
			t.Parallel()
			es := newEstateOn(t, newEmulator(t, nil), "t3.micro", 0)
			profile := ecsInstanceProfile(t, es.url)
			_, err := es.c.ecs.PutAccountSetting(ctx, &ecs.PutAccountSettingInput{Name: ecstypes.SettingNameAwsvpcTrunking, Value: aws.String("enabled"),
				PrincipalArn: aws.String("arn:aws:iam::123456789012:role/" + c.role)})
			must(t, err)
			ud := base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho ECS_CLUSTER=c >> /etc/ecs/ecs.config\n"))
			_, err = es.c.ec2.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeM5Large,
				MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: &es.subnets[0], SecurityGroupIds: []string{es.open}, UserData: &ud,
				IamInstanceProfile: profile})
			must(t, err)
			var attrs []string
			eventually(t, "the instance registers", func() bool {
				l, err := es.c.ecs.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("c")})
				if err != nil || len(l.ContainerInstanceArns) != 1 {
					return false
				}
				d, err := es.c.ecs.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesInput{Cluster: aws.String("c"), ContainerInstances: l.ContainerInstanceArns})
				if err != nil || len(d.ContainerInstances) != 1 {
					return false
				}
				attrs = attrs[:0]
				for _, a := range d.ContainerInstances[0].Attributes {
					attrs = append(attrs, aws.ToString(a.Name))
				}
				return true
			})
			if got := slices.Contains(attrs, "ecs.awsvpc-trunk-id"); got != c.wantTrunk {
				t.Errorf("awsvpcTrunking enabled for role %s: trunk attribute %v, want %v (attributes %v)", c.role, got, c.wantTrunk, attrs)
			}
		})
	}
}
