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

// RegionLongName returns a region's long name ("US East (N. Virginia)"),
// as endpoints.json describes it (botocore 1.43.11), for the regions of
// Regions; "" for any other name.
func RegionLongName(region string) string {
	switch region {
	case "af-south-1":
		return "Africa (Cape Town)"
	case "ap-east-1":
		return "Asia Pacific (Hong Kong)"
	case "ap-east-2":
		return "Asia Pacific (Taipei)"
	case "ap-northeast-1":
		return "Asia Pacific (Tokyo)"
	case "ap-northeast-2":
		return "Asia Pacific (Seoul)"
	case "ap-northeast-3":
		return "Asia Pacific (Osaka)"
	case "ap-south-1":
		return "Asia Pacific (Mumbai)"
	case "ap-south-2":
		return "Asia Pacific (Hyderabad)"
	case "ap-southeast-1":
		return "Asia Pacific (Singapore)"
	case "ap-southeast-2":
		return "Asia Pacific (Sydney)"
	case "ap-southeast-3":
		return "Asia Pacific (Jakarta)"
	case "ap-southeast-4":
		return "Asia Pacific (Melbourne)"
	case "ap-southeast-5":
		return "Asia Pacific (Malaysia)"
	case "ap-southeast-6":
		return "Asia Pacific (New Zealand)"
	case "ap-southeast-7":
		return "Asia Pacific (Thailand)"
	case "ca-central-1":
		return "Canada (Central)"
	case "ca-west-1":
		return "Canada West (Calgary)"
	case "eu-central-1":
		return "Europe (Frankfurt)"
	case "eu-central-2":
		return "Europe (Zurich)"
	case "eu-north-1":
		return "Europe (Stockholm)"
	case "eu-south-1":
		return "Europe (Milan)"
	case "eu-south-2":
		return "Europe (Spain)"
	case "eu-west-1":
		return "Europe (Ireland)"
	case "eu-west-2":
		return "Europe (London)"
	case "eu-west-3":
		return "Europe (Paris)"
	case "il-central-1":
		return "Israel (Tel Aviv)"
	case "me-central-1":
		return "Middle East (UAE)"
	case "me-south-1":
		return "Middle East (Bahrain)"
	case "mx-central-1":
		return "Mexico (Central)"
	case "sa-east-1":
		return "South America (Sao Paulo)"
	case "us-east-1":
		return "US East (N. Virginia)"
	case "us-east-2":
		return "US East (Ohio)"
	case "us-west-1":
		return "US West (N. California)"
	case "us-west-2":
		return "US West (Oregon)"
	case "cn-north-1":
		return "China (Beijing)"
	case "cn-northwest-1":
		return "China (Ningxia)"
	case "us-gov-east-1":
		return "AWS GovCloud (US-East)"
	case "us-gov-west-1":
		return "AWS GovCloud (US-West)"
	}
	return ""
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
