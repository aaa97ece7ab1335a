package cfn

import "testing"

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
		if has, ok := attrKnown(c.typ, c.attr); has != c.has || ok != c.ok {
			t.Errorf("attrKnown(%s, %s) = %v, %v; want %v, %v", c.typ, c.attr, has, ok, c.has, c.ok)
		}
	}
}
