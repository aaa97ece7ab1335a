package engine

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/store"
)

// table is one resource map of a State, seen generically: the persistence
// code reads, restores and lists records through it.
type table struct {
	kind    model.Kind
	get     func(st *model.State, id string) any // nil when absent, never a typed nil
	restore func(st *model.State, id string, data []byte) error
	ids     func(st *model.State) []string
}

func tableOf[K ~string, V any](kind model.Kind, sel func(*model.State) map[K]*V) table {
	return table{
		kind: kind,
		get: func(st *model.State, id string) any {
			if v, ok := sel(st)[K(id)]; ok {
				return v
			}
			return nil
		},
		restore: func(st *model.State, id string, data []byte) error {
			v := new(V)
			if err := json.Unmarshal(data, v); err != nil {
				return err
			}
			sel(st)[K(id)] = v
			return nil
		},
		ids: func(st *model.State) []string {
			m := sel(st)
			out := make([]string, 0, len(m))
			for k := range m {
				out = append(out, string(k))
			}
			return out
		},
	}
}

// tables lists every resource map of a State.
func tables() []table {
	type S = model.State
	return []table{
		tableOf(model.KindVPC, func(s *S) map[model.VpcID]*model.VPC { return s.VPCs }),
		tableOf(model.KindSubnet, func(s *S) map[model.SubnetID]*model.Subnet { return s.Subnets }),
		tableOf(model.KindRouteTable, func(s *S) map[model.RouteTableID]*model.RouteTable { return s.RouteTables }),
		tableOf(model.KindInternetGateway, func(s *S) map[model.InternetGatewayID]*model.InternetGateway { return s.InternetGateways }),
		tableOf(model.KindEgressOnlyIGW, func(s *S) map[model.EgressOnlyIGWID]*model.EgressOnlyInternetGateway { return s.EgressOnlyIGWs }),
		tableOf(model.KindNatGateway, func(s *S) map[model.NatGatewayID]*model.NatGateway { return s.NatGateways }),
		tableOf(model.KindAddress, func(s *S) map[model.AllocationID]*model.Address { return s.Addresses }),
		tableOf(model.KindSecurityGroup, func(s *S) map[model.SecurityGroupID]*model.SecurityGroup { return s.SecurityGroups }),
		tableOf(model.KindNetworkACL, func(s *S) map[model.NetworkACLID]*model.NetworkACL { return s.NetworkACLs }),
		tableOf(model.KindNetworkInterface, func(s *S) map[model.NetworkInterfaceID]*model.NetworkInterface { return s.NetworkInterfaces }),
		tableOf(model.KindVpcEndpoint, func(s *S) map[model.VpcEndpointID]*model.VpcEndpoint { return s.VpcEndpoints }),
		tableOf(model.KindVolume, func(s *S) map[model.VolumeID]*model.Volume { return s.Volumes }),
		tableOf(model.KindSnapshot, func(s *S) map[model.SnapshotID]*model.Snapshot { return s.Snapshots }),
		tableOf(model.KindSpotRequest, func(s *S) map[model.SpotInstanceRequestID]*model.SpotInstanceRequest { return s.SpotRequests }),
		tableOf(model.KindSpotFleetRequest, func(s *S) map[model.SpotFleetRequestID]*model.SpotFleetRequest { return s.SpotFleets }),
		tableOf(model.KindFleet, func(s *S) map[model.FleetID]*model.Fleet { return s.Fleets }),
		tableOf(model.KindImage, func(s *S) map[model.ImageID]*model.Image { return s.Images }),
		tableOf(model.KindKeyPair, func(s *S) map[model.KeyPairID]*model.KeyPair { return s.KeyPairs }),
		tableOf(model.KindPlacementGroup, func(s *S) map[model.PlacementGroupID]*model.PlacementGroup { return s.PlacementGroups }),
		tableOf(model.KindDhcpOptions, func(s *S) map[model.DhcpOptionsID]*model.DhcpOptions { return s.DhcpOptions }),
		tableOf(model.KindFlowLog, func(s *S) map[model.FlowLogID]*model.FlowLog { return s.FlowLogs }),
		tableOf(model.KindCarrierGateway, func(s *S) map[model.CarrierGatewayID]*model.CarrierGateway { return s.CarrierGateways }),
		tableOf(model.KindEndpointService, func(s *S) map[model.EndpointServiceID]*model.EndpointServiceConfig { return s.EndpointServices }),
		tableOf(model.KindPrefixList, func(s *S) map[model.PrefixListID]*model.PrefixList { return s.PrefixLists }),
		tableOf(model.KindDeletedPrefixList, func(s *S) map[model.PrefixListID]*model.PrefixList { return s.DeletedPrefixLists }),
		tableOf(model.KindTransitGateway, func(s *S) map[model.TransitGatewayID]*model.TransitGateway { return s.TransitGateways }),
		tableOf(model.KindTGWAttachment, func(s *S) map[model.TransitGatewayAttachmentID]*model.TransitGatewayAttachment {
			return s.TransitGatewayAttachments
		}),
		tableOf(model.KindTGWRouteTable, func(s *S) map[model.TransitGatewayRouteTableID]*model.TransitGatewayRouteTable {
			return s.TransitGatewayRouteTables
		}),
		tableOf(model.KindVpnGateway, func(s *S) map[model.VpnGatewayID]*model.VpnGateway { return s.VpnGateways }),
		tableOf(model.KindCustomerGateway, func(s *S) map[model.CustomerGatewayID]*model.CustomerGateway { return s.CustomerGateways }),
		tableOf(model.KindVpnConnection, func(s *S) map[model.VpnConnectionID]*model.VpnConnection { return s.VpnConnections }),
		tableOf(model.KindVpcPeering, func(s *S) map[model.VpcPeeringConnectionID]*model.VpcPeeringConnection { return s.VpcPeerings }),
		tableOf(model.KindInstance, func(s *S) map[model.InstanceID]*model.Instance { return s.Instances }),
		tableOf(model.KindLaunchTemplate, func(s *S) map[model.LaunchTemplateID]*model.LaunchTemplate { return s.LaunchTemplates }),
		tableOf(model.KindLaunchConfiguration, func(s *S) map[string]*model.LaunchConfiguration { return s.LaunchConfigurations }),
		tableOf(model.KindAutoScalingGroup, func(s *S) map[string]*model.AutoScalingGroup { return s.AutoScalingGroups }),
		tableOf(model.KindCluster, func(s *S) map[string]*model.Cluster { return s.Clusters }),
		tableOf(model.KindCapacityProvider, func(s *S) map[string]*model.CapacityProvider { return s.CapacityProviders }),
		tableOf(model.KindContainerInstance, func(s *S) map[string]*model.ContainerInstance { return s.ContainerInstances }),
		tableOf(model.KindTaskDefinition, func(s *S) map[string]*model.TaskDefinition { return s.TaskDefinitions }),
		tableOf(model.KindDaemonTaskDef, func(s *S) map[string]*model.DaemonTaskDefinition { return s.DaemonTaskDefinitions }),
		tableOf(model.KindDaemon, func(s *S) map[string]*model.Daemon { return s.Daemons }),
		tableOf(model.KindDaemonRevision, func(s *S) map[string]*model.DaemonRevision { return s.DaemonRevisions }),
		tableOf(model.KindDaemonDeployment, func(s *S) map[string]*model.DaemonDeployment { return s.DaemonDeployments }),
		tableOf(model.KindTask, func(s *S) map[string]*model.Task { return s.Tasks }),
		tableOf(model.KindService, func(s *S) map[string]*model.Service { return s.Services }),
		tableOf(model.KindAccountSetting, func(s *S) map[string]*model.AccountSetting { return s.AccountSettings }),
		tableOf(model.KindLoadBalancer, func(s *S) map[string]*model.LoadBalancer { return s.LoadBalancers }),
		tableOf(model.KindListener, func(s *S) map[string]*model.Listener { return s.Listeners }),
		tableOf(model.KindListenerRule, func(s *S) map[string]*model.ListenerRule { return s.ListenerRules }),
		targetGroupTable(),
		targetTable(),
		tableOf(model.KindTrustStore, func(s *S) map[string]*model.TrustStore { return s.TrustStores }),
		tableOf(model.KindClassicLoadBalancer, func(s *S) map[string]*model.ClassicLoadBalancer { return s.ClassicLoadBalancers }),
		tableOf(model.KindInsightsPath, func(s *S) map[model.NetworkInsightsPathID]*model.NetworkInsightsPath { return s.InsightsPaths }),
		tableOf(model.KindNamespace, func(s *S) map[string]*model.Namespace { return s.Namespaces }),
		tableOf(model.KindDiscoveryService, func(s *S) map[string]*model.DiscoveryService { return s.DiscoveryServices }),
		tableOf(model.KindDiscoveryInstance, func(s *S) map[string]*model.DiscoveryInstance { return s.DiscoveryInstances }),
		tableOf(model.KindDiscoveryOperation, func(s *S) map[string]*model.DiscoveryOperation { return s.DiscoveryOperations }),
		tableOf(model.KindHostedZone, func(s *S) map[string]*model.HostedZone { return s.HostedZones }),
		tableOf(model.KindHealthCheck, func(s *S) map[string]*model.Route53HealthCheck { return s.HealthChecks }),
		tableOf(model.KindRoute53Change, func(s *S) map[string]*model.Route53Change { return s.Route53Changes }),
		tableOf(model.KindInsightsAnalysis, func(s *S) map[model.NetworkInsightsAnalysisID]*model.NetworkInsightsAnalysis {
			return s.InsightsAnalyses
		}),
		tableOf(model.KindParameter, func(s *S) map[string]*model.Parameter { return s.Parameters }),
		tableOf(model.KindStack, func(s *S) map[string]*model.Stack { return s.Stacks }),
		tableOf(model.KindChangeSet, func(s *S) map[string]*model.ChangeSet { return s.ChangeSets }),
		tableOf(model.KindLogGroup, func(s *S) map[string]*model.LogGroup { return s.LogGroups }),
		tableOf(model.KindMetricAlarm, func(s *S) map[string]*model.MetricAlarm { return s.MetricAlarms }),
		tableOf(model.KindSecret, func(s *S) map[string]*model.Secret { return s.Secrets }),
		tableOf(model.KindKMSKey, func(s *S) map[string]*model.KMSKey { return s.KMSKeys }),
		tableOf(model.KindKMSAlias, func(s *S) map[string]*model.KMSAlias { return s.KMSAliases }),
		tableOf(model.KindBucket, func(s *S) map[string]*model.Bucket { return s.Buckets }),
		tableOf(model.KindS3Object, func(s *S) map[string]*model.S3Object { return s.S3Objects }),
		tableOf(model.KindS3Upload, func(s *S) map[string]*model.S3Upload { return s.S3Uploads }),
		tableOf(model.KindS3Part, func(s *S) map[string]*model.S3Part { return s.S3Parts }),
		tableOf(model.KindS3Version, func(s *S) map[string]*model.S3Object { return s.S3Versions }),
		tableOf(model.KindEventRule, func(s *S) map[string]*model.EventRule { return s.EventRules }),
		tableOf(model.KindEventBus, func(s *S) map[string]*model.EventBus { return s.EventBuses }),
		tableOf(model.KindCodeDeployApp, func(s *S) map[string]*model.CodeDeployApp { return s.CodeDeployApps }),
		tableOf(model.KindCodeDeployGroup, func(s *S) map[string]*model.CodeDeployGroup { return s.CodeDeployGroups }),
		tableOf(model.KindCodeDeployment, func(s *S) map[string]*model.CodeDeployment { return s.CodeDeployments }),
		tableOf(model.KindCodeDeployConfig, func(s *S) map[string]*model.CodeDeployConfig { return s.CodeDeployConfigs }),
		tableOf(model.KindRole, func(s *S) map[string]*model.Role { return s.Roles }),
		tableOf(model.KindIAMUser, func(s *S) map[string]*model.IAMUser { return s.IAMUsers }),
		tableOf(model.KindIAMGroup, func(s *S) map[string]*model.IAMGroup { return s.IAMGroups }),
		tableOf(model.KindManagedPolicy, func(s *S) map[string]*model.ManagedPolicy { return s.ManagedPolicies }),
		tableOf(model.KindInstanceProfile, func(s *S) map[string]*model.InstanceProfile { return s.InstanceProfiles }),
		tableOf(model.KindServerCertificate, func(s *S) map[string]*model.ServerCertificate { return s.ServerCertificates }),
		tableOf(model.KindCertificate, func(s *S) map[string]*model.Certificate { return s.Certificates }),
		tableOf(model.KindRepository, func(s *S) map[string]*model.Repository { return s.Repositories }),
		tableOf(model.KindRegistryScanning, func(s *S) map[string]*model.RegistryScanningConfiguration { return s.RegistryScanning }),
		tableOf(model.KindPullThroughRule, func(s *S) map[string]*model.PullThroughCacheRule { return s.PullThroughCacheRules }),
		tableOf(model.KindFileSystem, func(s *S) map[string]*model.FileSystem { return s.FileSystems }),
		tableOf(model.KindMountTarget, func(s *S) map[string]*model.MountTarget { return s.MountTargets }),
		tableOf(model.KindAccessPoint, func(s *S) map[string]*model.AccessPoint { return s.AccessPoints }),
		tableOf(model.KindLambdaFunction, func(s *S) map[string]*model.LambdaFunction { return s.LambdaFunctions }),
		tableOf(model.KindSQSQueue, func(s *S) map[string]*model.SQSQueue { return s.SQSQueues }),
		tableOf(model.KindSQSDeletedQueue, func(s *S) map[string]*model.SQSDeletedQueue { return s.SQSDeletedQueues }),
		tableOf(model.KindScalableTarget, func(s *S) map[string]*model.ScalableTarget { return s.ScalableTargets }),
		tableOf(model.KindAppScalingPolicy, func(s *S) map[string]*model.AppScalingPolicy { return s.AppScalingPolicies }),
		tableOf(model.KindAppScheduledAction, func(s *S) map[string]*model.AppScheduledAction { return s.AppScheduledActions }),
		tableOf(model.KindAppActivity, func(s *S) map[string]*model.AppScalingActivity { return s.ScalingActivities }),
		tableOf(model.KindBPAOptions, func(s *S) map[string]*model.VpcBlockPublicAccessOptions { return s.BPAOptions }),
		tableOf(model.KindBPAExclusion, func(s *S) map[model.BPAExclusionID]*model.VpcBlockPublicAccessExclusion { return s.BPAExclusions }),
		tableOf(model.KindNetworkFirewall, func(s *S) map[string]*model.NetworkFirewall { return s.NetworkFirewalls }),
		tableOf(model.KindFirewallRuleGroup, func(s *S) map[string]*model.NetworkFirewallRuleGroup { return s.FirewallRuleGroups }),
		tableOf(model.KindFirewallPolicy, func(s *S) map[string]*model.NetworkFirewallPolicy { return s.FirewallPolicies }),
		tableOf(model.KindEBSDefaults, func(s *S) map[string]*model.EBSEncryptionDefaults { return s.EBSDefaults }),
		tableOf(model.KindDefaultCredits, func(s *S) map[string]*model.DefaultCreditSpecification { return s.DefaultCredits }),
	}
}

// kindTarget is the kind of a target group's target in the store: each
// target is a record of its own (targetRecordID), so that registering or
// deregistering one target saves that target, not its whole group. A
// target group's own record holds no targets.
const kindTarget model.Kind = "target-group-target"

// targetRecordID is the store id of the target with sequence number seq
// (model.TargetList) in a target group: the group's ARN, "|", and seq in 16
// hexadecimal digits, so that the store's order is the registration order.
func targetRecordID(tgARN string, seq uint64) string {
	return fmt.Sprintf("%s|%016x", tgARN, seq)
}

// parseTargetRecordID splits a targetRecordID.
func parseTargetRecordID(id string) (string, uint64, bool) {
	i := strings.LastIndexByte(id, '|')
	if i < 0 || len(id)-i-1 != 16 {
		return "", 0, false
	}
	seq, err := strconv.ParseUint(id[i+1:], 16, 64)
	return id[:i], seq, err == nil && seq > 0
}

// targetGroupTable is the target groups' table: a group's record leaves
// its targets out (they are records of their own). A record from before
// targets were (with its targets inline) still loads; Open then saves its
// targets as records.
func targetGroupTable() table {
	tb := tableOf(model.KindTargetGroup, func(s *model.State) map[string]*model.TargetGroup { return s.TargetGroups })
	get := tb.get
	tb.get = func(st *model.State, id string) any {
		v := get(st, id)
		if v == nil {
			return nil
		}
		c := *v.(*model.TargetGroup)
		c.Targets = model.TargetList{}
		return &c
	}
	return tb
}

// targetTable is the targets' table (kindTarget).
func targetTable() table {
	return table{
		kind: kindTarget,
		get: func(st *model.State, id string) any {
			arn, seq, ok := parseTargetRecordID(id)
			if !ok || st.TargetGroups[arn] == nil {
				return nil
			}
			if x, ok := st.TargetGroups[arn].Targets.Get(seq); ok {
				return &x
			}
			return nil
		},
		restore: func(st *model.State, id string, data []byte) error {
			arn, seq, ok := parseTargetRecordID(id)
			if !ok {
				return fmt.Errorf("malformed target id")
			}
			tg := st.TargetGroups[arn]
			if tg == nil {
				return fmt.Errorf("no target group %s", arn)
			}
			var x model.Target
			if err := json.Unmarshal(data, &x); err != nil {
				return err
			}
			tg.Targets = tg.Targets.Insert(seq, x)
			return nil
		},
		ids: func(st *model.State) []string {
			var out []string
			for arn, tg := range st.TargetGroups {
				for seq := range tg.Targets.Entries() {
					out = append(out, targetRecordID(arn, seq))
				}
			}
			return out
		},
	}
}

// tablesByKind indexes tables() by kind; engines build it once.
func tablesByKind() map[model.Kind]table {
	out := map[model.Kind]table{}
	for _, t := range tables() {
		out[t.kind] = t
	}
	return out
}

// lookup returns the resource of the given kind and id, or nil.
func (e *Engine) lookup(st *model.State, kind model.Kind, id string) any {
	if t, ok := e.tables[kind]; ok {
		return t.get(st, id)
	}
	return nil
}

// Open returns an engine over the state saved in s, which then persists
// every later change.
func Open(s store.Store, opts ...Option) (*Engine, error) {
	e := newEngine(opts...)
	st := model.NewState(e.cfg.Account, e.cfg.Region)
	var inline []string // target groups saved with their targets inline
	err := s.Load(func(kind, id string, data []byte) error {
		t, ok := e.tables[model.Kind(kind)]
		if !ok {
			return fmt.Errorf("load %s %s: unknown record kind", kind, id)
		}
		if err := t.restore(st, id, data); err != nil {
			return fmt.Errorf("load %s %s: %w", kind, id, err)
		}
		if t.kind == model.KindTargetGroup && st.TargetGroups[id].Targets.Len() > 0 {
			inline = append(inline, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	empty := true
	for _, tb := range e.tables {
		empty = empty && len(tb.ids(st)) == 0
	}
	e.st = st
	e.seedManaged()
	e.idx.rebuild(st)
	e.persist = s
	if len(inline) > 0 {
		// Saved before targets were records of their own: save them so.
		err := e.write(func(t *txn) error {
			for _, arn := range inline {
				t.mark(model.KindTargetGroup, arn)
				for seq := range st.TargetGroups[arn].Targets.Entries() {
					t.mark(kindTarget, targetRecordID(arn, seq))
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if empty && e.cfg.DefaultVPC {
		// A region never used before: it starts as a new account's does.
		if err := e.write(func(t *txn) error { _, err := t.createDefaultVpc(); return err }); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// Reset returns the region to a new account's state (POST /moto-api/reset),
// durably: empty, or, with Config.DefaultVPC, holding a new default VPC.
func (e *Engine) Reset() error { return e.reset(e.cfg.DefaultVPC) }

// Clear empties the state, durably, without a default VPC (a scenario is
// about to be built into it).
func (e *Engine) Clear() error { return e.reset(false) }

func (e *Engine) reset(defaultVPC bool) error {
	return e.write(func(t *txn) error {
		old := t.st
		for _, tb := range e.tables {
			for _, id := range tb.ids(old) {
				t.mark(tb.kind, id)
			}
		}
		fresh := model.NewState(old.Account, old.Region)
		e.st, t.st = fresh, fresh
		t.onUndo(func() { e.st = old; e.idx.rebuild(old) })
		e.seedManaged()
		e.idx.rebuild(fresh)
		if defaultVPC {
			if _, err := t.createDefaultVpc(); err != nil {
				return err
			}
		}
		return nil
	})
}
