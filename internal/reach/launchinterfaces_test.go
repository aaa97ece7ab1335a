package reach

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestSecondInterfaceAtLaunch: an instance launched with a second network
// interface (device index 1) in another subnet of its zone has both in
// the analyzer: each address is decided by its own interface's groups
// and subnet, and the instance has no public IPv4 address to be reached
// from the internet by (more than one interface at launch).
func TestSecondInterfaceAtLaunch(t *testing.T) {
	e := build(t, repoFile("examples/failures/docker0-vpc-cidr-overlap.yaml"))
	st, _ := e.Snapshot()
	ids := map[string]string{}
	for _, s := range st.Subnets {
		ids[s.Tags.Name()] = string(s.ID)
	}
	for _, g := range st.SecurityGroups {
		ids[g.Name] = string(g.ID)
	}
	for _, in := range []struct {
		name   string
		groups []model.SecurityGroupID
	}{{"two-nics", nil}, {"two-nics-open", []model.SecurityGroupID{model.SecurityGroupID(ids["hosts"])}}} {
		if _, err := e.RunInstances(engine.RunInstancesInput{ImageID: "ami-0abcdef1234567890", InstanceType: "m5.large", SubnetID: model.SubnetID(ids["public-a"]),
			SecurityGroupIDs: []model.SecurityGroupID{model.SecurityGroupID(ids["hosts"])}, Tags: model.Tags{"Name": in.name},
			MoreInterfaces: []engine.LaunchInterface{{DeviceIndex: 1, SubnetID: model.SubnetID(ids["data-a"]), Groups: in.groups}}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Converge(); err != nil {
		t.Fatal(err)
	}
	st, _ = e.Snapshot()
	second := map[string]string{}
	for _, n := range st.NetworkInterfaces {
		if n.Attachment != nil && n.Attachment.DeviceIndex == 1 {
			second[st.Instances[n.Attachment.InstanceID].Tags.Name()] = n.PrimaryIP().String()
		}
	}
	n := Compile(st)
	// The default group of the second interface admits only itself.
	check(t, probeSpec(t, n, "db-host", second["two-nics"]+":22", "tcp"), Timeout, CodeSGRulesMismatch)
	// hosts admits the VPC: through the data subnet's interface.
	checkClean(t, probeSpec(t, n, "db-host", second["two-nics-open"]+":22", "tcp"), Connected)
	checkClean(t, probeSpec(t, n, "neighbour", "two-nics-open:22", "tcp"), Connected)
	// public-a maps no public IPv4 here, and two interfaces get none anyway.
	for _, i := range st.Instances {
		if i.Tags.Name() == "two-nics" {
			if p, ok := st.NetworkInterfaces[i.PrimaryENI].PublicIP(); ok {
				t.Errorf("public IPv4 %s", p)
			}
		}
	}
}

// TestTwoInterfacesExpectations runs testdata/two-interfaces.yaml (a
// scenario instance's more_interfaces), and checks what the file cannot
// say: the proxy has no public IPv4 address, so no probe from the
// internet reaches it.
func TestTwoInterfacesExpectations(t *testing.T) {
	path := "testdata/two-interfaces.yaml"
	e := build(t, path)
	n := compileEngine(e)
	for _, x := range loadScenario(t, path) {
		r := probeSpec(t, n, x.From, x.To, x.Protocol)
		if string(r.Verdict) != x.Verdict {
			t.Errorf("%s → %s = %s, want %s (%s)\n%s", x.From, x.To, r.Verdict, x.Verdict, x.Note, r.Summary)
		}
	}
	st, _ := e.Snapshot()
	for _, i := range st.Instances {
		_, public := st.NetworkInterfaces[i.PrimaryENI].PublicIP()
		if want := i.Tags.Name() != "proxy" && i.Tags.Name() != "db" && i.Tags.Name() != "locked"; public != want {
			t.Errorf("%s: public IPv4 %v, want %v", i.Tags.Name(), public, want)
		}
	}
}
