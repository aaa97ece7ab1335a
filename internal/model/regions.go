package model

import "strings"

// Regions returns the regions of an ARN partition (Partition), in name
// order: botocore 1.43.11's endpoints.json, partitions "aws", "aws-cn" and
// "aws-us-gov". An account lives in one partition and reaches only its
// regions. nil for the other partitions (ISO, European Sovereign Cloud),
// which ecsnet does not serve.
func Regions(partition string) []string {
	switch partition {
	case "aws":
		return []string{"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
			"ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
			"ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1",
			"eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
			"il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1",
			"us-east-1", "us-east-2", "us-west-1", "us-west-2"}
	case "aws-cn":
		return []string{"cn-north-1", "cn-northwest-1"}
	case "aws-us-gov":
		return []string{"us-gov-east-1", "us-gov-west-1"}
	}
	return nil
}

// RegionOptIn reports whether an account must opt in to a region before
// using it: the commercial regions launched after March 20, 2019 (the AWS
// General Reference, "Regions and Zones"; a new account has opted in to
// none). The China and GovCloud regions need none.
func RegionOptIn(region string) bool {
	switch region {
	case "af-south-1", "ap-east-1", "ap-east-2", "ap-south-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
		"ap-southeast-6", "ap-southeast-7", "ca-west-1", "eu-central-2", "eu-south-1", "eu-south-2", "il-central-1",
		"me-central-1", "me-south-1", "mx-central-1":
		return true
	}
	return false
}

// DNSSuffix returns the domain of a region's service endpoints:
// amazonaws.com.cn in the China regions, amazonaws.com elsewhere
// (endpoints.json's dnsSuffix).
func DNSSuffix(region string) string {
	if strings.HasPrefix(region, "cn-") {
		return "amazonaws.com.cn"
	}
	return "amazonaws.com"
}
