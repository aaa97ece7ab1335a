package engine_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// CreateImage needs an instance that is running, stopping or stopped: a
// pending one is refused with AWS's text. The image's root snapshot then
// cannot be deleted until the image is deregistered, and a launch from the
// deregistered image is refused.
func TestCreateImageInstanceStates(t *testing.T) {
	e := engine.New(engine.WithConfig(engine.Config{DefaultVPC: true}))
	r := must(e.RunInstances(engine.RunInstancesInput{ImageID: "ami-12345678"}))
	id := r.Instances[0].ID
	_, err := e.CreateImage(engine.CreateImageInput{InstanceID: id, Name: "early"})
	wantErr(t, err, "InvalidParameterValue", "Invalid value '"+string(id)+"' for instanceId. Instance is not in state 'running' or 'stopping' or 'stopped'")
	if err := e.Converge(); err != nil {
		t.Fatal(err)
	}
	im := must(e.CreateImage(engine.CreateImageInput{InstanceID: id, Name: "running"}))
	if len(im.BlockDevices) != 1 || im.BlockDevices[0].Device != "/dev/xvda" || im.BlockDevices[0].SizeGiB != 8 {
		t.Fatalf("image mappings %+v", im.BlockDevices)
	}
	snap := im.BlockDevices[0].SnapshotID
	wantErr(t, e.DeleteSnapshot(snap), "InvalidSnapshot.InUse", "The snapshot "+string(snap)+" is currently in use by "+string(im.ID))
	must(e.TerminateInstances([]model.InstanceID{id}))
	if err := e.Converge(); err != nil {
		t.Fatal(err)
	}
	_, err = e.CreateImage(engine.CreateImageInput{InstanceID: id, Name: "gone"})
	wantErr(t, err, "InvalidParameterValue", "Invalid value '"+string(id)+"' for instanceId. Instance is not in state 'running' or 'stopping' or 'stopped'")
	if err := e.DeregisterImage(im.ID, false); err != nil {
		t.Fatal(err)
	}
	wantErr(t, e.DeregisterImage(im.ID, false), "InvalidAMIID.Unavailable", "The image id '["+string(im.ID)+"]' is no longer available")
	_, err = e.RunInstances(engine.RunInstancesInput{ImageID: string(im.ID)})
	wantErr(t, err, "InvalidAMIID.NotFound", "The image id '["+string(im.ID)+"]' does not exist")
	if err := e.DeleteSnapshot(snap); err != nil {
		t.Fatal(err)
	}
}
