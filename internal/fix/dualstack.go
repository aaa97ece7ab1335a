package fix

import (
	"fmt"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// dualStackSetting: a service's awsvpc task in a subnet with an IPv6
// block has no IPv6 address because the dualStackIPv6 account setting
// was off, for the principal that started it (the service's creator),
// when it started (reach.CodeNoIPv6Address). The setting on, a new
// deployment's tasks get one: ECS reads it when a task starts (ECS
// developer guide, "Access Amazon ECS features through account
// settings", dualStackIPv6; "Amazon ECS task networking options for the
// EC2 launch type", dual-stack mode). The account default is turned on,
// or the creator's own setting when that is what turned it off. The probe
// is verified from or to the service, whose new task replaces the one
// named.
func (f *finder) dualStackSetting(x reach.Explanation) []Fix {
	if x.NetworkInterface == nil {
		return nil
	}
	n := f.st.NetworkInterfaces[model.NetworkInterfaceID(x.NetworkInterface.ID)]
	if n == nil || n.OwnerKind != model.OwnedByECSTask {
		return nil
	}
	if s := f.st.Subnets[n.SubnetID]; s == nil || len(s.IPv6) == 0 {
		return nil
	}
	tk := f.st.Tasks[n.ManagedBy]
	svc := f.serviceOf(tk)
	if svc == nil || engine.AccountSetting(f.st, "dualStackIPv6", svc.CreatedBy) == "enabled" {
		return nil
	}
	principal := ""
	cmd := "aws ecs put-account-setting-default --name dualStackIPv6 --value enabled"
	if f.st.AccountSettings["dualStackIPv6|"+svc.CreatedBy] != nil {
		principal = svc.CreatedBy
		cmd = "aws ecs put-account-setting --name dualStackIPv6 --value enabled --principal-arn " + principal
	}
	cluster := clusterName(svc.ClusterARN)
	name := svc.Name
	v := Verification{From: f.from, To: f.to, Protocol: f.proto}
	switch tk.ARN {
	case f.q.From.ARN:
		v.From = name
	case f.q.To.ARN:
		v.To = name + portSuffix(f.to)
	}
	return []Fix{{
		score: 30, Kind: "ecs",
		Title: fmt.Sprintf("Turn the dualStackIPv6 account setting on and redeploy the service %s, so its tasks get IPv6 addresses", name),
		Detail: "ECS gives an awsvpc task an IPv6 address in a subnet with an IPv6 block only when dualStackIPv6 is enabled, for the principal that starts it (a service's creator), " +
			"at the time it starts: running tasks keep what they had, so the service needs a new deployment.",
		Commands: []string{cmd, fmt.Sprintf("aws ecs update-service --cluster %s --service %s --force-new-deployment", cluster, name)},
		Scenario: "settings:\n  dualStackIPv6: enabled\n",
		apply: func(e *engine.Engine) error {
			if _, err := e.PutAccountSetting("dualStackIPv6", "enabled", principal); err != nil {
				return err
			}
			_, err := e.UpdateService(engine.UpdateServiceInput{Cluster: cluster, Service: name, ForceNewDeployment: true})
			return err
		},
		Verification: v,
		sameRequest:  true,
	}}
}

// portSuffix is ":PORT" of a probe's destination that has one, else "".
func portSuffix(to string) string {
	for i := len(to) - 1; i >= 0; i-- {
		switch to[i] {
		case ':':
			return to[i:]
		case ']', '/':
			return ""
		}
	}
	return ""
}
