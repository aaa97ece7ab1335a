package model

import (
	"strings"
	"testing"
)

// TestUserDataScriptNotRun: a #! line whose argument holds a space (the
// whole script on one line) never runs, nor does what it says (its
// ECS_CLUSTER); a script with its commands on their own lines runs, and so
// do env -S and text that is not a script.
func TestUserDataScriptNotRun(t *testing.T) {
	for _, c := range []struct {
		text string
		runs bool
	}{
		{"#!/bin/bash -xe yum update -y aws-cfn-bootstrap /opt/aws/bin/cfn-init -v --stack s", false},
		{"#!/bin/bash echo ECS_CLUSTER=prod >> /etc/ecs/ecs.config", false},
		{"#!/bin/bash -x -e\necho ECS_CLUSTER=prod >> /etc/ecs/ecs.config\n", false},
		{"#!/usr/bin/env bash -xe\necho hi\n", false},
		{"#!/bin/bash -xe\necho ECS_CLUSTER=prod >> /etc/ecs/ecs.config\n", true},
		{"#!/bin/bash\r\necho ECS_CLUSTER=prod >> /etc/ecs/ecs.config\r\n", true},
		{"#!/bin/bash -xe   \necho hi\n", true},
		{"#!/usr/bin/env -S bash -xe\necho hi\n", true},
		{"#!/usr/bin/python3 -u x y\nprint(1)\n", true},
		{"[settings.ecs]\ncluster = \"prod\"\n", true},
		{"ECS_CLUSTER=prod", true},
	} {
		why := UserDataScriptNotRun(c.text)
		if (why == "") != c.runs {
			t.Errorf("%q: %q, want runs %v", c.text, why, c.runs)
		}
		if !c.runs && strings.Contains(c.text, "ECS_CLUSTER=prod") && UserDataECSCluster(c.text) != "" {
			t.Errorf("%q: cluster %q, want none (the script never runs)", c.text, UserDataECSCluster(c.text))
		}
	}
}
