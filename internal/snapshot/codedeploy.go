package snapshot

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS CodeDeploy in a snapshot (format thirty-six; both collectors):
//
//	codedeploy-batch-get-applications.json       aws deploy list-applications (every page),
//	                                             then batch-get-applications (100 a call),
//	                                             merged under "applicationsInfo"
//	codedeploy-batch-get-deployment-groups.json  every application's list-deployment-groups
//	                                             (every page), then batch-get-deployment-groups
//	                                             (100 a call), merged under "deploymentGroupsInfo"
//
// An ECS service with the CODE_DEPLOY deployment controller is deployed
// by a deployment group whose target group pair names its two target
// groups: between deployments one of them is empty by design (reach's
// root cause pairs them). Each group info names its application. Of the
// groups' deployments, the group info's last successful and last
// attempted one are read (lastDeployments), no further call.

// CodeDeployAppsFileName and CodeDeployGroupsFileName are the files of
// the applications' and the deployment groups' batch-get output.
const (
	CodeDeployAppsFileName   = "codedeploy-batch-get-applications.json"
	CodeDeployGroupsFileName = "codedeploy-batch-get-deployment-groups.json"
)

// cdApp is batch-get-applications' ApplicationInfo.
type cdApp struct {
	ApplicationId   string  `json:"applicationId,omitempty"`
	ApplicationName string  `json:"applicationName"`
	CreateTime      awsTime `json:"createTime"`
	ComputePlatform string  `json:"computePlatform,omitempty"`
}

// cdGroup is batch-get-deployment-groups' DeploymentGroupInfo; the
// members ecsnet keeps as they are (Config) are read raw.
type cdGroup struct {
	ApplicationName      string `json:"applicationName"`
	DeploymentGroupId    string `json:"deploymentGroupId,omitempty"`
	DeploymentGroupName  string `json:"deploymentGroupName"`
	DeploymentConfigName string `json:"deploymentConfigName,omitempty"`
	ServiceRoleArn       string `json:"serviceRoleArn,omitempty"`
	DeploymentStyle      *struct {
		DeploymentType   string `json:"deploymentType,omitempty"`
		DeploymentOption string `json:"deploymentOption,omitempty"`
	} `json:"deploymentStyle,omitempty"`
	EcsServices []struct {
		ServiceName string `json:"serviceName"`
		ClusterName string `json:"clusterName"`
	} `json:"ecsServices,omitempty"`
	LoadBalancerInfo *struct {
		TargetGroupPairInfoList []struct {
			TargetGroups []struct {
				Name string `json:"name"`
			} `json:"targetGroups"`
			ProdTrafficRoute *struct {
				ListenerArns []string `json:"listenerArns"`
			} `json:"prodTrafficRoute,omitempty"`
			TestTrafficRoute *struct {
				ListenerArns []string `json:"listenerArns"`
			} `json:"testTrafficRoute,omitempty"`
		} `json:"targetGroupPairInfoList,omitempty"`
	} `json:"loadBalancerInfo,omitempty"`
	BlueGreenDeploymentConfiguration *struct {
		TerminateBlueInstancesOnDeploymentSuccess *struct {
			TerminationWaitTimeInMinutes flexInt `json:"terminationWaitTimeInMinutes"`
		} `json:"terminateBlueInstancesOnDeploymentSuccess,omitempty"`
	} `json:"blueGreenDeploymentConfiguration,omitempty"`
	TerminationHookEnabled bool `json:"terminationHookEnabled"`
	// The group's last deployments, as the group info summarizes them.
	LastSuccessfulDeployment *cdLastDeployment `json:"lastSuccessfulDeployment,omitempty"`
	LastAttemptedDeployment  *cdLastDeployment `json:"lastAttemptedDeployment,omitempty"`
	// Raw holds the members kept as given (Config), decoded from the same
	// object.
	Raw map[string]json.RawMessage `json:"-"`
}

// cdLastDeployment is a DeploymentGroupInfo's LastDeploymentInfo.
type cdLastDeployment struct {
	DeploymentId string  `json:"deploymentId"`
	Status       string  `json:"status,omitempty"`
	EndTime      awsTime `json:"endTime"`
	CreateTime   awsTime `json:"createTime"`
}

// cdConfigMembers are the deployment group members the model keeps as
// given (model.CodeDeployGroup.Config).
var cdConfigMembers = []string{"loadBalancerInfo", "blueGreenDeploymentConfiguration", "alarmConfiguration", "autoRollbackConfiguration",
	"triggerConfigurations", "ec2TagFilters", "onPremisesInstanceTagFilters", "autoScalingGroups", "ec2TagSet", "onPremisesTagSet", "outdatedInstancesStrategy"}

// UnmarshalJSON decodes a group info and keeps its Config members raw.
func (g *cdGroup) UnmarshalJSON(b []byte) error {
	type plain cdGroup
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*g = cdGroup(p)
	g.Raw = map[string]json.RawMessage{}
	for _, k := range cdConfigMembers {
		if v, ok := raw[k]; ok {
			g.Raw[k] = v
		}
	}
	return nil
}

// dispatchCodeDeploy reads batch-get-applications' applicationsInfo and
// batch-get-deployment-groups' deploymentGroupsInfo.
func (rd *regionData) dispatchCodeDeploy(f *fileInfo, data []byte, m member) (ok, handled bool) {
	switch m.key {
	case "applicationsInfo":
		return decodeList(rd, f, data, m, &rd.cdApps), true
	case "deploymentGroupsInfo":
		return decodeList(rd, f, data, m, &rd.cdGroups), true
	}
	return true, false
}

// codeDeploy puts the CodeDeploy applications and deployment groups into
// the state.
func (b *builder) codeDeploy() {
	for _, it := range b.rd.cdApps {
		x := it.v
		if x.ApplicationName == "" {
			b.rd.warn(it.at.warning(CodeBadValue, x.ApplicationId, "a CodeDeploy application without an applicationName skipped"))
			continue
		}
		b.st.CodeDeployApps[x.ApplicationName] = &model.CodeDeployApp{ID: x.ApplicationId, Name: x.ApplicationName,
			ComputePlatform: x.ComputePlatform, Created: x.CreateTime.Time}
	}
	for _, it := range b.rd.cdGroups {
		x := it.v
		if x.ApplicationName == "" || x.DeploymentGroupName == "" {
			b.rd.warn(it.at.warning(CodeBadValue, x.DeploymentGroupId, "a deployment group without an applicationName or a deploymentGroupName skipped"))
			continue
		}
		if b.st.CodeDeployApps[x.ApplicationName] == nil {
			// batch-get-deployment-groups answers for an application
			// list-applications named: the application's info is missing.
			b.st.CodeDeployApps[x.ApplicationName] = &model.CodeDeployApp{Name: x.ApplicationName}
		}
		g := &model.CodeDeployGroup{ID: x.DeploymentGroupId, Name: x.DeploymentGroupName, App: x.ApplicationName,
			ARN:        "arn:" + model.Partition(b.st.Region) + ":codedeploy:" + b.st.Region + ":" + b.st.Account + ":deploymentgroup:" + x.ApplicationName + "/" + x.DeploymentGroupName,
			ConfigName: x.DeploymentConfigName, ServiceRoleARN: x.ServiceRoleArn, TerminationHook: x.TerminationHookEnabled, Config: map[string]any{}}
		if s := x.DeploymentStyle; s != nil {
			g.DeploymentType, g.Option = s.DeploymentType, s.DeploymentOption
		}
		for _, s := range x.EcsServices {
			g.ECSServices = append(g.ECSServices, model.CodeDeployECSService{Cluster: s.ClusterName, Service: s.ServiceName})
		}
		if l := x.LoadBalancerInfo; l != nil {
			for _, p := range l.TargetGroupPairInfoList {
				var pair model.CodeDeployTargetGroupPair
				for _, tg := range p.TargetGroups {
					pair.TargetGroups = append(pair.TargetGroups, tg.Name)
				}
				if r := p.ProdTrafficRoute; r != nil {
					pair.ProdListeners = slices.Clone(r.ListenerArns)
				}
				if r := p.TestTrafficRoute; r != nil {
					pair.TestListeners = slices.Clone(r.ListenerArns)
				}
				g.TargetGroupPairs = append(g.TargetGroupPairs, pair)
			}
		}
		if bg := x.BlueGreenDeploymentConfiguration; bg != nil && bg.TerminateBlueInstancesOnDeploymentSuccess != nil {
			g.TerminationWaitMinutes = int(bg.TerminateBlueInstancesOnDeploymentSuccess.TerminationWaitTimeInMinutes.V)
		}
		for _, k := range slices.Sorted(maps.Keys(x.Raw)) {
			var v any
			if json.Unmarshal(x.Raw[k], &v) == nil && v != nil {
				g.Config[k] = v
			}
		}
		b.lastDeployments(g, x)
		b.st.CodeDeployGroups[model.CodeDeployGroupKey(g.App, g.Name)] = g
	}
}

// lastDeployments reads a group's lastSuccessfulDeployment and
// lastAttemptedDeployment (their ids, and a deployment of each that has
// ended: its id, status and times, the group's ECS service). A deployment
// still under way is kept by id only [choice]: the group info does not
// say where it is (its lifecycle events, its task sets' traffic), and
// the engine would move a deployment under way on from nothing.
func (b *builder) lastDeployments(g *model.CodeDeployGroup, x cdGroup) {
	for _, l := range []struct {
		info *cdLastDeployment
		id   *string
	}{{x.LastSuccessfulDeployment, &g.LastSuccessful}, {x.LastAttemptedDeployment, &g.LastAttempted}} {
		if l.info == nil || l.info.DeploymentId == "" {
			continue
		}
		*l.id = l.info.DeploymentId
		switch l.info.Status {
		case "Succeeded", "Failed", "Stopped":
		default:
			continue
		}
		if b.st.CodeDeployments[l.info.DeploymentId] != nil {
			continue
		}
		d := &model.CodeDeployment{ID: l.info.DeploymentId, App: g.App, Group: g.Name, ConfigName: g.ConfigName, Status: l.info.Status,
			Created: l.info.CreateTime.Time, Completed: l.info.EndTime.Time}
		if a := b.st.CodeDeployApps[g.App]; a != nil {
			d.ComputePlatform = a.ComputePlatform
		}
		if len(g.ECSServices) == 1 {
			d.Cluster, d.Service = g.ECSServices[0].Cluster, g.ECSServices[0].Service
		}
		b.st.CodeDeployments[d.ID] = d
	}
}

// codeDeployFiles writes the state's CodeDeploy applications and
// deployment groups as batch-get-applications and
// batch-get-deployment-groups print them (empty lists for a state without
// any, as a collector's).
func (w *writer) codeDeployFiles(files map[string]any) {
	apps, groups := []any{}, []any{}
	for _, a := range sortedValues(w.st.CodeDeployApps) {
		apps = append(apps, map[string]any{"applicationId": a.ID, "applicationName": a.Name, "createTime": awsTime{a.Created},
			"linkedToGitHub": false, "computePlatform": a.ComputePlatform})
	}
	for _, g := range sortedValues(w.st.CodeDeployGroups) {
		x := map[string]any{}
		for k, v := range g.Config {
			x[k] = v
		}
		x["applicationName"], x["deploymentGroupId"], x["deploymentGroupName"] = g.App, g.ID, g.Name
		x["deploymentConfigName"], x["serviceRoleArn"], x["terminationHookEnabled"] = g.ConfigName, g.ServiceRoleARN, g.TerminationHook
		x["deploymentStyle"] = map[string]any{"deploymentType": g.DeploymentType, "deploymentOption": g.Option}
		if a := w.st.CodeDeployApps[g.App]; a != nil {
			x["computePlatform"] = a.ComputePlatform
		}
		svcs := []any{}
		for _, s := range g.ECSServices {
			svcs = append(svcs, map[string]any{"serviceName": s.Service, "clusterName": s.Cluster})
		}
		x["ecsServices"] = svcs
		for _, l := range []struct{ member, id string }{{"lastSuccessfulDeployment", g.LastSuccessful}, {"lastAttemptedDeployment", g.LastAttempted}} {
			if d := w.st.CodeDeployments[l.id]; d != nil {
				info := map[string]any{"deploymentId": d.ID, "status": d.Status, "createTime": awsTime{d.Created}}
				if !d.Completed.IsZero() {
					info["endTime"] = awsTime{d.Completed}
				}
				x[l.member] = info
			}
		}
		if len(g.TargetGroupPairs) > 0 {
			var pairs []any
			for _, p := range g.TargetGroupPairs {
				var tgs []any
				for _, n := range p.TargetGroups {
					tgs = append(tgs, map[string]any{"name": n})
				}
				pair := map[string]any{"targetGroups": tgs, "prodTrafficRoute": map[string]any{"listenerArns": nonNil(p.ProdListeners)}}
				if len(p.TestListeners) > 0 {
					pair["testTrafficRoute"] = map[string]any{"listenerArns": p.TestListeners}
				}
				pairs = append(pairs, pair)
			}
			x["loadBalancerInfo"] = map[string]any{"targetGroupPairInfoList": pairs}
		}
		if platform, _ := x["computePlatform"].(string); strings.EqualFold(platform, "ECS") || g.TerminationWaitMinutes != 0 {
			bg, _ := x["blueGreenDeploymentConfiguration"].(map[string]any)
			nbg := maps.Clone(bg)
			if nbg == nil {
				nbg = map[string]any{}
			}
			nbg["terminateBlueInstancesOnDeploymentSuccess"] = map[string]any{"action": "TERMINATE", "terminationWaitTimeInMinutes": g.TerminationWaitMinutes}
			x["blueGreenDeploymentConfiguration"] = nbg
		}
		groups = append(groups, x)
	}
	files[CodeDeployAppsFileName] = map[string]any{"applicationsInfo": apps}
	files[CodeDeployGroupsFileName] = map[string]any{"deploymentGroupsInfo": groups}
}
