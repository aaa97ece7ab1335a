package server_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestDocumentedEC2Filters35 checks, through the Go SDK, that the filter
// names the EC2 API reference (the botocore model's documentation of each
// Describe call's Filters) lists for DescribeSubnets,
// DescribeAvailabilityZones, DescribeVpnConnections, DescribeInstances,
// DescribeInstanceStatus, DescribeVolumes, DescribeSnapshots and
// DescribeImages are accepted: until round thirty-five ecsnet refused them
// with InvalidParameterValue "The filter '…' is invalid", which AWS answers
// only for a name it does not list. Filters on what ecsnet models match
// (an instance's launch index, launch time, primary private address and
// its attachment time; a volume's zone ID; a VPN connection's customer
// gateway ASN); filters on what it does not model (Outposts, carrier
// addresses, operators, …) are valid and match nothing.
func TestDocumentedEC2Filters35(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	filter := func(name string, values ...string) []ec2types.Filter {
		return []ec2types.Filter{{Name: aws.String(name), Values: values}}
	}

	vpc, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.35.0.0/16")})
	must(t, err)
	sub, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.35.1.0/24"),
		AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	run, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		SubnetId: sub.Subnet.SubnetId})
	must(t, err)
	inst := run.Instances[0]
	id := aws.ToString(inst.InstanceId)
	ip := aws.ToString(inst.PrivateIpAddress)

	for _, name := range []string{"customer-owned-ipv4-pool", "outpost-arn", "enable-lni-at-device-index"} {
		out, err := e.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: filter(name, "*")})
		must(t, err)
		if len(out.Subnets) != 0 {
			t.Errorf("DescribeSubnets %s=*: %d subnets, want none", name, len(out.Subnets))
		}
	}
	for _, name := range []string{"message", "parent-zone-id", "parent-zone-name"} {
		_, err := e.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{Filters: filter(name, "x")})
		must(t, err)
	}

	instances := func(f []ec2types.Filter) []string {
		t.Helper()
		out, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: f})
		must(t, err)
		var ids []string
		for _, r := range out.Reservations {
			for _, i := range r.Instances {
				ids = append(ids, aws.ToString(i.InstanceId))
			}
		}
		return ids
	}
	launched := inst.LaunchTime.UTC().Format("2006-01-02T")
	for _, f := range [][]ec2types.Filter{
		filter("launch-index", "0"),
		filter("launch-time", launched+"*"),
		filter("network-interface.private-ip-address", ip),
		filter("network-interface.attachment.network-card-index", "0"),
		filter("network-interface.attachment.attach-time", launched+"*"),
		filter("metadata-options.http-protocol-ipv4", "enabled"),
	} {
		if got := instances(f); len(got) != 1 || got[0] != id {
			t.Errorf("DescribeInstances %s=%v: %v, want [%s]", *f[0].Name, f[0].Values, got, id)
		}
	}
	if got := instances(filter("launch-index", "1")); len(got) != 0 {
		t.Errorf("DescribeInstances launch-index=1: %v, want none", got)
	}
	for _, name := range []string{"operator.managed", "network-interface.outpost-arn", "network-interface.association.carrier-ip",
		"capacity-reservation-specification.capacity-reservation-target.capacity-reservation-id", "iam-instance-profile.id", "reason",
		"network-interface.association.allocation-id", "network-interface.addresses.private-dns-name", "block-device-mapping.attach-time"} {
		if got := instances(filter(name, "x")); len(got) != 0 {
			t.Errorf("DescribeInstances %s=x: %v, want none", name, got)
		}
	}
	for _, name := range []string{"operator.managed", "operator.principal"} {
		_, err := e.DescribeInstanceStatus(ctx, &ec2.DescribeInstanceStatusInput{Filters: filter(name, "x")})
		must(t, err)
	}

	vol, err := e.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(10)})
	must(t, err)
	vols, err := e.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: filter("availability-zone-id", aws.ToString(sub.Subnet.AvailabilityZoneId))})
	must(t, err)
	found := false
	for _, v := range vols.Volumes {
		found = found || aws.ToString(v.VolumeId) == aws.ToString(vol.VolumeId)
	}
	if !found {
		t.Errorf("DescribeVolumes availability-zone-id=%s does not list %s", aws.ToString(sub.Subnet.AvailabilityZoneId), aws.ToString(vol.VolumeId))
	}
	for _, name := range []string{"fast-restored", "multi-attach-enabled", "operator.managed", "operator.principal"} {
		_, err := e.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: filter(name, "true")})
		must(t, err)
	}
	for _, name := range []string{"owner-alias", "transfer-type"} {
		_, err := e.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}, Filters: filter(name, "x")})
		must(t, err)
	}
	for _, name := range []string{"image-allowed", "free-tier-eligible"} {
		_, err := e.DescribeImages(ctx, &ec2.DescribeImagesInput{Owners: []string{"self"}, Filters: filter(name, "true")})
		must(t, err)
	}

	vgw, err := e.CreateVpnGateway(ctx, &ec2.CreateVpnGatewayInput{Type: ec2types.GatewayTypeIpsec1})
	must(t, err)
	cg, err := e.CreateCustomerGateway(ctx, &ec2.CreateCustomerGatewayInput{Type: ec2types.GatewayTypeIpsec1,
		IpAddress: aws.String("198.51.100.35"), BgpAsn: aws.Int32(65035)})
	must(t, err)
	vc, err := e.CreateVpnConnection(ctx, &ec2.CreateVpnConnectionInput{Type: aws.String("ipsec.1"),
		CustomerGatewayId: cg.CustomerGateway.CustomerGatewayId, VpnGatewayId: vgw.VpnGateway.VpnGatewayId})
	must(t, err)
	for asn, want := range map[string]int{"65035": 1, "65000": 0} {
		out, err := e.DescribeVpnConnections(ctx, &ec2.DescribeVpnConnectionsInput{Filters: filter("bgp-asn", asn)})
		must(t, err)
		if len(out.VpnConnections) != want || (want == 1 && aws.ToString(out.VpnConnections[0].VpnConnectionId) != aws.ToString(vc.VpnConnection.VpnConnectionId)) {
			t.Errorf("DescribeVpnConnections bgp-asn=%s: %d connections, want %d", asn, len(out.VpnConnections), want)
		}
	}
	out, err := e.DescribeVpnConnections(ctx, &ec2.DescribeVpnConnectionsInput{Filters: filter("transit-gateway-id", "tgw-*")})
	must(t, err)
	if len(out.VpnConnections) != 0 {
		t.Errorf("DescribeVpnConnections transit-gateway-id=tgw-*: %d, want none", len(out.VpnConnections))
	}

	_, err = e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: filter("no-such-filter", "x")})
	wantAPIError(t, err, "InvalidParameterValue", "The filter 'no-such-filter' is invalid")
}

// TestDocumentedInstanceTypeFilters35 checks, through the Go SDK, that
// DescribeInstanceTypes takes every filter name the EC2 API reference lists
// and compares it with the answered fields: vcpu-info.valid-cores,
// network-info.ipv6-supported, supported-boot-mode and
// network-info.ena-support select the types whose answer has that value, a
// field ecsnet does not answer (ebs-info.nvme-support) matches none.
// ecsnet refused 39 of the names until round thirty-five ("The filter '…'
// is invalid").
func TestDocumentedInstanceTypeFilters35(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	types := func(name, value string) []ec2types.InstanceTypeInfo {
		t.Helper()
		var all []ec2types.InstanceTypeInfo
		p := ec2.NewDescribeInstanceTypesPaginator(e, &ec2.DescribeInstanceTypesInput{
			Filters: []ec2types.Filter{{Name: aws.String(name), Values: []string{value}}}})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			must(t, err)
			all = append(all, out.InstanceTypes...)
		}
		return all
	}
	cores := types("vcpu-info.valid-cores", "4")
	if len(cores) == 0 {
		t.Fatal("vcpu-info.valid-cores=4 matches no type")
	}
	for _, it := range cores {
		if it.VCpuInfo == nil || !slices.Contains(it.VCpuInfo.ValidCores, 4) {
			t.Errorf("vcpu-info.valid-cores=4 lists %s, whose valid cores are %v", it.InstanceType, it.VCpuInfo)
		}
	}
	for _, it := range types("network-info.ipv6-supported", "false") {
		if it.NetworkInfo == nil || aws.ToBool(it.NetworkInfo.Ipv6Supported) {
			t.Errorf("network-info.ipv6-supported=false lists %s", it.InstanceType)
		}
	}
	uefiOnly := types("supported-boot-mode", "legacy-bios")
	for _, it := range uefiOnly {
		if !slices.Contains(it.SupportedBootModes, ec2types.BootModeTypeLegacyBios) {
			t.Errorf("supported-boot-mode=legacy-bios lists %s (%v)", it.InstanceType, it.SupportedBootModes)
		}
	}
	if len(types("network-info.ena-support", "required")) == 0 {
		t.Error("network-info.ena-support=required matches no type")
	}
	if got := types("ebs-info.nvme-support", "required"); len(got) != 0 {
		t.Errorf("ebs-info.nvme-support=required: %d types, want none (not answered)", len(got))
	}
	_, err := e.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{
		Filters: []ec2types.Filter{{Name: aws.String("vcpu-info.no-such"), Values: []string{"1"}}}})
	wantAPIError(t, err, "InvalidParameterValue", "The filter 'vcpu-info.no-such' is invalid")
}

// TestDocumentedSpotAndModificationFilters35 checks, through the Go SDK,
// that DescribeSpotInstanceRequests and DescribeVolumesModifications take
// the filter names the EC2 API reference lists that ecsnet refused until
// round thirty-five: product-description and create-time select a spot
// request, launch.monitoring-enabled=true does not (detailed monitoring
// off); the launch specification's block device and network interface
// names and the fault names are valid and match none.
func TestDocumentedSpotAndModificationFilters35(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	r, err := e.RequestSpotInstances(ctx, &ec2.RequestSpotInstancesInput{SpotPrice: aws.String("0.5"),
		LaunchSpecification: &ec2types.RequestSpotLaunchSpecification{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro}})
	must(t, err)
	id := aws.ToString(r.SpotInstanceRequests[0].SpotInstanceRequestId)
	day := r.SpotInstanceRequests[0].CreateTime.UTC().Format("2006-01-02T")
	spot := func(name, value string) int {
		t.Helper()
		out, err := e.DescribeSpotInstanceRequests(ctx, &ec2.DescribeSpotInstanceRequestsInput{
			Filters: []ec2types.Filter{{Name: aws.String(name), Values: []string{value}}}})
		must(t, err)
		for _, s := range out.SpotInstanceRequests {
			if aws.ToString(s.SpotInstanceRequestId) != id {
				t.Errorf("%s=%s lists %s", name, value, aws.ToString(s.SpotInstanceRequestId))
			}
		}
		return len(out.SpotInstanceRequests)
	}
	for name, want := range map[string]struct {
		value string
		n     int
	}{
		"product-description": {"Linux/UNIX", 1}, "create-time": {day + "*", 1}, "launch.monitoring-enabled": {"true", 0},
		"fault-code": {"*", 0}, "launch.block-device-mapping.device-name": {"*", 0}, "network-interface.subnet-id": {"*", 0},
	} {
		if got := spot(name, want.value); got != want.n {
			t.Errorf("DescribeSpotInstanceRequests %s=%s: %d requests, want %d", name, want.value, got, want.n)
		}
	}
	for _, name := range []string{"start-time", "originalMultiAttachEnabled", "targetMultiAttachEnabled"} {
		_, err := e.DescribeVolumesModifications(ctx, &ec2.DescribeVolumesModificationsInput{
			Filters: []ec2types.Filter{{Name: aws.String(name), Values: []string{"x"}}}})
		must(t, err)
	}
}

// TestPrefixListEntryLimits35 checks, through the Go SDK, ModifyManagedPrefixList's
// and CreateManagedPrefixList's refusals as AWS gives them:
//   - removing an entry the list does not hold is InvalidPrefixListModification
//     with a text ending "does not exist." (terraform-provider-aws's
//     aws_ec2_managed_prefix_list_entry takes exactly that as the entry already
//     gone; ecsnet answered InvalidParameterValue until round thirty-five), and
//     the list keeps its entries and version;
//   - more than 100 entries in one CreateManagedPrefixList is InvalidParameterValue
//     "The number of entries per request cannot exceeds limit (100)."
//     (terraform-provider-aws#49955 quotes it), more than 100 additions and
//     removals in one ModifyManagedPrefixList InvalidParameterValue "… cannot
//     contain more than 100 entry additions or removals."; 100 are taken.
func TestPrefixListEntryLimits35(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	cidrs := func(n, third int) []ec2types.AddPrefixListEntry {
		out := make([]ec2types.AddPrefixListEntry, n)
		for i := range out {
			out[i] = ec2types.AddPrefixListEntry{Cidr: aws.String(fmt.Sprintf("10.%d.%d.0/24", third, i))}
		}
		return out
	}
	_, err := e.CreateManagedPrefixList(ctx, &ec2.CreateManagedPrefixListInput{PrefixListName: aws.String("big"),
		AddressFamily: aws.String("IPv4"), MaxEntries: aws.Int32(500), Entries: cidrs(101, 1)})
	wantAPIError(t, err, "InvalidParameterValue", "The number of entries per request cannot exceeds limit (100).")

	pl, err := e.CreateManagedPrefixList(ctx, &ec2.CreateManagedPrefixListInput{PrefixListName: aws.String("big"),
		AddressFamily: aws.String("IPv4"), MaxEntries: aws.Int32(500), Entries: cidrs(100, 1)})
	must(t, err)
	id := pl.PrefixList.PrefixListId

	_, err = e.ModifyManagedPrefixList(ctx, &ec2.ModifyManagedPrefixListInput{PrefixListId: id, AddEntries: cidrs(101, 2)})
	var ae interface{ ErrorCode() string }
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidParameterValue" || !strings.Contains(err.Error(), "cannot contain more than 100 entry additions or removals") {
		t.Errorf("ModifyManagedPrefixList with 101 additions: %v", err)
	}

	_, err = e.ModifyManagedPrefixList(ctx, &ec2.ModifyManagedPrefixListInput{PrefixListId: id,
		RemoveEntries: []ec2types.RemovePrefixListEntry{{Cidr: aws.String("192.0.2.0/24")}}})
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidPrefixListModification" || !strings.Contains(err.Error(), "does not exist.") {
		t.Errorf("removing an entry the list does not hold: %v, want InvalidPrefixListModification … does not exist.", err)
	}
	out, err := e.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{PrefixListIds: []string{aws.ToString(id)}})
	must(t, err)
	if v := aws.ToInt64(out.PrefixLists[0].Version); v != 1 {
		t.Errorf("version after the refused calls: %d, want 1", v)
	}
	entries, err := e.GetManagedPrefixListEntries(ctx, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: id, MaxResults: aws.Int32(200)})
	must(t, err)
	if len(entries.Entries) != 100 {
		t.Errorf("entries after the refused calls: %d, want 100", len(entries.Entries))
	}
}

// TestDescribeVolumesMaxResultsAboveCap35 checks, through the Go SDK, that
// DescribeVolumes and DescribeVolumesModifications take a MaxResults above
// 500 and answer at most 500 items a page ("if MaxResults is given a value
// larger than 500, only 500 items are returned"), as the aws CLI's
// `ec2 describe-volumes` needs: it sends MaxResults 1000 by default
// (awscli/customizations/ec2/paginate.py, DEFAULT_PAGE_SIZE). ecsnet refused
// it with InvalidParameterValue "Expecting a value less than or equal to
// 500." until round thirty-five, so `aws ec2 describe-volumes` failed; below
// 5 is still refused.
func TestDescribeVolumesMaxResultsAboveCap35(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	for i := 0; i < 3; i++ {
		_, err := e.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(8)})
		must(t, err)
	}
	out, err := e.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{MaxResults: aws.Int32(1000)})
	must(t, err)
	if len(out.Volumes) != 3 || out.NextToken != nil {
		t.Errorf("DescribeVolumes MaxResults=1000: %d volumes, NextToken %v; want 3 and none", len(out.Volumes), aws.ToString(out.NextToken))
	}
	_, err = e.DescribeVolumesModifications(ctx, &ec2.DescribeVolumesModificationsInput{MaxResults: aws.Int32(1000)})
	must(t, err)
	_, err = e.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{MaxResults: aws.Int32(4)})
	wantAPIError(t, err, "InvalidParameterValue", "Value ( 4 ) for parameter maxResults is invalid. Expecting a value greater than 5.")
}
