package server_test

import (
	"encoding/base64"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func instanceState(t *testing.T, e *ec2.Client, id string) (ec2types.InstanceStateName, ec2types.Instance) {
	t.Helper()
	d, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
	must(t, err)
	i := d.Reservations[0].Instances[0]
	return i.State.Name, i
}

func waitState(t *testing.T, e *ec2.Client, id string, want ec2types.InstanceStateName) ec2types.Instance {
	t.Helper()
	var inst ec2types.Instance
	eventually(t, "instance "+id+" "+string(want), func() bool {
		var s ec2types.InstanceStateName
		s, inst = instanceState(t, e, id)
		return s == want
	})
	return inst
}

// Stop, start and reboot, with the states AWS moves through and its
// errors for instances in the wrong state.
func TestStopStartReboot(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), InstanceType: ec2types.InstanceTypeT3Micro})
	must(t, err)
	id := aws.ToString(r.Instances[0].InstanceId)
	running := waitState(t, e, id, ec2types.InstanceStateNameRunning)
	firstIP := aws.ToString(running.PublicIpAddress)
	if firstIP == "" {
		t.Fatal("no public IP in a default subnet")
	}
	_, err = e.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{id}})
	must(t, err)
	_, err = e.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: &id, InstanceType: &ec2types.AttributeValue{Value: aws.String("m5.large")}})
	wantAPIError(t, err, "IncorrectInstanceState", "The instance '"+id+"' is not in the 'stopped' state.")

	st, err := e.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}})
	must(t, err)
	if ch := st.StoppingInstances[0]; ch.PreviousState.Name != ec2types.InstanceStateNameRunning || ch.CurrentState.Name != ec2types.InstanceStateNameStopping ||
		aws.ToInt32(ch.CurrentState.Code) != 64 {
		t.Errorf("StopInstances: %s → %s (%d)", ch.PreviousState.Name, ch.CurrentState.Name, aws.ToInt32(ch.CurrentState.Code))
	}
	stopped := waitState(t, e, id, ec2types.InstanceStateNameStopped)
	if stopped.PublicIpAddress != nil {
		t.Errorf("a stopped instance kept its public IP %s", aws.ToString(stopped.PublicIpAddress))
	}
	_, err = e.RebootInstances(ctx, &ec2.RebootInstancesInput{InstanceIds: []string{id}})
	wantAPIError(t, err, "IncorrectInstanceState", "The instance '"+id+"' is not in a state from which it can be rebooted.")
	_, err = e.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: &id, InstanceType: &ec2types.AttributeValue{Value: aws.String("m5.large")}})
	must(t, err)
	ud := base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho hi\n"))
	_, err = e.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: &id, UserData: &ec2types.SecureBlobAttributeValue{Value: []byte("#!/bin/bash\necho hi\n")}})
	must(t, err)
	a, err := e.DescribeInstanceAttribute(ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: &id, Attribute: ec2types.InstanceAttributeNameUserData})
	must(t, err)
	if aws.ToString(a.UserData.Value) != ud {
		t.Errorf("user data %q, want %q", aws.ToString(a.UserData.Value), ud)
	}
	_, err = e.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: &id, DisableApiTermination: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	must(t, err)
	a, err = e.DescribeInstanceAttribute(ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: &id, Attribute: ec2types.InstanceAttributeNameDisableApiTermination})
	must(t, err)
	if !aws.ToBool(a.DisableApiTermination.Value) {
		t.Error("disableApiTermination not set")
	}
	_, err = e.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}})
	wantAPIError(t, err, "OperationNotPermitted", "The instance '"+id+"' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.")

	sr, err := e.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{id}})
	must(t, err)
	if ch := sr.StartingInstances[0]; ch.PreviousState.Name != ec2types.InstanceStateNameStopped || ch.CurrentState.Name != ec2types.InstanceStateNamePending {
		t.Errorf("StartInstances: %s → %s", ch.PreviousState.Name, ch.CurrentState.Name)
	}
	again := waitState(t, e, id, ec2types.InstanceStateNameRunning)
	if again.InstanceType != ec2types.InstanceTypeM5Large || aws.ToString(again.PublicIpAddress) == "" {
		t.Errorf("after start: type %s, public IP %q", again.InstanceType, aws.ToString(again.PublicIpAddress))
	}
	_, err = e.RebootInstances(ctx, &ec2.RebootInstancesInput{InstanceIds: []string{id}})
	must(t, err)
	_, err = e.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{"i-0123456789abcdef0"}})
	wantAPIError(t, err, "InvalidInstanceID.NotFound", "The instance ID 'i-0123456789abcdef0' does not exist")
}

// DescribeInstanceStatus sends an empty list as an empty element, which
// the SDK decodes as an empty (non-nil) slice.
func TestDescribeInstanceStatusEmpty(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	out, err := e.DescribeInstanceStatus(ctx, &ec2.DescribeInstanceStatusInput{IncludeAllInstances: aws.Bool(true)})
	must(t, err)
	if out.InstanceStatuses == nil || len(out.InstanceStatuses) != 0 {
		t.Errorf("InstanceStatuses = %#v, want an empty list", out.InstanceStatuses)
	}
}

// Terraform reads the credit option of burstable instances.
func TestInstanceCreditSpecifications(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), InstanceType: ec2types.InstanceTypeT3Micro})
	must(t, err)
	id := aws.ToString(r.Instances[0].InstanceId)
	out, err := e.DescribeInstanceCreditSpecifications(ctx, &ec2.DescribeInstanceCreditSpecificationsInput{InstanceIds: []string{id}})
	must(t, err)
	if len(out.InstanceCreditSpecifications) != 1 || aws.ToString(out.InstanceCreditSpecifications[0].CpuCredits) != "unlimited" {
		t.Errorf("credit specifications: %+v", out.InstanceCreditSpecifications)
	}
}
