package model

import (
	"regexp"
	"strings"
	"testing"
)

// ecsClusterRE is what ecsConfigCluster writes out by hand.
var ecsClusterRE = regexp.MustCompile(`ECS_CLUSTER=["']?([A-Za-z0-9_\-]{1,255})`)

func checkECSConfigCluster(t *testing.T, text string) {
	t.Helper()
	want := ""
	if m := ecsClusterRE.FindStringSubmatch(text); m != nil {
		want = m[1]
	}
	if got := ecsConfigCluster(text); got != want {
		t.Errorf("ecsConfigCluster(%q) = %q, the expression %q", text, got, want)
	}
}

var ecsConfigSeeds = []string{
	"#!/bin/bash\necho ECS_CLUSTER=prod >> /etc/ecs/ecs.config\n", `echo "ECS_CLUSTER='prod-1'" > x`, `ECS_CLUSTER="a_b-c"`,
	"ECS_CLUSTER=", "ECS_CLUSTER=\"", "ECS_CLUSTER='", `ECS_CLUSTER=""`, "ECS_CLUSTER=${CLUSTER}\nECS_CLUSTER=real",
	"ECS_CLUSTER=" + strings.Repeat("x", 300), "ECS_CLUSTER='" + strings.Repeat("y", 256) + "'", "ECS_CLUSTER=a.b",
	"XECS_CLUSTER=ok", "ECS_CLUSTER=ECS_CLUSTER=x", "ECS_CLUSTER=\"\"x", "", "nothing here",
}

// TestECSConfigCluster: the hand-written scan agrees with the expression.
func TestECSConfigCluster(t *testing.T) {
	for _, s := range ecsConfigSeeds {
		checkECSConfigCluster(t, s)
	}
}

// FuzzECSConfigCluster: go test -fuzz FuzzECSConfigCluster ./internal/model
func FuzzECSConfigCluster(f *testing.F) {
	for _, s := range ecsConfigSeeds {
		f.Add(s)
	}
	f.Fuzz(checkECSConfigCluster)
}
