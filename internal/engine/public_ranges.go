package engine

import "net/netip"

// regionPublicPool returns the blocks a region's public IPv4 addresses
// (auto-assigned public IPs, Elastic IPs, load balancer nodes, VPN
// endpoints) come from: a few of the large prefixes AWS's ip-ranges.json
// gives the region (docs/aws-behavior.md: those marked checked were read
// from a mirror of the file; the others are [choice]). A region not listed
// gets us-east-1's.
func regionPublicPool(region string) []netip.Prefix {
	var cidrs []string
	switch region {
	case "us-east-1":
		cidrs = []string{"3.80.0.0/12", "54.160.0.0/13"} // 54.160.0.0/13 checked
	case "us-east-2": // checked
		cidrs = []string{"3.16.0.0/14", "18.216.0.0/14", "3.128.0.0/15"}
	case "us-west-1": // checked
		cidrs = []string{"54.176.0.0/15", "52.52.0.0/15", "13.56.0.0/16"}
	case "us-west-2": // checked
		cidrs = []string{"34.208.0.0/12", "54.184.0.0/13", "35.160.0.0/13"}
	case "eu-west-1": // checked
		cidrs = []string{"52.208.0.0/13", "34.240.0.0/13", "54.216.0.0/15"}
	case "eu-west-2": // checked
		cidrs = []string{"3.8.0.0/14", "18.132.0.0/14", "35.176.0.0/15"}
	case "eu-central-1": // checked
		cidrs = []string{"3.64.0.0/12", "18.192.0.0/15", "35.156.0.0/14"}
	case "ap-northeast-1": // checked
		cidrs = []string{"13.112.0.0/14", "54.64.0.0/15", "52.192.0.0/15"}
	case "ap-southeast-1": // checked
		cidrs = []string{"13.228.0.0/15", "18.136.0.0/16", "54.169.0.0/16"}
	case "ap-east-2": // checked
		cidrs = []string{"43.212.0.0/15", "43.214.0.0/15"}
	case "ap-southeast-5": // checked
		cidrs = []string{"43.216.0.0/15", "35.18.0.0/15"}
	case "ap-southeast-6": // checked
		cidrs = []string{"3.102.0.0/15", "182.24.0.0/14"}
	case "ap-southeast-7": // checked
		cidrs = []string{"43.208.0.0/15", "43.210.0.0/15"}
	case "mx-central-1": // checked
		cidrs = []string{"78.12.0.0/15", "78.14.0.0/15"}
	case "eu-west-3":
		cidrs = []string{"35.180.0.0/16", "15.236.0.0/15"}
	case "eu-north-1":
		cidrs = []string{"13.48.0.0/15", "13.53.0.0/16"}
	case "eu-south-1":
		cidrs = []string{"15.160.0.0/16", "15.161.0.0/16"}
	case "eu-south-2":
		cidrs = []string{"18.100.0.0/15"}
	case "eu-central-2":
		cidrs = []string{"16.62.0.0/15"}
	case "ap-northeast-2":
		cidrs = []string{"13.124.0.0/16", "3.34.0.0/15"}
	case "ap-northeast-3":
		cidrs = []string{"13.208.0.0/16"}
	case "ap-southeast-2":
		cidrs = []string{"13.54.0.0/15", "3.104.0.0/14", "54.252.0.0/16"}
	case "ap-southeast-3":
		cidrs = []string{"108.136.0.0/15"}
	case "ap-southeast-4":
		cidrs = []string{"16.50.0.0/15"}
	case "ap-south-1":
		cidrs = []string{"13.232.0.0/14", "3.6.0.0/15"}
	case "ap-south-2":
		cidrs = []string{"18.60.0.0/15"}
	case "ap-east-1":
		cidrs = []string{"18.162.0.0/16", "16.162.0.0/15"}
	case "sa-east-1":
		cidrs = []string{"18.228.0.0/16", "54.232.0.0/16"}
	case "ca-central-1":
		cidrs = []string{"35.182.0.0/15", "3.96.0.0/15"}
	case "ca-west-1":
		cidrs = []string{"40.176.0.0/15"}
	case "af-south-1":
		cidrs = []string{"13.244.0.0/15"}
	case "me-south-1":
		cidrs = []string{"15.184.0.0/15"}
	case "me-central-1":
		cidrs = []string{"3.28.0.0/15"}
	case "il-central-1":
		cidrs = []string{"51.16.0.0/15"}
	default:
		return regionPublicPool("us-east-1")
	}
	out := make([]netip.Prefix, len(cidrs))
	for i, c := range cidrs {
		out[i] = netip.MustParsePrefix(c)
	}
	return out
}

// regionIPv6Pool returns the block a region's Amazon-provided VPC IPv6
// /56s come from: one of the region's EC2 prefixes in AWS's
// ip-ranges.json (docs/aws-behavior.md: those marked checked were read
// from public copies of the file; the others are [choice]). A region not
// listed gets us-east-1's.
func regionIPv6Pool(region string) netip.Prefix {
	var cidr string
	switch region {
	case "us-east-1": // checked (2600:1f18::/33 EC2, in 2600:1f18::/32 AMAZON)
		cidr = "2600:1f18::/32"
	case "us-east-2":
		cidr = "2600:1f16::/36"
	case "us-west-1":
		cidr = "2600:1f1c::/36"
	case "us-west-2": // checked (2600:1f14::/32 AMAZON)
		cidr = "2600:1f14::/35"
	case "ca-central-1":
		cidr = "2600:1f11::/36"
	case "sa-east-1":
		cidr = "2600:1f1e::/36"
	case "eu-west-1": // checked
		cidr = "2a05:d018::/35"
	case "eu-west-2":
		cidr = "2a05:d01c::/36"
	case "eu-west-3":
		cidr = "2a05:d012::/36"
	case "eu-central-1":
		cidr = "2a05:d014::/35"
	case "eu-north-1": // checked (AMAZON)
		cidr = "2a05:d016::/36"
	case "ap-northeast-1": // checked (2406:da14::/32 AMAZON)
		cidr = "2406:da14::/36"
	case "ap-northeast-2":
		cidr = "2406:da12::/36"
	case "ap-southeast-1":
		cidr = "2406:da18::/36"
	case "ap-southeast-2": // checked
		cidr = "2406:da1c::/36"
	case "ap-south-1":
		cidr = "2406:da1a::/36"
	default:
		cidr = "2600:1f18::/32"
	}
	return netip.MustParsePrefix(cidr)
}
