package reach

import "github.com/ecsnet/ecsnet/internal/model"

// SignalCheck decides whether an instance's cfn-signal reaches AWS
// CloudFormation: the helper script's SignalResource request to
// cloudformation.<region>.amazonaws.com on 443, through an interface
// endpoint for CloudFormation with private DNS in the instance's VPC,
// else through its primary ENI's routes (a public IP and an internet
// gateway, or a NAT gateway), security groups and network ACLs, as the
// ECS agent's own requests are checked (RegisterCheck). It returns "" when
// the request gets through, else why not; CloudFormation then never gets
// the signal and fails the resource when its CreationPolicy's Timeout runs
// out. cfn-signal needs no credentials (AWS CloudFormation Template
// Reference, "cfn-signal"), only the way to CloudFormation's endpoint: the
// internet, or an interface VPC endpoint for CloudFormation (AWS
// CloudFormation User Guide, "Access CloudFormation using an interface
// endpoint"). It only reads st.
func SignalCheck(st *model.State, inst *model.Instance) string {
	if inst == nil {
		return ""
	}
	n := startNetwork(st)
	src := n.eni(inst.PrimaryENI)
	if src == nil || src.subnet == nil {
		return ""
	}
	c := pullCheck{n: n, src: src}
	v, addr, why := c.reach("cloudformation")
	if v == Connected {
		return ""
	}
	if why == "" {
		why = "the request to " + serviceHost("cloudformation", st.Region) + " (" + addr.String() + ") gets " + string(v)
	}
	return why
}
