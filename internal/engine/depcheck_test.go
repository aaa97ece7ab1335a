package engine_test

import (
	"encoding/base64"
	"errors"
	"net/netip"
	"testing"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var ae *apierr.Error
	if !errors.As(err, &ae) || ae.Code != code {
		t.Fatalf("got %v, want %s", err, code)
	}
}

// TestDependencyChecks: DeleteSubnet, DeleteSecurityGroup,
// DetachInternetGateway and DeleteCluster refuse while something depends
// on the resource and succeed once it is gone (the checks read indexes
// kept in step with every change, not a walk of the estate), and
// RegisterContainerInstance of a registered instance returns its
// registration.
func TestDependencyChecks(t *testing.T) {
	e := engine.New(engine.WithIDs(engine.SeededIDs(3)))
	vpc := must(e.CreateVpc(engine.CreateVpcInput{CIDR: "10.0.0.0/16"}))
	sub := must(e.CreateSubnet(engine.CreateSubnetInput{VpcID: vpc.ID, CIDR: "10.0.1.0/24", AvailabilityZone: "us-east-1a"}))
	igw := must(e.CreateInternetGateway(nil))
	ntNoErr(t, e.AttachInternetGateway(igw.ID, vpc.ID))
	sg := must(e.CreateSecurityGroup(engine.CreateSecurityGroupInput{VpcID: vpc.ID, Name: "web", Description: "web"}))
	eni := must(e.CreateNetworkInterface(engine.CreateNetworkInterfaceInput{SubnetID: sub.ID, SecurityGroups: []model.SecurityGroupID{sg.ID, sg.ID}}))
	addr := must(e.AllocateAddress(netip.Addr{}, nil))
	assoc := must(e.AssociateAddress(engine.AssociateAddressInput{AllocationID: addr.AllocationID, NetworkInterfaceID: eni.ID}))

	wantCode(t, e.DeleteSubnet(sub.ID), "DependencyViolation")
	wantCode(t, e.DeleteSecurityGroup(sg.ID), "DependencyViolation")
	wantCode(t, e.DetachInternetGateway(igw.ID, vpc.ID), "DependencyViolation")
	ntNoErr(t, e.DisassociateAddress(assoc))
	ntNoErr(t, e.DetachInternetGateway(igw.ID, vpc.ID))
	ntNoErr(t, e.DeleteNetworkInterface(eni.ID))
	ntNoErr(t, e.DeleteSecurityGroup(sg.ID))

	// A cluster with a container instance, then a task.
	must(e.CreateCluster(engine.CreateClusterInput{Name: "c"}))
	inst := must(e.RunInstances(engine.RunInstancesInput{ImageID: "ami-12345678", InstanceType: "m5.large", MinCount: 1, MaxCount: 1, SubnetID: sub.ID,
		UserData: base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho ECS_CLUSTER=c >> /etc/ecs/ecs.config\n"))}))
	ntNoErr(t, e.Converge())
	id := inst.Instances[0].ID
	ci := must(e.RegisterContainerInstance(engine.RegisterContainerInstanceInput{Cluster: "c", InstanceID: id}))
	if again := must(e.RegisterContainerInstance(engine.RegisterContainerInstanceInput{Cluster: "c", InstanceID: id})); again.ARN != ci.ARN {
		t.Errorf("registering again gave %s, want the registration %s", again.ARN, ci.ARN)
	}
	must(e.RegisterTaskDefinition(engine.RegisterTaskDefinitionInput{Family: "web", NetworkMode: "bridge", Memory: "128",
		Containers: []model.ContainerDefinition{{Name: "web", Image: "nginx", Essential: true}}}))
	out := must(e.RunTask(engine.RunTaskInput{Cluster: "c", TaskDefinition: "web", Count: 1, LaunchType: model.LaunchEC2}))
	_, err := e.DeleteCluster("c")
	wantCode(t, err, "ClusterContainsContainerInstancesException")
	must(e.DeregisterContainerInstance("c", ci.ARN, true))
	_, err = e.DeleteCluster("c")
	if len(out.Tasks) == 1 {
		// Deregistering with force stops the task; until it has stopped it
		// is active.
		var active bool
		e.Read(func(st *model.State) { active = st.Tasks[out.Tasks[0].ARN].Active() })
		if active {
			wantCode(t, err, "ClusterContainsTasksException")
			ntNoErr(t, e.Converge())
			_, err = e.DeleteCluster("c")
		}
	}
	ntNoErr(t, err)
	wantCode(t, e.DeleteSubnet(sub.ID), "DependencyViolation") // the instance's ENI
}
