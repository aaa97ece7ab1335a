package server_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go"
)

// TestInstanceTypeFacts29: DescribeInstanceTypes reports a type's network
// cards (several for p4d, p5 and trn1, MaximumNetworkInterfaces over all
// of them), the Macs' own architectures, IPv6 only where the type supports
// it, and the GPUs and Neuron devices of the newer accelerated families.
func TestInstanceTypeFacts29(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	names := []ec2types.InstanceType{"p5.48xlarge", "p4d.24xlarge", "trn1.32xlarge", "m5.large", "mac1.metal", "mac2.metal",
		"mac-m4.metal", "g6.xlarge", "g6e.12xlarge", "gr6.4xlarge", "inf2.48xlarge", "m1.small", "c3.large"}
	out, err := e.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{InstanceTypes: names})
	must(t, err)
	got := map[ec2types.InstanceType]ec2types.InstanceTypeInfo{}
	for _, it := range out.InstanceTypes {
		got[it.InstanceType] = it
	}
	for name, want := range map[ec2types.InstanceType]struct{ total, cards, perCard int32 }{
		"p5.48xlarge": {64, 32, 2}, "p4d.24xlarge": {60, 4, 15}, "trn1.32xlarge": {40, 8, 5}, "m5.large": {3, 1, 3},
	} {
		n := got[name].NetworkInfo
		if n == nil || aws.ToInt32(n.MaximumNetworkInterfaces) != want.total || aws.ToInt32(n.MaximumNetworkCards) != want.cards ||
			len(n.NetworkCards) != int(want.cards) || aws.ToInt32(n.NetworkCards[len(n.NetworkCards)-1].MaximumNetworkInterfaces) != want.perCard ||
			aws.ToInt32(n.NetworkCards[len(n.NetworkCards)-1].NetworkCardIndex) != want.cards-1 {
			t.Errorf("%s: network info %+v; want %d interfaces on %d cards of %d", name, n, want.total, want.cards, want.perCard)
		}
	}
	for name, arch := range map[ec2types.InstanceType]ec2types.ArchitectureType{"mac1.metal": "x86_64_mac", "mac2.metal": "arm64_mac", "mac-m4.metal": "arm64_mac", "m5.large": "x86_64"} {
		if a := got[name].ProcessorInfo.SupportedArchitectures; len(a) != 1 || a[0] != arch {
			t.Errorf("%s: architectures %v, want %s", name, a, arch)
		}
	}
	if v := got["mac2.metal"].VCpuInfo; aws.ToInt32(v.DefaultThreadsPerCore) != 1 {
		t.Errorf("mac2.metal: %d threads per core, want 1", aws.ToInt32(v.DefaultThreadsPerCore))
	}
	for name, want := range map[ec2types.InstanceType]int32{"m1.small": 0, "c3.large": 10, "m5.large": 10} {
		n := got[name].NetworkInfo
		if aws.ToBool(n.Ipv6Supported) != (want > 0) || aws.ToInt32(n.Ipv6AddressesPerInterface) != want {
			t.Errorf("%s: IPv6 supported %v, %d per interface; want %d", name, aws.ToBool(n.Ipv6Supported), aws.ToInt32(n.Ipv6AddressesPerInterface), want)
		}
	}
	for name, want := range map[ec2types.InstanceType]struct {
		gpu   string
		count int32
		total int32
	}{"g6.xlarge": {"L4", 1, 24576}, "g6e.12xlarge": {"L40S", 4, 4 * 49152}, "gr6.4xlarge": {"L4", 1, 24576}, "p4d.24xlarge": {"A100", 8, 8 * 40960}} {
		g := got[name].GpuInfo
		if g == nil || len(g.Gpus) != 1 || aws.ToString(g.Gpus[0].Name) != want.gpu || aws.ToString(g.Gpus[0].Manufacturer) != "NVIDIA" ||
			aws.ToInt32(g.Gpus[0].Count) != want.count || aws.ToInt32(g.TotalGpuMemoryInMiB) != want.total {
			t.Errorf("%s: GPU info %+v, want %+v", name, g, want)
		}
	}
	if nr := got["inf2.48xlarge"].NeuronInfo; nr == nil || len(nr.NeuronDevices) != 1 || aws.ToString(nr.NeuronDevices[0].Name) != "Inferentia2" ||
		aws.ToInt32(nr.NeuronDevices[0].Count) != 12 || aws.ToInt32(nr.TotalNeuronDeviceMemoryInMiB) != 12*32768 {
		t.Errorf("inf2.48xlarge: Neuron info %+v", nr)
	}
	// The filter on maximum network interfaces counts every card.
	f, err := e.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{Filters: []ec2types.Filter{
		{Name: aws.String("network-info.maximum-network-interfaces"), Values: []string{"64"}},
		{Name: aws.String("instance-type"), Values: []string{"p5.*"}}}})
	must(t, err)
	if len(f.InstanceTypes) != 1 || f.InstanceTypes[0].InstanceType != "p5.48xlarge" {
		t.Errorf("p5.* with 64 interfaces: %d types", len(f.InstanceTypes))
	}
}

// TestMacArchitecture29: an arm64 Linux image does not launch on an Apple
// silicon Mac (arm64_mac), as a Mac needs a macOS image.
func TestMacArchitecture29(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	p, err := ssmClient(em.URL).GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/aws/service/ecs/optimized-ami/amazon-linux-2/arm64/recommended/image_id")})
	must(t, err)
	_, err = e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: p.Parameter.Value, InstanceType: "mac2.metal", MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidParameterValue" ||
		!strings.HasPrefix(ae.ErrorMessage(), "The architecture 'arm64_mac' of the specified instance type does not match the architecture 'arm64' of the specified AMI.") {
		t.Fatalf("mac2.metal from an arm64 AMI: err = %v", err)
	}
}
