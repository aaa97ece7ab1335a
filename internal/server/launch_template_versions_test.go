package server_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// DeleteLaunchTemplateVersions deletes each version on its own: the
// default version and a version that does not exist are answered in
// UnsuccessfullyDeletedLaunchTemplateVersions with EC2's error codes, the
// others are deleted, and a deleted version's number is never given again.
func TestDeleteLaunchTemplateVersions(t *testing.T) {
	t.Parallel()
	e := sdkClients(newAccount(t, nil).URL).ec2
	lt, err := e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("web"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro}})
	must(t, err)
	id := aws.ToString(lt.LaunchTemplate.LaunchTemplateId)
	for range 2 {
		_, err := e.CreateLaunchTemplateVersion(ctx, &ec2.CreateLaunchTemplateVersionInput{LaunchTemplateId: aws.String(id),
			SourceVersion: aws.String("1"), LaunchTemplateData: &ec2types.RequestLaunchTemplateData{InstanceType: ec2types.InstanceTypeT3Small}})
		must(t, err)
	}
	out, err := e.DeleteLaunchTemplateVersions(ctx, &ec2.DeleteLaunchTemplateVersionsInput{LaunchTemplateName: aws.String("web"),
		Versions: []string{"3", "1", "9"}})
	must(t, err)
	var got []string
	for _, s := range out.SuccessfullyDeletedLaunchTemplateVersions {
		got = append(got, fmt.Sprintf("deleted %s %s %d", aws.ToString(s.LaunchTemplateId), aws.ToString(s.LaunchTemplateName), aws.ToInt64(s.VersionNumber)))
	}
	for _, u := range out.UnsuccessfullyDeletedLaunchTemplateVersions {
		got = append(got, fmt.Sprintf("kept %d %s", aws.ToInt64(u.VersionNumber), u.ResponseError.Code))
	}
	want := []string{"deleted " + id + " web 3", "kept 1 unexpectedError", "kept 9 launchTemplateVersionDoesNotExist"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("DeleteLaunchTemplateVersions:\n got %q\nwant %q", got, want)
	}
	v, err := e.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: aws.String(id)})
	must(t, err)
	var left []int64
	for _, x := range v.LaunchTemplateVersions {
		left = append(left, aws.ToInt64(x.VersionNumber))
	}
	if fmt.Sprint(left) != "[1 2]" && fmt.Sprint(left) != "[2 1]" {
		t.Errorf("versions left %v, want 1 and 2", left)
	}
	// Version 3's number is not given again.
	nv, err := e.CreateLaunchTemplateVersion(ctx, &ec2.CreateLaunchTemplateVersionInput{LaunchTemplateId: aws.String(id),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI)}})
	must(t, err)
	if n := aws.ToInt64(nv.LaunchTemplateVersion.VersionNumber); n != 4 {
		t.Errorf("version after deleting 3 is %d, want 4", n)
	}
	// A template that does not exist is reported for each version.
	out, err = e.DeleteLaunchTemplateVersions(ctx, &ec2.DeleteLaunchTemplateVersionsInput{LaunchTemplateId: aws.String("lt-0123456789abcdef0"), Versions: []string{"2"}})
	must(t, err)
	if len(out.UnsuccessfullyDeletedLaunchTemplateVersions) != 1 || out.UnsuccessfullyDeletedLaunchTemplateVersions[0].ResponseError.Code != ec2types.LaunchTemplateErrorCodeLaunchTemplateIdDoesNotExist {
		t.Errorf("missing template: %+v", out.UnsuccessfullyDeletedLaunchTemplateVersions)
	}
	_, err = e.DeleteLaunchTemplateVersions(ctx, &ec2.DeleteLaunchTemplateVersionsInput{LaunchTemplateId: aws.String(id), LaunchTemplateName: aws.String("web"), Versions: []string{"2"}})
	wantAPIError(t, err, "InvalidParameterCombination", "Either provide launch template ID or launch template name to delete the launch template versions.")
}

// DescribeLaunchTemplateVersions without a template ($Latest and $Default
// of every template) pages by MaxResults as a template's versions do: the
// Go SDK's paginator collects each template's two versions once. Until
// round thirty-six the call answered every version at once, without a
// NextToken, whatever MaxResults said.
func TestAllTemplatesVersionsPaged(t *testing.T) {
	t.Parallel()
	e := sdkClients(newAccount(t, nil).URL).ec2
	want := map[string]bool{}
	for i := range 3 {
		lt, err := e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String(fmt.Sprintf("web-%d", i)),
			LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro}})
		must(t, err)
		id := aws.ToString(lt.LaunchTemplate.LaunchTemplateId)
		_, err = e.CreateLaunchTemplateVersion(ctx, &ec2.CreateLaunchTemplateVersionInput{LaunchTemplateId: aws.String(id),
			SourceVersion: aws.String("1"), LaunchTemplateData: &ec2types.RequestLaunchTemplateData{InstanceType: ec2types.InstanceTypeT3Small}})
		must(t, err)
		want[id+" 1"], want[id+" 2"] = true, true
	}
	p := ec2.NewDescribeLaunchTemplateVersionsPaginator(e, &ec2.DescribeLaunchTemplateVersionsInput{Versions: []string{"$Latest", "$Default"},
		MaxResults: aws.Int32(2)})
	got, pages := map[string]bool{}, 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		must(t, err)
		pages++
		if len(out.LaunchTemplateVersions) > 2 {
			t.Fatalf("page %d holds %d versions, MaxResults 2", pages, len(out.LaunchTemplateVersions))
		}
		for _, v := range out.LaunchTemplateVersions {
			k := fmt.Sprintf("%s %d", aws.ToString(v.LaunchTemplateId), aws.ToInt64(v.VersionNumber))
			if got[k] {
				t.Errorf("version %s answered twice", k)
			}
			got[k] = true
		}
	}
	if pages != 3 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%d pages answered %v, want 3 pages of %v", pages, got, want)
	}
}
