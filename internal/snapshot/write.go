package snapshot

import (
	"bufio"
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Write prints st as a snapshot under dir: aws_configs/<region>/<call>.json,
// one file per describe-* call (Calls) in the aws CLI's shape, and one
// describe-target-health file per target group. Load reads it back into an
// equivalent state; fields the describe-* calls do not show (user data,
// ListenAddress, engine bookkeeping) are not written.
func Write(dir string, st *model.State) error {
	out := filepath.Join(dir, "aws_configs", st.Region)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	w := &writer{st: st}
	files := map[string]any{
		"ec2-describe-vpcs.json":                                map[string]any{"Vpcs": w.vpcs()},
		"ec2-describe-subnets.json":                             map[string]any{"Subnets": w.subnets()},
		"ec2-describe-route-tables.json":                        map[string]any{"RouteTables": w.routeTables()},
		"ec2-describe-internet-gateways.json":                   map[string]any{"InternetGateways": w.igws()},
		"ec2-describe-nat-gateways.json":                        map[string]any{"NatGateways": w.nats()},
		"ec2-describe-network-acls.json":                        map[string]any{"NetworkAcls": w.acls()},
		"ec2-describe-security-groups.json":                     map[string]any{"SecurityGroups": w.sgs()},
		"ec2-describe-network-interfaces.json":                  map[string]any{"NetworkInterfaces": w.enis()},
		"ec2-describe-instances.json":                           map[string]any{"Reservations": w.reservations()},
		"ec2-describe-addresses.json":                           map[string]any{"Addresses": w.addresses()},
		"ec2-describe-vpc-endpoints.json":                       map[string]any{"VpcEndpoints": w.endpoints()},
		"ec2-describe-dhcp-options.json":                        map[string]any{"DhcpOptions": w.dhcpOptions()},
		"ec2-describe-vpc-endpoint-service-configurations.json": map[string]any{"ServiceConfigurations": w.serviceConfigs()},
		"ec2-describe-prefix-lists.json":                        map[string]any{"PrefixLists": w.prefixLists()},
		"ec2-describe-launch-templates.json":                    map[string]any{"LaunchTemplates": w.launchTemplates()},
		"ec2-describe-launch-template-versions.json":            map[string]any{"LaunchTemplateVersions": w.launchTemplateVersions()},
		"autoscaling-describe-auto-scaling-groups.json":         map[string]any{"AutoScalingGroups": w.asgs()},
		"autoscaling-describe-launch-configurations.json":       map[string]any{"LaunchConfigurations": w.launchConfigs()},
		"ecs-describe-clusters.json":                            map[string]any{"clusters": w.clusters(), "failures": []any{}},
		"ecs-describe-capacity-providers.json":                  map[string]any{"capacityProviders": w.capacityProviders()},
		"ecs-describe-container-instances.json":                 map[string]any{"containerInstances": w.containerInstances(), "failures": []any{}},
		"ecs-describe-services.json":                            map[string]any{"services": w.services(), "failures": []any{}},
		"ecs-describe-tasks.json":                               map[string]any{"tasks": w.tasks(), "failures": []any{}},
		"ecs-describe-task-definition.json":                     map[string]any{"taskDefinitions": w.taskDefinitions()},
		"ecs-describe-daemon-task-definition.json":              map[string]any{"daemonTaskDefinitions": w.daemonTaskDefinitions()},
		"elbv2-describe-load-balancers.json":                    map[string]any{"LoadBalancers": w.loadBalancers()},
		"elbv2-describe-listeners.json":                         map[string]any{"Listeners": w.listeners()},
		"elbv2-describe-rules.json":                             map[string]any{"Rules": w.rules()},
		"elbv2-describe-target-groups.json":                     map[string]any{"TargetGroups": w.targetGroups()},
	}
	for _, tg := range sortedValues(st.TargetGroups) {
		files[TargetHealthFileName(tg.ARN)] = w.targetHealth(tg)
		files[TargetGroupAttributesFileName(tg.ARN)] = elbAttributes{TargetGroupArn: tg.ARN,
			Attributes: attributesOut(engine.TargetGroupAttributeDefaults(tg), tg.Attributes)}
	}
	for _, lb := range sortedValues(st.LoadBalancers) {
		files[LoadBalancerAttributesFileName(lb.ARN)] = elbAttributes{LoadBalancerArn: lb.ARN,
			Attributes: attributesOut(engine.LoadBalancerAttributeDefaults(lb), lb.Attributes)}
	}
	for _, in := range sortedValues(st.Instances) {
		if in.UserData != "" && in.State != model.InstanceTerminated {
			ud := ec2UserData{InstanceID: string(in.ID)}
			ud.UserData.Value = base64.StdEncoding.EncodeToString([]byte(in.UserData))
			files[UserDataFileName(string(in.ID))] = ud
		}
	}
	if len(st.EgressOnlyIGWs) > 0 {
		// Not one of Calls (older collectors never made it): written
		// when there is something to say, read when present.
		files["ec2-describe-egress-only-internet-gateways.json"] = map[string]any{"EgressOnlyInternetGateways": w.eigws()}
	}
	if o := st.BPAOptions[model.BPAOptionsKey]; o != nil || len(st.BPAExclusions) > 0 {
		// VPC Block Public Access, when the state sets it (as the
		// egress-only gateways).
		files["ec2-describe-vpc-block-public-access-options.json"] = map[string]any{"VpcBlockPublicAccessOptions": ec2BPAOptions{InternetGatewayBlockMode: st.BPAMode(), State: "update-complete"}}
		files["ec2-describe-vpc-block-public-access-exclusions.json"] = map[string]any{"VpcBlockPublicAccessExclusions": w.bpaExclusions()}
	}
	if len(st.ClassicLoadBalancers) > 0 {
		// Classic Load Balancers (elb describe-load-balancers), when the
		// state has any: older snapshots lack the file, which is optional.
		files["elb-describe-load-balancers.json"] = map[string]any{"LoadBalancerDescriptions": w.classicLoadBalancers()}
		for _, lb := range sortedValues(st.ClassicLoadBalancers) {
			files[ClassicAttributesFileName(lb.Name)] = classicAttributesOut(lb)
			files[ClassicPoliciesFileName(lb.Name)] = classicPoliciesOut(lb)
		}
	}
	// Prefix lists: every list's describe-managed-prefix-lists entry, and
	// the entries of those describe-prefix-lists does not answer with
	// their CIDRs.
	files["ec2-describe-managed-prefix-lists.json"] = map[string]any{"PrefixLists": w.managedPrefixLists()}
	for _, p := range sortedValues(st.PrefixLists) {
		if !inDescribePrefixLists(p) {
			files[ManagedPrefixListEntriesFileName(string(p.ID))] = prefixListEntries(p)
		}
	}
	w.transitGatewayFiles(files)
	w.daemonFiles(files)
	w.efsFiles(files)
	w.vpcAttributeFiles(files)
	w.acmFiles(files)
	w.eventFiles(files)
	w.healthCheckFiles(files)
	w.ecsSettingFiles(files)
	w.ecsPrincipalSettingFiles(files)
	w.ecrFiles(files)
	w.codeDeployFiles(files)
	w.networkFirewallFiles(files)
	w.resourceTagFiles(files)
	if len(st.VpcPeerings) > 0 {
		// VPC peering connections, when the state has any (older
		// snapshots lack the file, which is optional).
		files["ec2-describe-vpc-peering-connections.json"] = map[string]any{"VpcPeeringConnections": w.vpcPeeringsOut()}
	}
	// Endpoint services' allowed principals, one file each.
	for _, s := range sortedValues(st.EndpointServices) {
		x := ec2ServicePermissions{ServiceID: string(s.ID), Principals: []ec2AllowedPrincipal{}}
		for _, p := range s.Principals {
			x.Principals = append(x.Principals, ec2AllowedPrincipal{PrincipalType: principalType(p.ARN), Principal: p.ARN,
				ServicePermissionID: p.PermissionID, ServiceID: string(s.ID)})
		}
		files[EndpointServicePermissionsFileName(string(s.ID))] = x
	}
	if len(st.Namespaces) > 0 || len(st.DiscoveryServices) > 0 {
		// Cloud Map, when the state uses it (as the egress-only gateways).
		files["servicediscovery-list-namespaces.json"] = map[string]any{"Namespaces": w.namespaces()}
		files["servicediscovery-get-service.json"] = map[string]any{"Services": w.sdServices()}
		for _, ds := range sortedValues(st.DiscoveryServices) {
			files[ServiceInstancesFileName(ds.ID)] = w.sdInstances(ds)
		}
	}
	for name, v := range files {
		if err := writeJSONFile(filepath.Join(out, name), v); err != nil {
			return err
		}
	}
	return nil
}

// writeJSONFile writes v indented by four spaces, as the aws CLI prints.
func writeJSONFile(path string, v any) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetIndent("", "    ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

type writer struct{ st *model.State }

func sortedValues[K ~string, V any](m map[K]*V) []*V {
	out := make([]*V, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, m[k])
	}
	return out
}

func tagsOut(t model.Tags) []ec2Tag {
	if len(t) == 0 {
		return nil
	}
	out := make([]ec2Tag, 0, len(t))
	for _, k := range sortedKeys(t) {
		out = append(out, ec2Tag{Key: k, Value: t[k]})
	}
	return out
}

func ecsTagsOut(t model.Tags) []ecsTag {
	out := []ecsTag{}
	for _, k := range sortedKeys(t) {
		out = append(out, ecsTag{Key: k, Value: t[k]})
	}
	return out
}

func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

func i64(v int64) *int64 { return &v }

func (w *writer) dhcpOptions() []ec2DhcpOptions {
	out := []ec2DhcpOptions{}
	for _, o := range sortedValues(w.st.DhcpOptions) {
		x := ec2DhcpOptions{DhcpOptionsID: string(o.ID), OwnerID: w.st.Account, DhcpConfigurations: []ec2DhcpConfig{}, Tags: tagsOut(o.Tags)}
		for _, k := range slices.Sorted(maps.Keys(o.Options)) {
			c := ec2DhcpConfig{Key: k}
			for _, v := range o.Options[k] {
				c.Values = append(c.Values, ec2DhcpValue{v})
			}
			x.DhcpConfigurations = append(x.DhcpConfigurations, c)
		}
		out = append(out, x)
	}
	return out
}

func (w *writer) vpcs() []ec2Vpc {
	out := []ec2Vpc{}
	for _, v := range sortedValues(w.st.VPCs) {
		x := ec2Vpc{VpcID: string(v.ID), OwnerID: w.st.Account, CidrBlock: v.CIDR.String(), IsDefault: v.IsDefault, DhcpOptionsID: string(v.DhcpOptions),
			InstanceTenancy: cmp.Or(v.InstanceTenancy, "default"), State: "available", Tags: tagsOut(v.Tags)}
		for i, c := range v.CIDRs() {
			a := ec2CidrBlockAssn{CidrBlock: c.String()}
			if i < len(v.CIDRAssociationIDs) {
				a.AssociationID = v.CIDRAssociationIDs[i]
			}
			a.CidrBlockState = &struct {
				State string `json:"State"`
			}{"associated"}
			x.CidrBlockAssociationSet = append(x.CidrBlockAssociationSet, a)
		}
		x.Ipv6CidrBlockAssnSet = ipv6BlocksOut(v.IPv6, "Amazon")
		out = append(out, x)
	}
	return out
}

func ipv6BlocksOut(in []model.IPv6Block, pool string) []ec2Ipv6BlockAssn {
	var out []ec2Ipv6BlockAssn
	for _, b := range in {
		out = append(out, ec2Ipv6BlockAssn{AssociationID: b.AssociationID, Ipv6CidrBlock: b.CIDR.String(), Ipv6Pool: pool,
			State: &struct {
				State string `json:"State"`
			}{"associated"}})
	}
	return out
}

func (w *writer) bpaExclusions() []ec2BPAExclusion {
	out := []ec2BPAExclusion{}
	for _, x := range sortedValues(w.st.BPAExclusions) {
		out = append(out, ec2BPAExclusion{ExclusionID: string(x.ID), InternetGatewayExclusionMode: x.Mode, ResourceArn: x.ResourceARN, State: x.State, Tags: tagsOut(x.Tags)})
	}
	return out
}

func (w *writer) eigws() []ec2EgressOnlyIGW {
	out := []ec2EgressOnlyIGW{}
	for _, g := range sortedValues(w.st.EgressOnlyIGWs) {
		x := ec2EgressOnlyIGW{EgressOnlyInternetGatewayID: string(g.ID), Tags: tagsOut(g.Tags)}
		x.Attachments = append(x.Attachments, struct {
			State string `json:"State"`
			VpcID string `json:"VpcId"`
		}{"attached", string(g.VpcID)})
		out = append(out, x)
	}
	return out
}

func ipv6AddrsOut(n *model.NetworkInterface) []ec2IPv6Addr {
	var out []ec2IPv6Addr
	for _, a := range n.IPv6 {
		out = append(out, ec2IPv6Addr{Ipv6Address: a.String()})
	}
	return out
}

func (w *writer) subnets() []ec2Subnet {
	out := []ec2Subnet{}
	for _, s := range sortedValues(w.st.Subnets) {
		cidr := s.CIDR.String()
		if !s.CIDR.IsValid() {
			cidr = "" // an IPv6-only subnet
		}
		out = append(out, ec2Subnet{SubnetID: string(s.ID), VpcID: string(s.VpcID), CidrBlock: cidr, Ipv6Native: s.IPv6Native, AvailabilityZone: s.AvailabilityZone,
			AvailabilityZoneID: s.AvailabilityZoneID, MapPublicIPOnLaunch: s.MapPublicIPOnLaunch, DefaultForAz: s.DefaultForAZ,
			Ipv6CidrBlockAssnSet: ipv6BlocksOut(s.IPv6, ""), AssignIpv6AddressOnCreation: s.AssignIPv6AddressOnCreation,
			EnableDns64: s.EnableDNS64, State: "available", OwnerID: w.st.Account, Tags: tagsOut(s.Tags)})
	}
	return out
}

func (w *writer) routeTables() []ec2RouteTable {
	out := []ec2RouteTable{}
	for _, rt := range sortedValues(w.st.RouteTables) {
		x := ec2RouteTable{RouteTableID: string(rt.ID), VpcID: string(rt.VpcID), OwnerID: w.st.Account, Routes: []ec2Route{}, Associations: []ec2RouteTAssoc{}, Tags: tagsOut(rt.Tags)}
		for _, g := range rt.PropagatingVgws {
			x.PropagatingVgws = append(x.PropagatingVgws, ec2PropagatingVgw{GatewayID: string(g)})
		}
		// DescribeRouteTables lists the propagated routes with the others.
		for _, r := range append(slices.Clip(rt.Routes), w.st.PropagatedRoutes(rt)...) {
			y := ec2Route{DestinationPrefixListID: string(r.DestinationPrefixList), Origin: cmp.Or(r.Origin, "CreateRoute"), State: "active"}
			if r.Destination.Addr().Is6() {
				y.DestinationIpv6CidrBlock = r.Destination.String()
			} else if r.Destination.IsValid() {
				y.DestinationCidrBlock = r.Destination.String()
			}
			if w.st.RouteStateIn(rt.VpcID, r) != "active" {
				y.State = "blackhole"
			}
			switch r.Target {
			case model.TargetLocal, model.TargetInternetGateway, model.TargetVpcEndpoint:
				y.GatewayID = r.TargetID
			case model.TargetNatGateway:
				y.NatGatewayID = r.TargetID
			case model.TargetEgressOnlyIGW:
				y.EgressOnlyInternetGatewayID = r.TargetID
			case model.TargetNetworkInterface:
				y.NetworkInterfaceID = r.TargetID
			case model.TargetInstance:
				y.InstanceID = r.TargetID
				if i := w.st.Instances[model.InstanceID(r.TargetID)]; i != nil {
					y.NetworkInterfaceID = string(i.PrimaryENI)
				}
			default:
				switch {
				case strings.HasPrefix(r.TargetID, "tgw-"):
					y.TransitGatewayID = r.TargetID
				case strings.HasPrefix(r.TargetID, "pcx-"):
					y.VpcPeeringConnectionID = r.TargetID
				case strings.HasPrefix(r.TargetID, "eigw-"):
					y.EgressOnlyInternetGatewayID = r.TargetID
				default:
					y.GatewayID = r.TargetID
				}
			}
			x.Routes = append(x.Routes, y)
		}
		for _, a := range rt.Associations {
			x.Associations = append(x.Associations, ec2RouteTAssoc{Main: a.Main, RouteTableAssociationID: string(a.ID), RouteTableID: string(rt.ID),
				SubnetID: string(a.SubnetID), GatewayID: a.GatewayID, AssociationState: &struct {
					State string `json:"State"`
				}{"associated"}})
		}
		out = append(out, x)
	}
	return out
}

func (w *writer) igws() []ec2InternetGateway {
	out := []ec2InternetGateway{}
	for _, g := range sortedValues(w.st.InternetGateways) {
		x := ec2InternetGateway{InternetGatewayID: string(g.ID), OwnerID: w.st.Account, Tags: tagsOut(g.Tags)}
		x.Attachments = []struct {
			State string `json:"State"`
			VpcID string `json:"VpcId"`
		}{}
		if g.VpcID != "" {
			x.Attachments = append(x.Attachments, struct {
				State string `json:"State"`
				VpcID string `json:"VpcId"`
			}{"available", string(g.VpcID)})
		}
		out = append(out, x)
	}
	return out
}

func (w *writer) nats() []ec2NatGateway {
	out := []ec2NatGateway{}
	for _, g := range sortedValues(w.st.NatGateways) {
		x := ec2NatGateway{NatGatewayID: string(g.ID), VpcID: string(g.VpcID), SubnetID: string(g.SubnetID), State: g.State,
			ConnectivityType: g.ConnectivityType, CreateTime: awsTime{g.CreatedAt}, FailureCode: g.FailureCode, FailureMessage: g.FailureMessage,
			NatGatewayAddresses: []ec2NatGatewayAddr{}, Tags: tagsOut(g.Tags)}
		if g.NetworkInterface != "" {
			t := true
			x.NatGatewayAddresses = append(x.NatGatewayAddresses, ec2NatGatewayAddr{AllocationID: string(g.AllocationID), NetworkInterfaceID: string(g.NetworkInterface),
				PrivateIP: addrString(g.PrivateIP), PublicIP: addrString(g.PublicIP), IsPrimary: &t, Status: "succeeded"})
		}
		if g.Regional() {
			x.AvailabilityMode, x.AutoProvisionZones, x.AutoScalingIps = "regional", "disabled", "disabled"
			if g.AutoProvisionZones {
				x.AutoProvisionZones, x.AutoScalingIps = "enabled", "enabled"
			}
			seen := map[string]bool{}
			for _, a := range g.ZoneAddresses {
				primary := !seen[a.Zone]
				seen[a.Zone] = true
				x.NatGatewayAddresses = append(x.NatGatewayAddresses, ec2NatGatewayAddr{AllocationID: string(a.AllocationID), AssociationID: string(a.AssociationID),
					PublicIP: addrString(a.PublicIP), AvailabilityZone: a.Zone, AvailabilityZoneID: a.ZoneID, IsPrimary: &primary, Status: "succeeded"})
			}
		}
		out = append(out, x)
	}
	return out
}

func protoNumber(p model.Protocol) string {
	if p == model.AllProtocols {
		return "-1"
	}
	return strconv.Itoa(int(p))
}

func (w *writer) acls() []ec2NetworkACL {
	out := []ec2NetworkACL{}
	for _, a := range sortedValues(w.st.NetworkACLs) {
		x := ec2NetworkACL{NetworkACLID: string(a.ID), VpcID: string(a.VpcID), IsDefault: a.IsDefault, OwnerID: w.st.Account,
			Entries: []ec2ACLEntry{}, Associations: []ec2ACLAssoc{}, Tags: tagsOut(a.Tags)}
		for _, e := range a.Entries {
			y := ec2ACLEntry{RuleNumber: int64(e.RuleNumber), Protocol: protoNumber(e.Protocol), RuleAction: e.Action.String(), Egress: e.Egress}
			if e.CIDR.Addr().Is6() {
				y.Ipv6CidrBlock = e.CIDR.String()
			} else {
				y.CidrBlock = e.CIDR.String()
			}
			if e.Protocol.HasPorts() {
				y.PortRange = &struct {
					From flexInt `json:"From"`
					To   flexInt `json:"To"`
				}{intOf(int64(e.Ports.First)), intOf(int64(e.Ports.Last))}
			}
			if e.Protocol == model.ICMP || e.Protocol == model.ICMPv6 {
				y.IcmpTypeCode = &struct {
					Code flexInt `json:"Code"`
					Type flexInt `json:"Type"`
				}{icmpOut(e.Ports.Last), icmpOut(e.Ports.First)}
			}
			x.Entries = append(x.Entries, y)
		}
		for _, as := range a.Associations {
			x.Associations = append(x.Associations, ec2ACLAssoc{NetworkACLAssociationID: string(as.ID), NetworkACLID: string(a.ID), SubnetID: string(as.SubnetID)})
		}
		out = append(out, x)
	}
	return out
}

// permissions groups rules into IpPermissions the way AWS prints them: one
// permission per protocol and port range, holding every peer.
func permissions(rules []model.SecurityGroupRule) []ec2Permission {
	out := []ec2Permission{}
	index := map[string]int{}
	for _, r := range rules {
		key := r.Protocol.String() + "|" + r.Ports.String()
		i, ok := index[key]
		if !ok {
			p := ec2Permission{IPProtocol: r.Protocol.String()}
			switch {
			case r.Protocol.HasPorts():
				p.FromPort, p.ToPort = i64(int64(r.Ports.First)), i64(int64(r.Ports.Last))
			case r.Protocol == model.ICMP || r.Protocol == model.ICMPv6:
				icmp := func(v uint16) *int64 {
					if v == engine.ICMPAny {
						return i64(-1)
					}
					return i64(int64(v))
				}
				p.FromPort, p.ToPort = icmp(r.Ports.First), icmp(r.Ports.Last)
			}
			p.IPRanges = []struct {
				CidrIP      string `json:"CidrIp"`
				Description string `json:"Description,omitempty"`
			}{}
			p.Ipv6Ranges = []struct {
				CidrIpv6    string `json:"CidrIpv6"`
				Description string `json:"Description,omitempty"`
			}{}
			p.PrefixListIDs = []struct {
				PrefixListID string `json:"PrefixListId"`
				Description  string `json:"Description,omitempty"`
			}{}
			p.UserIDGroupPairs = []ec2GroupPair{}
			out = append(out, p)
			i = len(out) - 1
			index[key] = i
		}
		p := &out[i]
		switch {
		case r.CIDR.Addr().Is6():
			p.Ipv6Ranges = append(p.Ipv6Ranges, struct {
				CidrIpv6    string `json:"CidrIpv6"`
				Description string `json:"Description,omitempty"`
			}{r.CIDR.String(), r.Description})
		case r.CIDR.IsValid():
			p.IPRanges = append(p.IPRanges, struct {
				CidrIP      string `json:"CidrIp"`
				Description string `json:"Description,omitempty"`
			}{r.CIDR.String(), r.Description})
		case r.Group != "":
			p.UserIDGroupPairs = append(p.UserIDGroupPairs, ec2GroupPair{GroupID: string(r.Group), Description: r.Description})
		case r.PrefixList != "":
			p.PrefixListIDs = append(p.PrefixListIDs, struct {
				PrefixListID string `json:"PrefixListId"`
				Description  string `json:"Description,omitempty"`
			}{string(r.PrefixList), r.Description})
		}
	}
	return out
}

func (w *writer) sgs() []ec2SecurityGroup {
	out := []ec2SecurityGroup{}
	for _, g := range sortedValues(w.st.SecurityGroups) {
		x := ec2SecurityGroup{GroupID: string(g.ID), GroupName: g.Name, Description: g.Description, VpcID: string(g.VpcID), OwnerID: w.st.Account,
			IPPermissions: permissions(g.Ingress), IPPermissionsEgress: permissions(g.Egress), Tags: tagsOut(g.Tags)}
		for i := range x.IPPermissions {
			for j := range x.IPPermissions[i].UserIDGroupPairs {
				x.IPPermissions[i].UserIDGroupPairs[j].UserID = w.st.Account
			}
		}
		out = append(out, x)
	}
	return out
}

func (w *writer) groupIdents(ids []model.SecurityGroupID) []ec2GroupIdent {
	out := []ec2GroupIdent{}
	for _, id := range ids {
		g := ec2GroupIdent{GroupID: string(id)}
		if sg := w.st.SecurityGroups[id]; sg != nil {
			g.GroupName = sg.Name
		}
		out = append(out, g)
	}
	return out
}

// assocOut prints a public IP association; the public DNS name only
// exists in VPCs with DNS hostnames on.
func (w *writer) assocOut(p *model.PublicIPAssociation, vpc model.VpcID) *ec2IPAssoc {
	if p == nil {
		return nil
	}
	a := &ec2IPAssoc{AllocationID: string(p.AllocationID), AssociationID: string(p.AssociationID), IPOwnerID: p.IPOwnerID, PublicIP: p.PublicIP.String()}
	if v := w.st.VPCs[vpc]; v != nil && v.EnableDNSHostnames {
		a.PublicDNSName = model.PublicDNSName(w.st.Region, p.PublicIP)
	}
	return a
}

func (w *writer) privateIPs(n *model.NetworkInterface) []ec2PrivateIP {
	out := []ec2PrivateIP{}
	for _, p := range n.PrivateIPs {
		out = append(out, ec2PrivateIP{Primary: p.Primary, PrivateIPAddress: p.Addr.String(), PrivateDNSName: model.PrivateDNSName(w.st.Region, p.Addr),
			Association: w.assocOut(p.PublicIP, n.VpcID)})
	}
	return out
}

func (w *writer) enis() []ec2NetworkInterface {
	out := make([]ec2NetworkInterface, 0, len(w.st.NetworkInterfaces))
	for _, n := range sortedValues(w.st.NetworkInterfaces) {
		x := ec2NetworkInterface{NetworkInterfaceID: string(n.ID), SubnetID: string(n.SubnetID), VpcID: string(n.VpcID), AvailabilityZone: n.AvailabilityZone,
			Description: n.Description, InterfaceType: string(cmp.Or(n.Type, model.InterfaceNormal)), MacAddress: n.MAC, OwnerID: n.OwnerID,
			PrivateIPAddress: addrString(n.PrimaryIP()), PrivateDNSName: model.PrivateDNSName(w.st.Region, n.PrimaryIP()),
			PrivateIPAddresses: w.privateIPs(n), Groups: w.groupIdents(n.SecurityGroups), RequesterID: n.RequesterID,
			RequesterManaged: n.RequesterManaged, SourceDestCheck: &n.SourceDestCheck, Status: n.Status(), TagSet: tagsOut(n.Tags),
			Ipv6Addresses: ipv6AddrsOut(n)}
		if len(n.PrivateIPs) > 0 {
			x.Association = w.assocOut(n.PrivateIPs[0].PublicIP, n.VpcID)
		}
		if a := n.Attachment; a != nil {
			x.Attachment = &ec2ENIAttach{AttachmentID: string(a.ID), AttachTime: awsTime{a.AttachedAt}, DeleteOnTermination: a.DeleteOnTermination,
				DeviceIndex: intOf(int64(a.DeviceIndex)), InstanceID: string(a.InstanceID), InstanceOwnerID: cmp.Or(a.InstanceOwnerID, w.st.Account), Status: cmp.Or(a.Status, "attached")}
		}
		out = append(out, x)
	}
	return out
}

func (w *writer) reservations() []ec2Reservation {
	byRes := map[string][]ec2Instance{}
	enis := map[model.InstanceID][]*model.NetworkInterface{}
	for _, n := range sortedValues(w.st.NetworkInterfaces) {
		if n.Attachment != nil && n.Attachment.InstanceID != "" {
			enis[n.Attachment.InstanceID] = append(enis[n.Attachment.InstanceID], n)
		}
	}
	for _, i := range sortedValues(w.st.Instances) {
		x := ec2Instance{InstanceID: string(i.ID), InstanceType: i.Type, ImageID: i.ImageID, KeyName: i.KeyName, LaunchTime: awsTime{i.LaunchTime},
			SubnetID: string(i.SubnetID), VpcID: string(i.VpcID), ClientToken: i.ClientToken, Tags: tagsOut(i.Tags)}
		x.Placement = &struct {
			AvailabilityZone string `json:"AvailabilityZone"`
		}{i.AvailabilityZone}
		x.State = &struct {
			Code flexInt `json:"Code"`
			Name string  `json:"Name"`
		}{intOf(int64(i.State.StateCode())), string(i.State)}
		if i.IAMProfile != "" {
			x.IamInstanceProfile = &struct {
				Arn string `json:"Arn"`
				ID  string `json:"Id,omitempty"`
			}{Arn: i.IAMProfile}
		}
		md := model.DefaultMetadataOptions()
		if i.Metadata != nil {
			md = *i.Metadata
		}
		x.MetadataOptions = &ec2MetadataOptions{State: "applied", HTTPTokens: md.HTTPTokens, HTTPPutResponseHopLimit: intOf(int64(md.HopLimit)),
			HTTPEndpoint: md.HTTPEndpoint, HTTPProtocolIpv6: md.HTTPProtocolIPv6, InstanceMetadataTags: md.InstanceMetadataTags}
		if i.AutoScalingGroup != "" && i.Tags["aws:autoscaling:groupName"] == "" {
			x.Tags = append(x.Tags, ec2Tag{Key: "aws:autoscaling:groupName", Value: i.AutoScalingGroup})
		}
		list := enis[i.ID]
		slices.SortFunc(list, func(a, b *model.NetworkInterface) int { return a.Attachment.DeviceIndex - b.Attachment.DeviceIndex })
		for _, n := range list {
			att := *n.Attachment
			y := ec2InstanceENI{NetworkInterfaceID: string(n.ID), SubnetID: string(n.SubnetID), VpcID: string(n.VpcID), Description: n.Description,
				InterfaceType: string(cmp.Or(n.Type, model.InterfaceNormal)), MacAddress: n.MAC, OwnerID: n.OwnerID, PrivateIPAddress: addrString(n.PrimaryIP()),
				PrivateIPAddresses: w.privateIPs(n), Groups: w.groupIdents(n.SecurityGroups), SourceDestCheck: &n.SourceDestCheck, Status: n.Status(),
				Attachment: &ec2ENIAttach{AttachmentID: string(att.ID), AttachTime: awsTime{att.AttachedAt}, DeleteOnTermination: att.DeleteOnTermination,
					DeviceIndex: intOf(int64(att.DeviceIndex)), Status: cmp.Or(att.Status, "attached")}, Ipv6Addresses: ipv6AddrsOut(n)}
			if len(n.PrivateIPs) > 0 {
				y.Association = w.assocOut(n.PrivateIPs[0].PublicIP, n.VpcID)
			}
			x.NetworkInterfaces = append(x.NetworkInterfaces, y)
			if att.DeviceIndex == 0 {
				x.PrivateIPAddress = y.PrivateIPAddress
				x.SecurityGroups = y.Groups
				if p, ok := n.PublicIP(); ok {
					x.PublicIPAddress = p.String()
				}
				x.SourceDestCheck = &n.SourceDestCheck
			}
		}
		res := cmp.Or(i.ReservationID, "r-"+strings.TrimPrefix(string(i.ID), "i-"))
		byRes[res] = append(byRes[res], x)
	}
	out := []ec2Reservation{}
	for _, r := range sortedKeys(byRes) {
		out = append(out, ec2Reservation{ReservationID: r, OwnerID: w.st.Account, Instances: byRes[r]})
	}
	return out
}

func (w *writer) addresses() []ec2Address {
	out := []ec2Address{}
	for _, a := range sortedValues(w.st.Addresses) {
		out = append(out, ec2Address{AllocationID: string(a.AllocationID), AssociationID: string(a.AssociationID), Domain: cmp.Or(a.Domain, "vpc"),
			InstanceID: string(a.InstanceID), NetworkInterfaceID: string(a.NetworkInterfaceID), PrivateIPAddress: addrString(a.PrivateIP),
			PublicIP: a.PublicIP.String(), Tags: tagsOut(a.Tags)})
	}
	return out
}

func strs[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, x := range in {
		out[i] = string(x)
	}
	return out
}

func (w *writer) serviceConfigs() []ec2ServiceConfiguration {
	out := []ec2ServiceConfiguration{}
	for _, s := range sortedValues(w.st.EndpointServices) {
		out = append(out, ec2ServiceConfiguration{ServiceID: string(s.ID), ServiceType: []ec2ServiceType{{s.Type}},
			NetworkLoadBalancerArns: s.NetworkLBs, GatewayLoadBalancerArns: s.GatewayLBs, AvailabilityZones: s.Zones,
			AcceptanceRequired: s.AcceptanceRequired, PrivateDNSName: s.PrivateDNSName, Tags: tagsOut(s.Tags)})
	}
	return out
}

func (w *writer) endpoints() []ec2VpcEndpoint {
	out := []ec2VpcEndpoint{}
	for _, e := range sortedValues(w.st.VpcEndpoints) {
		var ipType string
		var dns *ec2DNSOptions
		if e.Type == "Interface" {
			ipType, dns = e.AddressType(), &ec2DNSOptions{DNSRecordIPType: e.RecordType()}
		}
		out = append(out, ec2VpcEndpoint{IPAddressType: ipType, DNSOptions: dns, VpcEndpointID: string(e.ID), VpcEndpointType: e.Type, VpcID: string(e.VpcID), ServiceName: e.ServiceName,
			State: e.State, PolicyDocument: e.PolicyDocument, RouteTableIDs: strs(e.RouteTables), SubnetIDs: strs(e.Subnets),
			Groups: w.groupIdents(e.SecurityGroups), PrivateDNSEnabled: e.PrivateDNSEnabled, NetworkInterfaceIDs: strs(e.NetworkInterfaces),
			CreationTimestamp: awsTime{e.CreatedAt}, Tags: tagsOut(e.Tags), OwnerID: w.st.Account})
	}
	return out
}

// inDescribePrefixLists reports whether Write puts a list in
// describe-prefix-lists, with its CIDRs: AWS's lists, not the account's,
// whose CIDRs are their get-managed-prefix-list-entries.
func inDescribePrefixLists(p *model.PrefixList) bool { return p.AWSManaged() }

// managedPrefixLists is describe-managed-prefix-lists' answer: every list,
// AWS's (owner "AWS") and the account's.
func (w *writer) managedPrefixLists() []ec2PrefixList {
	out := []ec2PrefixList{}
	for _, p := range sortedValues(w.st.PrefixLists) {
		x := ec2PrefixList{PrefixListID: string(p.ID), PrefixListName: p.Name, OwnerID: p.Owner, AddressFamily: p.AddressFamily,
			MaxEntries: &flexInt{V: int64(p.MaxEntries)}, Version: &flexInt{V: int64(p.Version)}, State: "create-complete", Tags: tagsOut(p.Tags)}
		if p.AWSManaged() {
			x.OwnerID, x.AddressFamily, x.MaxEntries, x.Version = "AWS", cmp.Or(p.AddressFamily, "IPv4"), &flexInt{V: int64(len(p.CIDRs))}, &flexInt{V: 1}
			if p.AddressFamily == "" && len(p.CIDRs) > 0 && p.CIDRs[0].Addr().Is6() {
				x.AddressFamily = "IPv6" // AWS's IPv6 lists (…ipv6.cloudfront.origin-facing)
			}
		}
		out = append(out, x)
	}
	return out
}

// prefixListEntries is one list's get-managed-prefix-list-entries answer
// with its id beside it.
func prefixListEntries(p *model.PrefixList) ec2PrefixListEntries {
	x := ec2PrefixListEntries{PrefixListID: string(p.ID), Entries: []ec2PrefixListEntry{}}
	for i, c := range p.CIDRs {
		e := ec2PrefixListEntry{Cidr: c.String()}
		if i < len(p.Descriptions) {
			e.Description = p.Descriptions[i]
		}
		x.Entries = append(x.Entries, e)
	}
	return x
}

func (w *writer) prefixLists() []ec2PrefixList {
	out := []ec2PrefixList{}
	for _, p := range sortedValues(w.st.PrefixLists) {
		if !inDescribePrefixLists(p) {
			continue
		}
		x := ec2PrefixList{PrefixListID: string(p.ID), PrefixListName: p.Name, Cidrs: []string{}}
		for _, c := range p.CIDRs {
			x.Cidrs = append(x.Cidrs, c.String())
		}
		out = append(out, x)
	}
	return out
}

func (w *writer) launchTemplates() []ec2LaunchTemplate {
	out := []ec2LaunchTemplate{}
	for _, t := range sortedValues(w.st.LaunchTemplates) {
		latest := 0
		for _, v := range t.Versions {
			latest = max(latest, v.Number)
		}
		out = append(out, ec2LaunchTemplate{LaunchTemplateID: string(t.ID), LaunchTemplateName: t.Name, CreateTime: awsTime{t.CreatedAt},
			DefaultVersionNumber: intOf(int64(t.DefaultVersion)), LatestVersionNumber: intOf(int64(latest)), Tags: tagsOut(t.Tags)})
	}
	return out
}

func (w *writer) launchTemplateVersions() []ec2LaunchTemplateVersion {
	out := []ec2LaunchTemplateVersion{}
	for _, t := range sortedValues(w.st.LaunchTemplates) {
		for _, v := range t.Versions {
			d := ec2LaunchTmplDat{ImageID: v.Data.ImageID, InstanceType: v.Data.InstanceType, KeyName: v.Data.KeyName, UserData: v.Data.UserData,
				SecurityGroupIDs: strs(v.Data.SecurityGroupIDs)}
			if m := v.Data.Metadata; m != nil {
				d.MetadataOptions = &ec2LTMetadataOptions{HTTPTokens: m.HTTPTokens, HTTPPutResponseHopLimit: m.HopLimit,
					HTTPEndpoint: m.HTTPEndpoint, HTTPProtocolIpv6: m.HTTPProtocolIPv6, InstanceMetadataTags: m.InstanceMetadataTags}
			}
			if v.Data.IAMProfileARN != "" || v.Data.IAMProfileName != "" {
				d.IamInstanceProfile = &struct {
					Arn  string `json:"Arn,omitempty"`
					Name string `json:"Name,omitempty"`
				}{v.Data.IAMProfileARN, v.Data.IAMProfileName}
			}
			for _, ni := range v.Data.NetworkInterfaces {
				d.NetworkInterfaces = append(d.NetworkInterfaces, struct {
					DeviceIndex              flexInt  `json:"DeviceIndex"`
					AssociatePublicIPAddress *bool    `json:"AssociatePublicIpAddress,omitempty"`
					SubnetID                 string   `json:"SubnetId,omitempty"`
					Groups                   []string `json:"Groups,omitempty"`
					DeleteOnTermination      *bool    `json:"DeleteOnTermination,omitempty"`
				}{intOf(int64(ni.DeviceIndex)), ni.AssociatePublicIPAddress, string(ni.SubnetID), strs(ni.Groups), ni.DeleteOnTermination})
			}
			out = append(out, ec2LaunchTemplateVersion{LaunchTemplateID: string(t.ID), LaunchTemplateName: t.Name, VersionNumber: intOf(int64(v.Number)),
				VersionDescription: v.Description, DefaultVersion: v.Number == t.DefaultVersion, CreateTime: awsTime{v.CreatedAt}, LaunchTemplateData: d})
		}
	}
	return out
}

func (w *writer) asgs() []asgGroup {
	members := map[string][]asgInst{}
	for _, i := range sortedValues(w.st.Instances) {
		if i.AutoScalingGroup != "" {
			state := "InService"
			if i.State == model.InstancePending {
				state = "Pending"
			} else if !i.Live() {
				state = "Terminating"
			}
			members[i.AutoScalingGroup] = append(members[i.AutoScalingGroup], asgInst{InstanceID: string(i.ID), InstanceType: i.Type,
				AvailabilityZone: i.AvailabilityZone, LifecycleState: state, HealthStatus: "Healthy"})
		}
	}
	out := []asgGroup{}
	for _, name := range sortedKeys(w.st.AutoScalingGroups) {
		g := w.st.AutoScalingGroups[name]
		x := asgGroup{AutoScalingGroupName: g.Name, AutoScalingGroupARN: g.ARN, LaunchConfigurationName: g.LaunchConfiguration,
			MinSize: intOf(int64(g.MinSize)), MaxSize: intOf(int64(g.MaxSize)), DesiredCapacity: intOf(int64(g.DesiredCapacity)), DefaultCooldown: intOf(int64(cmp.Or(g.DefaultCooldown, 300))),
			AvailabilityZones: []string{}, TargetGroupARNs: nonNil(g.TargetGroupARNs), HealthCheckType: cmp.Or(g.HealthCheckType, "EC2"),
			HealthCheckGracePeriod: intOf(int64(g.HealthCheckGracePeriod)), Instances: nonNil(members[g.Name]), CreatedTime: awsTime{g.CreatedAt},
			VPCZoneIdentifier: strings.Join(strs(g.Subnets), ","), Status: g.Status, Tags: []ec2Tag{},
			NewInstancesProtectedFromScaleIn: g.NewInstancesProtected, CapacityRebalance: g.CapacityRebalance}
		for _, id := range g.Subnets {
			if sn := w.st.Subnets[id]; sn != nil && !slices.Contains(x.AvailabilityZones, sn.AvailabilityZone) {
				x.AvailabilityZones = append(x.AvailabilityZones, sn.AvailabilityZone)
			}
		}
		slices.Sort(x.AvailabilityZones)
		if g.ZonesOnly {
			x.VPCZoneIdentifier = ""
		}
		if g.LaunchTemplate != nil {
			x.LaunchTemplate = &ec2LaunchTmplRef{LaunchTemplateID: string(g.LaunchTemplate.ID), LaunchTemplateName: g.LaunchTemplate.Name, Version: g.LaunchTemplate.Version}
		}
		for _, s := range g.Subnets {
			if sub := w.st.Subnets[s]; sub != nil && !slices.Contains(x.AvailabilityZones, sub.AvailabilityZone) {
				x.AvailabilityZones = append(x.AvailabilityZones, sub.AvailabilityZone)
			}
		}
		for _, t := range g.Tags {
			p := t.PropagateAtLaunch
			x.Tags = append(x.Tags, ec2Tag{Key: t.Key, Value: t.Value, ResourceID: g.Name, ResourceType: "auto-scaling-group", PropagateAtLaunch: &p})
		}
		out = append(out, x)
	}
	return out
}

func (w *writer) launchConfigs() []asgLaunchConfig {
	out := []asgLaunchConfig{}
	for _, name := range sortedKeys(w.st.LaunchConfigurations) {
		c := w.st.LaunchConfigurations[name]
		out = append(out, asgLaunchConfig{LaunchConfigurationName: c.Name, LaunchConfigurationARN: c.ARN, ImageID: c.ImageID, InstanceType: c.InstanceType,
			KeyName: c.KeyName, SecurityGroups: strs(c.SecurityGroups), UserData: c.UserData, IamInstanceProfile: c.IAMProfile,
			AssociatePublicIPAddress: c.AssociatePublicIPAddress, CreatedTime: awsTime{c.CreatedAt}})
	}
	return out
}

func strategyOut(in []model.CapacityProviderStrategyItem) []ecsCPStrategy {
	out := []ecsCPStrategy{}
	for _, s := range in {
		out = append(out, ecsCPStrategy{CapacityProvider: s.CapacityProvider, Weight: intOf(int64(s.Weight)), Base: intOf(int64(s.Base))})
	}
	return out
}

func (w *writer) clusters() []ecsCluster {
	out := []ecsCluster{}
	for _, c := range sortedValues(w.st.Clusters) {
		x := ecsCluster{ClusterArn: c.ARN, ClusterName: c.Name, Status: c.Status, CapacityProviders: nonNil(c.CapacityProviders),
			DefaultCapacityProviderStrategy: strategyOut(c.DefaultStrategy), Tags: ecsTagsOut(c.Tags)}
		if c.ContainerInsights != "" {
			x.Settings = []ecsKeyValueSet{{Name: "containerInsights", Value: c.ContainerInsights}}
		}
		out = append(out, x)
	}
	return out
}

// capacityProviders writes the Auto Scaling group capacity providers (the
// Fargate ones are every account's, answered by name).
func (w *writer) capacityProviders() []ecsCapacityProvider {
	out := []ecsCapacityProvider{}
	for _, c := range sortedValues(w.st.CapacityProviders) {
		if c.IsFargate() {
			continue
		}
		onOff := func(b bool) string {
			if b {
				return "ENABLED"
			}
			return "DISABLED"
		}
		if mi := c.ManagedInstances; mi != nil {
			x := ecsCapacityProvider{CapacityProviderArn: c.ARN, Name: c.Name, Status: c.Status, UpdateStatus: c.UpdateStatus, Tags: ecsTagsOut(c.Tags),
				Type: "MANAGED_INSTANCES", Cluster: c.ClusterARN[strings.LastIndexByte(c.ClusterARN, '/')+1:], ManagedInstancesProvider: &ecsMIProvider{
					InfrastructureRoleArn: mi.InfrastructureRoleARN, PropagateTags: mi.PropagateTags}}
			lt := &x.ManagedInstancesProvider.InstanceLaunchTemplate
			lt.Ec2InstanceProfileArn, lt.Monitoring, lt.CapacityOptionType = mi.InstanceProfileARN, mi.Monitoring, mi.CapacityOptionType
			for _, s := range mi.Subnets {
				lt.NetworkConfiguration.Subnets = append(lt.NetworkConfiguration.Subnets, string(s))
			}
			for _, g := range mi.SecurityGroups {
				lt.NetworkConfiguration.SecurityGroups = append(lt.NetworkConfiguration.SecurityGroups, string(g))
			}
			if len(mi.AllowedInstanceTypes) > 0 {
				lt.InstanceRequirements = &struct {
					AllowedInstanceTypes []string `json:"allowedInstanceTypes,omitempty"`
				}{mi.AllowedInstanceTypes}
			}
			out = append(out, x)
			continue
		}
		x := ecsCapacityProvider{CapacityProviderArn: c.ARN, Name: c.Name, Status: c.Status, UpdateStatus: c.UpdateStatus, Tags: ecsTagsOut(c.Tags),
			AutoScalingGroupProvider: &ecsASGProvider{AutoScalingGroupArn: c.AutoScalingGroupARN,
				ManagedScaling: &ecsManagedScaling{Status: onOff(c.ManagedScaling), TargetCapacity: intOf(int64(c.TargetCapacity)),
					MinimumScalingStepSize: intOf(int64(c.MinimumScalingStepSize)), MaximumScalingStepSize: intOf(int64(c.MaximumScalingStepSize)),
					InstanceWarmupPeriod: intOf(int64(c.InstanceWarmupPeriod))},
				ManagedTerminationProtection: onOff(c.ManagedTerminationProtection), ManagedDraining: onOff(!c.ManagedDrainingDisabled)}}
		out = append(out, x)
	}
	return out
}

func portsOut(ports []uint16) []string {
	out := []string{}
	for _, p := range ports {
		out = append(out, strconv.Itoa(int(p)))
	}
	return out
}

func (w *writer) containerInstances() []ecsContainerInstance {
	out := []ecsContainerInstance{}
	for _, c := range sortedValues(w.st.ContainerInstances) {
		x := ecsContainerInstance{ContainerInstanceArn: c.ARN, Ec2InstanceID: string(c.EC2InstanceID), CapacityProviderName: c.CapacityProvider,
			Version: c.Version, Status: c.Status, StatusReason: c.StatusReason, AgentConnected: c.AgentConnected, RegisteredAt: awsTime{c.RegisteredAt},
			Attributes: []ecsAttr{}, Tags: ecsTagsOut(c.Tags)}
		if c.AgentVersion != "" {
			x.VersionInfo = &struct {
				AgentVersion string `json:"agentVersion,omitempty"`
			}{c.AgentVersion}
		}
		x.RegisteredResources = []ecsResource{
			{Name: "CPU", Type: "INTEGER", IntegerValue: intOf(int64(c.CPU))},
			{Name: "MEMORY", Type: "INTEGER", IntegerValue: intOf(int64(c.MemoryMiB))},
			{Name: "PORTS", Type: "STRINGSET", IntegerValue: intOf(0), StringSetValue: portsOut(c.ReservedPorts)},
			{Name: "PORTS_UDP", Type: "STRINGSET", IntegerValue: intOf(0), StringSetValue: portsOut(c.ReservedUDPPorts)},
		}
		for _, a := range c.Attributes {
			x.Attributes = append(x.Attributes, ecsAttr{Name: a.Name, Value: a.Value})
		}
		if c.TrunkingEnabled && !slices.ContainsFunc(c.Attributes, func(a model.Attribute) bool { return a.Name == "ecs.awsvpc-trunk-id" }) {
			if i := w.st.Instances[c.EC2InstanceID]; i != nil && i.TrunkENI != "" {
				x.Attributes = append(x.Attributes, ecsAttr{Name: "ecs.awsvpc-trunk-id", Value: string(i.TrunkENI)})
			}
		}
		if c.AvailabilityZone != "" && !slices.ContainsFunc(c.Attributes, func(a model.Attribute) bool { return a.Name == "ecs.availability-zone" }) {
			x.Attributes = append(x.Attributes, ecsAttr{Name: "ecs.availability-zone", Value: c.AvailabilityZone})
		}
		out = append(out, x)
	}
	return out
}

func (w *writer) services() []ecsService {
	out := []ecsService{}
	for _, s := range sortedValues(w.st.Services) {
		x := ecsService{ServiceArn: s.ARN, ServiceName: s.Name, ClusterArn: s.ClusterARN, TaskDefinition: s.TaskDefinitionARN,
			DesiredCount: intOf(int64(s.DesiredCount)), RunningCount: intOf(0), PendingCount: intOf(0), LaunchType: string(s.LaunchType),
			CapacityProviderStrategy: strategyOut(s.CapacityProviders), PlatformVersion: s.PlatformVersion, LoadBalancers: []ecsServiceLB{},
			SchedulingStrategy: s.SchedulingStrategy, Status: s.Status, HealthCheckGracePeriodSeconds: intOf(int64(s.HealthCheckGracePeriod)),
			CreatedAt: awsTime{s.CreatedAt}, CreatedBy: s.CreatedBy, PropagateTags: s.PropagateTags, EnableECSManagedTags: s.EnableECSManagedTags,
			Tags: ecsTagsOut(s.Tags), RoleArn: s.RoleARN, EnableExecuteCommand: s.EnableExecuteCommand, AvailabilityZoneRebalancing: s.AZRebalancing}
		x.DeploymentController = &struct {
			Type string `json:"type"`
		}{cmp.Or(s.DeploymentController, "ECS")}
		if dc := s.DeploymentConfig; dc != nil {
			x.DeploymentConfiguration = &ecsDeployConfig{MaximumPercent: intOf(int64(dc.MaximumPercent)), MinimumHealthyPercent: intOf(int64(dc.MinimumHealthyPercent))}
			x.DeploymentConfiguration.DeploymentCircuitBreaker = &struct {
				Enable   bool `json:"enable"`
				Rollback bool `json:"rollback"`
			}{dc.CircuitBreakerEnable, dc.CircuitBreakerRollback}
			if a := dc.Alarms; a != nil {
				x.DeploymentConfiguration.Alarms = &ecsDeployAlarms{AlarmNames: strs(a.AlarmNames), Enable: a.Enable, Rollback: a.Rollback}
			}
			x.DeploymentConfiguration.Strategy = dc.Strategy
			if dc.Strategy != "" && dc.Strategy != "ROLLING" {
				bake := intOf(int64(dc.BakeTimeInMinutes))
				x.DeploymentConfiguration.BakeTimeInMinutes = &bake
			}
		}
		if len(x.CapacityProviderStrategy) == 0 {
			x.CapacityProviderStrategy = nil
		}
		x.NetworkConfiguration = networkWire(s.Network)
		for _, l := range s.LoadBalancers {
			y := ecsServiceLB{TargetGroupArn: l.TargetGroupARN, LoadBalancerName: l.LoadBalancerName,
				ContainerName: l.ContainerName, ContainerPort: intOf(int64(l.ContainerPort))}
			if a := l.Advanced; a != nil {
				y.AdvancedConfiguration = &ecsAdvancedConfig{AlternateTargetGroupArn: a.AlternateTargetGroupARN, ProductionListenerRule: a.ProductionListenerRule,
					TestListenerRule: a.TestListenerRule, RoleArn: a.RoleARN}
			}
			x.LoadBalancers = append(x.LoadBalancers, y)
		}
		for _, r := range s.ServiceRegistries {
			y := ecsRegistry{RegistryArn: r.RegistryARN, ContainerName: r.ContainerName}
			if r.Port != 0 {
				y.Port = &flexInt{V: int64(r.Port), Set: true}
			}
			if r.ContainerPort != 0 {
				y.ContainerPort = &flexInt{V: int64(r.ContainerPort), Set: true}
			}
			x.ServiceRegistries = append(x.ServiceRegistries, y)
		}
		x.TaskSets = w.taskSetsOut(s)
		for _, d := range s.Deployments {
			y := ecsDeployment{ID: d.ID, Status: d.Status, TaskDefinition: d.TaskDefinitionARN,
				DesiredCount: intOf(int64(d.DesiredCount)), CreatedAt: awsTime{d.CreatedAt}, UpdatedAt: awsTime{d.UpdatedAt}, RolloutState: d.RolloutState}
			y.ServiceConnectConfiguration, y.ServiceConnectResources = serviceConnectWire(d.ServiceConnect)
			y.NetworkConfiguration = networkWire(d.Network)
			x.Deployments = append(x.Deployments, y)
		}
		for _, t := range w.st.Tasks {
			if t.ServiceName == s.Name && t.ClusterARN == s.ClusterARN && t.LastStatus == model.TaskRunning {
				x.RunningCount.V++
			}
		}
		out = append(out, x)
	}
	return out
}

func (w *writer) tasks() []ecsTask {
	out := make([]ecsTask, 0, len(w.st.Tasks))
	for _, t := range sortedValues(w.st.Tasks) {
		x := ecsTask{TaskArn: t.ARN, ClusterArn: t.ClusterARN, TaskDefinitionArn: t.TaskDefinitionARN, ContainerInstanceArn: t.ContainerInstanceARN,
			LaunchType: string(t.LaunchType), CapacityProviderName: t.CapacityProvider, PlatformVersion: t.PlatformVersion, PlatformFamily: t.PlatformFamily,
			LastStatus: string(t.LastStatus), DesiredStatus: string(t.DesiredStatus), CPU: flexString(t.CPU), Memory: flexString(t.Memory), AvailabilityZone: t.AvailabilityZone,
			Group: t.Group, StartedBy: t.StartedBy, StopCode: t.StopCode, StoppedReason: t.StoppedReason, Connectivity: t.Connectivity,
			ConnectivityAt: awsTime{t.ConnectivityAt}, CreatedAt: awsTime{t.CreatedAt}, PullStartedAt: awsTime{t.PullStartedAt}, StartedAt: awsTime{t.StartedAt},
			StoppingAt: awsTime{t.StoppingAt}, StoppedAt: awsTime{t.StoppedAt}, Version: t.Version, Attachments: []ecsAttachment{}, Containers: []ecsContainer{},
			Tags: ecsTagsOut(t.Tags)}
		if x.Group == "" && t.ServiceName != "" {
			x.Group = "service:" + t.ServiceName
		}
		for _, a := range t.Attachments {
			y := ecsAttachment{ID: a.ID, Type: cmp.Or(a.Type, "ElasticNetworkInterface"), Status: a.Status, Details: []ecsKeyValueSet{}}
			add := func(name, value string) {
				if value != "" {
					y.Details = append(y.Details, ecsKeyValueSet{Name: name, Value: value})
				}
			}
			add("subnetId", string(a.SubnetID))
			add("networkInterfaceId", string(a.ENI))
			add("macAddress", a.MAC)
			add("privateDnsName", a.DNSName)
			add("privateIPv4Address", addrString(a.PrivateIP))
			add("ipv6Address", addrString(a.IPv6))
			x.Attachments = append(x.Attachments, y)
		}
		for _, c := range t.Containers {
			y := ecsContainer{ContainerArn: c.ARN, TaskArn: t.ARN, Name: c.Name, Image: c.Image, LastStatus: string(c.LastStatus), ExitCode: c.ExitCode,
				Reason: c.Reason, NetworkBindings: []ecsBinding{}, NetworkInterfaces: []ecsContainerNI{}}
			if c.CPU != 0 {
				y.CPU = flexString(strconv.Itoa(c.CPU))
			}
			if c.Memory != 0 {
				y.Memory = flexString(strconv.Itoa(c.Memory))
			}
			for _, b := range c.NetworkBindings {
				if b.IsRange() {
					y.NetworkBindings = append(y.NetworkBindings, ecsBinding{BindIP: cmp.Or(addrString(b.BindIP), "0.0.0.0"), Protocol: b.Protocol.String(),
						ContainerPortRange: b.ContainerPortRange.String(), HostPortRange: b.HostPortRange.String()})
					continue
				}
				y.NetworkBindings = append(y.NetworkBindings, ecsBinding{BindIP: cmp.Or(addrString(b.BindIP), "0.0.0.0"), ContainerPort: intOf(int64(b.ContainerPort)),
					HostPort: intOf(int64(b.HostPort)), Protocol: b.Protocol.String()})
			}
			for _, a := range t.Attachments {
				y.NetworkInterfaces = append(y.NetworkInterfaces, ecsContainerNI{AttachmentID: a.ID, PrivateIpv4Address: addrString(a.PrivateIP), Ipv6Address: addrString(a.IPv6)})
			}
			x.Containers = append(x.Containers, y)
		}
		out = append(out, x)
	}
	return out
}

// daemonTaskDefinitions are the daemon task definitions as
// describe-daemon-task-definition prints each (their twins are not
// written: a snapshot's reader makes them again).
func (w *writer) daemonTaskDefinitions() []ecsDaemonTaskDefinition {
	out := []ecsDaemonTaskDefinition{}
	for _, d := range sortedValues(w.st.DaemonTaskDefinitions) {
		x := ecsDaemonTaskDefinition{DaemonTaskDefinitionArn: d.ARN, Family: d.Family, Revision: intOf(int64(d.Revision)), Status: d.Status,
			ContainerDefinitions: []json.RawMessage{}, CPU: flexString(d.CPU), Memory: flexString(d.Memory), TaskRoleArn: d.TaskRoleARN,
			ExecutionRoleArn: d.ExecutionRoleARN, RegisteredBy: d.RegisteredBy, RegisteredAt: awsTime{d.RegisteredAt}, DeleteRequestedAt: awsTime{d.DeleteRequestedAt}}
		for _, c := range d.Containers {
			def := json.RawMessage(c.Definition)
			if !json.Valid(def) {
				def, _ = json.Marshal(map[string]any{"name": c.Name, "image": c.Image})
			}
			x.ContainerDefinitions = append(x.ContainerDefinitions, def)
		}
		for _, v := range d.Volumes {
			dv := ecsDaemonVolume{Name: v.Name}
			if v.Host {
				dv.Host = &ecsDaemonHost{SourcePath: v.SourcePath}
			}
			x.Volumes = append(x.Volumes, dv)
		}
		out = append(out, x)
	}
	return out
}

func (w *writer) taskDefinitions() []ecsTaskDefinition {
	out := []ecsTaskDefinition{}
	for _, d := range sortedValues(w.st.TaskDefinitions) {
		if d.DaemonTaskDefinition {
			continue // a daemon task definition's twin (model.TaskDefinition)
		}
		x := ecsTaskDefinition{TaskDefinitionArn: d.ARN, Family: d.Family, Revision: intOf(int64(d.Revision)), Status: d.Status, NetworkMode: string(d.NetworkMode),
			ContainerDefinitions: []ecsContainerDef{}, RequiresCompatibilities: strs(d.RequiresCompatibilities), Compatibilities: strs(d.Compatibilities),
			CPU: flexString(d.CPU), Memory: flexString(d.Memory), TaskRoleArn: d.TaskRoleARN, ExecutionRoleArn: d.ExecutionRoleARN, PidMode: d.PIDMode, IpcMode: d.IPCMode,
			RegisteredAt: awsTime{d.RegisteredAt}, DeregisteredAt: awsTime{d.DeregisteredAt}, RegisteredBy: d.RegisteredBy, Raw: d.Raw}
		for _, a := range d.RequiresAttributes {
			x.RequiresAttributes = append(x.RequiresAttributes, ecsAttr{Name: a.Name, Value: a.Value})
		}
		for _, c := range d.PlacementConstraints {
			x.PlacementConstraints = append(x.PlacementConstraints, ecsConstraint{Type: c.Type, Expression: c.Expression})
		}
		if rp := d.RuntimePlatform; rp != nil {
			x.RuntimePlatform = &ecsRuntimePlat{CPUArchitecture: rp.CPUArchitecture, OperatingSystemFamily: rp.OperatingSystemFamily}
		}
		for _, c := range d.Containers {
			ess := c.Essential
			y := ecsContainerDef{Name: c.Name, Image: c.Image, CPU: intOf(int64(c.CPU)), Memory: flexInt{V: int64(c.Memory), Set: c.Memory != 0},
				MemoryReservation: flexInt{V: int64(c.MemoryReservation), Set: c.MemoryReservation != 0}, Essential: &ess, PortMappings: []ecsPortMapping{},
				Command: c.Command, EntryPoint: c.EntryPoint, DockerLabels: c.DockerLabels, Links: c.Links, Raw: c.Raw}
			for _, e := range c.Environment {
				y.Environment = append(y.Environment, ecsKeyValueSet{Name: e.Name, Value: e.Value})
			}
			for _, p := range c.PortMappings {
				if p.IsRange() {
					y.PortMappings = append(y.PortMappings, ecsPortMapping{ContainerPortRange: p.ContainerPortRange.String(),
						Protocol: protoOrTCP(p.Protocol).String(), Name: p.Name, AppProtocol: p.AppProtocol})
					continue
				}
				host := p.HostPort
				if d.NetworkMode == model.NetworkModeAwsvpc || d.NetworkMode == model.NetworkModeHost {
					host = p.ContainerPort
				}
				y.PortMappings = append(y.PortMappings, ecsPortMapping{ContainerPort: intOf(int64(p.ContainerPort)), HostPort: intOf(int64(host)),
					Protocol: protoOrTCP(p.Protocol).String(), Name: p.Name, AppProtocol: p.AppProtocol})
			}
			x.ContainerDefinitions = append(x.ContainerDefinitions, y)
		}
		out = append(out, x)
	}
	return out
}

func protoOrTCP(p model.Protocol) model.Protocol {
	if p == model.UDP {
		return model.UDP
	}
	return model.TCP
}

func (w *writer) loadBalancers() []elbLoadBalancer {
	out := []elbLoadBalancer{}
	for _, lb := range sortedValues(w.st.LoadBalancers) {
		x := elbLoadBalancer{LoadBalancerArn: lb.ARN, DNSName: lb.DNSName, CanonicalHostedZoneID: lb.CanonicalHostedZoneID, CreatedTime: awsTime{lb.CreatedAt},
			LoadBalancerName: lb.Name, Scheme: lb.Scheme, VpcID: string(lb.VpcID), Type: lb.Type, AvailabilityZones: []elbZone{},
			SecurityGroups: strs(lb.SecurityGroups), IPAddressType: lb.IPAddressType}
		x.State = &struct {
			Code   string `json:"Code"`
			Reason string `json:"Reason,omitempty"`
		}{Code: lb.State}
		for _, n := range lb.Nodes {
			z := elbZone{ZoneName: n.AvailabilityZone, SubnetID: string(n.SubnetID)}
			z.LoadBalancerAddresses = []elbAddress{}
			if n.AllocationID != "" || n.FixedPrivateIPv4.IsValid() || n.FixedIPv6.IsValid() {
				a := elbAddress{AllocationID: string(n.AllocationID)}
				if n.FixedPrivateIPv4.IsValid() {
					a.PrivateIPv4Address = n.FixedPrivateIPv4.String()
				}
				if n.FixedIPv6.IsValid() {
					a.IPv6Address = n.FixedIPv6.String()
				}
				z.LoadBalancerAddresses = append(z.LoadBalancerAddresses, a)
			}
			x.AvailabilityZones = append(x.AvailabilityZones, z)
		}
		out = append(out, x)
	}
	return out
}

func actionsOut(in []model.ListenerAction) []elbAction {
	out := []elbAction{}
	for _, a := range in {
		x := elbAction{Type: a.Type, TargetGroupArn: a.TargetGroupARN}
		if a.Order != 0 {
			x.Order = intOf(int64(a.Order))
		}
		if len(a.TargetGroups) > 0 {
			x.ForwardConfig = &struct {
				TargetGroups []struct {
					TargetGroupArn string  `json:"TargetGroupArn"`
					Weight         flexInt `json:"Weight"`
				} `json:"TargetGroups"`
			}{}
			for _, tg := range a.TargetGroups {
				x.ForwardConfig.TargetGroups = append(x.ForwardConfig.TargetGroups, struct {
					TargetGroupArn string  `json:"TargetGroupArn"`
					Weight         flexInt `json:"Weight"`
				}{tg.ARN, intOf(int64(tg.Weight))})
			}
		}
		if f := a.FixedResponse; f != nil {
			x.FixedResponseConfig = &struct {
				StatusCode  string `json:"StatusCode"`
				ContentType string `json:"ContentType,omitempty"`
				MessageBody string `json:"MessageBody,omitempty"`
			}{f.StatusCode, f.ContentType, f.MessageBody}
		}
		if len(a.Redirect) > 0 {
			x.RedirectConfig = map[string]any{}
			for k, v := range a.Redirect {
				x.RedirectConfig[k] = v
			}
		}
		out = append(out, x)
	}
	return out
}

func (w *writer) listeners() []elbListener {
	out := []elbListener{}
	for _, l := range sortedValues(w.st.Listeners) {
		x := elbListener{ListenerArn: l.ARN, LoadBalancerArn: l.LoadBalancerARN, Port: intOf(int64(l.Port)), Protocol: l.Protocol, SSLPolicy: l.SSLPolicy,
			DefaultActions: actionsOut(l.DefaultActions)}
		for _, c := range l.Certificates {
			x.Certificates = append(x.Certificates, elbCert{CertificateArn: c})
		}
		out = append(out, x)
	}
	return out
}

func (w *writer) rules() []elbRule {
	out := []elbRule{}
	for _, r := range sortedValues(w.st.ListenerRules) {
		x := elbRule{RuleArn: r.ARN, Priority: strconv.Itoa(r.Priority), Conditions: []elbCondition{}, Actions: actionsOut(r.Actions)}
		for _, c := range r.Conditions {
			x.Conditions = append(x.Conditions, conditionOut(c))
		}
		for _, t := range r.Transforms {
			y := elbTransform{Type: t.Type}
			rw := &elbRewrites{Rewrites: []elbRewrite{{Regex: t.Regex, Replace: t.Replace}}}
			if t.Type == model.TransformHostHeaderRewrite {
				y.HostHeaderRewriteConfig = rw
			} else {
				y.UrlRewriteConfig = rw
			}
			x.Transforms = append(x.Transforms, y)
		}
		out = append(out, x)
	}
	return out
}

// conditionOut is a rule condition as describe-rules answers it: its
// values in the config of its field (host-header and path-pattern also
// beside the field), regular expressions in the config only, an
// http-header condition with its header's name, query-string pairs as
// keys and values.
func conditionOut(c model.RuleCondition) elbCondition {
	y := elbCondition{Field: c.Field}
	cfg := &elbValues{Values: c.Values, RegexValues: c.RegexValues}
	switch c.Field {
	case "host-header":
		y.HostHeaderConfig = cfg
	case "path-pattern":
		y.PathPatternConfig = cfg
	case "http-request-method":
		y.HTTPRequestMethodConfig = cfg
	case "source-ip":
		y.SourceIPConfig = cfg
	case "http-header":
		cfg.HTTPHeaderName, y.HTTPHeaderConfig = c.HeaderName, cfg
	case "query-string":
		y.QueryStringConfig = &elbQueryStrings{}
		for _, v := range c.Values {
			k, val, _ := strings.Cut(v, "=")
			y.QueryStringConfig.Values = append(y.QueryStringConfig.Values, elbKeyValue{Key: k, Value: val})
		}
		return y
	}
	if len(c.RegexValues) == 0 && (c.Field == "host-header" || c.Field == "path-pattern") {
		y.Values = c.Values
	}
	return y
}

func (w *writer) targetGroups() []elbTargetGroup {
	out := []elbTargetGroup{}
	lbsOf := map[string][]string{}
	for _, l := range sortedValues(w.st.Listeners) {
		add := func(as []model.ListenerAction) {
			for _, a := range as {
				for _, tg := range a.ForwardTargetGroups() {
					if !slices.Contains(lbsOf[tg], l.LoadBalancerARN) {
						lbsOf[tg] = append(lbsOf[tg], l.LoadBalancerARN)
					}
				}
			}
		}
		add(l.DefaultActions)
	}
	for _, r := range sortedValues(w.st.ListenerRules) {
		if l := w.st.Listeners[r.ListenerARN]; l != nil {
			for _, a := range r.Actions {
				for _, tg := range a.ForwardTargetGroups() {
					if !slices.Contains(lbsOf[tg], l.LoadBalancerARN) {
						lbsOf[tg] = append(lbsOf[tg], l.LoadBalancerARN)
					}
				}
			}
		}
	}
	for _, tg := range sortedValues(w.st.TargetGroups) {
		h := tg.HealthCheck
		x := elbTargetGroup{TargetGroupArn: tg.ARN, TargetGroupName: tg.Name, Protocol: tg.Protocol, ProtocolVersion: tg.ProtocolVersion, Port: intOf(int64(tg.Port)),
			VpcID: string(tg.VpcID), HealthCheckProtocol: h.Protocol, HealthCheckPort: h.Port, HealthCheckEnabled: h.Enabled,
			HealthCheckIntervalSeconds: intOf(int64(h.IntervalSeconds)), HealthCheckTimeoutSeconds: intOf(int64(h.TimeoutSeconds)),
			HealthyThresholdCount: intOf(int64(h.HealthyThreshold)), UnhealthyThresholdCount: intOf(int64(h.UnhealthyThreshold)), HealthCheckPath: h.Path,
			LoadBalancerArns: nonNil(lbsOf[tg.ARN]), TargetType: tg.TargetType, IPAddressType: tg.IPAddressType}
		if h.Matcher != "" {
			x.Matcher = &struct {
				HTTPCode string `json:"HttpCode,omitempty"`
				GrpcCode string `json:"GrpcCode,omitempty"`
			}{HTTPCode: h.Matcher}
		}
		out = append(out, x)
	}
	return out
}

func (w *writer) targetHealth(tg *model.TargetGroup) elbTargetHealth {
	x := elbTargetHealth{TargetGroupArn: tg.ARN, TargetHealthDescriptions: []elbTargetHealthDesc{}}
	for _, t := range tg.Targets.All() {
		var d elbTargetHealthDesc
		d.Target.ID, d.Target.Port = t.ID, intOf(int64(t.Port))
		if tg.TargetType != "instance" && tg.TargetType != "" {
			// As AWS: AvailabilityZone is given for ip (and lambda) targets
			// only; an instance target serves in its instance's zone.
			d.Target.AvailabilityZone = t.AvailabilityZone
		}
		d.HealthCheckPort = strconv.Itoa(int(t.Port))
		d.TargetHealth.State = "healthy"
		if t.Draining {
			d.TargetHealth.State, d.TargetHealth.Reason = "draining", "Target.DeregistrationInProgress"
		}
		x.TargetHealthDescriptions = append(x.TargetHealthDescriptions, d)
	}
	return x
}

// nonNil returns s, or an empty slice for nil, so it prints as [].
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (w *writer) namespaces() []sdNamespace {
	out := []sdNamespace{}
	for _, ns := range sortedValues(w.st.Namespaces) {
		x := sdNamespace{ID: ns.ID, Arn: ns.ARN, Name: ns.Name, Type: ns.Type, Description: ns.Description,
			CreatorRequestID: ns.CreatorRequestID, CreateDate: awsTime{ns.CreatedAt}}
		x.Properties.HTTPProperties = &struct {
			HTTPName string `json:"HttpName"`
		}{cmp.Or(ns.HTTPName, ns.Name)}
		if ns.Type != model.NamespaceHTTP {
			x.Properties.DNSProperties = &struct {
				HostedZoneID string `json:"HostedZoneId"`
				SOA          *struct {
					TTL flexInt `json:"TTL"`
				} `json:"SOA,omitempty"`
			}{HostedZoneID: ns.HostedZoneID, SOA: &struct {
				TTL flexInt `json:"TTL"`
			}{intOf(ns.SOATTL)}}
		}
		out = append(out, x)
	}
	return out
}

func (w *writer) sdServices() []sdService {
	out := []sdService{}
	for _, ds := range sortedValues(w.st.DiscoveryServices) {
		x := sdService{ID: ds.ID, Arn: ds.ARN, Name: ds.Name, NamespaceID: ds.NamespaceID, Description: ds.Description, Type: ds.Type,
			CreatorRequestID: ds.CreatorRequestID, CreateDate: awsTime{ds.CreatedAt}}
		if len(ds.DNSRecords) > 0 {
			recs := []sdDNSRecord{}
			for _, r := range ds.DNSRecords {
				recs = append(recs, sdDNSRecord{Type: r.Type, TTL: intOf(r.TTL)})
			}
			x.DNSConfig = &struct {
				NamespaceID   string        `json:"NamespaceId,omitempty"`
				RoutingPolicy string        `json:"RoutingPolicy,omitempty"`
				DNSRecords    []sdDNSRecord `json:"DnsRecords"`
			}{ds.NamespaceID, ds.RoutingPolicy, recs}
		}
		if h := ds.HealthCheck; h != nil {
			x.HealthCheckConfig = &struct {
				Type             string  `json:"Type"`
				ResourcePath     string  `json:"ResourcePath,omitempty"`
				FailureThreshold flexInt `json:"FailureThreshold"`
			}{h.Type, h.ResourcePath, intOf(h.FailureThreshold)}
		}
		if ds.CustomHealth {
			x.HealthCheckCustomConfig = &struct {
				FailureThreshold *flexInt `json:"FailureThreshold,omitempty"`
			}{}
			if ds.CustomThreshold != 0 {
				ft := intOf(ds.CustomThreshold)
				x.HealthCheckCustomConfig.FailureThreshold = &ft
			}
		}
		out = append(out, x)
	}
	return out
}

func (w *writer) sdInstances(ds *model.DiscoveryService) sdServiceInstances {
	out := sdServiceInstances{ServiceID: ds.ID, Instances: []sdInstance{}}
	var keys []string
	for k, in := range w.st.DiscoveryInstances {
		if in.ServiceID == ds.ID {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		in := w.st.DiscoveryInstances[k]
		out.Instances = append(out.Instances, sdInstance{ID: in.ID, Attributes: in.Attributes})
	}
	return out
}

func (w *writer) classicLoadBalancers() []elbClassic {
	out := []elbClassic{}
	for _, lb := range sortedValues(w.st.ClassicLoadBalancers) {
		x := elbClassic{LoadBalancerName: lb.Name, DNSName: lb.DNSName, Scheme: lb.Scheme, VPCId: string(lb.VpcID), Subnets: strs(lb.Subnets),
			AvailabilityZones: append([]string{}, lb.AvailabilityZones...), SecurityGroups: strs(lb.SecurityGroups), CreatedTime: awsTime{lb.CreatedAt}}
		for _, l := range lb.Listeners {
			d := elbClassicListenerDesc{PolicyNames: append([]string{}, lb.ListenerPolicies[l.LoadBalancerPort]...)}
			d.Listener.Protocol, d.Listener.LoadBalancerPort, d.Listener.InstanceProtocol = l.Protocol, flexInt{V: int64(l.LoadBalancerPort)}, l.InstanceProtocol
			d.Listener.InstancePort, d.Listener.SSLCertificateID = flexInt{V: int64(l.InstancePort)}, l.SSLCertificateID
			x.ListenerDescriptions = append(x.ListenerDescriptions, d)
		}
		hc := lb.HealthCheck
		x.HealthCheck.Target, x.HealthCheck.Interval, x.HealthCheck.Timeout = hc.Target, flexInt{V: int64(hc.Interval)}, flexInt{V: int64(hc.Timeout)}
		x.HealthCheck.UnhealthyThreshold, x.HealthCheck.HealthyThreshold = flexInt{V: int64(hc.UnhealthyThreshold)}, flexInt{V: int64(hc.HealthyThreshold)}
		for _, id := range lb.Instances {
			x.Instances = append(x.Instances, struct {
				InstanceID string `json:"InstanceId"`
			}{string(id)})
		}
		for _, port := range slices.Sorted(maps.Keys(lb.BackendPolicies)) {
			x.BackendServerDescriptions = append(x.BackendServerDescriptions, elbBackendDesc{InstancePort: flexInt{V: int64(port)},
				PolicyNames: append([]string{}, lb.BackendPolicies[port]...)})
		}
		out = append(out, x)
	}
	return out
}

// principalType is an allowed principal's type as EC2 answers it: All
// for "*", else from the ARN (Account for a root, Role, User, Service).
func principalType(arn string) string {
	switch {
	case arn == "*":
		return "All"
	case strings.HasSuffix(arn, ":root"):
		return "Account"
	case strings.Contains(arn, ":role/"):
		return "Role"
	case strings.Contains(arn, ":user/"):
		return "User"
	case strings.Contains(arn, ".amazonaws.com"):
		return "Service"
	}
	return "Account"
}

// classicAttributesOut is a Classic Load Balancer's
// describe-load-balancer-attributes answer with its name beside it: every
// attribute, AWS's defaults for those the model does not set.
func classicAttributesOut(lb *model.ClassicLoadBalancer) elbClassicAttributes {
	get := func(k, def string) string { return cmp.Or(lb.Attributes[k], def) }
	n := func(k, def string) *flexInt {
		v, _ := strconv.ParseInt(get(k, def), 10, 64)
		return &flexInt{V: v}
	}
	x := elbClassicAttributes{LoadBalancerName: lb.Name}
	a := &x.LoadBalancerAttributes
	a.CrossZoneLoadBalancing = &struct {
		Enabled bool `json:"Enabled"`
	}{get("CrossZoneLoadBalancing.Enabled", "false") == "true"}
	a.AccessLog = &struct {
		Enabled        bool     `json:"Enabled"`
		S3BucketName   string   `json:"S3BucketName,omitempty"`
		S3BucketPrefix string   `json:"S3BucketPrefix,omitempty"`
		EmitInterval   *flexInt `json:"EmitInterval,omitempty"`
	}{Enabled: get("AccessLog.Enabled", "false") == "true"}
	if a.AccessLog.Enabled {
		a.AccessLog.S3BucketName, a.AccessLog.S3BucketPrefix = lb.Attributes["AccessLog.S3BucketName"], lb.Attributes["AccessLog.S3BucketPrefix"]
		a.AccessLog.EmitInterval = n("AccessLog.EmitInterval", "60")
	}
	a.ConnectionDraining = &struct {
		Enabled bool     `json:"Enabled"`
		Timeout *flexInt `json:"Timeout,omitempty"`
	}{get("ConnectionDraining.Enabled", "false") == "true", n("ConnectionDraining.Timeout", "300")}
	a.ConnectionSettings = &struct {
		IdleTimeout *flexInt `json:"IdleTimeout,omitempty"`
	}{n("ConnectionSettings.IdleTimeout", "60")}
	a.AdditionalAttributes = []struct {
		Key   string `json:"Key"`
		Value string `json:"Value"`
	}{{"elb.http.desyncmitigationmode", get("elb.http.desyncmitigationmode", "defensive")}}
	return x
}

// classicPoliciesOut is a Classic Load Balancer's
// describe-load-balancer-policies answer with its name beside it.
func classicPoliciesOut(lb *model.ClassicLoadBalancer) elbClassicPolicies {
	x := elbClassicPolicies{LoadBalancerName: lb.Name, PolicyDescriptions: []elbPolicyDescription{}}
	for _, p := range lb.Policies {
		d := elbPolicyDescription{PolicyName: p.Name, PolicyTypeName: p.TypeName}
		for _, a := range engine.ClassicPolicyAttributes(p) {
			d.PolicyAttributeDescriptions = append(d.PolicyAttributeDescriptions, struct {
				AttributeName  string `json:"AttributeName"`
				AttributeValue string `json:"AttributeValue"`
			}{a[0], a[1]})
		}
		x.PolicyDescriptions = append(x.PolicyDescriptions, d)
	}
	return x
}

// icmpOut is an ICMP type or code as EC2 answers it: -1 for any.
func icmpOut(v uint16) flexInt {
	if v == engine.ICMPAny {
		return intOf(-1)
	}
	return intOf(int64(v))
}

// serviceConnectWire writes a deployment's Service Connect configuration
// as DescribeServices answers it.
func serviceConnectWire(c *model.ServiceConnectConfiguration) (*ecsServiceConnect, []ecsSCResource) {
	if c == nil {
		return nil, nil
	}
	out := &ecsServiceConnect{Enabled: c.Enabled, Namespace: c.Namespace}
	if c.LogDriver != "" {
		out.LogConfig = &ecsSCLogConfig{LogDriver: c.LogDriver, Options: c.LogOptions}
	}
	var res []ecsSCResource
	for _, s := range c.Services {
		y := ecsSCService{PortName: s.PortName, DiscoveryName: s.DiscoveryName}
		if s.IngressPortOverride != 0 {
			y.IngressPortOverride = &flexInt{V: int64(s.IngressPortOverride), Set: true}
		}
		for _, a := range s.ClientAliases {
			y.ClientAliases = append(y.ClientAliases, ecsSCAlias{Port: flexInt{V: int64(a.Port), Set: true}, DNSName: a.DNSName})
		}
		out.Services = append(out.Services, y)
		if s.DiscoveryARN != "" {
			res = append(res, ecsSCResource{DiscoveryName: s.DiscoveryName, DiscoveryArn: s.DiscoveryARN})
		}
	}
	return out, res
}

// networkWire is a service's or deployment's networkConfiguration (nil
// without an awsvpc configuration).
func networkWire(n *model.AwsVpcConfiguration) *ecsNetworkConfig {
	if n == nil {
		return nil
	}
	assign := "DISABLED"
	if n.AssignPublicIP {
		assign = "ENABLED"
	}
	return &ecsNetworkConfig{AwsvpcConfiguration: &ecsAwsvpcConfig{Subnets: strs(n.Subnets), SecurityGroups: strs(n.SecurityGroups), AssignPublicIP: assign}}
}

// attributesOut is what describe-target-group-attributes and
// describe-load-balancer-attributes answer: every attribute, AWS's default
// unless set, in AWS's order, then any other set one by key.
func attributesOut(defaults [][2]string, set map[string]string) []elbAttribute {
	out := []elbAttribute{}
	for _, d := range defaults {
		v, ok := set[d[0]]
		if !ok {
			v = d[1]
		}
		out = append(out, elbAttribute{Key: d[0], Value: v})
	}
	for _, k := range slices.Sorted(maps.Keys(set)) {
		if !slices.ContainsFunc(defaults, func(d [2]string) bool { return d[0] == k }) {
			out = append(out, elbAttribute{Key: k, Value: set[k]})
		}
	}
	return out
}
