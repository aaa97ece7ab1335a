package engine

import (
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TagChange adds tags to, or removes tags from, resources. Remove maps a
// key to the value it must have to be removed (nil: any value).
type TagChange struct {
	Add model.Tags
	// Order is the keys of Add in the request's order (ELB answers tags
	// in the order they were added).
	Order  []string
	Remove map[string]*string
	// RemoveAll removes every tag (EC2 DeleteTags without Tag.N).
	RemoveAll bool
}

func (c TagChange) apply(old model.Tags) model.Tags {
	out := old.Clone()
	if c.RemoveAll {
		out = nil
	}
	for k, v := range c.Remove {
		if have, ok := out[k]; ok && (v == nil || *v == have) {
			delete(out, k)
		}
	}
	for k, v := range c.Add {
		if out == nil {
			out = model.Tags{}
		}
		out[k] = v
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// retag replaces the resource m[id] by a copy whose tags went through c;
// tags points at the copy's Tags field. A missing resource is notFound.
func retag[K ~string, V any](t *txn, kind model.Kind, m map[K]*V, id K, tags func(*V) *model.Tags, c TagChange, notFound func(K) error) error {
	v := m[id]
	if v == nil {
		return notFound(id)
	}
	cp := *v
	p := tags(&cp)
	svc := tagServiceOf(kind)
	if err := checkEachTag(svc, c.Add); err != nil {
		return err
	}
	*p = c.apply(*p)
	if err := checkTagCount(svc, len(*p)); err != nil {
		return err
	}
	put(t, kind, m, id, &cp)
	return nil
}

// retagOrdered is retag for a resource whose tags are answered in the
// order they were added (ELBv2): order points at its TagOrder.
func retagOrdered[K ~string, V any](t *txn, kind model.Kind, m map[K]*V, id K, tags func(*V) *model.Tags, order func(*V) *[]string, c TagChange, notFound func(K) error) error {
	if err := retag(t, kind, m, id, tags, c, notFound); err != nil {
		return err
	}
	cp := *m[id]
	*order(&cp) = model.TagOrderAfter(*order(&cp), c.Order, *tags(&cp))
	put(t, kind, m, id, &cp)
	return nil
}

// TagEC2Resources applies c to EC2 resources named by id (CreateTags,
// DeleteTags): VPCs, subnets, route tables, gateways, Elastic IPs, security
// groups, network ACLs, network interfaces, endpoints, instances, launch
// templates and Network Insights paths and analyses. Every id must exist,
// or nothing changes.
func (e *Engine) TagEC2Resources(ids []string, c TagChange) error {
	return e.write(func(t *txn) error {
		for _, id := range ids {
			if err := t.tagEC2(id, c); err != nil {
				return err
			}
		}
		return nil
	})
}

func (t *txn) tagEC2(id string, c TagChange) error {
	st := t.st
	prefix, _, _ := strings.Cut(id, "-")
	if strings.HasPrefix(id, "vpce-svc-") {
		prefix = "vpce-svc"
	}
	switch prefix {
	case "vpcbpa":
		return retag(t, model.KindBPAExclusion, st.BPAExclusions, model.BPAExclusionID(id), func(v *model.VpcBlockPublicAccessExclusion) *model.Tags { return &v.Tags }, c, errBPAExclusionNotFound)
	case "vpce-svc":
		return retag(t, model.KindEndpointService, st.EndpointServices, model.EndpointServiceID(id), func(v *model.EndpointServiceConfig) *model.Tags { return &v.Tags }, c, errEndpointServiceNotFound)
	case "vpc":
		return retag(t, model.KindVPC, st.VPCs, model.VpcID(id), func(v *model.VPC) *model.Tags { return &v.Tags }, c, errVpcNotFound)
	case "subnet":
		return retag(t, model.KindSubnet, st.Subnets, model.SubnetID(id), func(v *model.Subnet) *model.Tags { return &v.Tags }, c, errSubnetNotFound)
	case "rtb":
		return retag(t, model.KindRouteTable, st.RouteTables, model.RouteTableID(id), func(v *model.RouteTable) *model.Tags { return &v.Tags }, c, errRouteTableNotFound)
	case "igw":
		return retag(t, model.KindInternetGateway, st.InternetGateways, model.InternetGatewayID(id), func(v *model.InternetGateway) *model.Tags { return &v.Tags }, c, errIGWNotFound)
	case "eigw":
		return retag(t, model.KindEgressOnlyIGW, st.EgressOnlyIGWs, model.EgressOnlyIGWID(id), func(v *model.EgressOnlyInternetGateway) *model.Tags { return &v.Tags }, c, errEIGWNotFound)
	case "nat":
		return retag(t, model.KindNatGateway, st.NatGateways, model.NatGatewayID(id), func(v *model.NatGateway) *model.Tags { return &v.Tags }, c, errNatNotFound)
	case "eipalloc":
		a := st.Addresses[model.AllocationID(id)]
		if a == nil {
			return errAllocationNotFound(model.AllocationID(id))
		}
		na := *a
		na.Tags = c.apply(a.Tags)
		t.putAddress(&na)
	case "sg":
		return retag(t, model.KindSecurityGroup, st.SecurityGroups, model.SecurityGroupID(id), func(v *model.SecurityGroup) *model.Tags { return &v.Tags }, c, func(id model.SecurityGroupID) error { return errGroupNotFound(string(id)) })
	case "fl":
		return retag(t, model.KindFlowLog, st.FlowLogs, model.FlowLogID(id), func(v *model.FlowLog) *model.Tags { return &v.Tags }, c, errFlowLogNotFound)
	case "cagw":
		return retag(t, model.KindCarrierGateway, st.CarrierGateways, model.CarrierGatewayID(id), func(v *model.CarrierGateway) *model.Tags { return &v.Tags }, c, errCarrierGatewayNotFound)
	case "dopt":
		return retag(t, model.KindDhcpOptions, st.DhcpOptions, model.DhcpOptionsID(id), func(v *model.DhcpOptions) *model.Tags { return &v.Tags }, c, errDhcpOptionsNotFound)
	case "pl":
		p := st.PrefixLists[model.PrefixListID(id)]
		if p == nil || p.AWSManaged() {
			return errPrefixListNotFound(model.PrefixListID(id))
		}
		return retag(t, model.KindPrefixList, st.PrefixLists, model.PrefixListID(id), func(v *model.PrefixList) *model.Tags { return &v.Tags }, c, errPrefixListNotFound)
	case "tgw":
		return t.tagTGW(id, c)
	case "pcx":
		return retag(t, model.KindVpcPeering, st.VpcPeerings, model.VpcPeeringConnectionID(id), func(v *model.VpcPeeringConnection) *model.Tags { return &v.Tags }, c, errPeeringNotFound)
	case "vgw":
		return retag(t, model.KindVpnGateway, st.VpnGateways, model.VpnGatewayID(id), func(v *model.VpnGateway) *model.Tags { return &v.Tags }, c, errVgwNotFound)
	case "cgw":
		return retag(t, model.KindCustomerGateway, st.CustomerGateways, model.CustomerGatewayID(id), func(v *model.CustomerGateway) *model.Tags { return &v.Tags }, c, errCgwNotFound)
	case "vpn":
		return retag(t, model.KindVpnConnection, st.VpnConnections, model.VpnConnectionID(id), func(v *model.VpnConnection) *model.Tags { return &v.Tags }, c, errVpnNotFound)
	case "sgr":
		return t.tagRule(model.SecurityGroupRuleID(id), c)
	case "acl":
		return retag(t, model.KindNetworkACL, st.NetworkACLs, model.NetworkACLID(id), func(v *model.NetworkACL) *model.Tags { return &v.Tags }, c, errACLNotFound)
	case "eni":
		n := st.NetworkInterfaces[model.NetworkInterfaceID(id)]
		if n == nil {
			return errENINotFound(model.NetworkInterfaceID(id))
		}
		cn := cloneENI(n)
		cn.Tags = c.apply(n.Tags)
		t.putENI(cn)
	case "vpce":
		return retag(t, model.KindVpcEndpoint, st.VpcEndpoints, model.VpcEndpointID(id), func(v *model.VpcEndpoint) *model.Tags { return &v.Tags }, c, errEndpointNotFound)
	case "vol":
		return retag(t, model.KindVolume, st.Volumes, model.VolumeID(id), func(v *model.Volume) *model.Tags { return &v.Tags }, c, errVolumeNotFound)
	case "ami":
		if !hexID(id, "ami") {
			return apierr.Newf("InvalidID", "The ID '%s' is not valid", id)
		}
		im := st.Images[model.ImageID(id)]
		if im == nil || im.State != "available" {
			return errImageNotFound(id)
		}
		return retag(t, model.KindImage, st.Images, model.ImageID(id), func(v *model.Image) *model.Tags { return &v.Tags }, c, func(id model.ImageID) error { return errImageNotFound(string(id)) })
	case "sir":
		return retag(t, model.KindSpotRequest, st.SpotRequests, model.SpotInstanceRequestID(id), func(v *model.SpotInstanceRequest) *model.Tags { return &v.Tags }, c, errSpotRequestNotFound)
	case "snap":
		return retag(t, model.KindSnapshot, st.Snapshots, model.SnapshotID(id), func(v *model.Snapshot) *model.Tags { return &v.Tags }, c, errSnapshotNotFound)
	case "i":
		return retag(t, model.KindInstance, st.Instances, model.InstanceID(id), func(v *model.Instance) *model.Tags { return &v.Tags }, c, errInstanceNotFound)
	case "key":
		return retag(t, model.KindKeyPair, st.KeyPairs, model.KeyPairID(id), func(v *model.KeyPair) *model.Tags { return &v.Tags }, c, func(id model.KeyPairID) error { return errKeyPairNotFound(string(id)) })
	case "lt":
		return retag(t, model.KindLaunchTemplate, st.LaunchTemplates, model.LaunchTemplateID(id), func(v *model.LaunchTemplate) *model.Tags { return &v.Tags }, c, errLaunchTemplateIDNotFound)
	case "nip":
		return retag(t, model.KindInsightsPath, st.InsightsPaths, model.NetworkInsightsPathID(id), func(v *model.NetworkInsightsPath) *model.Tags { return &v.Tags }, c, errInsightsPathNotFound)
	case "nia":
		return retag(t, model.KindInsightsAnalysis, st.InsightsAnalyses, model.NetworkInsightsAnalysisID(id), func(v *model.NetworkInsightsAnalysis) *model.Tags { return &v.Tags }, c, errInsightsAnalysisNotFound)
	default:
		return apierr.Newf("InvalidID", "The ID '%s' is not valid", id)
	}
	return nil
}

// TagECSResource applies c to an ECS resource named by ARN (TagResource,
// UntagResource): a cluster, service, task, task definition, container
// instance, capacity provider or daemon.
func (e *Engine) TagECSResource(arn string, c TagChange) error {
	return e.write(func(t *txn) error {
		st := t.st
		kind := ecsResourceKind(arn)
		if err := ecsTaggableARN(arn); err != nil {
			return err
		}
		notFound := func(string) error {
			return apierr.New("ResourceNotFoundException", "The specified resource could not be found.")
		}
		switch kind {
		case "cluster":
			if cl := st.Clusters[arn]; cl == nil || cl.Status != "ACTIVE" {
				return errClusterNotFound()
			}
			return retag(t, model.KindCluster, st.Clusters, arn, func(v *model.Cluster) *model.Tags { return &v.Tags }, c, notFound)
		case "service":
			return retag(t, model.KindService, st.Services, arn, func(v *model.Service) *model.Tags { return &v.Tags }, c, notFound)
		case "task":
			tk := st.Tasks[arn]
			if tk == nil {
				return notFound(arn)
			}
			c2 := cloneTask(tk)
			c2.Tags = c.apply(tk.Tags)
			t.putTask(c2)
			return nil
		case "task-definition":
			return retag(t, model.KindTaskDefinition, st.TaskDefinitions, arn, func(v *model.TaskDefinition) *model.Tags { return &v.Tags }, c, notFound)
		case "container-instance":
			return retag(t, model.KindContainerInstance, st.ContainerInstances, arn, func(v *model.ContainerInstance) *model.Tags { return &v.Tags }, c, notFound)
		case "capacity-provider":
			return retag(t, model.KindCapacityProvider, st.CapacityProviders, arn, func(v *model.CapacityProvider) *model.Tags { return &v.Tags }, c, notFound)
		case "daemon":
			return retag(t, model.KindDaemon, st.Daemons, arn, func(v *model.Daemon) *model.Tags { return &v.Tags }, c, notFound)
		case "task-set":
			s, i := taskSetByARN(st, arn)
			if s == nil {
				return notFound(arn)
			}
			ns := cloneService(s)
			ns.TaskSets[i].Tags = c.apply(s.TaskSets[i].Tags)
			put(t, model.KindService, st.Services, ns.ARN, ns)
			return nil
		}
		return errECSInvalid("The ARN provided is invalid.")
	})
}

// ecsResourceKind returns the resource type of an ECS ARN
// (arn:aws:ecs:region:account:<type>/…), or "".
func ecsResourceKind(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "ecs" {
		return ""
	}
	kind, _, _ := strings.Cut(parts[5], "/")
	return kind
}

// ecsTaggableARN refuses a short-format ARN of a service, task or container
// instance (`service/<name>`, without the cluster): ECS tags only resources
// with the long ARN format.
func ecsTaggableARN(arn string) error {
	switch ecsResourceKind(arn) {
	case "service", "task", "container-instance":
		parts := strings.SplitN(arn, ":", 6)
		if strings.Count(parts[5], "/") < 2 {
			return errECSInvalid("Long arn format must be used for tagging operations")
		}
	}
	return nil
}

// ECSResourceTags returns the tags of an ECS resource named by ARN
// (ListTagsForResource).
func ECSResourceTags(st *model.State, arn string) (model.Tags, error) {
	var tags model.Tags
	var found bool
	if err := ecsTaggableARN(arn); err != nil {
		return nil, err
	}
	switch ecsResourceKind(arn) {
	case "cluster":
		if v := st.Clusters[arn]; v == nil || v.Status != "ACTIVE" {
			return nil, errClusterNotFound()
		}
		tags, found = tagsOf(st.Clusters, arn, func(v *model.Cluster) model.Tags { return v.Tags })
	case "service":
		tags, found = tagsOf(st.Services, arn, func(v *model.Service) model.Tags { return v.Tags })
	case "task":
		tags, found = tagsOf(st.Tasks, arn, func(v *model.Task) model.Tags { return v.Tags })
	case "task-definition":
		if tags, found = tagsOf(st.TaskDefinitions, arn, func(v *model.TaskDefinition) model.Tags { return v.Tags }); !found {
			return nil, errTaskDefinitionNotFound()
		}
	case "container-instance":
		tags, found = tagsOf(st.ContainerInstances, arn, func(v *model.ContainerInstance) model.Tags { return v.Tags })
	case "capacity-provider":
		tags, found = tagsOf(st.CapacityProviders, arn, func(v *model.CapacityProvider) model.Tags { return v.Tags })
	case "daemon":
		tags, found = tagsOf(st.Daemons, arn, func(v *model.Daemon) model.Tags { return v.Tags })
	case "task-set":
		if s, i := taskSetByARN(st, arn); s != nil {
			tags, found = s.TaskSets[i].Tags, true
		}
	default:
		return nil, errECSInvalid("The ARN provided is invalid.")
	}
	if !found {
		return nil, apierr.New("ResourceNotFoundException", "The specified resource could not be found.")
	}
	return tags, nil
}

// tagsOf returns the tags of m[id] and whether it exists.
func tagsOf[V any](m map[string]*V, id string, tags func(*V) model.Tags) (model.Tags, bool) {
	if v := m[id]; v != nil {
		return tags(v), true
	}
	return nil, false
}

// TagLoadBalancingResources applies c to ELBv2 load balancers and target
// groups named by ARN (AddTags, RemoveTags). Every ARN must exist, or
// nothing changes.
func (e *Engine) TagLoadBalancingResources(arns []string, c TagChange) error {
	return e.write(func(t *txn) error {
		for _, arn := range arns {
			var err error
			switch {
			case strings.Contains(arn, ":loadbalancer/"):
				err = retagOrdered(t, model.KindLoadBalancer, t.st.LoadBalancers, arn, func(v *model.LoadBalancer) *model.Tags { return &v.Tags }, func(v *model.LoadBalancer) *[]string { return &v.TagOrder }, c, func(string) error { return errLBNotFound() })
			case strings.Contains(arn, ":targetgroup/"):
				err = retagOrdered(t, model.KindTargetGroup, t.st.TargetGroups, arn, func(v *model.TargetGroup) *model.Tags { return &v.Tags }, func(v *model.TargetGroup) *[]string { return &v.TagOrder }, c, func(id string) error {
					// [obs] openshift/hive (a Terraform AddTags error recorded verbatim).
					return apierr.Newf("TargetGroupNotFound", "Target groups '%s' not found", id)
				})
			case strings.Contains(arn, ":listener/"):
				err = retagOrdered(t, model.KindListener, t.st.Listeners, arn, func(v *model.Listener) *model.Tags { return &v.Tags }, func(v *model.Listener) *[]string { return &v.TagOrder }, c, func(string) error { return errListenerNotFound() })
			case strings.Contains(arn, ":listener-rule/"):
				err = retagOrdered(t, model.KindListenerRule, t.st.ListenerRules, arn, func(v *model.ListenerRule) *model.Tags { return &v.Tags }, func(v *model.ListenerRule) *[]string { return &v.TagOrder }, c, func(string) error { return errRuleNotFound() })
			case strings.Contains(arn, ":truststore/"):
				err = retag(t, model.KindTrustStore, t.st.TrustStores, arn, func(v *model.TrustStore) *model.Tags { return &v.Tags }, c, func(string) error { return errTrustStoreNotFound() })
			default:
				return errELBValidation("'%s' is not a valid resource ARN", arn)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// ASGTagChange creates, updates or deletes Auto Scaling group tags
// (CreateOrUpdateTags, DeleteTags).
type ASGTagChange struct {
	Group  string
	Tag    model.ASGTag
	Delete bool
}

// TagAutoScalingGroups applies tag changes to Auto Scaling groups; every
// group must exist, or nothing changes.
func (e *Engine) TagAutoScalingGroups(changes []ASGTagChange) error {
	return e.write(func(t *txn) error {
		for _, ch := range changes {
			g := t.st.AutoScalingGroups[ch.Group]
			if g == nil {
				// AWS's text for tags, unlike the other group operations'.
				return errASGValidation("AutoScalingGroup not found - AutoScaling Group %s not found", ch.Group)
			}
			c := cloneASG(g)
			i := -1
			for j, old := range c.Tags {
				if old.Key == ch.Tag.Key {
					i = j
				}
			}
			switch {
			case ch.Delete && i >= 0:
				c.Tags = append(c.Tags[:i:i], c.Tags[i+1:]...)
			case ch.Delete:
			case i >= 0:
				c.Tags[i] = ch.Tag
			default:
				c.Tags = append(c.Tags, ch.Tag)
			}
			put(t, model.KindAutoScalingGroup, t.st.AutoScalingGroups, c.Name, c)
		}
		return nil
	})
}

// tagRule applies c to a security group rule (sgr-…), which AWS tags like
// any resource.
func (t *txn) tagRule(id model.SecurityGroupRuleID, c TagChange) error {
	for _, g := range t.st.SecurityGroups {
		for k, list := range [][]model.SecurityGroupRule{g.Ingress, g.Egress} {
			for i, r := range list {
				if r.ID != id {
					continue
				}
				ng := *g
				nl := slices.Clone(list)
				nl[i].Tags = c.apply(r.Tags)
				if k == 0 {
					ng.Ingress = nl
				} else {
					ng.Egress = nl
				}
				put(t, model.KindSecurityGroup, t.st.SecurityGroups, ng.ID, &ng)
				return nil
			}
		}
	}
	return apierr.Newf("InvalidSecurityGroupRuleId.NotFound", "The security group rule ID '%s' does not exist", id)
}
