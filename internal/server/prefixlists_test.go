package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Customer-managed prefix lists: versions, entries, references from
// security group rules and routes, and the AWS-managed lists beside them.
func TestManagedPrefixLists(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	c, err := e.CreateManagedPrefixList(ctx, &ec2.CreateManagedPrefixListInput{PrefixListName: aws.String("office"), AddressFamily: aws.String("IPv4"),
		MaxEntries: aws.Int32(3), Entries: []ec2types.AddPrefixListEntry{{Cidr: aws.String("203.0.113.0/24"), Description: aws.String("HQ")}}})
	must(t, err)
	id := aws.ToString(c.PrefixList.PrefixListId)
	if aws.ToInt64(c.PrefixList.Version) != 1 || aws.ToString(c.PrefixList.OwnerId) != "123456789012" {
		t.Errorf("created: version %d owner %s", aws.ToInt64(c.PrefixList.Version), aws.ToString(c.PrefixList.OwnerId))
	}
	m, err := e.ModifyManagedPrefixList(ctx, &ec2.ModifyManagedPrefixListInput{PrefixListId: &id, CurrentVersion: aws.Int64(1),
		AddEntries: []ec2types.AddPrefixListEntry{{Cidr: aws.String("198.51.100.0/24")}}})
	must(t, err)
	if aws.ToInt64(m.PrefixList.Version) != 2 {
		t.Errorf("version after modify: %d", aws.ToInt64(m.PrefixList.Version))
	}
	_, err = e.ModifyManagedPrefixList(ctx, &ec2.ModifyManagedPrefixListInput{PrefixListId: &id, CurrentVersion: aws.Int64(1),
		RemoveEntries: []ec2types.RemovePrefixListEntry{{Cidr: aws.String("198.51.100.0/24")}}})
	wantAPIError(t, err, "PrefixListVersionMismatch", "The prefix list has the incorrect version number.")
	ent, err := e.GetManagedPrefixListEntries(ctx, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: &id})
	must(t, err)
	if len(ent.Entries) != 2 || aws.ToString(ent.Entries[0].Description) != "HQ" {
		t.Errorf("entries: %+v", ent.Entries)
	}
	all, err := e.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{})
	must(t, err)
	aws3 := 0
	for _, p := range all.PrefixLists {
		if aws.ToString(p.OwnerId) == "AWS" {
			aws3++
		}
	}
	// AWS's: S3's, DynamoDB's and CloudFront's origin-facing list.
	if len(all.PrefixLists) != 4 || aws3 != 3 {
		t.Errorf("DescribeManagedPrefixLists: %d lists, %d of AWS", len(all.PrefixLists), aws3)
	}
	pls, err := e.DescribePrefixLists(ctx, &ec2.DescribePrefixListsInput{})
	must(t, err)
	if len(pls.PrefixLists) != 2 {
		t.Errorf("DescribePrefixLists shows %d lists, want AWS's 2", len(pls.PrefixLists))
	}
	g, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web")})
	must(t, err)
	_, err = e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: g.GroupId, IpPermissions: []ec2types.IpPermission{{
		IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), PrefixListIds: []ec2types.PrefixListId{{PrefixListId: &id}}}}})
	must(t, err)
	// AWS accepts deleting a list a rule references; the deletion fails
	// afterwards and the list stays, delete-failed.
	del, err := e.DeleteManagedPrefixList(ctx, &ec2.DeleteManagedPrefixListInput{PrefixListId: &id})
	must(t, err)
	if del.PrefixList.State != ec2types.PrefixListStateDeleteInProgress {
		t.Errorf("DeleteManagedPrefixList of a list in use: state %q, want delete-in-progress", del.PrefixList.State)
	}
	left, err := e.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{PrefixListIds: []string{id}})
	must(t, err)
	if len(left.PrefixLists) != 1 || left.PrefixLists[0].State != ec2types.PrefixListStateDeleteFailed ||
		aws.ToString(left.PrefixLists[0].StateMessage) != "The prefix list "+id+" is referenced by security group "+aws.ToString(g.GroupId)+"." {
		t.Errorf("a list whose deletion failed: %+v", left.PrefixLists)
	}
	_, err = e.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: g.GroupId})
	must(t, err)
	_, err = e.DeleteManagedPrefixList(ctx, &ec2.DeleteManagedPrefixListInput{PrefixListId: &id})
	must(t, err)
	// A deleted list is still described, delete-complete (Terraform's
	// finder reads that state as gone); nothing else finds it.
	gone, err := e.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{PrefixListIds: []string{id}})
	must(t, err)
	if len(gone.PrefixLists) != 1 || gone.PrefixLists[0].State != ec2types.PrefixListStateDeleteComplete || gone.PrefixLists[0].StateMessage != nil {
		t.Errorf("a deleted list: %+v", gone.PrefixLists)
	}
	all, err = e.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{Filters: []ec2types.Filter{filter("owner-id", "123456789012")}})
	must(t, err)
	if len(all.PrefixLists) != 1 || all.PrefixLists[0].State != ec2types.PrefixListStateDeleteComplete {
		t.Errorf("the account's lists after the deletion: %+v", all.PrefixLists)
	}
	_, err = e.GetManagedPrefixListEntries(ctx, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: &id})
	wantAPIError(t, err, "InvalidPrefixListID.NotFound", "The prefix list ID '"+id+"' does not exist")
	_, err = e.DeleteManagedPrefixList(ctx, &ec2.DeleteManagedPrefixListInput{PrefixListId: &id})
	wantAPIError(t, err, "InvalidPrefixListID.NotFound", "The prefix list ID '"+id+"' does not exist")
	_, err = e.ModifyManagedPrefixList(ctx, &ec2.ModifyManagedPrefixListInput{PrefixListId: aws.String("pl-63a5400a"), PrefixListName: aws.String("x")})
	wantAPIError(t, err, "InvalidPrefixListModification", "The prefix list pl-63a5400a is managed by AWS and cannot be modified.")
}
