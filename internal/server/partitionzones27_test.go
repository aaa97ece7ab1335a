package server_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/ecsnet/ecsnet/internal/server"
)

// The China and GovCloud regions answer DescribeAvailabilityZones with
// AWS's zone names and ids (cn-north-1: a, b and d, cnn1-az1, az2, az4;
// GovCloud's usgw1-/usge1- ids), and their default VPC has a default
// subnet in each of those zones.
func TestAvailabilityZonesOfOtherPartitions(t *testing.T) {
	for region, want := range map[string]string{
		"cn-north-1":     "cn-north-1a cnn1-az1,cn-north-1b cnn1-az2,cn-north-1d cnn1-az4",
		"cn-northwest-1": "cn-northwest-1a cnnw1-az1,cn-northwest-1b cnnw1-az2,cn-northwest-1c cnnw1-az3",
		"us-gov-west-1":  "us-gov-west-1a usgw1-az1,us-gov-west-1b usgw1-az2,us-gov-west-1c usgw1-az3",
		"us-gov-east-1":  "us-gov-east-1a usge1-az1,us-gov-east-1b usge1-az2,us-gov-east-1c usge1-az3",
	} {
		t.Run(region, func(t *testing.T) {
			em := newEmulatorWith(t, server.Options{Region: region, DefaultVPC: true})
			cfg := sdkConfig()
			cfg.Region = region
			e := ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
			out, err := e.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
			must(t, err)
			var got []string
			for _, z := range out.AvailabilityZones {
				got = append(got, aws.ToString(z.ZoneName)+" "+aws.ToString(z.ZoneId))
				if aws.ToString(z.RegionName) != region {
					t.Errorf("zone %s: RegionName %q", aws.ToString(z.ZoneName), aws.ToString(z.RegionName))
				}
			}
			if strings.Join(got, ",") != want {
				t.Errorf("DescribeAvailabilityZones: %q, want %q", strings.Join(got, ","), want)
			}
			subs, err := e.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("default-for-az"), Values: []string{"true"}}}})
			must(t, err)
			var defaults []string
			for _, s := range subs.Subnets {
				defaults = append(defaults, aws.ToString(s.AvailabilityZone)+" "+aws.ToString(s.AvailabilityZoneId))
			}
			slices.Sort(defaults)
			if strings.Join(defaults, ",") != want {
				t.Errorf("default subnets: %q, want %q", strings.Join(defaults, ","), want)
			}
		})
	}
}
