package engine

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// CodeDeploy's deployment configurations (the predefined CodeDeployDefault.*
// and the account's own) and an application's revisions.

// CodeDeployConfigs are the predefined configurations of the three compute
// platforms (codedeploy/latest/userguide/deployment-configurations.html).
func CodeDeployConfigs() []CodeDeployConfig {
	hosts := func(typ string, v int) map[string]any { return map[string]any{"type": typ, "value": v} }
	return []CodeDeployConfig{
		{Name: "CodeDeployDefault.AllAtOnce", ComputePlatform: "Server", MinimumHealthyHosts: hosts("FLEET_PERCENT", 0)},
		{Name: "CodeDeployDefault.HalfAtATime", ComputePlatform: "Server", MinimumHealthyHosts: hosts("FLEET_PERCENT", 50)},
		{Name: "CodeDeployDefault.OneAtATime", ComputePlatform: "Server", MinimumHealthyHosts: hosts("HOST_COUNT", 1)},
		{Name: "CodeDeployDefault.ECSAllAtOnce", ComputePlatform: "ECS", Type: "AllAtOnce"},
		{Name: "CodeDeployDefault.ECSCanary10Percent15Minutes", ComputePlatform: "ECS", Type: "TimeBasedCanary", Percentage: 10, IntervalMinutes: 15},
		{Name: "CodeDeployDefault.ECSCanary10Percent5Minutes", ComputePlatform: "ECS", Type: "TimeBasedCanary", Percentage: 10, IntervalMinutes: 5},
		{Name: "CodeDeployDefault.ECSLinear10PercentEvery1Minutes", ComputePlatform: "ECS", Type: "TimeBasedLinear", Percentage: 10, IntervalMinutes: 1},
		{Name: "CodeDeployDefault.ECSLinear10PercentEvery3Minutes", ComputePlatform: "ECS", Type: "TimeBasedLinear", Percentage: 10, IntervalMinutes: 3},
		{Name: "CodeDeployDefault.LambdaAllAtOnce", ComputePlatform: "Lambda", Type: "AllAtOnce"},
		{Name: "CodeDeployDefault.LambdaCanary10Percent10Minutes", ComputePlatform: "Lambda", Type: "TimeBasedCanary", Percentage: 10, IntervalMinutes: 10},
		{Name: "CodeDeployDefault.LambdaCanary10Percent15Minutes", ComputePlatform: "Lambda", Type: "TimeBasedCanary", Percentage: 10, IntervalMinutes: 15},
		{Name: "CodeDeployDefault.LambdaCanary10Percent30Minutes", ComputePlatform: "Lambda", Type: "TimeBasedCanary", Percentage: 10, IntervalMinutes: 30},
		{Name: "CodeDeployDefault.LambdaCanary10Percent5Minutes", ComputePlatform: "Lambda", Type: "TimeBasedCanary", Percentage: 10, IntervalMinutes: 5},
		{Name: "CodeDeployDefault.LambdaLinear10PercentEvery10Minutes", ComputePlatform: "Lambda", Type: "TimeBasedLinear", Percentage: 10, IntervalMinutes: 10},
		{Name: "CodeDeployDefault.LambdaLinear10PercentEvery1Minute", ComputePlatform: "Lambda", Type: "TimeBasedLinear", Percentage: 10, IntervalMinutes: 1},
		{Name: "CodeDeployDefault.LambdaLinear10PercentEvery2Minutes", ComputePlatform: "Lambda", Type: "TimeBasedLinear", Percentage: 10, IntervalMinutes: 2},
		{Name: "CodeDeployDefault.LambdaLinear10PercentEvery3Minutes", ComputePlatform: "Lambda", Type: "TimeBasedLinear", Percentage: 10, IntervalMinutes: 3},
	}
}

// CodeDeployConfigNamed returns a predefined configuration by name.
func CodeDeployConfigNamed(name string) (CodeDeployConfig, bool) {
	i := slices.IndexFunc(CodeDeployConfigs(), func(c CodeDeployConfig) bool { return c.Name == name })
	if i < 0 {
		return CodeDeployConfig{}, false
	}
	return CodeDeployConfigs()[i], true
}

// CodeDeployConfigIn returns a configuration, predefined or the
// account's, as st has it.
func CodeDeployConfigIn(st *model.State, name string) (CodeDeployConfig, bool) {
	if c, ok := CodeDeployConfigNamed(name); ok {
		return c, true
	}
	if c := st.CodeDeployConfigs[name]; c != nil {
		return *c, true
	}
	return CodeDeployConfig{}, false
}

func (t *txn) codeDeployConfig(name string) (CodeDeployConfig, bool) {
	return CodeDeployConfigIn(t.st, name)
}

// CreateCodeDeployConfig creates a deployment configuration of the
// account (CreateDeploymentConfig): a traffic routing configuration for
// ECS and Lambda, minimum healthy hosts for Server.
func (e *Engine) CreateCodeDeployConfig(c CodeDeployConfig) (*model.CodeDeployConfig, error) {
	var out *model.CodeDeployConfig
	err := e.write(func(t *txn) error {
		if c.Name == "" {
			return errCodeDeploy("DeploymentConfigNameRequiredException", "Deployment config name is required") // probable
		}
		if !codeDeployNameRE.MatchString(c.Name) {
			return errCodeDeploy("InvalidDeploymentConfigNameException", "Deployment config name is invalid: %s", c.Name) // probable
		}
		if strings.HasPrefix(c.Name, "CodeDeployDefault.") {
			return errCodeDeploy("InvalidDeploymentConfigNameException", "Deployment config name cannot start with CodeDeployDefault.") // probable
		}
		if _, ok := t.codeDeployConfig(c.Name); ok {
			return errCodeDeploy("DeploymentConfigAlreadyExistsException", "Deployment Configuration %s already exists", c.Name) // probable
		}
		switch c.ComputePlatform {
		case "":
			c.ComputePlatform = "Server"
		case "Server", "Lambda", "ECS":
		default:
			return errCodeDeploy("InvalidComputePlatformException", "Compute platform is invalid: %s", c.ComputePlatform) // probable
		}
		switch {
		case c.ComputePlatform == "Server" && c.Type != "":
			return errCodeDeploy("InvalidTrafficRoutingConfigurationException", "Traffic routing configuration is not supported for the Server compute platform") // probable
		case c.ComputePlatform == "Server":
			if c.MinimumHealthyHosts == nil {
				return errCodeDeploy("InvalidMinimumHealthyHostValueException", "Minimum healthy hosts is required for the Server compute platform") // probable
			}
		case c.MinimumHealthyHosts != nil:
			return errCodeDeploy("InvalidMinimumHealthyHostValueException", "Minimum healthy hosts is only supported for the Server compute platform") // probable
		case c.Type == "":
			return errCodeDeploy("InvalidTrafficRoutingConfigurationException", "Traffic routing configuration is required for the %s compute platform", c.ComputePlatform) // probable
		case c.Type != "AllAtOnce" && (c.Percentage < 1 || c.Percentage > 99 || c.IntervalMinutes < 1):
			return errCodeDeploy("InvalidTrafficRoutingConfigurationException",
				"The traffic routing percentage must be between 1 and 99 and the interval at least 1 minute") // probable
		}
		c.ID, c.Created = t.uuid(), t.now
		out = &c
		put(t, model.KindCodeDeployConfig, t.st.CodeDeployConfigs, c.Name, out)
		return nil
	})
	return out, err
}

// DeleteCodeDeployConfig deletes one of the account's deployment
// configurations; a predefined one or one a deployment group uses cannot
// be deleted, and one that does not exist is deleted without error.
func (e *Engine) DeleteCodeDeployConfig(name string) error {
	return e.write(func(t *txn) error {
		if name == "" {
			return errCodeDeploy("DeploymentConfigNameRequiredException", "Deployment config name is required") // probable
		}
		if _, ok := CodeDeployConfigNamed(name); ok {
			return errCodeDeploy("InvalidOperationException", "You cannot delete a default deployment configuration: %s", name) // probable
		}
		if t.st.CodeDeployConfigs[name] == nil {
			return nil
		}
		for _, k := range sortedKeys(t.st.CodeDeployGroups) {
			if g := t.st.CodeDeployGroups[k]; g.ConfigName == name {
				return errCodeDeploy("DeploymentConfigInUseException", "Deployment configuration %s is in use by deployment group %s", name, g.Name) // probable
			}
		}
		del(t, model.KindCodeDeployConfig, t.st.CodeDeployConfigs, name)
		return nil
	})
}

// CodeDeployRevisionKey is a revision location's identity: its canonical
// JSON (map keys sorted).
func CodeDeployRevisionKey(loc map[string]any) string {
	b, _ := json.Marshal(loc)
	return string(b)
}

// RegisterCodeDeployRevision registers a revision with an application
// (again: its description changes).
func (e *Engine) RegisterCodeDeployRevision(app string, loc map[string]any, description string) error {
	return e.write(func(t *txn) error {
		if app == "" {
			return errCodeDeploy("ApplicationNameRequiredException", "Application name is required") // probable
		}
		a := t.st.CodeDeployApps[app]
		if a == nil {
			return errNoApplication(app)
		}
		if loc == nil {
			return errCodeDeploy("RevisionRequiredException", "Revision is required") // probable
		}
		t.noteCodeDeployRevision(a, loc, description, "")
		return nil
	})
}

// noteCodeDeployRevision records a revision of application a: registered
// (group empty) or deployed to group.
func (t *txn) noteCodeDeployRevision(a *model.CodeDeployApp, loc map[string]any, description, group string) {
	na := *a
	na.Revisions = slices.Clone(a.Revisions)
	key := CodeDeployRevisionKey(loc)
	i := slices.IndexFunc(na.Revisions, func(r model.CodeDeployRevision) bool { return r.Key == key })
	if i < 0 {
		na.Revisions = append(na.Revisions, model.CodeDeployRevision{Location: loc, Key: key, Registered: t.now})
		i = len(na.Revisions) - 1
	}
	r := &na.Revisions[i]
	if group == "" {
		if description != "" {
			r.Description = description
		}
	} else {
		if r.FirstUsed.IsZero() {
			r.FirstUsed = t.now
		}
		r.LastUsed = t.now
		if !slices.Contains(r.Groups, group) {
			r.Groups = append(slices.Clone(r.Groups), group)
		}
	}
	put(t, model.KindCodeDeployApp, t.st.CodeDeployApps, a.Name, &na)
}
