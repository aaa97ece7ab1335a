package cfn

import (
	"strings"
	"testing"
)

// TestAttrKnown reads attributes from the embedded schema list: names,
// a nested stack's Outputs pattern, a list member's index pattern, and
// types the list does not hold.
func TestAttrKnown(t *testing.T) {
	cases := []struct {
		typ, attr string
		has, ok   bool
	}{
		{"AWS::EC2::VPC", "DefaultSecurityGroup", true, true},
		{"AWS::EC2::VPC", "VpcArn", false, true},
		{"AWS::RDS::DBInstance", "Endpoint.Address", true, true},
		{"AWS::S3::Bucket", "BucketName", false, true},
		{"AWS::CloudFormation::Stack", "Outputs.VpcId", true, true},
		{"AWS::CloudFormation::Stack", "VpcId", false, true},
		{"AWS::DirectConnect::PrivateVirtualInterface", "BgpPeers.0.BgpPeerId", true, true},
		{"AWS::DirectConnect::PrivateVirtualInterface", "BgpPeers.x.BgpPeerId", false, true},
		{"AWS::CloudFormation::CustomResource", "Anything", false, false},
		{"Custom::Thing", "Anything", false, false},
		{"AWS::EC2::Subnett", "SubnetId", false, false},
		{"AWS::EC2", "X", false, false}, // a prefix of real types
	}
	for _, c := range cases {
		if has, ok := attrKnown(c.typ, c.attr, lookupTypes([]string{c.typ})); has != c.has || ok != c.ok {
			t.Errorf("attrKnown(%s, %s) = %v, %v; want %v, %v", c.typ, c.attr, has, ok, c.has, c.ok)
		}
	}
}

// TestRegionLacks reads the regions' bitmaps: a type of us-east-1 only,
// one most regions have, a region the list does not know.
func TestRegionLacks(t *testing.T) {
	cases := []struct {
		region, typ string
		lacks       bool
	}{
		{"us-east-1", "AWS::BCMDataExports::Export", false},
		{"ap-northeast-1", "AWS::BCMDataExports::Export", true},
		{"ap-southeast-1", "AWS::Timestream::Table", true},
		{"us-east-1", "AWS::Timestream::Table", false},
		{"ap-southeast-1", "AWS::EC2::VPC", false},
		{"eu-west-1", "AWS::ECS::Service", false},
		{"xx-nowhere-1", "AWS::BCMDataExports::Export", false},
		{"ap-northeast-1", "AWS::Foo::Bar", false}, // not a type at all: refused when read
	}
	for _, c := range cases {
		if got := regionMissing(c.region, []string{c.typ})[c.typ]; got != c.lacks {
			t.Errorf("regionMissing(%s, %s) = %v, want %v", c.region, c.typ, got, c.lacks)
		}
	}
	// The bits count the type lines in order: the first is bit 0, the
	// last bit N-1.
	n := 0
	first, last := "", ""
	for _, line := range strings.Split(resourceTypesText, "\n") {
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "@") {
			continue
		}
		typ, _, _ := strings.Cut(line, " ")
		if first == "" {
			first = typ
		}
		last = typ
		n++
	}
	found := lookupTypes([]string{first, last})
	if r, ok := found[first]; !ok || r.index != 0 {
		t.Errorf("lookupTypes(%s) = %+v, %v; want index 0", first, r, ok)
	}
	if r, ok := found[last]; !ok || r.index != n-1 {
		t.Errorf("lookupTypes(%s) = %+v, %v; want index %d", last, r, ok, n-1)
	}
}
