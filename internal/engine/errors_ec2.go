package engine

import (
	"fmt"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// EC2 errors, with AWS's codes and messages. Sources for each are in
// docs/aws-behavior.md ("EC2 errors").

func errInvalidParameterValue(format string, args ...any) error {
	return apierr.Newf("InvalidParameterValue", format, args...)
}

func errMissingParameter(name string) error {
	return apierr.Newf("MissingParameter", "The request must contain the parameter %s", name)
}

func errBadCIDR(param, cidr string) error {
	return errInvalidParameterValue("Value (%s) for parameter %s is invalid. This is not a valid CIDR block.", cidr, param)
}

func errVpcNotFound(id model.VpcID) error {
	return apierr.Newf("InvalidVpcID.NotFound", "The vpc ID '%s' does not exist", id)
}

func errSubnetNotFound(id model.SubnetID) error {
	return apierr.Newf("InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist", id)
}

func errRouteTableNotFound(id model.RouteTableID) error {
	return apierr.Newf("InvalidRouteTableID.NotFound", "The routeTable ID '%s' does not exist", id)
}

func errIGWNotFound(id model.InternetGatewayID) error {
	return apierr.Newf("InvalidInternetGatewayID.NotFound", "The internetGateway ID '%s' does not exist", id)
}

func errNatNotFound(id model.NatGatewayID) error {
	return apierr.Newf("NatGatewayNotFound", "NAT gateway %s was not found", id)
}

func errAllocationNotFound(id model.AllocationID) error {
	return apierr.Newf("InvalidAllocationID.NotFound", "The allocation ID '%s' does not exist", id)
}

func errAssociationNotFound(id string) error {
	return apierr.Newf("InvalidAssociationID.NotFound", "The association ID '%s' does not exist", id)
}

func errGroupNotFound(id string) error {
	return apierr.Newf("InvalidGroup.NotFound", "The security group '%s' does not exist", id)
}

func errGroupNotFoundInVpc(id string, vpc model.VpcID) error {
	return apierr.Newf("InvalidGroup.NotFound", "The security group '%s' does not exist in VPC '%s'", id, vpc)
}

func errACLNotFound(id model.NetworkACLID) error {
	return apierr.Newf("InvalidNetworkAclID.NotFound", "The networkAcl ID '%s' does not exist", id)
}

func errENINotFound(id model.NetworkInterfaceID) error {
	return apierr.Newf("InvalidNetworkInterfaceID.NotFound", "The networkInterface ID '%s' does not exist", id)
}

func errInstanceNotFound(id model.InstanceID) error {
	return apierr.Newf("InvalidInstanceID.NotFound", "The instance ID '%s' does not exist", id)
}

func errInstancesNotFound(ids []string) error {
	if len(ids) == 1 {
		return apierr.Newf("InvalidInstanceID.NotFound", "The instance ID '%s' does not exist", ids[0])
	}
	return apierr.Newf("InvalidInstanceID.NotFound", "The instance IDs '%s' do not exist", strings.Join(ids, ", "))
}

func errEndpointNotFound(id model.VpcEndpointID) error {
	return apierr.Newf("InvalidVpcEndpointId.NotFound", "The Vpc Endpoint Id '%s' does not exist", id)
}

func errLaunchTemplateIDNotFound(id model.LaunchTemplateID) error {
	return apierr.Newf("InvalidLaunchTemplateId.NotFound", "The specified launch template, with template ID %s, does not exist.", id)
}

func errLaunchTemplateNameNotFound(name string) error {
	return apierr.Newf("InvalidLaunchTemplateName.NotFoundException", "The specified launch template, with template name %s, does not exist.", name)
}

func errDependency(kind, id string) error {
	return apierr.Newf("DependencyViolation", "The %s '%s' has dependencies and cannot be deleted.", kind, id)
}

func errMalformed(code, kind, id string) error {
	return apierr.Newf(code, "Invalid id: \"%s\" (expecting \"%s-...\")", id, kind)
}

// checkID rejects an id that does not have the resource's prefix, as EC2
// does with its *.Malformed codes.
func checkID(id, prefix, code string) error {
	if !strings.HasPrefix(id, prefix+"-") || len(id) <= len(prefix)+1 {
		return errMalformed(code, prefix, id)
	}
	return nil
}

// resourceIDForm reports whether id is prefix-… with the 8 or 17 lowercase
// hexadecimal digits of EC2's short and long resource ids.
func resourceIDForm(id, prefix string) bool {
	rest, ok := strings.CutPrefix(id, prefix+"-")
	if !ok || len(rest) != 8 && len(rest) != 17 {
		return false
	}
	for _, c := range rest {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func errOperationNotPermitted(format string, args ...any) error {
	return apierr.Newf("OperationNotPermitted", format, args...)
}

func ruleText(r model.SecurityGroupRule) string {
	peer := r.CIDR.String()
	if r.Group != "" {
		peer = string(r.Group)
	} else if r.PrefixList != "" {
		peer = string(r.PrefixList)
	}
	proto := strings.ToUpper(r.Protocol.String())
	if r.Protocol == model.AllProtocols {
		proto = "ALL"
	}
	if r.Protocol.HasPorts() {
		return fmt.Sprintf("peer: %s, %s, from port: %d, to port: %d, ALLOW", peer, proto, r.Ports.First, r.Ports.Last)
	}
	return fmt.Sprintf("peer: %s, %s, ALLOW", peer, proto)
}
