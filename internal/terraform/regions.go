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

// providerRegionDescription is a region's description in the table
// hashicorp/aws v5.100.0 knows, every partition's: observed with
// `terraform plan` (data "aws_region" by name, each region's description
// and endpoint), which are endpoints.json's (model.RegionLongName) but
// for ap-southeast-6 (Auckland), which it does not know ("finding Region
// by name (ap-southeast-6): couldn't find resource"), and the ISO and
// European Sovereign Cloud regions observed; the provider knows others
// of those partitions, which are not listed ([choice]: ecsnet serves none
// of them).
func providerRegionDescription(name string) (string, bool) {
	switch name {
	case "ap-southeast-6":
		return "", false
	case "us-iso-east-1":
		return "US ISO East", true
	case "eusc-de-east-1":
		return "EU (Germany)", true
	}
	d := model.RegionLongName(name)
	return d, d != ""
}

// regionByName is the provider's region of that name, in any partition:
// a provider in us-east-1 reads cn-north-1 (its endpoint under
// amazonaws.com.cn) as well as its own.
func regionByName(name string) (providerRegion, bool) {
	d, ok := providerRegionDescription(name)
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
