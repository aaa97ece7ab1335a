package engine

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// The cluster query language over one container instance, expression by
// expression (cluster-query-language.html's examples and operators).
func TestClusterQueryLanguage(t *testing.T) {
	ci := &model.ContainerInstance{EC2InstanceID: "i-0123456789abcdef0", AgentConnected: true, AgentVersion: "1.82.1",
		Attributes: []model.Attribute{{Name: "ecs.instance-type", Value: "t2.micro"}, {Name: "ecs.availability-zone", Value: "us-east-1a"},
			{Name: "ecs.os-type", Value: "linux"}, {Name: "stack", Value: "prod"}, {Name: "ecs.capability.task-eni"}}}
	u := &hostUsage{tasks: 3, groups: map[string]int{"service:web": 2, "family:db": 1}}
	for expr, want := range map[string]bool{
		"attribute:ecs.instance-type == t2.micro":                                          true,
		"attribute:ecs.instance-type equals t2.small":                                      false,
		"attribute:ecs.instance-type != t2.small":                                          true,
		"attribute:ecs.availability-zone in [us-east-1a, us-east-1b]":                      true,
		"attribute:ecs.availability-zone not_in [us-east-1a]":                              false,
		"attribute:ecs.availability-zone !in [us-east-1b]":                                 true,
		"attribute:ecs.instance-type =~ t2.*":                                              true,
		"attribute:ecs.instance-type matches m5.*":                                         false,
		"attribute:ecs.instance-type !~ m5.*":                                              true,
		"attribute:ecs.os-type == linux and attribute:stack == prod":                       true,
		"attribute:ecs.os-type == windows or attribute:stack == prod":                      true,
		"attribute:ecs.os-type == windows || attribute:stack == dev":                       false,
		"not(attribute:stack == prod)":                                                     false,
		"!(attribute:stack == dev) && attribute:ecs.os-type == linux":                      true,
		"attribute:ecs.capability.task-eni exists":                                         true,
		"attribute:gpu !exists":                                                            true,
		"attribute:gpu == yes":                                                             false,
		"attribute:gpu != yes":                                                             true,
		"task:group == service:web":                                                        true,
		"task:group == service:api":                                                        false,
		"task:group in [service:api, family:db]":                                           true,
		"ec2InstanceId == i-0123456789abcdef0":                                             true,
		"runningTasksCount < 4":                                                            true,
		"runningTasksCount >= 4":                                                           false,
		"agentVersion >= 1.70.0":                                                           true,
		"agentConnected == true":                                                           true,
		"(attribute:stack == dev or attribute:stack == prod) and not attribute:gpu exists": true,
	} {
		q, err := parseQuery(expr)
		if err != nil {
			t.Errorf("%q: %v", expr, err)
			continue
		}
		if got := q.eval(nil, ci, u); got != want {
			t.Errorf("%q = %v, want %v", expr, got, want)
		}
	}
	for _, bad := range []string{"", "attribute:ecs.instance-type ==", "attribute:x =", "color == red", "attribute:x in [a, b",
		"attribute:x == a and", "(attribute:x == a", "attribute:x == [a, b]", "attribute:x exists junk"} {
		if _, err := parseQuery(bad); err == nil || apierr.As(err).Code != "InvalidParameterException" {
			t.Errorf("%q: err = %v, want InvalidParameterException", bad, err)
		}
	}
}

func TestCheckPlacement(t *testing.T) {
	for _, tc := range []struct {
		cs    []model.PlacementConstraint
		ss    []model.PlacementStrategy
		taskD bool
		ok    bool
	}{
		{cs: []model.PlacementConstraint{{Type: "distinctInstance"}}, ok: true},
		{cs: []model.PlacementConstraint{{Type: "distinctInstance", Expression: "attribute:x == y"}}},
		{cs: []model.PlacementConstraint{{Type: "distinctInstance"}}, taskD: true},
		{cs: []model.PlacementConstraint{{Type: "memberOf"}}},
		{cs: []model.PlacementConstraint{{Type: "memberOf", Expression: "attribute:x == y"}}, taskD: true, ok: true},
		{cs: []model.PlacementConstraint{{Type: "sometimes"}}},
		{ss: []model.PlacementStrategy{{Type: "spread", Field: "attribute:ecs.availability-zone"}, {Type: "binpack", Field: "memory"}, {Type: "random"}}, ok: true},
		{ss: []model.PlacementStrategy{{Type: "spread", Field: "instanceId"}, {Type: "spread", Field: "host"}}, ok: true},
		{ss: []model.PlacementStrategy{{Type: "binpack", Field: "disk"}}},
		{ss: []model.PlacementStrategy{{Type: "spread"}}},
		{ss: []model.PlacementStrategy{{Type: "pack"}}},
	} {
		err := checkPlacement(tc.cs, tc.ss, tc.taskD)
		if (err == nil) != tc.ok {
			t.Errorf("%+v %+v taskdef=%v: err = %v, want ok=%v", tc.cs, tc.ss, tc.taskD, err, tc.ok)
		}
	}
}
