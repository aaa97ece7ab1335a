package engine

import (
	"encoding/base64"
	"maps"
	"reflect"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TestIndexesMatchRebuild: the indexes kept in step by every change (trunk
// VLANs, addresses per subnet, attachment ids, ACTIVE container instances
// per cluster, RunTask client tokens) equal the ones rebuilt from the
// state, after tasks on trunked instances start and stop, ENIs are
// attached and detached and a transaction is undone.
func TestIndexesMatchRebuild(t *testing.T) {
	e := New(WithIDs(SeededIDs(5)))
	check := func(when string) {
		t.Helper()
		var fresh indexes
		e.Read(func(st *model.State) { fresh.rebuild(st) })
		x := &e.idx
		hostTasks := func(x *indexes) map[string]map[string]struct{} {
			out := map[string]map[string]struct{}{}
			for ci, u := range x.hosts {
				if len(u.arns) > 0 {
					out[ci] = u.arns
				}
			}
			return out
		}
		for name, pair := range map[string][2]any{
			"hosts' tasks":    {hostTasks(x), hostTasks(&fresh)},
			"trunkVLANs":      {x.trunkVLANs, fresh.trunkVLANs},
			"subnetAddrs":     {x.subnetAddrs, fresh.subnetAddrs},
			"attachments":     {x.attachments, fresh.attachments},
			"activeCIs":       {x.activeCIs, fresh.activeCIs},
			"clientTokens":    {x.clientTokens, fresh.clientTokens},
			"subnetENIs":      {x.subnetENIs, fresh.subnetENIs},
			"vpcPublicENIs":   {x.vpcPublicENIs, fresh.vpcPublicENIs},
			"sgENIs":          {x.sgENIs, fresh.sgENIs},
			"clusterTasks":    {x.clusterTasks, fresh.clusterTasks},
			"daemonTDTasks":   {x.daemonTDTasks, fresh.daemonTDTasks},
			"clusterCIs":      {x.clusterCIs, fresh.clusterCIs},
			"instanceCIs":     {x.instanceCIs, fresh.instanceCIs},
			"awaiting":        {x.awaiting, fresh.awaiting},
			"clusterAwaiting": {x.clusterAwaiting, fresh.clusterAwaiting},
		} {
			if !reflect.DeepEqual(pair[0], pair[1]) {
				t.Errorf("%s: %s kept %v, rebuilt %v", when, name, pair[0], pair[1])
			}
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	vpc, err := e.CreateVpc(CreateVpcInput{CIDR: "10.0.0.0/16"})
	must(err)
	sub, err := e.CreateSubnet(CreateSubnetInput{VpcID: vpc.ID, CIDR: "10.0.0.0/24", AvailabilityZone: "us-east-1a"})
	must(err)
	_, err = e.PutAccountSetting("awsvpcTrunking", "enabled", "")
	must(err)
	_, err = e.CreateCluster(CreateClusterInput{Name: "c"})
	must(err)
	_, err = e.RunInstances(RunInstancesInput{ImageID: "ami-12345678", InstanceType: "m5.xlarge", MinCount: 2, MaxCount: 2, SubnetID: sub.ID,
		UserData: base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho ECS_CLUSTER=c >> /etc/ecs/ecs.config\n"))})
	must(err)
	must(e.Converge())
	check("instances registered")
	_, err = e.RegisterTaskDefinition(RegisterTaskDefinitionInput{Family: "web", NetworkMode: "awsvpc", CPU: "256", Memory: "512",
		Containers: []model.ContainerDefinition{{Name: "web", Image: "nginx", Essential: true}}})
	must(err)
	netw := &model.AwsVpcConfiguration{Subnets: []model.SubnetID{sub.ID}}
	out, err := e.RunTask(RunTaskInput{Cluster: "c", TaskDefinition: "web", Count: 10, LaunchType: model.LaunchEC2, Network: netw, ClientToken: "tok"})
	must(err)
	must(e.Converge())
	check("tasks running")
	if _, err := e.RunTask(RunTaskInput{Cluster: "c", TaskDefinition: "web", Count: 10, LaunchType: model.LaunchEC2, Network: netw, ClientToken: "tok"}); err != nil {
		t.Fatal(err)
	}
	for _, tk := range out.Tasks[:4] {
		_, err := e.StopTask("c", tk.ARN, "done")
		must(err)
	}
	must(e.Converge())
	check("tasks stopped")
	eni, err := e.CreateNetworkInterface(CreateNetworkInterfaceInput{SubnetID: sub.ID})
	must(err)
	var inst model.InstanceID
	e.Read(func(st *model.State) {
		for id := range maps.Keys(st.Instances) {
			inst = id
		}
	})
	att, err := e.AttachNetworkInterface(eni.ID, inst, 3)
	must(err)
	check("attached")
	// An undone transaction leaves the indexes as they were.
	_ = e.write(func(t *txn) error {
		t.deleteENI(eni.ID)
		return errTGNotFound()
	})
	check("undone")
	must(e.DetachNetworkInterface(att))
	must(e.DeleteNetworkInterface(eni.ID))
	check("detached and deleted")
	if n := len(e.idx.trunkVLANs); n == 0 {
		t.Error("no trunk VLAN in use: the test did not exercise trunking")
	}
}
