package cloudformation

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Drift detection compares what a stack's template gave each resource
// (its resolved properties, StackResource.Resolved) with what the
// resource is now, for the properties the template sets: an ECS
// service's DesiredCount changed by UpdateService, a rule added to or
// revoked from a security group, a subnet or a VPC deleted. Detection
// runs to its end before DetectStackDrift answers (DETECTION_COMPLETE).
// ecsnet checks the types it models (driftReaders); the others are
// NOT_CHECKED, as are the types CloudFormation itself does not check.

// driftStatuses are the stack statuses drift detection runs in (User
// Guide, "Detect drift on an entire CloudFormation stack").
var driftStatuses = []string{statusCreateComplete, statusUpdateComplete, statusUpdateRollbackDone, statusUpdateRollbackFail}

// driftReader reads the current values of a resource's properties that
// expected names: ok false when the resource is gone.
type driftReader func(st *model.State, r model.StackResource, expected map[string]any) (actual map[string]any, ok bool)

var driftReaders = map[string]driftReader{
	"AWS::EC2::SecurityGroup": readSecurityGroup,
	"AWS::EC2::VPC": func(st *model.State, r model.StackResource, exp map[string]any) (map[string]any, bool) {
		v := st.VPCs[model.VpcID(r.PhysicalID)]
		if v == nil {
			return nil, false
		}
		return pick(exp, map[string]any{"CidrBlock": v.CIDR.String()}), true
	},
	"AWS::EC2::Subnet": func(st *model.State, r model.StackResource, exp map[string]any) (map[string]any, bool) {
		s := st.Subnets[model.SubnetID(r.PhysicalID)]
		if s == nil {
			return nil, false
		}
		return pick(exp, map[string]any{"CidrBlock": s.CIDR.String(), "VpcId": string(s.VpcID), "AvailabilityZone": s.AvailabilityZone,
			"MapPublicIpOnLaunch": s.MapPublicIPOnLaunch}), true
	},
	"AWS::ECS::Service": func(st *model.State, r model.StackResource, exp map[string]any) (map[string]any, bool) {
		s := st.Services[r.PhysicalID]
		if s == nil || s.Status != "ACTIVE" {
			return nil, false
		}
		return pick(exp, map[string]any{"DesiredCount": s.DesiredCount, "TaskDefinition": s.TaskDefinitionARN}), true
	},
	"AWS::EC2::RouteTable": func(st *model.State, r model.StackResource, exp map[string]any) (map[string]any, bool) {
		t := st.RouteTables[model.RouteTableID(r.PhysicalID)]
		if t == nil {
			return nil, false
		}
		return pick(exp, map[string]any{"VpcId": string(t.VpcID)}), true
	},
	"AWS::EC2::Route": func(st *model.State, r model.StackResource, exp map[string]any) (map[string]any, bool) {
		// Its physical id is "TABLE|DESTINATION"; gone with its table,
		// or when no route of the table has that destination.
		table, dest, _ := strings.Cut(r.PhysicalID, "|")
		t := st.RouteTables[model.RouteTableID(table)]
		if t == nil {
			return nil, false
		}
		for _, rt := range t.Routes {
			if rt.Destination.IsValid() && rt.Destination.String() == dest || rt.DestinationPrefixList != "" && string(rt.DestinationPrefixList) == dest {
				all := map[string]any{"RouteTableId": table}
				if rt.Destination.IsValid() && rt.Destination.Addr().Is4() {
					all["DestinationCidrBlock"] = dest
				}
				for _, k := range []string{"GatewayId", "NatGatewayId", "TransitGatewayId", "VpcPeeringConnectionId", "NetworkInterfaceId", "InstanceId", "VpcEndpointId"} {
					if _, set := exp[k]; set {
						all[k] = rt.TargetID
					}
				}
				return pick(exp, all), true
			}
		}
		return nil, false
	},
	"AWS::ElasticLoadBalancingV2::TargetGroup": func(st *model.State, r model.StackResource, exp map[string]any) (map[string]any, bool) {
		g := st.TargetGroups[r.PhysicalID]
		if g == nil {
			return nil, false
		}
		return pick(exp, map[string]any{"Port": int(g.Port), "Protocol": g.Protocol, "HealthCheckPath": g.HealthCheck.Path,
			"HealthCheckIntervalSeconds": g.HealthCheck.IntervalSeconds, "HealthyThresholdCount": g.HealthCheck.HealthyThreshold,
			"UnhealthyThresholdCount": g.HealthCheck.UnhealthyThreshold}), true
	},
	"AWS::ElasticLoadBalancingV2::LoadBalancer": func(st *model.State, r model.StackResource, exp map[string]any) (map[string]any, bool) {
		lb := st.LoadBalancers[r.PhysicalID]
		if lb == nil {
			return nil, false
		}
		var groups, subnets []any
		for _, g := range lb.SecurityGroups {
			groups = append(groups, string(g))
		}
		for _, n := range lb.Nodes {
			subnets = append(subnets, string(n.SubnetID))
		}
		return pick(exp, map[string]any{"Name": lb.Name, "Scheme": lb.Scheme, "Type": lb.Type, "IpAddressType": lb.IPAddressType,
			"SecurityGroups": groups, "Subnets": subnets}), true
	},
	"AWS::ElasticLoadBalancingV2::Listener": func(st *model.State, r model.StackResource, exp map[string]any) (map[string]any, bool) {
		l := st.Listeners[r.PhysicalID]
		if l == nil {
			return nil, false
		}
		return pick(exp, map[string]any{"LoadBalancerArn": l.LoadBalancerARN, "Port": int(l.Port), "Protocol": l.Protocol, "SslPolicy": l.SSLPolicy}), true
	},
	"AWS::EC2::InternetGateway": func(st *model.State, r model.StackResource, exp map[string]any) (map[string]any, bool) {
		// Its only property is Tags, which ecsnet does not compare
		// [choice]: a gateway checked is IN_SYNC, or DELETED.
		if st.InternetGateways[model.InternetGatewayID(r.PhysicalID)] == nil {
			return nil, false
		}
		return map[string]any{}, true
	},
	"AWS::ECS::TaskDefinition": func(st *model.State, r model.StackResource, exp map[string]any) (map[string]any, bool) {
		// Its physical id is the revision the stack registered: a later
		// revision of the family registered out of band is no drift of
		// it (cloudformation-coverage-roadmap#1056); a deregistered one
		// is gone, as the resource's own read finds it after its delete.
		td := st.TaskDefinitions[r.PhysicalID]
		if td == nil || td.Status != "ACTIVE" {
			return nil, false
		}
		return pick(exp, map[string]any{"Family": td.Family, "NetworkMode": string(td.NetworkMode)}), true
	},
	"AWS::ECS::Cluster": func(st *model.State, r model.StackResource, exp map[string]any) (map[string]any, bool) {
		for _, c := range st.Clusters {
			if (c.Name == r.PhysicalID || c.ARN == r.PhysicalID) && c.Status == "ACTIVE" {
				return pick(exp, map[string]any{"ClusterName": c.Name}), true
			}
		}
		return nil, false
	},
}

// pick keeps of all the properties those expected names.
func pick(expected, all map[string]any) map[string]any {
	out := map[string]any{}
	for k := range expected {
		if v, ok := all[k]; ok {
			out[k] = v
		}
	}
	return out
}

// sgRule is a security group rule as drift detection compares it: the
// template's keys, numbers as numbers.
func sgRule(r model.SecurityGroupRule) map[string]any {
	m := map[string]any{"IpProtocol": r.Protocol.String()}
	if r.Protocol != model.AllProtocols {
		m["FromPort"], m["ToPort"] = int(r.Ports.First), int(r.Ports.Last)
	}
	switch {
	case r.CIDR.IsValid() && r.CIDR.Addr().Is4():
		m["CidrIp"] = r.CIDR.String()
	case r.CIDR.IsValid():
		m["CidrIpv6"] = r.CIDR.String()
	case r.Group != "":
		if r.Egress {
			m["DestinationSecurityGroupId"] = string(r.Group)
		} else {
			m["SourceSecurityGroupId"] = string(r.Group)
		}
	case r.PrefixList != "":
		if r.Egress {
			m["DestinationPrefixListId"] = string(r.PrefixList)
		} else {
			m["SourcePrefixListId"] = string(r.PrefixList)
		}
	}
	if r.Description != "" {
		m["Description"] = r.Description
	}
	return m
}

func readSecurityGroup(st *model.State, r model.StackResource, exp map[string]any) (map[string]any, bool) {
	g := st.SecurityGroups[model.SecurityGroupID(r.PhysicalID)]
	if g == nil {
		return nil, false
	}
	rules := func(rs []model.SecurityGroupRule) []any {
		out := []any{}
		for _, x := range rs {
			out = append(out, sgRule(x))
		}
		return out
	}
	return pick(exp, map[string]any{"GroupDescription": g.Description, "VpcId": string(g.VpcID), "GroupName": g.Name,
		"SecurityGroupIngress": rules(g.Ingress), "SecurityGroupEgress": rules(g.Egress)}), true
}

// normalize makes a template value comparable with a read one: numbers
// given as strings ("80") are numbers, protocol names lower case, and
// rule lists hold only the keys a rule has.
func normalize(key string, v any) any {
	switch x := v.(type) {
	case string:
		if n, err := strconv.Atoi(x); err == nil && key != "IpProtocol" && !strings.HasSuffix(key, "Id") {
			return float64(n)
		}
		if key == "IpProtocol" {
			switch strings.ToLower(x) {
			case "6":
				return "tcp"
			case "17":
				return "udp"
			case "1":
				return "icmp"
			}
			return strings.ToLower(x)
		}
		return x
	case int:
		return float64(x)
	case bool, float64, nil:
		return x
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(key, e)
		}
		return out
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = normalize(k, e)
		}
		if p, _ := out["IpProtocol"].(string); p == "-1" {
			delete(out, "FromPort")
			delete(out, "ToPort")
		}
		return out
	}
	return v
}

func jsonText(v any) string {
	if v == nil {
		return "null"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// propertyDifferences compares expected and actual property by property
// (those ecsnet reads, the keys of actual):
// a list of objects (security group rules) as a set, each rule the
// template has and the resource not REMOVE, each the resource has and
// the template not ADD; scalars NOT_EQUAL.
func propertyDifferences(expected, actual map[string]any) []model.PropertyDifference {
	var out []model.PropertyDifference
	for _, k := range slices.Sorted(maps.Keys(actual)) {
		e, a := normalize(k, expected[k]), normalize(k, actual[k])
		el, eList := e.([]any)
		al, aList := a.([]any)
		if eList && aList {
			for i, x := range el {
				if !slices.ContainsFunc(al, func(y any) bool { return jsonText(x) == jsonText(y) }) {
					out = append(out, model.PropertyDifference{Path: fmt.Sprintf("/%s/%d", k, i), Expected: jsonText(x), Actual: "null", Type: "REMOVE"})
				}
			}
			for i, y := range al {
				if !slices.ContainsFunc(el, func(x any) bool { return jsonText(x) == jsonText(y) }) {
					out = append(out, model.PropertyDifference{Path: fmt.Sprintf("/%s/%d", k, i), Expected: "null", Actual: jsonText(y), Type: "ADD"})
				}
			}
			continue
		}
		if jsonText(e) != jsonText(a) {
			out = append(out, model.PropertyDifference{Path: "/" + k, Expected: scalarText(e), Actual: scalarText(a), Type: "NOT_EQUAL"})
		}
	}
	return out
}

// scalarText is a scalar's value as PropertyDifference shows it: a
// string or number as itself, anything else as JSON.
func scalarText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return jsonText(v)
}

// detectDrift checks one resource of a stack at the engine's time.
func detectDrift(c *api.Call, r model.StackResource) *model.StackResourceDrift {
	d := &model.StackResourceDrift{Status: "NOT_CHECKED", CheckedAt: c.Engine.Now()}
	read := driftReaders[r.Type]
	if read == nil || !r.Modeled {
		return d
	}
	expected := map[string]any{}
	if r.Resolved != "" {
		if err := json.Unmarshal([]byte(r.Resolved), &expected); err != nil {
			return d
		}
	}
	var actual map[string]any
	ok := false
	c.Engine.Read(func(st *model.State) { actual, ok = read(st, r, expected) })
	d.Expected = jsonText(normalize("", expected))
	if !ok {
		d.Status = "DELETED"
		return d
	}
	d.Actual = jsonText(normalize("", actual))
	d.Differences = propertyDifferences(expected, actual)
	d.Status = "IN_SYNC"
	if len(d.Differences) > 0 {
		d.Status = "MODIFIED"
	}
	return d
}

// driftTarget is the stack a drift operation names, in a status drift
// detection runs in.
func driftTarget(c *api.Call) (*model.Stack, error) {
	s, err := findStack(c, c.In.String("StackName"))
	if err != nil {
		return nil, err
	}
	if !slices.Contains(driftStatuses, s.Status) {
		return nil, validation("Stack [%s] is in %s state and can not be checked for drift", s.Name, s.Status)
	}
	return s, nil
}

func detectStackDrift(c *api.Call) (map[string]any, error) {
	s, err := driftTarget(c)
	if err != nil {
		return nil, err
	}
	only := c.In.Strings("LogicalResourceIds")
	for _, id := range only {
		if !slices.ContainsFunc(s.Resources, func(r model.StackResource) bool { return r.LogicalID == id && !inNested(id) }) {
			return nil, validation("Resource [%s] does not exist in stack [%s]", id, s.Name)
		}
	}
	now := c.Engine.Now()
	drifts := map[string]*model.StackResourceDrift{}
	drifted := 0
	for _, r := range s.Resources {
		if inNested(r.LogicalID) || r.Status == statusDeleteComplete || len(only) > 0 && !slices.Contains(only, r.LogicalID) {
			continue
		}
		d := detectDrift(c, r)
		drifts[r.LogicalID] = d
		if d.Status == "MODIFIED" || d.Status == "DELETED" {
			drifted++
		}
	}
	det := model.StackDriftDetection{ID: uuid(), At: now, DriftStatus: "IN_SYNC", Drifted: drifted}
	if drifted > 0 {
		det.DriftStatus = "DRIFTED"
	}
	_, err = c.Engine.ChangeStack(s.ID, func(st *model.Stack) error {
		for i, r := range st.Resources {
			if d := drifts[r.LogicalID]; d != nil {
				st.Resources[i].Drift = d
			}
		}
		st.DriftStatus, st.DriftCheckedAt = det.DriftStatus, now
		st.DriftDetections = append(slices.Clone(st.DriftDetections), det)
		if n := len(st.DriftDetections); n > 10 {
			st.DriftDetections = st.DriftDetections[n-10:]
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"StackDriftDetectionId": det.ID}, nil
}

func describeStackDriftDetectionStatus(c *api.Call) (map[string]any, error) {
	id := c.In.String("StackDriftDetectionId")
	var s *model.Stack
	var det *model.StackDriftDetection
	c.Engine.Read(func(st *model.State) {
		for _, x := range st.Stacks {
			for i := range x.DriftDetections {
				if x.DriftDetections[i].ID == id {
					s, det = x, &x.DriftDetections[i]
				}
			}
		}
	})
	if det == nil {
		return nil, validation("Drift detection with id [%s] does not exist", id)
	}
	return map[string]any{"StackId": s.ID, "StackDriftDetectionId": det.ID, "StackDriftStatus": det.DriftStatus,
		"DetectionStatus": "DETECTION_COMPLETE", "DriftedStackResourceCount": det.Drifted, "Timestamp": det.At.UTC()}, nil
}

func driftOut(s *model.Stack, r model.StackResource) map[string]any {
	d := r.Drift
	diffs := make([]map[string]any, 0, len(d.Differences))
	for _, p := range d.Differences {
		diffs = append(diffs, map[string]any{"PropertyPath": p.Path, "ExpectedValue": p.Expected, "ActualValue": p.Actual, "DifferenceType": p.Type})
	}
	out := map[string]any{"StackId": s.ID, "LogicalResourceId": r.LogicalID, "PhysicalResourceId": api.Str(r.PhysicalID),
		"ResourceType": r.Type, "StackResourceDriftStatus": d.Status, "Timestamp": d.CheckedAt.UTC(),
		"ExpectedProperties": api.Str(d.Expected), "ActualProperties": api.Str(d.Actual)}
	if len(diffs) > 0 {
		out["PropertyDifferences"] = diffs
	}
	return out
}

func describeStackResourceDrifts(c *api.Call) (map[string]any, error) {
	s, err := findStack(c, c.In.String("StackName"))
	if err != nil {
		return nil, err
	}
	filters := c.In.Strings("StackResourceDriftStatusFilters")
	for _, f := range filters {
		if !slices.Contains([]string{"IN_SYNC", "MODIFIED", "DELETED", "NOT_CHECKED", "UNKNOWN", "UNSUPPORTED"}, f) {
			return nil, validation("1 validation error detected: Value '[%s]' at 'stackResourceDriftStatusFilters' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [IN_SYNC, MODIFIED, DELETED, NOT_CHECKED, UNKNOWN, UNSUPPORTED]]", strings.Join(filters, ", "))
		}
	}
	out := []map[string]any{}
	for _, r := range s.Resources {
		// Resources not checked (or of types drift detection does
		// not check) are not listed.
		if inNested(r.LogicalID) || r.Drift == nil || r.Drift.Status == "NOT_CHECKED" {
			continue
		}
		if len(filters) > 0 && !slices.Contains(filters, r.Drift.Status) {
			continue
		}
		out = append(out, driftOut(s, r))
	}
	return map[string]any{"StackResourceDrifts": out}, nil
}

func detectStackResourceDrift(c *api.Call) (map[string]any, error) {
	s, err := driftTarget(c)
	if err != nil {
		return nil, err
	}
	id := c.In.String("LogicalResourceId")
	i := slices.IndexFunc(s.Resources, func(r model.StackResource) bool { return r.LogicalID == id && !inNested(id) })
	if i < 0 {
		return nil, validation("Resource [%s] does not exist in stack [%s]", id, s.Name)
	}
	r := s.Resources[i]
	r.Drift = detectDrift(c, r)
	if _, err := c.Engine.ChangeStack(s.ID, func(st *model.Stack) error {
		for j := range st.Resources {
			if st.Resources[j].LogicalID == id {
				st.Resources[j].Drift = r.Drift
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	return map[string]any{"StackResourceDrift": driftOut(s, r)}, nil
}

// resourceDriftInfo is a resource's DriftInformation.
func resourceDriftInfo(r model.StackResource) map[string]any {
	if r.Drift == nil {
		return map[string]any{"StackResourceDriftStatus": "NOT_CHECKED"}
	}
	return map[string]any{"StackResourceDriftStatus": r.Drift.Status, "LastCheckTimestamp": r.Drift.CheckedAt.UTC()}
}

// stackDriftInfo is a stack's DriftInformation.
func stackDriftInfo(s *model.Stack) map[string]any {
	if s.DriftStatus == "" {
		return map[string]any{"StackDriftStatus": "NOT_CHECKED"}
	}
	return map[string]any{"StackDriftStatus": s.DriftStatus, "LastCheckTimestamp": s.DriftCheckedAt.UTC()}
}
