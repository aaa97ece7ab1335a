package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestGPUInstanceTypes14: the g4dn and g5 types (the ECS GPU blueprints'
// hosts) are described with their vCPUs, memory, interfaces and NVIDIA
// GPUs, and launch; before, RunInstances said they do not exist.
func TestGPUInstanceTypes14(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	out, err := e.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{InstanceTypes: []ec2types.InstanceType{"g5.12xlarge", "g4dn.xlarge"}})
	must(t, err)
	if len(out.InstanceTypes) != 2 {
		t.Fatalf("%d instance types, want 2", len(out.InstanceTypes))
	}
	want := map[ec2types.InstanceType]struct {
		vcpus, enis, gpus int32
		mem               int64
		gpu               string
	}{"g5.12xlarge": {48, 15, 4, 196608, "A10G"}, "g4dn.xlarge": {4, 3, 1, 16384, "T4"}}
	for _, it := range out.InstanceTypes {
		w := want[it.InstanceType]
		if aws.ToInt32(it.VCpuInfo.DefaultVCpus) != w.vcpus || aws.ToInt64(it.MemoryInfo.SizeInMiB) != w.mem ||
			aws.ToInt32(it.NetworkInfo.MaximumNetworkInterfaces) != w.enis {
			t.Errorf("%s: vcpus %d memory %d enis %d", it.InstanceType, aws.ToInt32(it.VCpuInfo.DefaultVCpus),
				aws.ToInt64(it.MemoryInfo.SizeInMiB), aws.ToInt32(it.NetworkInfo.MaximumNetworkInterfaces))
		}
		if it.GpuInfo == nil || len(it.GpuInfo.Gpus) != 1 || aws.ToInt32(it.GpuInfo.Gpus[0].Count) != w.gpus ||
			aws.ToString(it.GpuInfo.Gpus[0].Name) != w.gpu || aws.ToString(it.GpuInfo.Gpus[0].Manufacturer) != "NVIDIA" {
			t.Errorf("%s: GPUs %+v", it.InstanceType, it.GpuInfo)
		}
	}
	vpc, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")})
	must(t, err)
	sub, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.9.1.0/24")})
	must(t, err)
	run, err := e.RunInstances(ctx, &ec2.RunInstancesInput{MinCount: aws.Int32(1), MaxCount: aws.Int32(1), ImageId: aws.String(testAMI),
		InstanceType: "g5.xlarge", SubnetId: sub.Subnet.SubnetId})
	must(t, err)
	if run.Instances[0].InstanceType != "g5.xlarge" {
		t.Errorf("launched %s", run.Instances[0].InstanceType)
	}
}
