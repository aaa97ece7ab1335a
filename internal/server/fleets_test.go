package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

const fleetRole = "arn:aws:iam::123456789012:role/aws-ec2-spot-fleet-tagging-role"

func fleetSubnet(t *testing.T, e *ec2.Client) string {
	t.Helper()
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.7.0.0/16")})
	must(t, err)
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.7.1.0/24")})
	must(t, err)
	return aws.ToString(s.Subnet.SubnetId)
}

// TestSpotFleetLifecycle: a weighted, diversified Spot Fleet launches
// Spot Instances in its subnet, tagged, until the weights meet the target;
// Modify grows and shrinks it; Cancel terminates its instances.
func TestSpotFleetLifecycle(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	sub := fleetSubnet(t, e)
	tag := []ec2types.SpotFleetTagSpecification{{ResourceType: ec2types.ResourceTypeInstance, Tags: []ec2types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}}}
	r, err := e.RequestSpotFleet(ctx, &ec2.RequestSpotFleetInput{SpotFleetRequestConfig: &ec2types.SpotFleetRequestConfigData{
		IamFleetRole: aws.String(fleetRole), TargetCapacity: aws.Int32(6), AllocationStrategy: ec2types.AllocationStrategyDiversified,
		LaunchSpecifications: []ec2types.SpotFleetLaunchSpecification{
			{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro, SubnetId: aws.String(sub), WeightedCapacity: aws.Float64(1), TagSpecifications: tag},
			{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeM5Large, SubnetId: aws.String(sub), WeightedCapacity: aws.Float64(2), TagSpecifications: tag},
		}}})
	must(t, err)
	id := aws.ToString(r.SpotFleetRequestId)
	d, err := e.DescribeSpotFleetRequests(ctx, &ec2.DescribeSpotFleetRequestsInput{SpotFleetRequestIds: []string{id}})
	must(t, err)
	c := d.SpotFleetRequestConfigs[0]
	if c.SpotFleetRequestState != ec2types.BatchStateActive || c.ActivityStatus != ec2types.ActivityStatusFulfilled ||
		aws.ToFloat64(c.SpotFleetRequestConfig.FulfilledCapacity) < 6 || len(c.SpotFleetRequestConfig.LaunchSpecifications) != 2 ||
		c.SpotFleetRequestConfig.Type != ec2types.FleetTypeMaintain {
		t.Fatalf("describe: %+v %+v", c, c.SpotFleetRequestConfig)
	}
	fi, err := e.DescribeSpotFleetInstances(ctx, &ec2.DescribeSpotFleetInstancesInput{SpotFleetRequestId: &id})
	must(t, err)
	// Diversified over weights 1 and 2: 1+2+1+2 = 6 with four instances.
	if len(fi.ActiveInstances) != 4 {
		t.Fatalf("instances: %d", len(fi.ActiveInstances))
	}
	var ids []string
	for _, a := range fi.ActiveInstances {
		ids = append(ids, aws.ToString(a.InstanceId))
		if aws.ToString(a.SpotInstanceRequestId) == "" {
			t.Errorf("no spot request: %+v", a)
		}
	}
	di, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: ids})
	must(t, err)
	for _, res := range di.Reservations {
		for _, i := range res.Instances {
			tags := map[string]string{}
			for _, tg := range i.Tags {
				tags[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
			}
			if i.InstanceLifecycle != ec2types.InstanceLifecycleTypeSpot || aws.ToString(i.SubnetId) != sub || tags["team"] != "blue" ||
				tags["aws:ec2spot:fleet-request-id"] != id || len(i.NetworkInterfaces) != 1 {
				t.Errorf("instance %+v tags %v", i, tags)
			}
		}
	}
	h, err := e.DescribeSpotFleetRequestHistory(ctx, &ec2.DescribeSpotFleetRequestHistoryInput{SpotFleetRequestId: &id,
		StartTime: aws.Time(c.CreateTime.Add(-60e9)), EventType: ec2types.EventTypeInstanceChange})
	must(t, err)
	if len(h.HistoryRecords) != 4 || h.HistoryRecords[0].EventInformation.EventSubType == nil || *h.HistoryRecords[0].EventInformation.EventSubType != "launched" {
		t.Errorf("history: %+v", h.HistoryRecords)
	}

	_, err = e.ModifySpotFleetRequest(ctx, &ec2.ModifySpotFleetRequestInput{SpotFleetRequestId: &id, TargetCapacity: aws.Int32(10)})
	must(t, err)
	d, err = e.DescribeSpotFleetRequests(ctx, &ec2.DescribeSpotFleetRequestsInput{SpotFleetRequestIds: []string{id}})
	must(t, err)
	if got := aws.ToFloat64(d.SpotFleetRequestConfigs[0].SpotFleetRequestConfig.FulfilledCapacity); got < 10 || aws.ToInt32(d.SpotFleetRequestConfigs[0].SpotFleetRequestConfig.TargetCapacity) != 10 {
		t.Errorf("after growing: fulfilled %v", got)
	}
	_, err = e.ModifySpotFleetRequest(ctx, &ec2.ModifySpotFleetRequestInput{SpotFleetRequestId: &id, TargetCapacity: aws.Int32(2)})
	must(t, err)
	d, err = e.DescribeSpotFleetRequests(ctx, &ec2.DescribeSpotFleetRequestsInput{SpotFleetRequestIds: []string{id}})
	must(t, err)
	if got := aws.ToFloat64(d.SpotFleetRequestConfigs[0].SpotFleetRequestConfig.FulfilledCapacity); got < 2 || got > 3 {
		t.Errorf("after shrinking: fulfilled %v", got)
	}

	cr, err := e.CancelSpotFleetRequests(ctx, &ec2.CancelSpotFleetRequestsInput{SpotFleetRequestIds: []string{id, "sfr-00000000-0000-0000-0000-000000000000"}, TerminateInstances: aws.Bool(true)})
	must(t, err)
	if len(cr.SuccessfulFleetRequests) != 1 || cr.SuccessfulFleetRequests[0].CurrentSpotFleetRequestState != ec2types.BatchStateCancelledTerminatingInstances ||
		cr.SuccessfulFleetRequests[0].PreviousSpotFleetRequestState != ec2types.BatchStateActive ||
		len(cr.UnsuccessfulFleetRequests) != 1 || cr.UnsuccessfulFleetRequests[0].Error.Code != ec2types.CancelBatchErrorCodeFleetRequestIdDoesNotExist {
		t.Errorf("cancel: %+v", cr)
	}
	fi, err = e.DescribeSpotFleetInstances(ctx, &ec2.DescribeSpotFleetInstancesInput{SpotFleetRequestId: &id})
	must(t, err)
	if len(fi.ActiveInstances) != 0 {
		t.Errorf("after cancel: %+v", fi.ActiveInstances)
	}
	must(t, ec2.NewInstanceTerminatedWaiter(e, func(o *ec2.InstanceTerminatedWaiterOptions) { o.MinDelay = 10e6; o.MaxDelay = 50e6 }).
		Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: ids}, 20e9))
	d, err = e.DescribeSpotFleetRequests(ctx, &ec2.DescribeSpotFleetRequestsInput{SpotFleetRequestIds: []string{id}})
	must(t, err)
	if s := d.SpotFleetRequestConfigs[0].SpotFleetRequestState; s != ec2types.BatchStateCancelled {
		t.Errorf("after termination: %s", s)
	}
}

// TestSpotFleetErrors: the request's validation and unknown ids.
func TestSpotFleetErrors(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	_, err := e.RequestSpotFleet(ctx, &ec2.RequestSpotFleetInput{SpotFleetRequestConfig: &ec2types.SpotFleetRequestConfigData{
		IamFleetRole: aws.String(fleetRole), TargetCapacity: aws.Int32(1)}})
	wantLimitError(t, "no specifications", err, "InvalidSpotFleetRequestConfig", "LaunchSpecifications or LaunchTemplateConfigs")
	_, err = e.DescribeSpotFleetRequests(ctx, &ec2.DescribeSpotFleetRequestsInput{SpotFleetRequestIds: []string{"sfr-00000000-0000-0000-0000-000000000000"}})
	wantLimitError(t, "unknown", err, "InvalidSpotFleetRequestId.NotFound", "sfr-00000000-0000-0000-0000-000000000000")
	_, err = e.DescribeSpotFleetInstances(ctx, &ec2.DescribeSpotFleetInstancesInput{SpotFleetRequestId: aws.String("sfr-00000000-0000-0000-0000-000000000000")})
	wantLimitError(t, "unknown instances", err, "InvalidSpotFleetRequestId.NotFound", "does not exist")
	r, err := e.RequestSpotFleet(ctx, &ec2.RequestSpotFleetInput{SpotFleetRequestConfig: &ec2types.SpotFleetRequestConfigData{
		IamFleetRole: aws.String(fleetRole), TargetCapacity: aws.Int32(1), Type: ec2types.FleetTypeRequest,
		LaunchSpecifications: []ec2types.SpotFleetLaunchSpecification{{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro}}}})
	must(t, err)
	_, err = e.ModifySpotFleetRequest(ctx, &ec2.ModifySpotFleetRequestInput{SpotFleetRequestId: r.SpotFleetRequestId, TargetCapacity: aws.Int32(3)})
	wantLimitError(t, "modify request type", err, "InvalidSpotFleetRequestType", "maintain")
	cr, err := e.CancelSpotFleetRequests(ctx, &ec2.CancelSpotFleetRequestsInput{SpotFleetRequestIds: []string{*r.SpotFleetRequestId}, TerminateInstances: aws.Bool(false)})
	must(t, err)
	if cr.SuccessfulFleetRequests[0].CurrentSpotFleetRequestState != ec2types.BatchStateCancelledRunning {
		t.Errorf("cancel without terminating: %+v", cr.SuccessfulFleetRequests)
	}
	fi, err := e.DescribeSpotFleetInstances(ctx, &ec2.DescribeSpotFleetInstancesInput{SpotFleetRequestId: r.SpotFleetRequestId})
	must(t, err)
	if len(fi.ActiveInstances) != 1 {
		t.Errorf("cancelled_running keeps its instance: %+v", fi.ActiveInstances)
	}
	// Cancelled and running, it can be cancelled again to terminate.
	cr, err = e.CancelSpotFleetRequests(ctx, &ec2.CancelSpotFleetRequestsInput{SpotFleetRequestIds: []string{*r.SpotFleetRequestId}, TerminateInstances: aws.Bool(true)})
	must(t, err)
	if len(cr.SuccessfulFleetRequests) != 1 || cr.SuccessfulFleetRequests[0].CurrentSpotFleetRequestState != ec2types.BatchStateCancelledTerminatingInstances {
		t.Errorf("cancel again: %+v %+v", cr.SuccessfulFleetRequests, cr.UnsuccessfulFleetRequests)
	}

	// A launch specification EC2 refuses (an unknown group) makes the
	// fleet, with no instance, an error event and ActivityStatus error.
	bad, err := e.RequestSpotFleet(ctx, &ec2.RequestSpotFleetInput{SpotFleetRequestConfig: &ec2types.SpotFleetRequestConfigData{
		IamFleetRole: aws.String(fleetRole), TargetCapacity: aws.Int32(1),
		LaunchSpecifications: []ec2types.SpotFleetLaunchSpecification{{ImageId: aws.String(testAMI),
			SecurityGroups: []ec2types.GroupIdentifier{{GroupId: aws.String("sg-0123456789abcdef0")}}}}}})
	must(t, err)
	d, err := e.DescribeSpotFleetRequests(ctx, &ec2.DescribeSpotFleetRequestsInput{SpotFleetRequestIds: []string{*bad.SpotFleetRequestId}})
	must(t, err)
	if d.SpotFleetRequestConfigs[0].ActivityStatus != ec2types.ActivityStatusError {
		t.Errorf("refused launch: %+v", d.SpotFleetRequestConfigs[0])
	}
	h, err := e.DescribeSpotFleetRequestHistory(ctx, &ec2.DescribeSpotFleetRequestHistoryInput{SpotFleetRequestId: bad.SpotFleetRequestId,
		StartTime: aws.Time(d.SpotFleetRequestConfigs[0].CreateTime.Add(-60e9)), EventType: ec2types.EventTypeError})
	must(t, err)
	if len(h.HistoryRecords) != 1 || aws.ToString(h.HistoryRecords[0].EventInformation.EventSubType) != "spotFleetRequestConfigurationInvalid" {
		t.Errorf("error history: %+v", h.HistoryRecords)
	}
	fi, err = e.DescribeSpotFleetInstances(ctx, &ec2.DescribeSpotFleetInstancesInput{SpotFleetRequestId: bad.SpotFleetRequestId})
	must(t, err)
	if len(fi.ActiveInstances) != 0 {
		t.Errorf("refused launch has instances: %+v", fi.ActiveInstances)
	}
}

// TestEC2Fleet: an instant fleet from a launch template with overrides
// splits On-Demand and Spot capacity and answers its instances; a maintain
// fleet is modified and deleted.
func TestEC2Fleet(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	sub := fleetSubnet(t, e)
	lt, err := e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("fleet-lt"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro}})
	must(t, err)
	cfg := []ec2types.FleetLaunchTemplateConfigRequest{{LaunchTemplateSpecification: &ec2types.FleetLaunchTemplateSpecificationRequest{
		LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId, Version: aws.String("$Latest")},
		Overrides: []ec2types.FleetLaunchTemplateOverridesRequest{{InstanceType: ec2types.InstanceTypeC5Large, SubnetId: aws.String(sub)}}}}
	f, err := e.CreateFleet(ctx, &ec2.CreateFleetInput{Type: ec2types.FleetTypeInstant, LaunchTemplateConfigs: cfg,
		TargetCapacitySpecification: &ec2types.TargetCapacitySpecificationRequest{TotalTargetCapacity: aws.Int32(3),
			OnDemandTargetCapacity: aws.Int32(1), DefaultTargetCapacityType: ec2types.DefaultTargetCapacityTypeSpot}})
	must(t, err)
	var od, spot int
	for _, i := range f.Instances {
		if i.InstanceType != ec2types.InstanceTypeC5Large {
			t.Errorf("type %s", i.InstanceType)
		}
		if i.Lifecycle == ec2types.InstanceLifecycleSpot {
			spot += len(i.InstanceIds)
		} else {
			od += len(i.InstanceIds)
		}
	}
	if od != 1 || spot != 2 {
		t.Errorf("instant fleet: %d on-demand, %d spot (%+v)", od, spot, f.Instances)
	}
	d, err := e.DescribeFleets(ctx, &ec2.DescribeFleetsInput{FleetIds: []string{aws.ToString(f.FleetId)}})
	must(t, err)
	if d.Fleets[0].FleetState != ec2types.FleetStateCodeActive || aws.ToFloat64(d.Fleets[0].FulfilledCapacity) != 3 ||
		aws.ToFloat64(d.Fleets[0].FulfilledOnDemandCapacity) != 1 {
		t.Errorf("describe: %+v", d.Fleets[0])
	}
	del, err := e.DeleteFleets(ctx, &ec2.DeleteFleetsInput{FleetIds: []string{aws.ToString(f.FleetId)}, TerminateInstances: aws.Bool(false)})
	must(t, err)
	if len(del.UnsuccessfulFleetDeletions) != 1 || del.UnsuccessfulFleetDeletions[0].Error.Code != ec2types.DeleteFleetErrorCodeFleetNotInDeletableState {
		t.Errorf("instant fleet kept running: %+v", del)
	}

	m, err := e.CreateFleet(ctx, &ec2.CreateFleetInput{LaunchTemplateConfigs: cfg,
		TargetCapacitySpecification: &ec2types.TargetCapacitySpecificationRequest{TotalTargetCapacity: aws.Int32(2), DefaultTargetCapacityType: ec2types.DefaultTargetCapacityTypeOnDemand}})
	must(t, err)
	_, err = e.ModifyFleet(ctx, &ec2.ModifyFleetInput{FleetId: m.FleetId, TargetCapacitySpecification: &ec2types.TargetCapacitySpecificationRequest{TotalTargetCapacity: aws.Int32(4)}})
	must(t, err)
	fi, err := e.DescribeFleetInstances(ctx, &ec2.DescribeFleetInstancesInput{FleetId: m.FleetId})
	must(t, err)
	if len(fi.ActiveInstances) != 4 {
		t.Errorf("after modify: %d", len(fi.ActiveInstances))
	}
	del, err = e.DeleteFleets(ctx, &ec2.DeleteFleetsInput{FleetIds: []string{*m.FleetId, "fleet-00000000-0000-0000-0000-000000000000"}, TerminateInstances: aws.Bool(true)})
	must(t, err)
	if len(del.SuccessfulFleetDeletions) != 1 || del.SuccessfulFleetDeletions[0].CurrentFleetState != ec2types.FleetStateCodeDeletedTerminatingInstances ||
		len(del.UnsuccessfulFleetDeletions) != 1 || del.UnsuccessfulFleetDeletions[0].Error.Code != ec2types.DeleteFleetErrorCodeFleetIdDoesNotExist {
		t.Errorf("delete: %+v", del)
	}
	_, err = e.DescribeFleets(ctx, &ec2.DescribeFleetsInput{FleetIds: []string{"fleet-00000000-0000-0000-0000-000000000000"}})
	wantLimitError(t, "unknown fleet", err, "InvalidFleetId.NotFound", "does not exist")
	_, err = e.CreateFleet(ctx, &ec2.CreateFleetInput{LaunchTemplateConfigs: cfg,
		TargetCapacitySpecification: &ec2types.TargetCapacitySpecificationRequest{TotalTargetCapacity: aws.Int32(1), OnDemandTargetCapacity: aws.Int32(2), DefaultTargetCapacityType: ec2types.DefaultTargetCapacityTypeSpot}})
	wantLimitError(t, "capacity split", err, "InvalidParameterValue", "cannot be greater than the total target capacity")
}

// TestCloudFormationFleets: AWS::EC2::SpotFleet and AWS::EC2::EC2Fleet
// launch their instances; deleting the stack cancels the Spot Fleet and
// deletes the EC2 Fleet, terminating both fleets' instances.
func TestCloudFormationFleets(t *testing.T) {
	em := newAccount(t, nil)
	cf := cfnClient(em.URL)
	e := sdkClients(em.URL).ec2
	sub := fleetSubnet(t, e)
	tmpl := `{"Resources": {
  "LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"ImageId": "` + testAMI + `", "InstanceType": "t3.micro"}}},
  "Spot": {"Type": "AWS::EC2::SpotFleet", "Properties": {"SpotFleetRequestConfigData": {
    "IamFleetRole": "` + fleetRole + `", "TargetCapacity": 2, "AllocationStrategy": "diversified",
    "LaunchSpecifications": [{"ImageId": "` + testAMI + `", "InstanceType": "t3.small", "SubnetId": "` + sub + `", "WeightedCapacity": 1}]}}},
  "Fleet": {"Type": "AWS::EC2::EC2Fleet", "Properties": {"Type": "maintain",
    "TargetCapacitySpecification": {"TotalTargetCapacity": 1, "DefaultTargetCapacityType": "on-demand"},
    "LaunchTemplateConfigs": [{"LaunchTemplateSpecification": {"LaunchTemplateId": {"Ref": "LT"}, "Version": {"Fn::GetAtt": ["LT", "LatestVersionNumber"]}},
      "Overrides": [{"SubnetId": "` + sub + `"}]}]}}},
 "Outputs": {"Spot": {"Value": {"Ref": "Spot"}}, "Fleet": {"Value": {"Ref": "Fleet"}}}}`
	cs, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("fleets"), TemplateBody: aws.String(tmpl)})
	must(t, err)
	waitStack(t, cf, "fleets", cfntypes.StackStatusCreateComplete)
	out := stackOutputs(t, cf, "fleets")
	si, err := e.DescribeSpotFleetInstances(ctx, &ec2.DescribeSpotFleetInstancesInput{SpotFleetRequestId: aws.String(out["Spot"])})
	must(t, err)
	fi, err := e.DescribeFleetInstances(ctx, &ec2.DescribeFleetInstancesInput{FleetId: aws.String(out["Fleet"])})
	must(t, err)
	if len(si.ActiveInstances) != 2 || len(fi.ActiveInstances) != 1 {
		t.Fatalf("spot fleet %+v, fleet %+v", si.ActiveInstances, fi.ActiveInstances)
	}
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("fleets")})
	must(t, err)
	waitStack(t, cf, aws.ToString(cs.StackId), cfntypes.StackStatusDeleteComplete)
	d, err := e.DescribeSpotFleetRequests(ctx, &ec2.DescribeSpotFleetRequestsInput{SpotFleetRequestIds: []string{out["Spot"]}})
	must(t, err)
	if s := d.SpotFleetRequestConfigs[0].SpotFleetRequestState; !strings.HasPrefix(string(s), "cancelled") {
		t.Errorf("spot fleet after delete: %s", s)
	}
	fi, err = e.DescribeFleetInstances(ctx, &ec2.DescribeFleetInstancesInput{FleetId: aws.String(out["Fleet"])})
	must(t, err)
	if len(fi.ActiveInstances) != 0 {
		t.Errorf("fleet instances after delete: %+v", fi.ActiveInstances)
	}
}
