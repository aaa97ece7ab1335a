package cfn

import (
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// typeRestrictDefaultSG is the custom resource the CDK adds to every VPC
// it synthesizes while the feature flag
// @aws-cdk/aws-ec2:restrictDefaultSecurityGroup is on (the default of new
// projects since v2.78): its function, code the CDK ships
// (custom-resource-handlers/lib/aws-ec2/restrict-default-security-group-handler),
// removes the default security group's two rules when it is created and
// puts them back when it is deleted. ecsnet does that itself, from the
// type's name [choice]: the function's code is an asset it cannot run.
const typeRestrictDefaultSG = "Custom::VpcRestrictDefaultSG"

// defaultGroupRules are the two rules AWS gives a VPC's default security
// group, as the CDK's handler names them to revoke and authorize: all
// traffic from the group itself in, all traffic to 0.0.0.0/0 out.
func defaultGroupRules(group string) (ingress, egress engine.IPPermission) {
	ingress = engine.IPPermission{Protocol: "-1", Groups: []engine.RuleSource{{Value: group}}}
	egress = engine.IPPermission{Protocol: "-1", CIDRs: []engine.RuleSource{{Value: "0.0.0.0/0"}}}
	return ingress, egress
}

// Custom::VpcRestrictDefaultSG. Ref: the request id the CDK's entry point
// answers as the physical id (a UUID). A rule already gone is no error
// (the handler ignores InvalidPermission.NotFound); a group that does not
// exist fails the resource, as the handler's EC2 call fails.
func createRestrictDefaultSG(c *rctx) error {
	group, err := c.p.req("DefaultSecurityGroupId")
	if err != nil {
		return err
	}
	if _, err := c.p.str("ServiceToken"); err != nil {
		return err
	}
	ingress, egress := defaultGroupRules(group)
	id := model.SecurityGroupID(group)
	if _, err := c.e().RevokeSecurityGroup(id, true, []engine.IPPermission{egress}, nil); err != nil && !apierr.HasCode(err, "InvalidPermission.NotFound") {
		return c.p.at("DefaultSecurityGroupId", err)
	}
	if _, err := c.e().RevokeSecurityGroup(id, false, []engine.IPPermission{ingress}, nil); err != nil && !apierr.HasCode(err, "InvalidPermission.NotFound") {
		return c.p.at("DefaultSecurityGroupId", err)
	}
	c.setRef(uuidFrom(c.s.l.names))
	c.keep("DefaultSecurityGroupId", group)
	return nil
}

// deleteRestrictDefaultSG puts the default group's two rules back, as the
// handler does on Delete (a rule already there fails it, as
// AuthorizeSecurityGroupIngress does; a group already gone counts as
// deleted).
func deleteRestrictDefaultSG(e *engine.Engine, r Resource) error {
	group := r.Keys["DefaultSecurityGroupId"]
	if group == "" {
		return nil
	}
	ingress, egress := defaultGroupRules(group)
	id := model.SecurityGroupID(group)
	if _, err := e.AuthorizeSecurityGroup(id, false, []engine.IPPermission{ingress}); err != nil {
		if apierr.HasCode(err, "InvalidGroup.NotFound") {
			return nil
		}
		return err
	}
	_, err := e.AuthorizeSecurityGroup(id, true, []engine.IPPermission{egress})
	return err
}

// updateRestrictDefaultSG is the handler's Update: CloudFormation sends
// every property change of a custom resource to its function in place,
// and the CDK's function acts only when DefaultSecurityGroupId changed
// (the VPC replaced): the old group's rules are put back and the new
// group's revoked. Any other change does nothing.
func updateRestrictDefaultSG(c *rctx, old obj, _ []string) error {
	was, err := old.str("DefaultSecurityGroupId")
	if err != nil {
		return err
	}
	now, err := c.p.req("DefaultSecurityGroupId")
	if err != nil {
		return err
	}
	if was == now {
		return nil
	}
	if err := deleteRestrictDefaultSG(c.e(), Resource{Keys: map[string]string{"DefaultSecurityGroupId": was}}); err != nil {
		return c.p.at("DefaultSecurityGroupId", err)
	}
	ingress, egress := defaultGroupRules(now)
	id := model.SecurityGroupID(now)
	for _, r := range []struct {
		egress bool
		perm   engine.IPPermission
	}{{true, egress}, {false, ingress}} {
		if _, err := c.e().RevokeSecurityGroup(id, r.egress, []engine.IPPermission{r.perm}, nil); err != nil && !apierr.HasCode(err, "InvalidPermission.NotFound") {
			return c.p.at("DefaultSecurityGroupId", err)
		}
	}
	c.keep("DefaultSecurityGroupId", now)
	return nil
}
