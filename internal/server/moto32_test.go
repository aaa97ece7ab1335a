package server_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
)

func wantErrorPart32(t *testing.T, err error, code, msgPart string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code || !strings.Contains(ae.ErrorMessage(), msgPart) {
		t.Errorf("error %v, want %s containing %q", err, code, msgPart)
	}
}

// A managed prefix list that ModifyManagedPrefixList renamed or resized
// (the version stays) is modify-complete afterwards, as after a change of
// entries: terraform-provider-aws waits for modify-complete after raising
// max_entries (updateMaxEntry → waitManagedPrefixListModified). Adding a
// CIDR the list has is InvalidPrefixListModification "An entry with the
// CIDR (…) and description (…) already exists." (terraform-provider-aws#29204),
// and one CIDR in both AddEntries and RemoveEntries is InvalidParameterValue
// (the provider's description-only update splits into two calls for it).
func TestPrefixListModifyStates32(t *testing.T) {
	em := newEmulator(t, nil)
	c := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	created, err := c.CreateManagedPrefixList(ctx, &ec2.CreateManagedPrefixListInput{PrefixListName: aws.String("office"),
		AddressFamily: aws.String("IPv4"), MaxEntries: aws.Int32(2),
		Entries: []ec2types.AddPrefixListEntry{{Cidr: aws.String("10.0.0.0/16"), Description: aws.String("a")}}})
	must(t, err)
	id := created.PrefixList.PrefixListId
	state := func() ec2types.ManagedPrefixList {
		t.Helper()
		out, err := c.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{PrefixListIds: []string{aws.ToString(id)}})
		must(t, err)
		return out.PrefixLists[0]
	}
	if s := state(); s.State != ec2types.PrefixListStateCreateComplete {
		t.Fatalf("new list: %s", s.State)
	}

	_, err = c.ModifyManagedPrefixList(ctx, &ec2.ModifyManagedPrefixListInput{PrefixListId: id, MaxEntries: aws.Int32(5)})
	must(t, err)
	if s := state(); s.State != ec2types.PrefixListStateModifyComplete || aws.ToInt32(s.MaxEntries) != 5 || aws.ToInt64(s.Version) != 1 {
		t.Errorf("after a resize: state %s, max %d, version %d; want modify-complete, 5, 1", s.State, aws.ToInt32(s.MaxEntries), aws.ToInt64(s.Version))
	}

	other, err := c.CreateManagedPrefixList(ctx, &ec2.CreateManagedPrefixListInput{PrefixListName: aws.String("other"),
		AddressFamily: aws.String("IPv4"), MaxEntries: aws.Int32(2)})
	must(t, err)
	_, err = c.ModifyManagedPrefixList(ctx, &ec2.ModifyManagedPrefixListInput{PrefixListId: other.PrefixList.PrefixListId, PrefixListName: aws.String("renamed")})
	must(t, err)
	out, err := c.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{PrefixListIds: []string{aws.ToString(other.PrefixList.PrefixListId)}})
	must(t, err)
	if s := out.PrefixLists[0]; s.State != ec2types.PrefixListStateModifyComplete || aws.ToString(s.PrefixListName) != "renamed" {
		t.Errorf("after a rename: %s %q, want modify-complete \"renamed\"", s.State, aws.ToString(s.PrefixListName))
	}

	_, err = c.ModifyManagedPrefixList(ctx, &ec2.ModifyManagedPrefixListInput{PrefixListId: id,
		AddEntries: []ec2types.AddPrefixListEntry{{Cidr: aws.String("10.0.0.0/16"), Description: aws.String("a")}}})
	wantErrorPart32(t, err, "InvalidPrefixListModification", "An entry with the CIDR (10.0.0.0/16) and description (a) already exists.")

	_, err = c.ModifyManagedPrefixList(ctx, &ec2.ModifyManagedPrefixListInput{PrefixListId: id,
		AddEntries:    []ec2types.AddPrefixListEntry{{Cidr: aws.String("10.0.0.0/16"), Description: aws.String("b")}},
		RemoveEntries: []ec2types.RemovePrefixListEntry{{Cidr: aws.String("10.0.0.0/16")}}})
	wantErrorPart32(t, err, "InvalidParameterValue", "in both AddPrefixListEntries and RemovePrefixListEntries")
	entries, err := c.GetManagedPrefixListEntries(ctx, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: id})
	must(t, err)
	if len(entries.Entries) != 1 || aws.ToString(entries.Entries[0].Description) != "a" {
		t.Errorf("entries after the refused calls: %+v", entries.Entries)
	}
}

// DisassociateAddress by the deprecated PublicIp, which only EC2-Classic
// addresses took, is InvalidParameterValue "You must specify an association
// id when unmapping an address from a VPC instance" (vagrant-aws#540,
// NixOS/nixops#678); with neither member it is MissingParameter. The
// address stays associated.
func TestDisassociateAddressByPublicIP32(t *testing.T) {
	em := newEmulator(t, nil)
	c := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	igw, err := c.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})
	must(t, err)
	_, err = c.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: igw.InternetGateway.InternetGatewayId, VpcId: vpc.Vpc.VpcId})
	must(t, err)
	sub, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.0.0/24")})
	must(t, err)
	eni, err := c.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: sub.Subnet.SubnetId})
	must(t, err)
	addr, err := c.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc})
	must(t, err)
	assoc, err := c.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: addr.AllocationId, NetworkInterfaceId: eni.NetworkInterface.NetworkInterfaceId})
	must(t, err)

	_, err = c.DisassociateAddress(ctx, &ec2.DisassociateAddressInput{PublicIp: addr.PublicIp})
	wantErrorPart32(t, err, "InvalidParameterValue", "You must specify an association id when unmapping an address from a VPC instance")
	_, err = c.DisassociateAddress(ctx, &ec2.DisassociateAddressInput{})
	wantErrorPart32(t, err, "MissingParameter", "associationId")
	out, err := c.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{aws.ToString(addr.AllocationId)}})
	must(t, err)
	if got := aws.ToString(out.Addresses[0].AssociationId); got != aws.ToString(assoc.AssociationId) {
		t.Errorf("association after the refused calls: %q, want %q", got, aws.ToString(assoc.AssociationId))
	}
}

// A rejected or failed VPC peering connection cannot be deleted
// (DeleteVpcPeeringConnection: "You cannot delete a VPC peering connection
// that's in the failed or rejected state"): InvalidStateTransition
// "… attempted to transition from rejected to deleting", the text
// terraform-provider-aws matches ("to deleting") to take it for gone. A
// deleted one answers the same way; a pending or active one is deleted.
func TestDeletePeeringStates32(t *testing.T) {
	em := newEmulator(t, nil)
	c := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	vpc := func(cidr string) *string {
		v, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr)})
		must(t, err)
		return v.Vpc.VpcId
	}
	a, b := vpc("10.0.0.0/16"), vpc("10.1.0.0/16")
	peer := func(x, y *string) *string {
		p, err := c.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: x, PeerVpcId: y})
		must(t, err)
		return p.VpcPeeringConnection.VpcPeeringConnectionId
	}
	status := func(id *string) string {
		out, err := c.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{aws.ToString(id)}})
		must(t, err)
		return string(out.VpcPeeringConnections[0].Status.Code)
	}

	rejected := peer(a, b)
	_, err := c.RejectVpcPeeringConnection(ctx, &ec2.RejectVpcPeeringConnectionInput{VpcPeeringConnectionId: rejected})
	must(t, err)
	_, err = c.DeleteVpcPeeringConnection(ctx, &ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: rejected})
	wantErrorPart32(t, err, "InvalidStateTransition", "Invalid state transition for "+aws.ToString(rejected)+", attempted to transition from rejected to deleting")
	if s := status(rejected); s != "rejected" {
		t.Errorf("the rejected connection after DeleteVpcPeeringConnection: %s", s)
	}

	pending := peer(a, b)
	_, err = c.DeleteVpcPeeringConnection(ctx, &ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: pending})
	must(t, err)
	if s := status(pending); s != "deleted" {
		t.Errorf("the pending connection after DeleteVpcPeeringConnection: %s", s)
	}
	_, err = c.DeleteVpcPeeringConnection(ctx, &ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: pending})
	wantErrorPart32(t, err, "InvalidStateTransition", "attempted to transition from deleted to deleting")
}

// ModifyVpcAttribute takes one attribute per call: two are
// InvalidParameterCombination "Fields for multiple attribute types
// specified: …", naming those the request gave (aws/aws-sdk-go#415,
// kubernetes-sigs/cluster-api-provider-aws#783,
// aws/aws-tools-for-powershell#404), and neither is applied.
func TestModifyVpcAttributeOneAtATime32(t *testing.T) {
	em := newEmulator(t, nil)
	c := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	v, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	on := &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}
	_, err = c.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: v.Vpc.VpcId, EnableDnsSupport: on, EnableDnsHostnames: on})
	wantErrorPart32(t, err, "InvalidParameterCombination", "Fields for multiple attribute types specified: enableDnsSupport, enableDnsHostnames")
	_, err = c.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: v.Vpc.VpcId, EnableDnsSupport: on, EnableNetworkAddressUsageMetrics: on})
	wantErrorPart32(t, err, "InvalidParameterCombination", "Fields for multiple attribute types specified: enableDnsSupport, enableNetworkAddressUsageMetrics")
	attr, err := c.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: v.Vpc.VpcId, Attribute: ec2types.VpcAttributeNameEnableDnsHostnames})
	must(t, err)
	if aws.ToBool(attr.EnableDnsHostnames.Value) {
		t.Error("enableDnsHostnames was applied by the refused call")
	}
	_, err = c.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: v.Vpc.VpcId, EnableDnsHostnames: on})
	must(t, err)
}
