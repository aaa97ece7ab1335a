package scenario

import (
	"maps"
	"slices"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// codeDeployGroup creates the CodeDeploy application (ECS platform) of a
// CODE_DEPLOY service's codedeploy: entry, unless an earlier entry made
// it, and its blue/green deployment group (BLUE_GREEN,
// WITH_TRAFFIC_CONTROL, the only style of an ECS group): the service,
// the target group pair, and as production listener the listener whose
// default action forwards to the pair's first group. The service role is
// the account's ecsCodeDeployRole [choice: scenarios declare no IAM for
// CodeDeploy].
func (b *builder) codeDeployGroup(cluster, service, controller string, c codeDeploySpec, line int, owner string) error {
	if controller != "CODE_DEPLOY" {
		return b.errf(line, "%s: codedeploy: the service's deployment_controller must be CODE_DEPLOY", owner)
	}
	if c.Application == "" || c.DeploymentGroup == "" || len(c.TargetGroups) != 2 {
		return b.errf(line, "%s: codedeploy: want application, deployment_group and two target_groups", owner)
	}
	var arns []string
	for _, n := range c.TargetGroups {
		arn, err := b.ref("target group", n, line, owner)
		if err != nil {
			return err
		}
		arns = append(arns, arn)
	}
	var listener string
	b.e.Read(func(st *model.State) {
		for _, k := range slices.Sorted(maps.Keys(st.Listeners)) {
			l := st.Listeners[k]
			if slices.ContainsFunc(l.DefaultActions, func(a model.ListenerAction) bool {
				return a.TargetGroupARN == arns[0] || slices.ContainsFunc(a.TargetGroups, func(w model.WeightedTargetGroup) bool { return w.ARN == arns[0] && w.Weight > 0 })
			}) {
				listener = k
				break
			}
		}
	})
	if listener == "" {
		return b.errf(line, "%s: codedeploy: no listener forwards to the target group %s", owner, c.TargetGroups[0])
	}
	var exists bool
	b.e.Read(func(st *model.State) { exists = st.CodeDeployApps[c.Application] != nil })
	if !exists {
		if _, err := b.e.CreateCodeDeployApp(c.Application, "ECS", nil); err != nil {
			return b.fail(line, owner, err)
		}
	}
	wait := c.TerminationWait
	cfg := b.e.Config()
	if _, err := b.e.CreateCodeDeployGroup(engine.CodeDeployGroupInput{App: c.Application, Name: c.DeploymentGroup,
		ServiceRoleARN: "arn:" + model.Partition(cfg.Region) + ":iam::" + cfg.Account + ":role/ecsCodeDeployRole", DeploymentType: "BLUE_GREEN", Option: "WITH_TRAFFIC_CONTROL",
		ECSServices:       []model.CodeDeployECSService{{Cluster: cluster, Service: service}},
		TargetGroupPairs:  []model.CodeDeployTargetGroupPair{{TargetGroups: slices.Clone(c.TargetGroups), ProdListeners: []string{listener}}},
		LoadBalancerGiven: true, TerminationWaitMinutes: &wait}); err != nil {
		return b.fail(line, owner, err)
	}
	return nil
}
