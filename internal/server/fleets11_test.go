package server_test

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestLaunchTemplateGroupNames: a launch template may name security
// groups (SecurityGroups), which AWS does not check when the template is
// created; a launch resolves them in the default VPC, and a name no group
// has fails the launch (InvalidGroup.NotFound), as it fails a fleet's.
func TestLaunchTemplateGroupNames(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	lt, err := e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("named"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
			SecurityGroups: []string{"default"}}})
	must(t, err)
	v, err := e.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId})
	must(t, err)
	if g := v.LaunchTemplateVersions[0].LaunchTemplateData.SecurityGroups; len(g) != 1 || g[0] != "default" {
		t.Fatalf("SecurityGroups: %v", g)
	}
	r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		LaunchTemplate: &ec2types.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId}})
	must(t, err)
	if g := r.Instances[0].SecurityGroups; len(g) != 1 || aws.ToString(g[0].GroupName) != "default" {
		t.Errorf("instance groups: %+v", g)
	}
	bad, err := e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("unknown-group"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
			SecurityGroups: []string{"sg-123456"}}})
	must(t, err)
	_, err = e.RunInstances(ctx, &ec2.RunInstancesInput{MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		LaunchTemplate: &ec2types.LaunchTemplateSpecification{LaunchTemplateId: bad.LaunchTemplate.LaunchTemplateId}})
	wantCode(t, err, "InvalidGroup.NotFound")
	f, err := e.CreateFleet(ctx, &ec2.CreateFleetInput{Type: ec2types.FleetTypeInstant,
		LaunchTemplateConfigs: []ec2types.FleetLaunchTemplateConfigRequest{{LaunchTemplateSpecification: &ec2types.FleetLaunchTemplateSpecificationRequest{
			LaunchTemplateId: bad.LaunchTemplate.LaunchTemplateId, Version: aws.String("1")}}},
		TargetCapacitySpecification: &ec2types.TargetCapacitySpecificationRequest{TotalTargetCapacity: aws.Int32(1), DefaultTargetCapacityType: ec2types.DefaultTargetCapacityTypeOnDemand}})
	must(t, err)
	if len(f.Instances) != 0 || len(f.Errors) != 1 || aws.ToString(f.Errors[0].ErrorCode) != "InvalidGroup.NotFound" {
		t.Errorf("instant fleet: instances %+v errors %+v", f.Instances, f.Errors)
	}
}

// TestTransitGatewayDeletedVisible: a deleted transit gateway, its route
// tables and its attachments are described in state deleted (AWS keeps
// them a while), count as gone for every dependency check, and refuse
// further changes as unknown ids.
func TestTransitGatewayDeletedVisible(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")})
	must(t, err)
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.9.1.0/24")})
	must(t, err)
	g, err := e.CreateTransitGateway(ctx, &ec2.CreateTransitGatewayInput{Description: aws.String("hub")})
	must(t, err)
	tgw := aws.ToString(g.TransitGateway.TransitGatewayId)
	extra, err := e.CreateTransitGatewayRouteTable(ctx, &ec2.CreateTransitGatewayRouteTableInput{TransitGatewayId: &tgw})
	must(t, err)
	rtb := aws.ToString(extra.TransitGatewayRouteTable.TransitGatewayRouteTableId)
	d, err := e.DeleteTransitGatewayRouteTable(ctx, &ec2.DeleteTransitGatewayRouteTableInput{TransitGatewayRouteTableId: &rtb})
	must(t, err)
	if d.TransitGatewayRouteTable.State != ec2types.TransitGatewayRouteTableStateDeleting {
		t.Errorf("DeleteTransitGatewayRouteTable answers %s", d.TransitGatewayRouteTable.State)
	}
	rts, err := e.DescribeTransitGatewayRouteTables(ctx, &ec2.DescribeTransitGatewayRouteTablesInput{TransitGatewayRouteTableIds: []string{rtb}})
	must(t, err)
	if len(rts.TransitGatewayRouteTables) != 1 || rts.TransitGatewayRouteTables[0].State != ec2types.TransitGatewayRouteTableStateDeleted {
		t.Errorf("a deleted route table: %+v", rts.TransitGatewayRouteTables)
	}
	_, err = e.CreateTransitGatewayRoute(ctx, &ec2.CreateTransitGatewayRouteInput{TransitGatewayRouteTableId: &rtb,
		DestinationCidrBlock: aws.String("10.50.0.0/16"), Blackhole: aws.Bool(true)})
	wantCode(t, err, "InvalidRouteTableID.NotFound")

	a, err := e.CreateTransitGatewayVpcAttachment(ctx, &ec2.CreateTransitGatewayVpcAttachmentInput{TransitGatewayId: &tgw,
		VpcId: v.Vpc.VpcId, SubnetIds: []string{aws.ToString(s.Subnet.SubnetId)}})
	must(t, err)
	att := aws.ToString(a.TransitGatewayVpcAttachment.TransitGatewayAttachmentId)
	_, err = e.DeleteTransitGateway(ctx, &ec2.DeleteTransitGatewayInput{TransitGatewayId: &tgw})
	wantCode(t, err, "IncorrectState")
	_, err = e.DeleteTransitGatewayVpcAttachment(ctx, &ec2.DeleteTransitGatewayVpcAttachmentInput{TransitGatewayAttachmentId: &att})
	must(t, err)
	// The deleted attachment no longer holds the gateway.
	dg, err := e.DeleteTransitGateway(ctx, &ec2.DeleteTransitGatewayInput{TransitGatewayId: &tgw})
	must(t, err)
	if dg.TransitGateway.State != ec2types.TransitGatewayStateDeleting {
		t.Errorf("DeleteTransitGateway answers %s", dg.TransitGateway.State)
	}
	all, err := e.DescribeTransitGateways(ctx, &ec2.DescribeTransitGatewaysInput{})
	must(t, err)
	if len(all.TransitGateways) != 1 || all.TransitGateways[0].State != ec2types.TransitGatewayStateDeleted {
		t.Errorf("gateways after delete: %+v", all.TransitGateways)
	}
	byState, err := e.DescribeTransitGateways(ctx, &ec2.DescribeTransitGatewaysInput{Filters: []ec2types.Filter{{Name: aws.String("state"), Values: []string{"available"}}}})
	must(t, err)
	if len(byState.TransitGateways) != 0 {
		t.Errorf("available gateways after delete: %+v", byState.TransitGateways)
	}
	ats, err := e.DescribeTransitGatewayAttachments(ctx, &ec2.DescribeTransitGatewayAttachmentsInput{TransitGatewayAttachmentIds: []string{att}})
	must(t, err)
	if len(ats.TransitGatewayAttachments) != 1 || ats.TransitGatewayAttachments[0].State != ec2types.TransitGatewayAttachmentStateDeleted {
		t.Errorf("attachments after delete: %+v", ats.TransitGatewayAttachments)
	}
	def := aws.ToString(g.TransitGateway.Options.AssociationDefaultRouteTableId)
	rts, err = e.DescribeTransitGatewayRouteTables(ctx, &ec2.DescribeTransitGatewayRouteTablesInput{TransitGatewayRouteTableIds: []string{def}})
	must(t, err)
	if len(rts.TransitGatewayRouteTables) != 1 || rts.TransitGatewayRouteTables[0].State != ec2types.TransitGatewayRouteTableStateDeleted {
		t.Errorf("default route table after delete: %+v", rts.TransitGatewayRouteTables)
	}
	// A deleted gateway takes no attachment, and holds neither its VPC's
	// subnet nor the VPC.
	_, err = e.CreateTransitGatewayVpcAttachment(ctx, &ec2.CreateTransitGatewayVpcAttachmentInput{TransitGatewayId: &tgw,
		VpcId: v.Vpc.VpcId, SubnetIds: []string{aws.ToString(s.Subnet.SubnetId)}})
	wantCode(t, err, "InvalidTransitGatewayID.NotFound")
	_, err = e.DeleteTransitGateway(ctx, &ec2.DeleteTransitGatewayInput{TransitGatewayId: &tgw})
	wantCode(t, err, "InvalidTransitGatewayID.NotFound")
	_, err = e.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: s.Subnet.SubnetId})
	must(t, err)
	_, err = e.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: v.Vpc.VpcId})
	must(t, err)
}

// TestMaintainFleetsReplace: a maintain Spot Fleet and a maintain EC2
// Fleet replace an instance terminated by hand (AWS keeps a maintain
// fleet at its target capacity), and their histories record both the
// loss and the launch; a request fleet does not replace.
func TestMaintainFleetsReplace(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	sub := fleetSubnet(t, e)
	sfr, err := e.RequestSpotFleet(ctx, &ec2.RequestSpotFleetInput{SpotFleetRequestConfig: &ec2types.SpotFleetRequestConfigData{
		IamFleetRole: aws.String(fleetRole), TargetCapacity: aws.Int32(2),
		LaunchSpecifications: []ec2types.SpotFleetLaunchSpecification{{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro, SubnetId: aws.String(sub)}}}})
	must(t, err)
	sid := aws.ToString(sfr.SpotFleetRequestId)
	lt, err := e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("maintain"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro}})
	must(t, err)
	cfg := []ec2types.FleetLaunchTemplateConfigRequest{{LaunchTemplateSpecification: &ec2types.FleetLaunchTemplateSpecificationRequest{
		LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId, Version: aws.String("1")},
		Overrides: []ec2types.FleetLaunchTemplateOverridesRequest{{SubnetId: aws.String(sub)}}}}
	mk := func(typ ec2types.FleetType) string {
		f, err := e.CreateFleet(ctx, &ec2.CreateFleetInput{Type: typ, LaunchTemplateConfigs: cfg,
			TargetCapacitySpecification: &ec2types.TargetCapacitySpecificationRequest{TotalTargetCapacity: aws.Int32(2), DefaultTargetCapacityType: ec2types.DefaultTargetCapacityTypeOnDemand}})
		must(t, err)
		return aws.ToString(f.FleetId)
	}
	fid, rid := mk(ec2types.FleetTypeMaintain), mk(ec2types.FleetTypeRequest)
	spotActive := func() []string {
		r, err := e.DescribeSpotFleetInstances(ctx, &ec2.DescribeSpotFleetInstancesInput{SpotFleetRequestId: &sid})
		must(t, err)
		var ids []string
		for _, a := range r.ActiveInstances {
			ids = append(ids, aws.ToString(a.InstanceId))
		}
		return ids
	}
	fleetActive := func(id string) []string {
		r, err := e.DescribeFleetInstances(ctx, &ec2.DescribeFleetInstancesInput{FleetId: &id})
		must(t, err)
		var ids []string
		for _, a := range r.ActiveInstances {
			ids = append(ids, aws.ToString(a.InstanceId))
		}
		return ids
	}
	s0, f0, r0 := spotActive(), fleetActive(fid), fleetActive(rid)
	if len(s0) != 2 || len(f0) != 2 || len(r0) != 2 {
		t.Fatalf("before: spot %v fleet %v request %v", s0, f0, r0)
	}
	_, err = e.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{s0[0], f0[0], r0[0]}})
	must(t, err)
	eventually(t, "the maintain fleets replace their instance", func() bool {
		s, f := spotActive(), fleetActive(fid)
		return len(s) == 2 && len(f) == 2 && !contains(s, s0[0]) && !contains(f, f0[0])
	})
	if r := fleetActive(rid); len(r) != 1 {
		t.Errorf("a request fleet replaced its instance: %v", r)
	}
	sh, err := e.DescribeSpotFleetRequestHistory(ctx, &ec2.DescribeSpotFleetRequestHistoryInput{SpotFleetRequestId: &sid,
		StartTime: aws.Time(time.Now().Add(-time.Hour)), EventType: ec2types.EventTypeInstanceChange})
	must(t, err)
	if got := subTypes(sh.HistoryRecords); !slices.Equal(got, []string{"launched", "launched", "terminated", "launched"}) {
		t.Errorf("spot fleet history: %v", got)
	}
	fh, err := e.DescribeFleetHistory(ctx, &ec2.DescribeFleetHistoryInput{FleetId: &fid, StartTime: aws.Time(time.Now().Add(-time.Hour))})
	must(t, err)
	var kinds []string
	for _, h := range fh.HistoryRecords {
		kinds = append(kinds, string(h.EventType)+"/"+aws.ToString(h.EventInformation.EventSubType))
	}
	want := []string{"fleet-change/submitted", "fleet-change/active", "instance-change/launched", "instance-change/launched",
		"instance-change/terminated", "instance-change/launched"}
	if !slices.Equal(kinds, want) || aws.ToString(fh.FleetId) != fid {
		t.Errorf("fleet history: %v", kinds)
	}
	_, err = e.DeleteFleets(ctx, &ec2.DeleteFleetsInput{FleetIds: []string{fid}, TerminateInstances: aws.Bool(true)})
	must(t, err)
	fh, err = e.DescribeFleetHistory(ctx, &ec2.DescribeFleetHistoryInput{FleetId: &fid, StartTime: aws.Time(time.Now().Add(-time.Hour)),
		EventType: ec2types.FleetEventTypeFleetChange})
	must(t, err)
	if n := len(fh.HistoryRecords); n != 3 || aws.ToString(fh.HistoryRecords[2].EventInformation.EventSubType) != "deleted_terminating" {
		t.Errorf("fleet-change history after delete: %+v", fh.HistoryRecords)
	}
	_, err = e.DescribeFleetHistory(ctx, &ec2.DescribeFleetHistoryInput{FleetId: aws.String("fleet-00000000-0000-0000-0000-000000000000"), StartTime: aws.Time(time.Now())})
	wantCode(t, err, "InvalidFleetId.NotFound")
}

func subTypes(h []ec2types.HistoryRecord) []string {
	var out []string
	for _, r := range h {
		out = append(out, aws.ToString(r.EventInformation.EventSubType))
	}
	return out
}

// TestFleetDescribeEchoes: DescribeSpotFleetRequests and DescribeFleets
// answer the request's parameters as given (botocore's
// SpotFleetRequestConfigData, SpotFleetLaunchSpecification, FleetData,
// SpotOptions, OnDemandOptions), and a launch specification's monitoring
// and block devices reach its instances.
func TestFleetDescribeEchoes(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	sub := fleetSubnet(t, e)
	r, err := e.RequestSpotFleet(ctx, &ec2.RequestSpotFleetInput{SpotFleetRequestConfig: &ec2types.SpotFleetRequestConfigData{
		IamFleetRole: aws.String(fleetRole), TargetCapacity: aws.Int32(1), SpotMaxTotalPrice: aws.String("5"), Context: aws.String("ctx"),
		SpotMaintenanceStrategies: &ec2types.SpotMaintenanceStrategies{CapacityRebalance: &ec2types.SpotCapacityRebalance{
			ReplacementStrategy: ec2types.ReplacementStrategyLaunchBeforeTerminate, TerminationDelay: aws.Int32(120)}},
		LaunchSpecifications: []ec2types.SpotFleetLaunchSpecification{{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
			SubnetId: aws.String(sub), EbsOptimized: aws.Bool(false), Monitoring: &ec2types.SpotFleetMonitoring{Enabled: aws.Bool(true)},
			Placement:           &ec2types.SpotPlacement{Tenancy: ec2types.TenancyDefault},
			BlockDeviceMappings: []ec2types.BlockDeviceMapping{{DeviceName: aws.String("/dev/sdb"), Ebs: &ec2types.EbsBlockDevice{VolumeSize: aws.Int32(20), VolumeType: ec2types.VolumeTypeGp3}}}}}}})
	must(t, err)
	d, err := e.DescribeSpotFleetRequests(ctx, &ec2.DescribeSpotFleetRequestsInput{SpotFleetRequestIds: []string{aws.ToString(r.SpotFleetRequestId)}})
	must(t, err)
	c := d.SpotFleetRequestConfigs[0].SpotFleetRequestConfig
	spec := c.LaunchSpecifications[0]
	if aws.ToString(c.SpotMaxTotalPrice) != "5" || aws.ToString(c.Context) != "ctx" || c.SpotMaintenanceStrategies == nil ||
		c.SpotMaintenanceStrategies.CapacityRebalance.ReplacementStrategy != ec2types.ReplacementStrategyLaunchBeforeTerminate ||
		aws.ToInt32(c.SpotMaintenanceStrategies.CapacityRebalance.TerminationDelay) != 120 {
		t.Errorf("config: %+v", c)
	}
	if spec.EbsOptimized == nil || *spec.EbsOptimized || spec.Monitoring == nil || !aws.ToBool(spec.Monitoring.Enabled) ||
		spec.Placement == nil || spec.Placement.Tenancy != ec2types.TenancyDefault || len(spec.BlockDeviceMappings) != 1 ||
		aws.ToString(spec.BlockDeviceMappings[0].DeviceName) != "/dev/sdb" || aws.ToInt32(spec.BlockDeviceMappings[0].Ebs.VolumeSize) != 20 {
		t.Errorf("launch specification: %+v", spec)
	}
	fi, err := e.DescribeSpotFleetInstances(ctx, &ec2.DescribeSpotFleetInstancesInput{SpotFleetRequestId: r.SpotFleetRequestId})
	must(t, err)
	di, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{aws.ToString(fi.ActiveInstances[0].InstanceId)}})
	must(t, err)
	inst := di.Reservations[0].Instances[0]
	devs := map[string]bool{}
	for _, b := range inst.BlockDeviceMappings {
		devs[aws.ToString(b.DeviceName)] = true
	}
	if inst.Monitoring == nil || inst.Monitoring.State != ec2types.MonitoringStateEnabled || !devs["/dev/sdb"] {
		t.Errorf("instance: monitoring %+v devices %v", inst.Monitoring, devs)
	}

	lt, err := e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("echo"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro}})
	must(t, err)
	f, err := e.CreateFleet(ctx, &ec2.CreateFleetInput{Type: ec2types.FleetTypeMaintain, Context: aws.String("c2"),
		LaunchTemplateConfigs: []ec2types.FleetLaunchTemplateConfigRequest{{LaunchTemplateSpecification: &ec2types.FleetLaunchTemplateSpecificationRequest{
			LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId, Version: aws.String("1")},
			Overrides: []ec2types.FleetLaunchTemplateOverridesRequest{{SubnetId: aws.String(sub), ImageId: aws.String("ami-12c6146b")}}}},
		TargetCapacitySpecification: &ec2types.TargetCapacitySpecificationRequest{TotalTargetCapacity: aws.Int32(1), DefaultTargetCapacityType: ec2types.DefaultTargetCapacityTypeSpot},
		SpotOptions: &ec2types.SpotOptionsRequest{AllocationStrategy: ec2types.SpotAllocationStrategyLowestPrice, InstancePoolsToUseCount: aws.Int32(1),
			MaintenanceStrategies: &ec2types.FleetSpotMaintenanceStrategiesRequest{CapacityRebalance: &ec2types.FleetSpotCapacityRebalanceRequest{
				ReplacementStrategy: ec2types.FleetReplacementStrategyLaunch}},
			MaxTotalPrice: aws.String("50"), MinTargetCapacity: aws.Int32(1), SingleAvailabilityZone: aws.Bool(true), SingleInstanceType: aws.Bool(true)},
		OnDemandOptions: &ec2types.OnDemandOptionsRequest{AllocationStrategy: ec2types.FleetOnDemandAllocationStrategyPrioritized,
			MaxTotalPrice: aws.String("40"), SingleInstanceType: aws.Bool(true)}})
	must(t, err)
	df, err := e.DescribeFleets(ctx, &ec2.DescribeFleetsInput{FleetIds: []string{aws.ToString(f.FleetId)}})
	must(t, err)
	fd := df.Fleets[0]
	so, od := fd.SpotOptions, fd.OnDemandOptions
	if aws.ToString(fd.Context) != "c2" || aws.ToInt32(so.InstancePoolsToUseCount) != 1 || aws.ToString(so.MaxTotalPrice) != "50" ||
		aws.ToInt32(so.MinTargetCapacity) != 1 || !aws.ToBool(so.SingleAvailabilityZone) || !aws.ToBool(so.SingleInstanceType) ||
		so.MaintenanceStrategies == nil || so.MaintenanceStrategies.CapacityRebalance.ReplacementStrategy != ec2types.FleetReplacementStrategyLaunch ||
		od.AllocationStrategy != ec2types.FleetOnDemandAllocationStrategyPrioritized || aws.ToString(od.MaxTotalPrice) != "40" || !aws.ToBool(od.SingleInstanceType) {
		t.Errorf("fleet: %+v spot %+v on-demand %+v", fd, so, od)
	}
	if o := fd.LaunchTemplateConfigs[0].Overrides[0]; aws.ToString(o.ImageId) != "ami-12c6146b" {
		t.Errorf("override: %+v", o)
	}
}

// TestDeleteFleetTerminating: DeleteFleets without terminating answers
// deleted_running, and again with terminating deleted_terminating, which
// Describe keeps answering while the instances terminate (moto's
// test_delete_fleet, verified against AWS, reads it straight after).
func TestDeleteFleetTerminating(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	lt, err := e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("del"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro}})
	must(t, err)
	f, err := e.CreateFleet(ctx, &ec2.CreateFleetInput{Type: ec2types.FleetTypeMaintain,
		LaunchTemplateConfigs: []ec2types.FleetLaunchTemplateConfigRequest{{LaunchTemplateSpecification: &ec2types.FleetLaunchTemplateSpecificationRequest{
			LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId, Version: aws.String("1")}}},
		TargetCapacitySpecification: &ec2types.TargetCapacitySpecificationRequest{TotalTargetCapacity: aws.Int32(3), OnDemandTargetCapacity: aws.Int32(1),
			SpotTargetCapacity: aws.Int32(2), DefaultTargetCapacityType: ec2types.DefaultTargetCapacityTypeSpot}})
	must(t, err)
	id := aws.ToString(f.FleetId)
	d, err := e.DeleteFleets(ctx, &ec2.DeleteFleetsInput{FleetIds: []string{id}, TerminateInstances: aws.Bool(false)})
	must(t, err)
	if d.SuccessfulFleetDeletions[0].CurrentFleetState != ec2types.FleetStateCodeDeletedRunning {
		t.Fatalf("first delete: %+v", d.SuccessfulFleetDeletions)
	}
	d, err = e.DeleteFleets(ctx, &ec2.DeleteFleetsInput{FleetIds: []string{id}, TerminateInstances: aws.Bool(true)})
	must(t, err)
	if d.SuccessfulFleetDeletions[0].CurrentFleetState != ec2types.FleetStateCodeDeletedTerminatingInstances {
		t.Fatalf("second delete: %+v", d.SuccessfulFleetDeletions)
	}
	// Scheduler passes terminate the instances.
	eventually(t, "no active instances after delete", func() bool {
		fi, err := e.DescribeFleetInstances(ctx, &ec2.DescribeFleetInstancesInput{FleetId: &id})
		must(t, err)
		return len(fi.ActiveInstances) == 0
	})
	df, err := e.DescribeFleets(ctx, &ec2.DescribeFleetsInput{FleetIds: []string{id}})
	must(t, err)
	if df.Fleets[0].FleetState != ec2types.FleetStateCodeDeletedTerminatingInstances {
		t.Errorf("state after delete: %s", df.Fleets[0].FleetState)
	}
}

// TestSpotFleetTagSpecificationType: a Spot Fleet request's own
// TagSpecifications must be of type spot-fleet-request, "otherwise the
// Spot Fleet request fails" (botocore's SpotFleetRequestConfigData).
func TestSpotFleetTagSpecificationType(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	sub := fleetSubnet(t, e)
	cfg := func(rt ec2types.ResourceType) *ec2types.SpotFleetRequestConfigData {
		return &ec2types.SpotFleetRequestConfigData{IamFleetRole: aws.String(fleetRole), TargetCapacity: aws.Int32(1),
			TagSpecifications:    []ec2types.TagSpecification{{ResourceType: rt, Tags: []ec2types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}},
			LaunchSpecifications: []ec2types.SpotFleetLaunchSpecification{{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro, SubnetId: aws.String(sub)}}}
	}
	_, err := e.RequestSpotFleet(ctx, &ec2.RequestSpotFleetInput{SpotFleetRequestConfig: cfg(ec2types.ResourceTypeInstance)})
	wantAPIError(t, err, "InvalidParameterValue", "The value for `ResourceType` must be `spot-fleet-request`, but got `instance` instead.")
	r, err := e.RequestSpotFleet(ctx, &ec2.RequestSpotFleetInput{SpotFleetRequestConfig: cfg(ec2types.ResourceTypeSpotFleetRequest)})
	must(t, err)
	d, err := e.DescribeSpotFleetRequests(ctx, &ec2.DescribeSpotFleetRequestsInput{SpotFleetRequestIds: []string{aws.ToString(r.SpotFleetRequestId)}})
	must(t, err)
	if tags := d.SpotFleetRequestConfigs[0].Tags; len(tags) != 1 || aws.ToString(tags[0].Key) != "k" {
		t.Errorf("tags: %+v", tags)
	}
}
