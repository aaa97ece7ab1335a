package server_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// TestListAttachedPoliciesPagingWhilePoliciesDetach: a policy detached
// between two pages of ListAttachedRolePolicies or
// ListAttachedUserPolicies skips none of the others. Until round
// thirty-seven a Marker was a place in the order attached, and detaching
// the first page's policy moved the next one onto the place the first
// page had ended at.
func TestListAttachedPoliciesPagingWhilePoliciesDetach(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := iamClient(em.URL)
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}`
	var arns []string
	for _, name := range []string{"alpha", "bravo", "charlie", "delta"} {
		p, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(name), PolicyDocument: aws.String(doc)})
		must(t, err)
		arns = append(arns, aws.ToString(p.Policy.Arn))
	}
	_, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(trustFor("ecs-tasks.amazonaws.com"))})
	must(t, err)
	_, err = c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")})
	must(t, err)
	for _, a := range arns {
		_, err = c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String(a)})
		must(t, err)
		_, err = c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: aws.String(a)})
		must(t, err)
	}
	// read pages two policies at a time, calling between after the first
	// page, and returns the policies' names.
	read := func(next func() (names []string, more bool), between func(first []string)) []string {
		got, more := next()
		between(got)
		for page := 0; more; page++ {
			if page > 5 {
				t.Fatal("more than 5 pages")
			}
			var names []string
			names, more = next()
			got = append(got, names...)
		}
		return got
	}
	roleNames := func(out *iam.ListAttachedRolePoliciesOutput) (names []string) {
		for _, p := range out.AttachedPolicies {
			names = append(names, aws.ToString(p.PolicyName))
		}
		return names
	}
	rolePages := iam.NewListAttachedRolePoliciesPaginator(c, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("r"), MaxItems: aws.Int32(2)})
	got := read(func() ([]string, bool) {
		out, err := rolePages.NextPage(ctx)
		must(t, err)
		return roleNames(out), rolePages.HasMorePages()
	}, func(first []string) {
		if len(first) != 2 {
			t.Fatalf("the role's first page: %v, want 2 policies", first)
		}
		_, err := c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String(arns[slices.Index([]string{"alpha", "bravo", "charlie", "delta"}, first[0])])})
		must(t, err)
	})
	if want := []string{"alpha", "bravo", "charlie", "delta"}; !slices.Equal(got, want) {
		t.Errorf("ListAttachedRolePolicies, the first page's first policy detached before the second page: %v, want %v", got, want)
	}

	userPages := iam.NewListAttachedUserPoliciesPaginator(c, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("u"), MaxItems: aws.Int32(2)})
	got = read(func() ([]string, bool) {
		out, err := userPages.NextPage(ctx)
		must(t, err)
		var names []string
		for _, p := range out.AttachedPolicies {
			names = append(names, aws.ToString(p.PolicyName))
		}
		return names, userPages.HasMorePages()
	}, func(first []string) {
		if len(first) != 2 {
			t.Fatalf("the user's first page: %v, want 2 policies", first)
		}
		_, err := c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("u"), PolicyArn: aws.String(arns[slices.Index([]string{"alpha", "bravo", "charlie", "delta"}, first[0])])})
		must(t, err)
	})
	if want := []string{"alpha", "bravo", "charlie", "delta"}; !slices.Equal(got, want) {
		t.Errorf("ListAttachedUserPolicies, the first page's first policy detached before the second page: %v, want %v", got, want)
	}
}
