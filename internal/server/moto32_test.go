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
