package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/ecsnet/ecsnet/internal/store/mem"
)

// RunInstances checks a security group id's form before it looks for the
// group: a name given as an id is "InvalidGroupId.Malformed" (it was
// "InvalidGroup.NotFound"); a well-formed id no group has is not found.
func TestRunInstancesMalformedGroupID(t *testing.T) {
	em := newAccount(t, mem.New())
	e := sdkClients(em.URL).ec2
	run := func(group string) error {
		_, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
			InstanceType: ec2types.InstanceTypeT3Micro, SecurityGroupIds: []string{group}})
		return err
	}
	wantAPIError(t, run("web"), "InvalidGroupId.Malformed", `Invalid id: "web" (expecting "sg-...")`)
	wantAPIError(t, run("sg-0123456789abcdef0"), "InvalidGroup.NotFound", "The security group 'sg-0123456789abcdef0' does not exist")
}
