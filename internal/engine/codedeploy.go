package engine

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS CodeDeploy: applications, deployment groups and the ECS blue/green
// deployments of the ECS compute platform. A deployment creates the
// replacement task set, points the test and production listeners at the
// target group of the pair the production listener did not forward to,
// makes the replacement task set primary and drains the original one after
// the group's termination wait (codedeploy/latest/userguide/deployment-steps-ecs.html).

var codeDeployNameRE = regexp.MustCompile(`^[A-Za-z0-9_.+\-@]{1,100}$`)

// CodeDeployConfig is a deployment configuration (model.CodeDeployConfig).
type CodeDeployConfig = model.CodeDeployConfig

func errCodeDeploy(code, format string, args ...any) error {
	return apierr.Newf(code, format, args...)
}

func errNoApplication(name string) error {
	return errCodeDeploy("ApplicationDoesNotExistException", "No application found for name: %s", name)
}

// CodeDeployAppARN and CodeDeployGroupARN are the resources' ARNs.
func (e *Engine) CodeDeployAppARN(name string) string {
	return e.cfg.arn("codedeploy", "application:"+name)
}

// CodeDeployGroupARN is a deployment group's ARN.
func (e *Engine) CodeDeployGroupARN(app, name string) string {
	return e.cfg.arn("codedeploy", "deploymentgroup:"+app+"/"+name)
}

func checkCodeDeployName(kind, name string) error {
	if name == "" {
		return errCodeDeploy(kind+"NameRequiredException", "%s name is required", strings.ToLower(kind[:1])+kind[1:]) // probable
	}
	if !codeDeployNameRE.MatchString(name) {
		return errCodeDeploy("Invalid"+kind+"NameException", "%s name is invalid: %s", kind, name) // probable
	}
	return nil
}

// CreateCodeDeployApp creates an application (compute platform Server
// unless given).
func (e *Engine) CreateCodeDeployApp(name, platform string, tags model.Tags) (*model.CodeDeployApp, error) {
	var out *model.CodeDeployApp
	err := e.write(func(t *txn) error {
		if err := checkCodeDeployName("Application", name); err != nil {
			return err
		}
		switch platform {
		case "":
			platform = "Server"
		case "Server", "Lambda", "ECS":
		default:
			return errCodeDeploy("InvalidComputePlatformException", "Compute platform is invalid: %s", platform) // probable
		}
		if t.st.CodeDeployApps[name] != nil {
			return errCodeDeploy("ApplicationAlreadyExistsException", "%s already exists in your account", name)
		}
		out = &model.CodeDeployApp{ID: t.uuid(), Name: name, ComputePlatform: platform, Created: t.now, Tags: tags.Clone()}
		put(t, model.KindCodeDeployApp, t.st.CodeDeployApps, name, out)
		return nil
	})
	return out, err
}

// RenameCodeDeployApp changes an application's name (UpdateApplication);
// its groups and deployments follow.
func (e *Engine) RenameCodeDeployApp(name, newName string) error {
	return e.write(func(t *txn) error {
		a := t.st.CodeDeployApps[name]
		if a == nil {
			return errNoApplication(name)
		}
		if newName == "" || newName == name {
			return nil
		}
		if err := checkCodeDeployName("Application", newName); err != nil {
			return err
		}
		if t.st.CodeDeployApps[newName] != nil {
			return errCodeDeploy("ApplicationAlreadyExistsException", "%s already exists in your account", newName)
		}
		na := *a
		na.Name = newName
		del(t, model.KindCodeDeployApp, t.st.CodeDeployApps, name)
		put(t, model.KindCodeDeployApp, t.st.CodeDeployApps, newName, &na)
		for _, k := range sortedKeys(t.st.CodeDeployGroups) {
			if g := t.st.CodeDeployGroups[k]; g.App == name {
				ng := *g
				ng.App, ng.ARN = newName, t.e.CodeDeployGroupARN(newName, g.Name)
				del(t, model.KindCodeDeployGroup, t.st.CodeDeployGroups, k)
				put(t, model.KindCodeDeployGroup, t.st.CodeDeployGroups, model.CodeDeployGroupKey(newName, g.Name), &ng)
			}
		}
		for _, k := range sortedKeys(t.st.CodeDeployments) {
			if d := t.st.CodeDeployments[k]; d.App == name {
				nd := *d
				nd.App = newName
				put(t, model.KindCodeDeployment, t.st.CodeDeployments, k, &nd)
			}
		}
		return nil
	})
}

// DeleteCodeDeployApp deletes an application and its deployment groups;
// deleting one that does not exist succeeds.
func (e *Engine) DeleteCodeDeployApp(name string) error {
	return e.write(func(t *txn) error {
		if t.st.CodeDeployApps[name] == nil {
			return nil
		}
		for _, k := range sortedKeys(t.st.CodeDeployGroups) {
			if t.st.CodeDeployGroups[k].App == name {
				del(t, model.KindCodeDeployGroup, t.st.CodeDeployGroups, k)
			}
		}
		del(t, model.KindCodeDeployApp, t.st.CodeDeployApps, name)
		return nil
	})
}

// CodeDeployGroupInput is CreateDeploymentGroup's and
// UpdateDeploymentGroup's input. In an update, nil or empty members stay
// as they are.
type CodeDeployGroupInput struct {
	App, Name, NewName     string
	ConfigName             string
	ServiceRoleARN         string
	DeploymentType, Option string
	ECSServices            []model.CodeDeployECSService
	TargetGroupPairs       []model.CodeDeployTargetGroupPair
	// LoadBalancerGiven reports loadBalancerInfo in the request.
	LoadBalancerGiven      bool
	TerminationWaitMinutes *int
	Config                 map[string]any
	TerminationHook        *bool
	Tags                   model.Tags
	// RoleKnown reports whether the service role is an IAM role of the
	// account (IAM lives in the global region's state).
	RoleKnown func(arn string) bool
}

// CreateCodeDeployGroup creates a deployment group.
func (e *Engine) CreateCodeDeployGroup(in CodeDeployGroupInput) (*model.CodeDeployGroup, error) {
	var out *model.CodeDeployGroup
	err := e.write(func(t *txn) error {
		a := t.st.CodeDeployApps[in.App]
		if in.App == "" {
			return errCodeDeploy("ApplicationNameRequiredException", "Application name is required") // probable
		}
		if a == nil {
			return errNoApplication(in.App)
		}
		if err := checkCodeDeployName("DeploymentGroup", in.Name); err != nil {
			return err
		}
		if t.st.CodeDeployGroups[model.CodeDeployGroupKey(in.App, in.Name)] != nil {
			return errCodeDeploy("DeploymentGroupAlreadyExistsException", "Deployment Group already exists with name %s", in.Name) // probable
		}
		g := &model.CodeDeployGroup{ID: t.uuid(), Name: in.Name, App: in.App, ARN: t.e.CodeDeployGroupARN(in.App, in.Name),
			Created: t.now, Tags: in.Tags.Clone(), Config: in.Config}
		if err := t.setCodeDeployGroup(a, g, in); err != nil {
			return err
		}
		put(t, model.KindCodeDeployGroup, t.st.CodeDeployGroups, model.CodeDeployGroupKey(g.App, g.Name), g)
		out = g
		return nil
	})
	return out, err
}

// UpdateCodeDeployGroup changes a deployment group (and renames it with
// NewName).
func (e *Engine) UpdateCodeDeployGroup(in CodeDeployGroupInput) (*model.CodeDeployGroup, error) {
	var out *model.CodeDeployGroup
	err := e.write(func(t *txn) error {
		a := t.st.CodeDeployApps[in.App]
		if a == nil {
			return errNoApplication(in.App)
		}
		old := t.st.CodeDeployGroups[model.CodeDeployGroupKey(in.App, in.Name)]
		if old == nil {
			return errCodeDeploy("DeploymentGroupDoesNotExistException", "No Deployment Group found for name: %s", in.Name) // probable
		}
		g := *old
		g.ECSServices, g.TargetGroupPairs = slices.Clone(old.ECSServices), slices.Clone(old.TargetGroupPairs)
		merged := map[string]any{}
		for k, v := range old.Config {
			merged[k] = v
		}
		for k, v := range in.Config {
			merged[k] = v
		}
		g.Config = merged
		// An update gives what changes: the rest is the group's own.
		if in.ConfigName == "" {
			in.ConfigName = g.ConfigName
		}
		if in.ServiceRoleARN == "" {
			in.ServiceRoleARN = g.ServiceRoleARN
			in.RoleKnown = nil
		}
		if in.DeploymentType == "" {
			in.DeploymentType = g.DeploymentType
		}
		if in.Option == "" {
			in.Option = g.Option
		}
		if in.ECSServices == nil {
			in.ECSServices = g.ECSServices
		}
		if !in.LoadBalancerGiven {
			in.TargetGroupPairs = g.TargetGroupPairs
		}
		if in.TerminationWaitMinutes == nil {
			w := g.TerminationWaitMinutes
			in.TerminationWaitMinutes = &w
		}
		if err := t.setCodeDeployGroup(a, &g, in); err != nil {
			return err
		}
		if in.NewName != "" && in.NewName != g.Name {
			if err := checkCodeDeployName("DeploymentGroup", in.NewName); err != nil {
				return err
			}
			if t.st.CodeDeployGroups[model.CodeDeployGroupKey(in.App, in.NewName)] != nil {
				return errCodeDeploy("DeploymentGroupAlreadyExistsException", "Deployment Group already exists with name %s", in.NewName) // probable
			}
			del(t, model.KindCodeDeployGroup, t.st.CodeDeployGroups, model.CodeDeployGroupKey(g.App, g.Name))
			g.Name, g.ARN = in.NewName, t.e.CodeDeployGroupARN(g.App, in.NewName)
		}
		put(t, model.KindCodeDeployGroup, t.st.CodeDeployGroups, model.CodeDeployGroupKey(g.App, g.Name), &g)
		out = &g
		return nil
	})
	return out, err
}

// setCodeDeployGroup validates in against the application's compute
// platform and sets g's members.
func (t *txn) setCodeDeployGroup(a *model.CodeDeployApp, g *model.CodeDeployGroup, in CodeDeployGroupInput) error {
	if in.ServiceRoleARN == "" {
		return errCodeDeploy("RoleRequiredException", "Role ARN is required for deployment group") // probable
	}
	if !strings.HasPrefix(in.ServiceRoleARN, "arn:") || !strings.Contains(in.ServiceRoleARN, ":role/") ||
		(in.RoleKnown != nil && !in.RoleKnown(in.ServiceRoleARN)) {
		return errCodeDeploy("InvalidRoleException", "AWS CodeDeploy does not have the permissions required to assume the role %s.", in.ServiceRoleARN)
	}
	cfg := in.ConfigName
	if cfg == "" {
		cfg = map[string]string{"ECS": "CodeDeployDefault.ECSAllAtOnce", "Lambda": "CodeDeployDefault.LambdaAllAtOnce"}[a.ComputePlatform]
		if cfg == "" {
			cfg = "CodeDeployDefault.OneAtATime"
		}
	}
	if c, ok := t.codeDeployConfig(cfg); !ok {
		return errCodeDeploy("DeploymentConfigDoesNotExistException", "No deployment configuration found for name: %s", cfg) // probable
	} else if c.ComputePlatform != a.ComputePlatform {
		return errCodeDeploy("InvalidDeploymentConfigNameException",
			"Deployment configuration %s is for the %s compute platform, not %s", cfg, c.ComputePlatform, a.ComputePlatform) // probable
	}
	typ, opt := in.DeploymentType, in.Option
	if typ == "" {
		typ = "IN_PLACE"
	}
	if opt == "" {
		opt = "WITHOUT_TRAFFIC_CONTROL"
	}
	g.ConfigName, g.ServiceRoleARN, g.DeploymentType, g.Option = cfg, in.ServiceRoleARN, typ, opt
	if in.TerminationHook != nil {
		g.TerminationHook = *in.TerminationHook
	}
	if in.TerminationWaitMinutes != nil {
		if *in.TerminationWaitMinutes < 0 || *in.TerminationWaitMinutes > 2880 {
			return errCodeDeploy("InvalidBlueGreenDeploymentConfigurationException",
				"Termination wait time must be between 0 and 2880 minutes for ECS deployment group") // probable
		}
		g.TerminationWaitMinutes = *in.TerminationWaitMinutes
	}
	if a.ComputePlatform != "ECS" {
		g.ECSServices, g.TargetGroupPairs = slices.Clone(in.ECSServices), slices.Clone(in.TargetGroupPairs)
		return nil
	}
	if typ != "BLUE_GREEN" || opt != "WITH_TRAFFIC_CONTROL" {
		return errCodeDeploy("InvalidDeploymentStyleException",
			"For ECS deployment group, deploymentType must be BLUE_GREEN and deploymentOption must be WITH_TRAFFIC_CONTROL") // probable
	}
	if len(in.ECSServices) != 1 {
		return errCodeDeploy("ECSServiceMappingLimitExceededException", "An ECS deployment group must be associated with exactly one ECS service") // probable
	}
	sv := in.ECSServices[0]
	s, err := t.codeDeployService(sv.Cluster, sv.Service)
	if err != nil {
		return err
	}
	for _, o := range t.st.CodeDeployGroups {
		if o.ID != g.ID && slices.Contains(o.ECSServices, sv) {
			return errCodeDeploy("ECSServiceMappingLimitExceededException",
				"The ECS service %s in cluster %s is already associated with deployment group %s", sv.Service, sv.Cluster, o.Name) // probable
		}
	}
	if len(in.TargetGroupPairs) != 1 {
		return errCodeDeploy("InvalidTargetGroupPairException", "ECS deployment group must have exactly one target group pair") // probable
	}
	p := in.TargetGroupPairs[0]
	if len(p.TargetGroups) != 2 || p.TargetGroups[0] == p.TargetGroups[1] {
		return errCodeDeploy("InvalidTargetGroupPairException", "Target group pair must contain exactly two distinct target groups") // probable
	}
	if len(p.ProdListeners) != 1 || len(p.TestListeners) > 1 {
		return errCodeDeploy("InvalidTargetGroupPairException",
			"Target group pair must have exactly one production traffic route listener and at most one test traffic route listener") // probable
	}
	var arns []string
	for _, name := range p.TargetGroups {
		tg := t.targetGroupNamed(name)
		if tg == nil {
			return errCodeDeploy("InvalidTargetGroupPairException", "Target group %s does not exist", name) // probable
		}
		arns = append(arns, tg.ARN)
	}
	for _, l := range slices.Concat(p.ProdListeners, p.TestListeners) {
		if t.st.Listeners[l] == nil {
			return errCodeDeploy("InvalidTargetGroupPairException", "Listener %s does not exist", l) // probable
		}
	}
	if !slices.ContainsFunc(s.LoadBalancers, func(lb model.ServiceLoadBalancer) bool { return slices.Contains(arns, lb.TargetGroupARN) }) {
		return errCodeDeploy("InvalidTargetGroupPairException",
			"The ECS service %s is not associated with either target group of the target group pair", sv.Service) // probable
	}
	g.ECSServices, g.TargetGroupPairs = slices.Clone(in.ECSServices), slices.Clone(in.TargetGroupPairs)
	return nil
}

// codeDeployService returns the ECS service of a deployment group: it must
// exist, be active and have the CODE_DEPLOY deployment controller.
func (t *txn) codeDeployService(cluster, service string) (*model.Service, error) {
	c := t.st.Clusters[t.e.ecsARN("cluster/"+cluster)]
	var s *model.Service
	if c != nil {
		s = t.st.Services[t.e.ecsARN("service/"+c.Name+"/"+service)]
	}
	if s == nil || s.Status != "ACTIVE" {
		return nil, errCodeDeploy("InvalidECSServiceException", "Deployment group's ECS service %s in cluster %s does not exist", service, cluster) // probable
	}
	if s.DeploymentController != "CODE_DEPLOY" {
		return nil, errCodeDeploy("InvalidECSServiceException", "Deployment group's ECS service must be configured for a CODE_DEPLOY deployment controller.")
	}
	return s, nil
}

// targetGroupNamed finds a target group of the region by name.
func (t *txn) targetGroupNamed(name string) *model.TargetGroup {
	for _, k := range sortedKeys(t.st.TargetGroups) {
		if tg := t.st.TargetGroups[k]; tg.Name == name {
			return tg
		}
	}
	return nil
}

// DeleteCodeDeployGroup deletes a deployment group.
func (e *Engine) DeleteCodeDeployGroup(app, name string) error {
	return e.write(func(t *txn) error {
		if t.st.CodeDeployApps[app] == nil {
			return errNoApplication(app)
		}
		k := model.CodeDeployGroupKey(app, name)
		if t.st.CodeDeployGroups[k] == nil {
			return nil // AWS answers an empty hooksNotCleanedUp [probable]
		}
		del(t, model.KindCodeDeployGroup, t.st.CodeDeployGroups, k)
		return nil
	})
}

// TagCodeDeploy changes the tags of an application or deployment group by
// ARN (add: set them; remove: drop the keys).
func (e *Engine) TagCodeDeploy(arn string, add model.Tags, remove []string) error {
	return e.write(func(t *txn) error {
		change := func(tags model.Tags) model.Tags {
			n := tags.Clone()
			if n == nil {
				n = model.Tags{}
			}
			for k, v := range add {
				n[k] = v
			}
			for _, k := range remove {
				delete(n, k)
			}
			return n
		}
		for _, k := range sortedKeys(t.st.CodeDeployApps) {
			if a := t.st.CodeDeployApps[k]; t.e.CodeDeployAppARN(a.Name) == arn {
				na := *a
				na.Tags = change(a.Tags)
				put(t, model.KindCodeDeployApp, t.st.CodeDeployApps, k, &na)
				return nil
			}
		}
		for _, k := range sortedKeys(t.st.CodeDeployGroups) {
			if g := t.st.CodeDeployGroups[k]; g.ARN == arn {
				ng := *g
				ng.Tags = change(g.Tags)
				put(t, model.KindCodeDeployGroup, t.st.CodeDeployGroups, k, &ng)
				return nil
			}
		}
		return errCodeDeploy("ResourceArnRequiredException", "The ARN %s does not name an application or deployment group", arn) // probable
	})
}

// CodeDeployAppSpec is what ecsnet reads of an ECS AppSpec's
// TargetService: the task definition and the container and port the load
// balancer sends traffic to; the rest is optional.
type CodeDeployAppSpec struct {
	TaskDefinition           string
	ContainerName            string
	ContainerPort            uint16
	PlatformVersion          string
	Network                  *model.AwsVpcConfiguration
	CapacityProviderStrategy []model.CapacityProviderStrategyItem
	// Hooks are the AppSpec's Hooks: lifecycle event → Lambda function.
	Hooks map[string]string
}

// codeDeploymentID is a new deployment id: d- and nine characters.
func (t *txn) codeDeploymentID() string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, 9)
	for i := range b {
		b[i] = chars[t.e.ids.Uint64()%uint64(len(chars))]
	}
	return "d-" + string(b)
}

// forwardsTo reports whether actions forward to the target group arn
// (with a weight above 0 in a weighted forward).
func forwardsTo(acts []model.ListenerAction, arn string) bool {
	for _, a := range acts {
		if a.TargetGroupARN == arn {
			return true
		}
		for _, w := range a.TargetGroups {
			if w.ARN == arn && (w.Weight > 0 || len(a.TargetGroups) == 1) {
				return true
			}
		}
	}
	return false
}

// pointListener makes a listener's default forward actions send all of
// their traffic to target group to rather than from.
func (t *txn) pointListener(arn, from, to string) {
	l := t.st.Listeners[arn]
	if l == nil {
		return
	}
	c := *l
	c.DefaultActions = slices.Clone(l.DefaultActions)
	changed := false
	for i, a := range c.DefaultActions {
		if a.Type != "forward" {
			continue
		}
		f := a.ForwardTargetGroups()
		if !slices.Contains(f, from) && !slices.Contains(f, to) {
			continue
		}
		n := a
		if len(a.TargetGroups) > 1 {
			n.TargetGroupARN = ""
			n.TargetGroups = []model.WeightedTargetGroup{{ARN: to, Weight: 1}}
			n.TargetGroups[0].Weight = 1
		} else {
			n.TargetGroupARN, n.TargetGroups = to, nil
			if len(a.TargetGroups) == 1 {
				n.TargetGroupARN, n.TargetGroups = "", []model.WeightedTargetGroup{{ARN: to, Weight: a.TargetGroups[0].Weight}}
			}
		}
		c.DefaultActions[i], changed = n, true
	}
	if changed {
		put(t, model.KindListener, t.st.Listeners, c.ARN, &c)
	}
}

// drainTaskSet drains the task set id of s (its tasks stop on the next Step).
func drainTaskSet(s *model.Service, id string, now time.Time) {
	for k := range s.TaskSets {
		if id != "" && s.TaskSets[k].ID == id {
			s.TaskSets[k].Status, s.TaskSets[k].UpdatedAt = "DRAINING", now
		}
	}
}
