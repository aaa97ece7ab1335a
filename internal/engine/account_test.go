package engine_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// A new account's engine (Config.DefaultVPC) has the default VPC; Reset
// makes a new one, Clear leaves nothing.
func TestDefaultVpcEngine(t *testing.T) {
	e := engine.New(engine.WithConfig(engine.Config{Region: "eu-west-1", DefaultVPC: true}))
	v := e.DefaultVpc()
	if v == nil || v.CIDR.String() != "172.31.0.0/16" {
		t.Fatalf("default VPC %+v", v)
	}
	n := 0
	e.Read(func(st *model.State) { n = len(st.Subnets) })
	if n != len(e.AvailabilityZones()) {
		t.Errorf("%d default subnets for %d zones", n, len(e.AvailabilityZones()))
	}
	if err := e.Reset(); err != nil {
		t.Fatal(err)
	}
	if w := e.DefaultVpc(); w == nil || w.ID == v.ID {
		t.Errorf("after Reset: %+v", w)
	}
	if err := e.Clear(); err != nil {
		t.Fatal(err)
	}
	if e.DefaultVpc() != nil {
		t.Error("Clear kept a default VPC")
	}
	if engine.New().DefaultVpc() != nil {
		t.Error("an engine without Config.DefaultVPC has a default VPC")
	}
}

// A pending instance cannot be stopped (AWS: "cannot be stopped as it has
// never reached the 'running' state").
func TestStopPendingInstance(t *testing.T) {
	e := engine.New(engine.WithConfig(engine.Config{DefaultVPC: true}))
	r := must(e.RunInstances(engine.RunInstancesInput{ImageID: "ami-12345678"}))
	id := r.Instances[0].ID
	_, err := e.StopInstances([]model.InstanceID{id})
	wantErr(t, err, "IncorrectInstanceState", "Instance '"+string(id)+"' cannot be stopped as it has never reached the 'running' state.")
	if err := e.Converge(); err != nil {
		t.Fatal(err)
	}
	must(e.StopInstances([]model.InstanceID{id}))
	_, err = e.StartInstances([]model.InstanceID{id})
	wantErr(t, err, "IncorrectInstanceState", "The instance '"+string(id)+"' is not in a state from which it can be started.")
	must(e.TerminateInstances([]model.InstanceID{id}))
	_, err = e.StopInstances([]model.InstanceID{id})
	wantErr(t, err, "IncorrectInstanceState", "This instance '"+string(id)+"' is not in a state from which it can be stopped.")
}
