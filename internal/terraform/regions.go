package terraform

import (
	"fmt"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// providerRegion is a region of the AWS provider's own table (the
// endpoints of aws-sdk-go v1 it is built with), which data "aws_region"
// reads without calling AWS.
type providerRegion struct {
	name, description, dnsSuffix string
}

// providerRegions are the regions hashicorp/aws v5.100.0 knows, every
// partition's, with their descriptions: observed with `terraform plan`
// (data "aws_region" by name, each region's description and endpoint).
// ap-southeast-6 (Auckland) is not among them: "finding Region by name
// (ap-southeast-6): couldn't find resource". The ISO and European
// Sovereign Cloud regions observed are listed; the provider knows others
// of those partitions, which are not ([choice]: ecsnet serves none of
// them).
var providerRegions = map[string]string{
	"af-south-1": "Africa (Cape Town)", "ap-east-1": "Asia Pacific (Hong Kong)", "ap-east-2": "Asia Pacific (Taipei)",
	"ap-northeast-1": "Asia Pacific (Tokyo)", "ap-northeast-2": "Asia Pacific (Seoul)", "ap-northeast-3": "Asia Pacific (Osaka)",
	"ap-south-1": "Asia Pacific (Mumbai)", "ap-south-2": "Asia Pacific (Hyderabad)", "ap-southeast-1": "Asia Pacific (Singapore)",
	"ap-southeast-2": "Asia Pacific (Sydney)", "ap-southeast-3": "Asia Pacific (Jakarta)", "ap-southeast-4": "Asia Pacific (Melbourne)",
	"ap-southeast-5": "Asia Pacific (Malaysia)", "ap-southeast-7": "Asia Pacific (Thailand)",
	"ca-central-1": "Canada (Central)", "ca-west-1": "Canada West (Calgary)",
	"eu-central-1": "Europe (Frankfurt)", "eu-central-2": "Europe (Zurich)", "eu-north-1": "Europe (Stockholm)",
	"eu-south-1": "Europe (Milan)", "eu-south-2": "Europe (Spain)", "eu-west-1": "Europe (Ireland)", "eu-west-2": "Europe (London)",
	"eu-west-3": "Europe (Paris)", "il-central-1": "Israel (Tel Aviv)", "me-central-1": "Middle East (UAE)",
	"me-south-1": "Middle East (Bahrain)", "mx-central-1": "Mexico (Central)", "sa-east-1": "South America (Sao Paulo)",
	"us-east-1": "US East (N. Virginia)", "us-east-2": "US East (Ohio)", "us-west-1": "US West (N. California)", "us-west-2": "US West (Oregon)",
	"cn-north-1": "China (Beijing)", "cn-northwest-1": "China (Ningxia)",
	"us-gov-east-1": "AWS GovCloud (US-East)", "us-gov-west-1": "AWS GovCloud (US-West)",
	"us-iso-east-1": "US ISO East", "eusc-de-east-1": "EU (Germany)",
}

// regionByName is the provider's region of that name, in any partition:
// a provider in us-east-1 reads cn-north-1 (its endpoint under
// amazonaws.com.cn) as well as its own.
func regionByName(name string) (providerRegion, bool) {
	d, ok := providerRegions[name]
	if !ok {
		return providerRegion{}, false
	}
	suffix := model.DNSSuffix(name)
	if strings.HasPrefix(name, "us-iso-") {
		suffix = "c2s.ic.gov"
	}
	return providerRegion{name: name, description: d, dnsSuffix: suffix}, true
}

// regionByEndpoint is the region whose EC2 endpoint is ep (with or
// without https://).
func regionByEndpoint(ep string) (providerRegion, bool) {
	ep = strings.TrimSuffix(strings.TrimPrefix(ep, "https://"), "/")
	name, ok := strings.CutPrefix(ep, "ec2.")
	if !ok {
		return providerRegion{}, false
	}
	i := strings.IndexByte(name, '.')
	if i < 0 {
		return providerRegion{}, false
	}
	r, ok := regionByName(name[:i])
	if !ok || name[i+1:] != r.dnsSuffix {
		return providerRegion{}, false
	}
	return r, true
}

// otherPartitionWarning warns that a provider (or a data source's region
// argument) reads a region of another partition than the configuration's
// region: an account lives in one partition, and its credentials are
// refused in another's, so the provider's first call there (STS, unless
// skip_credentials_validation) fails with the same credentials.
func (c *rctx) otherPartitionWarning(region string) {
	home := c.l.region
	if model.Partition(region) == model.Partition(home) {
		return
	}
	if c.l.partitionWarned[region] {
		return
	}
	if c.l.partitionWarned == nil {
		c.l.partitionWarned = map[string]bool{}
	}
	c.l.partitionWarned[region] = true
	c.l.warnf(c.r.rng, "%s reads region %s, of partition %s, while the configuration's region %s is of %s: an account lives in one partition and its credentials are refused in another's, so with the same credentials the provider's first call there fails (%s); give that provider the credentials of an %s account",
		c.addr, region, model.Partition(region), home, model.Partition(home),
		fmt.Sprintf("%q", "InvalidClientTokenId: The security token included in the request is invalid."), model.Partition(region))
}
