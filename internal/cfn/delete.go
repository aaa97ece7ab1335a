package cfn

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// keyRef is the key under which a resource keeps what Ref returns when
// that is not its physical id (a security group declared without VpcId:
// its name).
const keyRef = "Ref"

// keep records an id that deleting the resource needs beyond its physical
// id (DeleteResources).
func (c *rctx) keep(k, v string) {
	if c.r.keys == nil {
		c.r.keys = map[string]string{}
	}
	c.r.keys[k] = v
}

// DeleteResources deletes created resources in reverse order, as
// CloudFormation deletes a stack (and rolls back a failed one): services
// and Auto Scaling groups are deleted with force and the engine runs to a
// steady state before the network under them goes, so their tasks,
// instances and interfaces are gone first. A resource that no longer
// exists counts as deleted. Every failure is reported (joined), and the
// deletion goes on past it, as CloudFormation's DELETE_FAILED leaves the
// rest deleted. It can be called again with the same list (an emulator
// whose tasks stop on a real clock retries until it returns nil): what is
// already gone is skipped.
func DeleteResources(e *engine.Engine, created []Resource) error {
	return DeleteResourcesWith(e, e, created)
}

// DeleteResourcesWith is DeleteResources for a deploy whose IAM resources
// are in iam (DeployOptions.IAM; nil: e).
func DeleteResourcesWith(e, iam *engine.Engine, created []Resource) error {
	if iam == nil {
		iam = e
	}
	var errs []error
	var deletedServices []string // ARNs
	var deletedTaskSets []string // ids
	drained := false
	for i := len(created) - 1; i >= 0; i-- {
		r := created[i]
		if !drained && !computeType(r.Type) {
			// The network under the compute: let tasks stop and instances
			// terminate first.
			if err := convergeDeleted(e, deletedServices, deletedTaskSets); err != nil {
				errs = append(errs, err)
			}
			drained = true
		}
		if computeType(r.Type) {
			drained = false
		}
		var err error
		if iamType(r.Type) {
			err = deleteIAM(iam, r)
		} else if r.Type == typeBucket || r.Type == typeBucketPolicy {
			err = deleteS3(iam, r)
		} else {
			err = deleteOne(e, r)
		}
		var ae *apierr.Error
		if errors.As(err, &ae) && strings.Contains(ae.Code, "NotFound") {
			err = nil
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s (%s) %s: %w", r.LogicalID, r.Type, r.PhysicalID, err))
		} else if r.Type == typeService {
			deletedServices = append(deletedServices, r.PhysicalID)
		} else if r.Type == typeTaskSet {
			deletedTaskSets = append(deletedTaskSets, r.Keys["Id"])
		}
	}
	if err := convergeDeleted(e, deletedServices, deletedTaskSets); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// convergeDeleted runs the engine to its steady state with the targets
// of the ECS services and task sets this deletion deleted (services by
// ARN, task sets by id) drained at once (CloudFormation waits for a
// deleted service to be INACTIVE and a deleted task set to be gone:
// engine.EndDeletedServicesDraining, EndDeletedTaskSetsDraining).
func convergeDeleted(e *engine.Engine, services, taskSets []string) error {
	for range 10 {
		if err := e.Converge(); err != nil {
			return err
		}
		if len(services) == 0 && len(taskSets) == 0 {
			return nil
		}
		ended, err := e.EndDeletedServicesDraining(services)
		if err != nil {
			return err
		}
		endedSets, err := e.EndDeletedTaskSetsDraining(taskSets)
		if err != nil || !ended && !endedSets {
			return err
		}
	}
	return e.Converge()
}

// computeType reports whether deleting a resource of type t leaves work
// for the engine (tasks to stop, instances to terminate).
func computeType(t string) bool {
	switch t {
	case typeService, typeASG, typeInstance, typeExpressService, typeTaskSet:
		return true
	}
	return false
}

func deleteOne(e *engine.Engine, r Resource) error {
	if ok, err := deleteTGW(e, r); ok {
		return err
	}
	if ok, err := deleteVPN(e, r); ok {
		return err
	}
	id := r.PhysicalID
	switch r.Type {
	case typeVPC:
		return e.DeleteVpc(model.VpcID(id))
	case typeSubnet:
		return e.DeleteSubnet(model.SubnetID(id))
	case typeIGW:
		return e.DeleteInternetGateway(model.InternetGatewayID(id))
	case typeGatewayAttachment:
		return e.DetachInternetGateway(model.InternetGatewayID(r.Keys["InternetGatewayId"]), model.VpcID(r.Keys["VpcId"]))
	case typeRouteTable:
		return e.DeleteRouteTable(model.RouteTableID(id))
	case typeRoute:
		rt, dest, _ := strings.Cut(id, "|")
		in := engine.RouteInput{RouteTableID: model.RouteTableID(rt)}
		switch {
		case strings.HasPrefix(dest, "pl-"):
			in.DestinationPrefixList = model.PrefixListID(dest)
		case strings.Contains(dest, ":"):
			in.DestinationIPv6CIDR = dest
		default:
			in.DestinationCIDR = dest
		}
		return e.DeleteRoute(in)
	case typeEgressOnlyIGW:
		return e.DeleteEgressOnlyInternetGateway(model.EgressOnlyIGWID(id))
	case typeBPAExclusion:
		_, err := e.DeleteVpcBlockPublicAccessExclusion(model.BPAExclusionID(id))
		return err
	case typeENIPermission:
		// Force, as CloudFormation removes the permission whatever the
		// interface is attached to ([choice]).
		return e.DeleteNetworkInterfacePermission(id, true)
	case typeBPAOptions:
		// Deleting the options resource turns Block Public Access off
		// ([choice]).
		_, err := e.ModifyVpcBlockPublicAccessOptions(model.BPAOff)
		return err
	case typeDHCPOptions:
		return e.DeleteDhcpOptions(model.DhcpOptionsID(id))
	case typeSpotFleet, typeEC2Fleet:
		return deleteFleet(e, r.Type, id)
	case typeScalingPolicy:
		return e.DeletePolicy(r.Keys["AutoScalingGroupName"], r.Keys["PolicyName"])
	case typeLifecycleHook:
		return deleteLifecycleHook(e, r)
	case typeDHCPAssociation:
		return e.AssociateDhcpOptions("default", model.VpcID(r.Keys["VpcId"]))
	case typeVPCPeering:
		return e.DeleteVpcPeeringConnection(model.VpcPeeringConnectionID(id))
	case typeENI:
		return e.DeleteNetworkInterface(model.NetworkInterfaceID(id))
	case typeFlowLog:
		return deleteFlowLog(e, id)
	case typeEndpointService:
		return deleteEndpointService(e, id)
	case typeEndpointServicePermissions:
		return deleteEndpointServicePermissions(e, r)
	case typeVPCCidrBlock:
		_, _, err := e.DisassociateVpcCidrBlock(id)
		return err
	case typeSubnetCidrBlock:
		_, _, err := e.DisassociateSubnetIPv6(id)
		return err
	case typeRTAssociation:
		return e.DisassociateRouteTable(model.RouteTableAssocID(id))
	case typeNatGateway:
		return e.DeleteNatGateway(model.NatGatewayID(id))
	case typeEIP:
		alloc := model.AllocationID(r.Keys["AllocationId"])
		var assoc model.EIPAssociationID
		e.Read(func(st *model.State) {
			if a := st.Addresses[alloc]; a != nil {
				assoc = a.AssociationID
			}
		})
		if assoc != "" {
			if err := e.DisassociateAddress(assoc); err != nil {
				return err
			}
		}
		return e.ReleaseAddress(alloc)
	case typeEIPAssociation:
		return e.DisassociateAddress(model.EIPAssociationID(id))
	case typeSecurityGroup:
		return e.DeleteSecurityGroup(model.SecurityGroupID(id))
	case typeSGIngress, typeSGEgress:
		_, err := e.RevokeSecurityGroup(model.SecurityGroupID(r.Keys["GroupId"]), r.Type == typeSGEgress, nil,
			[]model.SecurityGroupRuleID{model.SecurityGroupRuleID(id)})
		return err
	case typeRestrictDefaultSG:
		return deleteRestrictDefaultSG(e, r)
	case typeNetworkACL:
		return e.DeleteNetworkACL(model.NetworkACLID(id))
	case typeNetworkACLEntry:
		parts := strings.Split(id, "|")
		if len(parts) != 3 {
			return fmt.Errorf("unexpected physical id %q", id)
		}
		n, err := strconv.Atoi(parts[2])
		if err != nil {
			return err
		}
		return e.DeleteNetworkACLEntry(model.NetworkACLID(parts[0]), n, parts[1] == "egress")
	case typeACLAssociation:
		// The subnet goes back to its VPC's default network ACL.
		var def model.NetworkACLID
		e.Read(func(st *model.State) {
			for _, acl := range st.NetworkACLs {
				for _, a := range acl.Associations {
					if string(a.ID) == id {
						for _, d := range st.NetworkACLs {
							if d.IsDefault && d.VpcID == acl.VpcID {
								def = d.ID
							}
						}
					}
				}
			}
		})
		if def == "" {
			return nil // the association (or its subnet) is gone
		}
		_, err := e.ReplaceNetworkACLAssociation(model.NetworkACLAssocID(id), def)
		return err
	case typeLaunchTemplate:
		_, err := e.DeleteLaunchTemplate(model.LaunchTemplateRef{ID: model.LaunchTemplateID(id)})
		return err
	case typeInstance:
		_, err := e.TerminateInstances([]model.InstanceID{model.InstanceID(id)})
		return err
	case typeVPCEndpoint:
		failed, err := e.DeleteVpcEndpoints([]model.VpcEndpointID{model.VpcEndpointID(id)})
		if err == nil && len(failed) > 0 {
			err = fmt.Errorf("%v", failed[0])
		}
		return err
	case typeASG:
		return e.DeleteAutoScalingGroup(id, true)
	case typeLaunchConfig:
		return e.DeleteLaunchConfiguration(id)
	case typeCluster:
		_, err := e.DeleteCluster(id)
		return err
	case typeTaskDefinition:
		_, err := e.DeregisterTaskDefinition(id)
		return err
	case typeService:
		_, err := e.DeleteService(r.Keys["Cluster"], id, true)
		return err
	case typeClusterCPAssoc:
		_, err := e.PutClusterCapacityProviders(id, []string{}, nil)
		return err
	case typeTaskSet:
		return deleteTaskSet(e, r)
	case typePrimaryTaskSet:
		return nil
	case typeDaemon:
		return deleteDaemon(e, id)
	case typeDaemonTaskDefinition:
		return deleteDaemonTaskDefinition(e, id)
	case typeExpressService:
		_, err := e.DeleteExpressGatewayService(id)
		if err != nil && strings.Contains(err.Error(), "ServiceNotActive") {
			return nil // deleted already
		}
		return err
	case typeCapacityProvider:
		_, err := e.DeleteCapacityProvider(id)
		if err != nil && strings.Contains(err.Error(), "capacity provider does not exist") {
			return nil // deleted already
		}
		return err
	case typeLoadBalancer:
		return e.DeleteLoadBalancer(id)
	case typeClassicLB:
		return e.DeleteClassicLoadBalancer(id)
	case typeListener:
		return e.DeleteListener(id)
	case typeListenerRule:
		return e.DeleteRule(id)
	case typeListenerCertificate:
		return deleteListenerCertificate(e, r)
	case typeTargetGroup:
		return e.DeleteTargetGroup(id)
	case typePrivateDNSNamespace, typePublicDNSNamespace, typeHTTPNamespace:
		_, err := e.DeleteNamespace(id)
		return err
	case typeHostedZone:
		return e.DeleteHostedZone(id)
	case typeRecordSet, typeRecordSetGroup:
		return deleteRecords(e, r.Keys)
	case typeHealthCheck:
		err := e.DeleteHealthCheck(id)
		if apierr.HasCode(err, "NoSuchHealthCheck") {
			return nil // deleted outside the stack
		}
		return err
	case typeDiscoveryService:
		return e.DeleteDiscoveryService(id)
	case typeDiscoveryInstance:
		_, err := e.DeregisterInstance(r.Keys["ServiceId"], id)
		return err
	case typeLogGroup:
		return e.DeleteLogGroup(id)
	case typeEventRule:
		return deleteEventRule(e, id)
	case typeEventBus:
		return e.DeleteEventBus(id)
	case typeCodeDeployApp:
		return e.DeleteCodeDeployApp(id)
	case typeCodeDeployGroup:
		return deleteCodeDeployGroup(e, r, id)
	case typeCodeDeployConfig:
		return e.DeleteCodeDeployConfig(id)
	case typeAlarm, typeSecret, typeKMSKey, typeKMSAlias, typeSecretPolicy, typeCompositeAlarm:
		return deleteMonitoring(e, r, id)
	case typeFileSystem, typeMountTarget, typeAccessPoint:
		return deleteEFS(e, r.Type, id)
	case typeACMCertificate:
		return deleteACMCertificate(e, id, r.Keys)
	case typeLambdaFunction:
		return deleteLambdaFunction(e, id)
	case typeNFFirewall:
		// The firewall and its endpoints (their interfaces would keep the
		// subnets).
		_, err := e.DeleteNetworkFirewall(engine.NFRef{ARN: id})
		if apierr.HasCode(err, "ResourceNotFoundException") {
			return nil // deleted outside the stack
		}
		return err
	case typeNFFirewallPolicy:
		// DeleteFirewallPolicy: refused while a firewall uses it (the
		// stack's firewalls are deleted before, as they depend on it).
		_, err := e.DeleteFirewallPolicy(engine.NFRef{ARN: id})
		if apierr.HasCode(err, "ResourceNotFoundException") {
			return nil // deleted outside the stack, or a stack of before the API held it
		}
		return err
	case typeNFRuleGroup:
		_, err := e.DeleteFirewallRuleGroup(engine.NFRef{ARN: id})
		if apierr.HasCode(err, "ResourceNotFoundException") {
			return nil
		}
		return err
	case typeLambdaPermission, typeLambdaVersion, typeLambdaAlias:
		return deleteLambdaRef(e, r, id)
	case typeRepository:
		_, err := e.DeleteRepository("", id, r.Keys["EmptyOnDelete"] == "true")
		if apierr.HasCode(err, "RepositoryNotFoundException") {
			return nil // deleted outside the stack
		}
		return err
	case typeScalableTarget:
		if t := strings.Split(id, "|"); len(t) == 3 {
			return e.DeregisterScalableTarget(t[2], t[0], t[1])
		}
	case typeAppScalingPolicy:
		return e.DeleteAppScalingPolicy(r.Keys["ServiceNamespace"], r.Keys["ResourceId"], r.Keys["ScalableDimension"], r.Keys["PolicyName"])
	case typeLogStream:
		return e.DeleteLogStream(r.Keys["LogGroupName"], id)
	case typeKeyPair:
		return deleteKeyPair(e, id, r.Keys["Parameter"])
	case typePlacementGroup:
		err := e.DeletePlacementGroup(id)
		if err != nil && strings.Contains(err.Error(), "InvalidPlacementGroup.Unknown") {
			return nil // deleted outside the stack
		}
		return err
	case typePrefixList:
		_, err := e.DeleteManagedPrefixList(model.PrefixListID(id))
		return err
	case typeSSMParameter:
		_, _, err := e.DeleteParameters([]string{id})
		return err
	}
	return nil // nested stacks (their resources are listed)
}
