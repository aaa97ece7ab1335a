package server_test

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// TestCloudFormationFixes26PolicyTimeout: a CreationPolicy's ResourceSignal
// Timeout longer than 12 hours, or not an ISO 8601 duration, fails the
// resource before it is made (CREATE_FAILED naming the value) and the stack
// rolls back; before, a malformed one was read as PT5M and one of PT13H
// waited 13 hours. PT12H, here given by a parameter, still waits.
func TestCloudFormationFixes26PolicyTimeout(t *testing.T) {
	em, clk := newClockedEmulator(t)
	cf := cfnClient(em.URL)
	body, err := os.ReadFile("../cfn/testdata/signalwait/instance.yaml")
	must(t, err)
	for _, c := range []struct{ timeout, want string }{
		{"PT13H", `Invalid CreationPolicy ResourceSignal Timeout "PT13H": the maximum is 12 hours (PT12H)`},
		{"P1D", `Invalid CreationPolicy ResourceSignal Timeout "P1D": the maximum is 12 hours (PT12H)`},
		{"15M", `Invalid CreationPolicy ResourceSignal Timeout "15M": it must be an ISO 8601 duration of the form PT#H#M#S`},
	} {
		name := "timeout-" + strings.ToLower(c.timeout)
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name),
			TemplateBody: aws.String(strings.Replace(string(body), "Timeout: PT15M", "Timeout: "+c.timeout, 1))})
		must(t, err)
		id := aws.ToString(out.StackId)
		waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
		if reason := failedEvent(t, cf, id, "Host"); reason != c.want {
			t.Errorf("Timeout %s: Host failed with %q, want %q", c.timeout, reason, c.want)
		}
	}
	byParam := strings.Replace(strings.Replace(string(body), "Timeout: PT15M", "Timeout: !Ref Wait", 1),
		"Parameters:\n", "Parameters:\n  Wait:\n    Type: String\n    Default: PT12H\n", 1)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("timeout-param"), TemplateBody: aws.String(byParam)})
	must(t, err)
	id := aws.ToString(out.StackId)
	clk.Advance(11 * time.Hour)
	time.Sleep(100 * time.Millisecond)
	if st := stackStatus(t, cf, id); st != cfntypes.StackStatusCreateInProgress {
		t.Fatalf("Timeout PT12H from a parameter, 11 hours on: %s, want CREATE_IN_PROGRESS", st)
	}
	clk.Advance(2 * time.Hour)
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	if reason, want := failedEvent(t, cf, id, "Host"), "Failed to receive 1 resource signal(s) within the specified duration"; reason != want {
		t.Errorf("Host failed with %q, want %q", reason, want)
	}
}

// heldTemplate is testdata/signalwait/instance.yaml with resources that
// depend on the waiting Host (DependsOn; Fn::GetAtt through a parameter
// that a security group then names), one that does not, and an output of
// a held one.
func heldTemplate(t *testing.T) string {
	t.Helper()
	body, err := os.ReadFile("../cfn/testdata/signalwait/instance.yaml")
	must(t, err)
	return string(body) + `  Independent:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: made at once
      VpcId: !Ref Vpc
  HostAddress:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: !GetAtt Host.PrivateIp
  AfterHost:
    Type: AWS::EC2::SecurityGroup
    DependsOn: HostAddress
    Properties:
      GroupDescription: after the host
      VpcId: !Ref Vpc
Outputs:
  After:
    Value: !Ref AfterHost
`
}

// TestCloudFormationFixes26HoldDependents: the resources that depend on
// a resource waiting for its signals (directly, or through another held
// one) are not created while it waits, as CloudFormation creates a
// resource only once what it depends on is CREATE_COMPLETE; the signal
// completes the host, then they are created (their events after the
// host's CREATE_COMPLETE), then the stack with its outputs. When the wait
// times out they are never created. Before, they were created at once.
func TestCloudFormationFixes26HoldDependents(t *testing.T) {
	em, clk := newClockedEmulator(t)
	cf := cfnClient(em.URL)
	logical := func(id string) []string {
		out, err := cf.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String(id)})
		must(t, err)
		var ids []string
		for _, r := range out.StackResources {
			ids = append(ids, aws.ToString(r.LogicalResourceId))
		}
		return ids
	}
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("held"), TemplateBody: aws.String(heldTemplate(t))})
	must(t, err)
	id := aws.ToString(out.StackId)
	eventually(t, "Independent made and Host waiting", func() bool {
		got := logical(id)
		return slices.Contains(got, "Independent") && slices.Contains(got, "Host")
	})
	if got := logical(id); !slices.Contains(got, "Independent") || slices.Contains(got, "HostAddress") || slices.Contains(got, "AfterHost") {
		t.Fatalf("while Host waits the stack has %v, want Independent and not HostAddress or AfterHost", got)
	}
	_, err = cf.SignalResource(ctx, &cloudformation.SignalResourceInput{StackName: aws.String("held"), LogicalResourceId: aws.String("Host"),
		UniqueId: aws.String("i-operator"), Status: cfntypes.ResourceSignalStatusSuccess})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	ev := stackEventsOf(t, cf, id)
	host := slices.Index(ev, "Host CREATE_COMPLETE ")
	addr := slices.Index(ev, "HostAddress CREATE_IN_PROGRESS ")
	after := slices.Index(ev, "AfterHost CREATE_COMPLETE ")
	done := slices.Index(ev, "held CREATE_COMPLETE ")
	if host < 0 || addr < host || after < addr || done < after {
		t.Errorf("events:\n%s\nwant Host CREATE_COMPLETE, then HostAddress and AfterHost, then the stack", strings.Join(ev, "\n"))
	}
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(id)})
	must(t, err)
	if o := ds.Stacks[0].Outputs; len(o) != 1 || !strings.HasPrefix(aws.ToString(o[0].OutputValue), "sg-") {
		t.Errorf("outputs %+v, want After, AfterHost's id", o)
	}

	// A held resource that fails once created fails the create, and the
	// rollback deletes the host with the rest.
	bad := strings.Replace(heldTemplate(t), "      GroupDescription: after the host\n      VpcId: !Ref Vpc", "      GroupDescription: after the host\n      VpcId: vpc-0123456789abcdef0", 1)
	out, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("held-bad"), TemplateBody: aws.String(bad)})
	must(t, err)
	id = aws.ToString(out.StackId)
	eventually(t, "Host waiting", func() bool { return slices.Contains(logical(id), "Host") })
	_, err = cf.SignalResource(ctx, &cloudformation.SignalResourceInput{StackName: aws.String("held-bad"), LogicalResourceId: aws.String("Host"),
		UniqueId: aws.String("i-operator"), Status: cfntypes.ResourceSignalStatusSuccess})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	ev = stackEventsOf(t, cf, id)
	if reason := failedEvent(t, cf, id, "AfterHost"); !strings.Contains(reason, "vpc-0123456789abcdef0") ||
		!slices.Contains(ev, "Host DELETE_COMPLETE ") || !slices.Contains(ev, "HostAddress DELETE_COMPLETE ") {
		t.Errorf("AfterHost failed with %q; events:\n%s\nwant the rollback to delete Host and HostAddress", reason, strings.Join(ev, "\n"))
	}

	out, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("held-timeout"), TemplateBody: aws.String(heldTemplate(t))})
	must(t, err)
	id = aws.ToString(out.StackId)
	eventually(t, "Host waiting", func() bool { return slices.Contains(logical(id), "Host") })
	clk.Advance(16 * time.Minute)
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	for _, e := range stackEventsOf(t, cf, id) {
		if strings.HasPrefix(e, "HostAddress ") || strings.HasPrefix(e, "AfterHost ") {
			t.Errorf("event %q of a resource held behind the failed Host", e)
		}
	}
}
