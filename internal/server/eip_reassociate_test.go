package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// AssociateAddress as the API reference describes it: mapping an address
// to the interface it is already mapped to again is no error (the call is
// idempotent), and an address mapped elsewhere moves unless the request
// says AllowReassociation=false ("Reassociation is automatic"). moto's
// test_eip_reassociate and test_eip_reassociate_nic make the same calls.
func TestAssociateAddressIdempotentAndAutomaticReassociation(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	sn, err := e.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{filter("default-for-az", "true")}})
	must(t, err)
	subnet := sn.Subnets[0].SubnetId
	eni := func() string {
		out, err := e.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: subnet})
		must(t, err)
		return aws.ToString(out.NetworkInterface.NetworkInterfaceId)
	}
	eni1, eni2 := eni(), eni()
	alloc, err := e.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc})
	must(t, err)
	assoc := func(ni string, allow *bool) (string, error) {
		out, err := e.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: alloc.AllocationId, NetworkInterfaceId: aws.String(ni), AllowReassociation: allow})
		if err != nil {
			return "", err
		}
		return aws.ToString(out.AssociationId), nil
	}
	first, err := assoc(eni1, nil)
	must(t, err)
	again, err := assoc(eni1, nil)
	if err != nil {
		t.Fatalf("AssociateAddress to the same interface again: %v (AWS: idempotent, no error)", err)
	}
	if again != first {
		t.Errorf("the same mapping again answered association %s, want the existing %s", again, first)
	}
	if _, err := assoc(eni1, aws.Bool(false)); err != nil {
		t.Errorf("AllowReassociation=false to the interface the address is on: %v (it refuses only another resource)", err)
	}
	_, err = assoc(eni2, aws.Bool(false))
	wantCode(t, err, "Resource.AlreadyAssociated")
	moved, err := assoc(eni2, nil)
	if err != nil {
		t.Fatalf("AssociateAddress to another interface without AllowReassociation: %v (AWS: reassociation is automatic)", err)
	}
	d, err := e.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{aws.ToString(alloc.AllocationId)}})
	must(t, err)
	if a := d.Addresses[0]; aws.ToString(a.NetworkInterfaceId) != eni2 || aws.ToString(a.AssociationId) != moved {
		t.Errorf("after the move the address is on %s (%s), want %s (%s)", aws.ToString(a.NetworkInterfaceId), aws.ToString(a.AssociationId), eni2, moved)
	}
	n, err := e.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{eni1}})
	must(t, err)
	if n.NetworkInterfaces[0].Association != nil {
		t.Errorf("the interface the address left still has %+v", n.NetworkInterfaces[0].Association)
	}
	_, err = e.DisassociateAddress(ctx, &ec2.DisassociateAddressInput{AssociationId: aws.String(first)})
	wantCode(t, err, "InvalidAssociationID.NotFound")
}
