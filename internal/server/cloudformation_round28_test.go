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
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/ecsnet/ecsnet/internal/server"
)

// TestCloudFormationRound28NestedHoldsOwnDependents: inside a nested
// stack, what depends on the stack's ECS service (the parameter recording
// its name) is created only once the service has stabilized, as at top
// level: the nested stack's events show WebService CREATE_COMPLETE before
// ServiceName CREATE_IN_PROGRESS, then the nested stack's CREATE_COMPLETE;
// the parent's App completes after, then Recorded (which reads the nested
// stack's output). When the service's circuit breaker trips, the nested
// stack's ServiceName is never created. Before round twenty-eight the
// nested stack created ServiceName at once, before the service had a task.
func TestCloudFormationRound28NestedHoldsOwnDependents(t *testing.T) {
	em := newEmulatorWith(t, server.Options{StackStabilizeTimeout: 20 * time.Second})
	cf := cfnClient(em.URL)
	putNestedServiceTemplate(t, em.URL)
	create := func(name, online string) (string, string) {
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(nestedServiceParent),
			Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Online"), ParameterValue: aws.String(online)}}})
		must(t, err)
		r, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: out.StackId, LogicalResourceId: aws.String("App")})
		must(t, err)
		return aws.ToString(out.StackId), aws.ToString(r.StackResourceDetail.PhysicalResourceId)
	}
	ok, nested := create("outer28", "true")
	// While the service stabilizes, its dependent does not exist.
	if ev := stackEventsOf(t, cf, nested); slices.ContainsFunc(ev, func(e string) bool { return strings.HasPrefix(e, "ServiceName ") }) {
		t.Errorf("nested stack events before the service is stable:\n%s\nwant no ServiceName yet", strings.Join(ev, "\n"))
	}
	waitStack(t, cf, ok, cfntypes.StackStatusCreateComplete)
	if st := stackStatus(t, cf, nested); st != cfntypes.StackStatusCreateComplete {
		t.Errorf("the nested stack: %s, want CREATE_COMPLETE", st)
	}
	ev := stackEventsOf(t, cf, nested)
	svc, param := slices.Index(ev, "WebService CREATE_COMPLETE "), slices.Index(ev, "ServiceName CREATE_IN_PROGRESS ")
	done := slices.Index(ev, "ServiceName CREATE_COMPLETE ")
	last := ev[len(ev)-1]
	if svc < 0 || param < svc || done < param || !strings.HasPrefix(last, "outer28-App-") || !strings.HasSuffix(last, " CREATE_COMPLETE ") {
		t.Errorf("nested stack events:\n%s\nwant WebService CREATE_COMPLETE, then ServiceName created, then the stack's CREATE_COMPLETE", strings.Join(ev, "\n"))
	}
	ev = stackEventsOf(t, cf, ok)
	if app, rec := slices.Index(ev, "App CREATE_COMPLETE "), slices.Index(ev, "Recorded CREATE_IN_PROGRESS "); app < 0 || rec < app {
		t.Errorf("parent events:\n%s\nwant App CREATE_COMPLETE before Recorded", strings.Join(ev, "\n"))
	}
	if strings.Count(strings.Join(ev, "\n"), "App CREATE_COMPLETE") != 1 {
		t.Errorf("parent events:\n%s\nwant one App CREATE_COMPLETE", strings.Join(ev, "\n"))
	}
	// The nested stack's output, and the parent's resource reading it.
	outs := stackOutputs(t, cf, nested)
	if !strings.HasPrefix(outs["ServiceName"], "outer28-App-") {
		t.Errorf("nested outputs %v, want the service's name", outs)
	}
	rd, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String(ok), LogicalResourceId: aws.String("Recorded")})
	must(t, err)
	p, err := ssmClient(em.URL).GetParameter(ctx, &ssm.GetParameterInput{Name: rd.StackResourceDetail.PhysicalResourceId})
	must(t, err)
	if got := aws.ToString(p.Parameter.Value); got != outs["ServiceName"] {
		t.Errorf("Recorded holds %q, want the nested stack's output %q", got, outs["ServiceName"])
	}

	bad, nested := create("outer28-offline", "false")
	waitStack(t, cf, bad, cfntypes.StackStatusRollbackComplete)
	for _, e := range stackEventsOf(t, cf, nested) {
		if strings.HasPrefix(e, "ServiceName ") {
			t.Errorf("the nested parameter that depends on the failed service was created: %s", e)
		}
	}
}

// TestCloudFormationRound28NestedFailsInItsOwnEvents: a nested stack whose
// ECS service fails to stabilize (its circuit breaker trips, in the
// background step) fails in its own events as CloudFormation shows them:
// WebService CREATE_FAILED with the breaker's reason, the nested stack
// ROLLBACK_IN_PROGRESS "The following resource(s) failed to create:
// [WebService]. Rollback requested by user.", its resources' deletion,
// ROLLBACK_COMPLETE, and then the parent's rollback deletes it
// (DELETE_IN_PROGRESS, DELETE_COMPLETE). With OnFailure DO_NOTHING the
// nested stack is CREATE_FAILED with that reason. Before round
// twenty-eight the nested stack went from CREATE_IN_PROGRESS straight to
// DELETE_COMPLETE (DO_NOTHING: it stayed CREATE_IN_PROGRESS).
func TestCloudFormationRound28NestedFailsInItsOwnEvents(t *testing.T) {
	em := newEmulatorWith(t, server.Options{StackStabilizeTimeout: 20 * time.Second})
	cf := cfnClient(em.URL)
	putNestedServiceTemplate(t, em.URL)
	create := func(name string, onFailure cfntypes.OnFailure) (string, string) {
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(nestedServiceParent),
			OnFailure:  onFailure,
			Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Online"), ParameterValue: aws.String("false")}}})
		must(t, err)
		r, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: out.StackId, LogicalResourceId: aws.String("App")})
		must(t, err)
		return aws.ToString(out.StackId), aws.ToString(r.StackResourceDetail.PhysicalResourceId)
	}
	reason := "The following resource(s) failed to create: [WebService]. "
	id, nested := create("fail28", cfntypes.OnFailureRollback)
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	ev := stackEventsOf(t, cf, nested)
	name := ev[0][:strings.Index(ev[0], " ")]
	at := func(e string) int { return slices.Index(ev, e) }
	failed := slices.IndexFunc(ev, func(e string) bool {
		return strings.HasPrefix(e, "WebService CREATE_FAILED ") && strings.Contains(e, "ECS Deployment Circuit Breaker was triggered")
	})
	rollback := at(name + " ROLLBACK_IN_PROGRESS " + reason + "Rollback requested by user.")
	deleted := at("WebService DELETE_COMPLETE ")
	done := at(name + " ROLLBACK_COMPLETE ")
	delStart, delDone := at(name+" DELETE_IN_PROGRESS User Initiated"), at(name+" DELETE_COMPLETE ")
	if failed < 0 || rollback < failed || deleted < rollback || done < deleted || delStart < done || delDone < delStart || delDone != len(ev)-1 {
		t.Errorf("nested stack events:\n%s\nwant WebService CREATE_FAILED, ROLLBACK_IN_PROGRESS %q, the deletion, ROLLBACK_COMPLETE, then DELETE_IN_PROGRESS and DELETE_COMPLETE", strings.Join(ev, "\n"), reason)
	}
	if st := stackStatus(t, cf, nested); st != cfntypes.StackStatusDeleteComplete {
		t.Errorf("the nested stack after the parent's rollback: %s, want DELETE_COMPLETE", st)
	}

	id, nested = create("fail28-keep", cfntypes.OnFailureDoNothing)
	waitStack(t, cf, id, cfntypes.StackStatusCreateFailed)
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(nested)})
	must(t, err)
	if st := ds.Stacks[0]; st.StackStatus != cfntypes.StackStatusCreateFailed || aws.ToString(st.StackStatusReason) != reason {
		t.Errorf("the nested stack with DO_NOTHING: %s %q, want CREATE_FAILED %q", st.StackStatus, aws.ToString(st.StackStatusReason), reason)
	}
	if ev := stackEventsOf(t, cf, nested); !slices.Contains(ev, ev[0][:strings.Index(ev[0], " ")]+" CREATE_FAILED "+reason) {
		t.Errorf("nested stack events:\n%s\nwant its CREATE_FAILED %q", strings.Join(ev, "\n"), reason)
	}
}

// putTemplates28 stores nested templates in a bucket of the emulator's S3.
func putTemplates28(t *testing.T, url, bucket string, objects map[string]string) {
	t.Helper()
	s3c := s3Client(url, "us-east-1", true)
	_, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)})
	must(t, err)
	for key, body := range objects {
		_, err = s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader(body)})
		must(t, err)
	}
}

// nestedUpdateParent nests the round-27 service fixture (a Fargate
// service behind a load balancer) from the bucket templates28u; Key names
// the object (svc.yaml, or svc2.yaml: another image), Minutes is the
// nested stack's TimeoutInMinutes.
const nestedUpdateParent = `Parameters:
  Key: {Type: String}
  Minutes: {Type: Number, Default: 30}
Resources:
  Svc:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: !Sub https://templates28u.s3.amazonaws.com/${Key}
      TimeoutInMinutes: !Ref Minutes
      Parameters: {Online: "true"}
Outputs:
  Service: {Value: !GetAtt Svc.Outputs.ServiceName}
`

// TestCloudFormationRound28NestedUpdateWaitsForService: an update that
// changes the ECS service of a nested stack waits for it to stabilize as
// a create does: while it does, the nested stack and the parent's
// AWS::CloudFormation::Stack resource are UPDATE_IN_PROGRESS; then the
// nested stack's events show Service UPDATE_COMPLETE, its
// UPDATE_COMPLETE_CLEANUP_IN_PROGRESS and UPDATE_COMPLETE, and the
// parent's Svc UPDATE_COMPLETE comes after. Before round twenty-eight the
// parent's resource was UPDATE_COMPLETE at once and the nested stack's
// record was never updated (no events, its old template).
func TestCloudFormationRound28NestedUpdateWaitsForService(t *testing.T) {
	em := newEmulatorWith(t, server.Options{StackStabilizeTimeout: 20 * time.Second})
	cf := cfnClient(em.URL)
	raw, err := os.ReadFile("../cfn/testdata/round27/service-dependents.yaml")
	must(t, err)
	body := string(raw)
	// A new image: a new task definition, and a new deployment of the
	// service that has to reach steady state.
	newImage := strings.Replace(body, "httpd:2.4", "httpd:2.4.62", 1)
	putTemplates28(t, em.URL, "templates28u", map[string]string{"svc.yaml": body, "svc2.yaml": newImage})
	params := func(key string) []cfntypes.Parameter {
		return []cfntypes.Parameter{{ParameterKey: aws.String("Key"), ParameterValue: aws.String(key)}}
	}
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("up28"), TemplateBody: aws.String(nestedUpdateParent), Parameters: params("svc.yaml")})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStackFor(t, cf, id, cfntypes.StackStatusCreateComplete, 20*time.Second)
	r, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: out.StackId, LogicalResourceId: aws.String("Svc")})
	must(t, err)
	nested := aws.ToString(r.StackResourceDetail.PhysicalResourceId)
	n, nn := len(stackEventsOf(t, cf, id)), len(stackEventsOf(t, cf, nested))

	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("up28"), TemplateBody: aws.String(nestedUpdateParent), Parameters: params("svc2.yaml")})
	must(t, err)
	nestedNow := stackStatus(t, cf, nested)
	rs, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: out.StackId, LogicalResourceId: aws.String("Svc")})
	must(t, err)
	if stackStatus(t, cf, id) == cfntypes.StackStatusUpdateInProgress &&
		(nestedNow != cfntypes.StackStatusUpdateInProgress || rs.StackResourceDetail.ResourceStatus != cfntypes.ResourceStatusUpdateInProgress) {
		t.Errorf("while the nested service stabilizes: nested stack %s, parent's Svc %s; want both UPDATE_IN_PROGRESS", nestedNow, rs.StackResourceDetail.ResourceStatus)
	}
	waitStackFor(t, cf, id, cfntypes.StackStatusUpdateComplete, 20*time.Second)
	if st := stackStatus(t, cf, nested); st != cfntypes.StackStatusUpdateComplete {
		t.Errorf("the nested stack after the update: %s, want UPDATE_COMPLETE", st)
	}
	ev := eventsSince(t, cf, nested, nn)
	if len(ev) == 0 {
		t.Fatal("the nested stack has no events of the update")
	}
	name := strings.Fields(ev[0])[0]
	start, svc := slices.Index(ev, name+" UPDATE_IN_PROGRESS User Initiated"), slices.Index(ev, "WebService UPDATE_COMPLETE ")
	cleanup, old := slices.Index(ev, name+" UPDATE_COMPLETE_CLEANUP_IN_PROGRESS "), slices.Index(ev, "Web DELETE_COMPLETE ")
	if start != 0 || svc < 0 || cleanup < svc || old < cleanup || ev[len(ev)-1] != name+" UPDATE_COMPLETE " {
		t.Errorf("nested stack events:\n%s\nwant UPDATE_IN_PROGRESS, WebService UPDATE_COMPLETE, the cleanup (the old Web deleted), UPDATE_COMPLETE", strings.Join(ev, "\n"))
	}
	ev = eventsSince(t, cf, id, n)
	want := []string{"up28 UPDATE_IN_PROGRESS User Initiated", "Svc UPDATE_IN_PROGRESS ", "Svc UPDATE_COMPLETE ",
		"up28 UPDATE_COMPLETE_CLEANUP_IN_PROGRESS ", "up28 UPDATE_COMPLETE "}
	if !slices.Equal(ev, want) {
		t.Errorf("parent events:\n%s\nwant:\n%s", strings.Join(ev, "\n"), strings.Join(want, "\n"))
	}
	if svcAt, parentAt := eventTime(t, cf, nested, "WebService", "UPDATE_COMPLETE"), eventTime(t, cf, id, "Svc", "UPDATE_COMPLETE"); parentAt.Before(svcAt) {
		t.Errorf("the parent's Svc UPDATE_COMPLETE at %v, before the nested service's at %v", parentAt, svcAt)
	}
	tpl, err := cf.GetTemplate(ctx, &cloudformation.GetTemplateInput{StackName: aws.String(nested)})
	must(t, err)
	if !strings.Contains(aws.ToString(tpl.TemplateBody), "httpd:2.4.62") {
		t.Errorf("the nested stack's template after the update:\n%s\nwant the new one", aws.ToString(tpl.TemplateBody))
	}
}

// TestCloudFormationRound28NestedUpdateFails: when the service of a
// nested stack fails to stabilize after an update (its new deployment
// cannot pull its image; the circuit breaker trips), the parent's
// resource is UPDATE_FAILED "Embedded stack ARN was not successfully
// updated. Currently in UPDATE_ROLLBACK_IN_PROGRESS with reason: The
// following resource(s) failed to update: [WebService].", the parent's
// reason names Svc, and the nested stack's own events show WebService
// UPDATE_FAILED, its UPDATE_ROLLBACK_IN_PROGRESS and, once the parent's
// rollback is done, UPDATE_ROLLBACK_COMPLETE, its template the old one.
// Before round twenty-eight the parent's reason named "Svc/WebService"
// and the nested stack was left UPDATE_COMPLETE with the failed template.
func TestCloudFormationRound28NestedUpdateFails(t *testing.T) {
	em := newEmulatorWith(t, server.Options{StackStabilizeTimeout: 20 * time.Second})
	cf := cfnClient(em.URL)
	raw, err := os.ReadFile("../cfn/testdata/round27/service-dependents.yaml")
	must(t, err)
	body := string(raw)
	offline := strings.Replace(body, "AssignPublicIp: !If [IsOnline, ENABLED, DISABLED]", "AssignPublicIp: DISABLED", 1)
	if offline == body {
		t.Fatal("the fixture has no AssignPublicIp to change")
	}
	putTemplates28(t, em.URL, "templates28u", map[string]string{"svc.yaml": body, "offline.yaml": offline})
	params := func(key string) []cfntypes.Parameter {
		return []cfntypes.Parameter{{ParameterKey: aws.String("Key"), ParameterValue: aws.String(key)}}
	}
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("up28f"), TemplateBody: aws.String(nestedUpdateParent), Parameters: params("svc.yaml")})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStackFor(t, cf, id, cfntypes.StackStatusCreateComplete, 20*time.Second)
	r, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: out.StackId, LogicalResourceId: aws.String("Svc")})
	must(t, err)
	nested := aws.ToString(r.StackResourceDetail.PhysicalResourceId)
	n, nn := len(stackEventsOf(t, cf, id)), len(stackEventsOf(t, cf, nested))

	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("up28f"), TemplateBody: aws.String(nestedUpdateParent), Parameters: params("offline.yaml")})
	must(t, err)
	waitStackFor(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete, 20*time.Second)
	ev := eventsSince(t, cf, id, n)
	want := "Svc UPDATE_FAILED Embedded stack " + nested + " was not successfully updated. Currently in UPDATE_ROLLBACK_IN_PROGRESS with reason: The following resource(s) failed to update: [WebService]."
	if !slices.Contains(ev, want) || !slices.Contains(ev, "up28f UPDATE_ROLLBACK_IN_PROGRESS The following resource(s) failed to update: [Svc]. ") {
		t.Errorf("parent events:\n%s\nwant %q and the stack's reason naming Svc", strings.Join(ev, "\n"), want)
	}
	if st := stackStatus(t, cf, nested); st != cfntypes.StackStatusUpdateRollbackComplete {
		t.Errorf("the nested stack after the rollback: %s, want UPDATE_ROLLBACK_COMPLETE", st)
	}
	ev = eventsSince(t, cf, nested, nn)
	if len(ev) == 0 {
		t.Fatal("the nested stack has no events of the update")
	}
	name := strings.Fields(ev[0])[0]
	failed := slices.IndexFunc(ev, func(e string) bool {
		return strings.HasPrefix(e, "WebService UPDATE_FAILED ") && strings.Contains(e, "ECS Deployment Circuit Breaker was triggered")
	})
	rollback := slices.Index(ev, name+" UPDATE_ROLLBACK_IN_PROGRESS The following resource(s) failed to update: [WebService]. ")
	if failed < 0 || rollback < failed || ev[len(ev)-1] != name+" UPDATE_ROLLBACK_COMPLETE " {
		t.Errorf("nested stack events:\n%s\nwant WebService UPDATE_FAILED, UPDATE_ROLLBACK_IN_PROGRESS, then UPDATE_ROLLBACK_COMPLETE", strings.Join(ev, "\n"))
	}
	tpl, err := cf.GetTemplate(ctx, &cloudformation.GetTemplateInput{StackName: aws.String(nested)})
	must(t, err)
	if strings.Contains(aws.ToString(tpl.TemplateBody), "AssignPublicIp: DISABLED") {
		t.Error("the nested stack's template after the rollback is the failed update's")
	}
}

// TestCloudFormationRound28UpdateHoldsDependents: an update holds back
// what depends on the ECS service it changed until the service's new
// deployment has stabilized, as a create does: a parameter the update adds
// recording the service's ARN is created after WebService's
// UPDATE_COMPLETE, then the cleanup; the stack's outputs are the new
// template's. When the new deployment fails (its tasks cannot pull their
// image), the parameter is never created and the stack rolls back.
// Before round twenty-eight the parameter was created at once, while the
// service still had no task of its new deployment running.
func TestCloudFormationRound28UpdateHoldsDependents(t *testing.T) {
	em := newEmulatorWith(t, server.Options{StackStabilizeTimeout: 20 * time.Second})
	cf := cfnClient(em.URL)
	raw, err := os.ReadFile("../cfn/testdata/round27/service-dependents.yaml")
	must(t, err)
	body := string(raw)
	// The update: a new image (a new task definition, a new deployment)
	// and a parameter that depends on the service.
	updated := strings.Replace(body, "httpd:2.4", "httpd:2.4.62", 1)
	updated = strings.Replace(updated, "Outputs:\n", `  ServiceArn:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: !Ref WebService
Outputs:
  ServiceArn: {Value: !GetAtt ServiceArn.Value}
`, 1)
	if !strings.Contains(updated, "ServiceArn:\n") {
		t.Fatal("the fixture has no Outputs to add to")
	}
	for _, tc := range []struct {
		name, online string
		want         cfntypes.StackStatus
	}{{"held28", "true", cfntypes.StackStatusUpdateComplete}, {"held28-offline", "true", cfntypes.StackStatusUpdateRollbackComplete}} {
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(tc.name), TemplateBody: aws.String(body),
			Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Online"), ParameterValue: aws.String(tc.online)}}})
		must(t, err)
		id := aws.ToString(out.StackId)
		waitStackFor(t, cf, id, cfntypes.StackStatusCreateComplete, 20*time.Second)
		n := len(stackEventsOf(t, cf, id))
		tpl := updated
		if tc.want == cfntypes.StackStatusUpdateRollbackComplete {
			// No way to the image for the new deployment's tasks.
			tpl = strings.Replace(tpl, "AssignPublicIp: !If [IsOnline, ENABLED, DISABLED]", "AssignPublicIp: DISABLED", 1)
		}
		_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(id), TemplateBody: aws.String(tpl),
			Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Online"), ParameterValue: aws.String(tc.online)}}})
		must(t, err)
		waitStackFor(t, cf, id, tc.want, 20*time.Second)
		ev := eventsSince(t, cf, id, n)
		if tc.want == cfntypes.StackStatusUpdateRollbackComplete {
			for _, e := range ev {
				if strings.HasPrefix(e, "ServiceArn ") {
					t.Errorf("%s: the parameter that depends on the failed service was created: %s", tc.name, e)
				}
			}
			continue
		}
		svc, param := slices.Index(ev, "WebService UPDATE_COMPLETE "), slices.Index(ev, "ServiceArn CREATE_IN_PROGRESS ")
		cleanup := slices.Index(ev, tc.name+" UPDATE_COMPLETE_CLEANUP_IN_PROGRESS ")
		if svc < 0 || param < svc || cleanup < param || !slices.Contains(ev, "ServiceArn CREATE_COMPLETE ") {
			t.Errorf("%s events:\n%s\nwant ServiceArn created after WebService's UPDATE_COMPLETE, before the cleanup", tc.name, strings.Join(ev, "\n"))
		}
		if outs := stackOutputs(t, cf, tc.name); !strings.Contains(outs["ServiceArn"], ":service/") {
			t.Errorf("%s outputs %v, want the service's ARN", tc.name, outs)
		}
	}
}

// TestCloudFormationRound28RollingUpdateHoldsDependents: an update whose
// Auto Scaling group waits for its rolling update's signals (the new
// instances cannot reach CloudFormation: they never signal) holds back
// what the update adds that depends on the group: during the PauseTime the
// parameter recording the group's name does not exist, and when the wait
// fails it is never created. Before round twenty-eight it was created at
// once and deleted by the rollback.
func TestCloudFormationRound28RollingUpdateHoldsDependents(t *testing.T) {
	em, clk := newClockedEmulator(t)
	cf := cfnClient(em.URL)
	body, err := os.ReadFile("../cfn/testdata/signal/private-asg.yaml")
	must(t, err)
	rolling := strings.Replace(string(body), "    CreationPolicy:\n", "    UpdatePolicy:\n      AutoScalingRollingUpdate:\n"+
		"        MinInstancesInService: 1\n        MaxBatchSize: 1\n        WaitOnResourceSignals: true\n        PauseTime: PT15M\n    CreationPolicy:\n", 1)
	isolated := strings.Replace(rolling, "  PrivateSubnet:\n", "  IsolatedSubnet:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref VPC\n"+
		"      CidrBlock: 10.0.9.0/24\n      AvailabilityZone: !Select [0, !GetAZs \"\"]\n  GroupName:\n    Type: AWS::SSM::Parameter\n"+
		"    Properties: {Type: String, Value: !Ref HostGroup}\n  PrivateSubnet:\n", 1)
	isolated = strings.Replace(isolated, "VPCZoneIdentifier: [!Ref PrivateSubnet]", "VPCZoneIdentifier: [!Ref IsolatedSubnet]", 1)
	isolated = strings.Replace(isolated, "InstanceType: t3.small", "InstanceType: t3.medium", 1)
	if !strings.Contains(isolated, "IsolatedSubnet]") || !strings.Contains(isolated, "GroupName:") {
		t.Fatal("the fixture changed: the update's edits did not apply")
	}
	params := []cfntypes.Parameter{{ParameterKey: aws.String("Egress"), ParameterValue: aws.String("nat")}}
	caps := []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("roll28"), TemplateBody: aws.String(rolling), Parameters: params, Capabilities: caps})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	n := len(stackEventsOf(t, cf, id))
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("roll28"), TemplateBody: aws.String(isolated), Parameters: params, Capabilities: caps})
	must(t, err)
	time.Sleep(100 * time.Millisecond)
	if st := stackStatus(t, cf, id); st != cfntypes.StackStatusUpdateInProgress {
		t.Errorf("waiting for the new instances' signals: %s, want UPDATE_IN_PROGRESS", st)
	}
	if ev := eventsSince(t, cf, id, n); slices.ContainsFunc(ev, func(e string) bool { return strings.HasPrefix(e, "GroupName ") }) {
		t.Errorf("events while the group waits for its signals:\n%s\nwant no GroupName yet", strings.Join(ev, "\n"))
	}
	clk.Advance(15 * time.Minute) // the rolling update's PauseTime
	waitStack(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete)
	for _, e := range eventsSince(t, cf, id, n) {
		if strings.HasPrefix(e, "GroupName ") {
			t.Errorf("the parameter that depends on the failed group was created: %s", e)
		}
	}
}
