package fix

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// efsOneZoneSubnets: a One Zone file system has its one mount target in
// its own Availability Zone, and CreateMountTarget in another zone fails
// ("One Zone file systems ... can have only a single mount target, in the
// Availability Zone in which the file system is located", Amazon EFS User
// Guide, "Managing mount targets"), so a service whose tasks run in other
// zones is fixed by running it only in its subnets of the file system's
// zone (UpdateService, a new deployment), or, without one there, in the
// VPC's subnets of that zone that route as the service's do. Without
// those, the remedy is a Regional file system, not a change here.
func (f *finder) efsOneZoneSubnets(x reach.Explanation, sf *reach.StartFailure) (Fix, bool) {
	fs := f.st.FileSystems[sf.FileSystem]
	if fs == nil || fs.AvailabilityZone == "" || x.Tasks == nil {
		return Fix{}, false
	}
	svc := f.serviceNamed(x.Tasks.Service)
	if svc == nil {
		return Fix{}, false
	}
	cur := runNetwork(svc, nil)
	if cur == nil || len(cur.Subnets) == 0 {
		return Fix{}, false
	}
	first := f.st.Subnets[cur.Subnets[0]]
	if first == nil {
		return Fix{}, false
	}
	var ids []model.SubnetID
	for _, id := range cur.Subnets {
		if sn := f.st.Subnets[id]; sn != nil && sn.AvailabilityZone == fs.AvailabilityZone {
			ids = append(ids, id)
		}
	}
	if len(ids) == len(cur.Subnets) {
		return Fix{}, false
	}
	if len(ids) == 0 {
		// None of the service's subnets is in the zone: the VPC's subnets
		// there that route as the service's first does (the same default
		// route target), so that its egress does not change.
		want := defaultRouteTarget(f.st, first.ID)
		for _, sn := range f.st.Subnets {
			if sn.VpcID == first.VpcID && sn.AvailabilityZone == fs.AvailabilityZone && defaultRouteTarget(f.st, sn.ID) == want {
				ids = append(ids, sn.ID)
			}
		}
		if len(ids) == 0 {
			return Fix{}, false
		}
		slices.SortFunc(ids, func(a, b model.SubnetID) int { return strings.Compare(f.subnetName(a), f.subnetName(b)) })
	}
	var names, idStrs []string
	for _, id := range ids {
		names = append(names, f.subnetName(id))
		idStrs = append(idStrs, string(id))
	}
	var sgStrs []string
	for _, g := range cur.SecurityGroups {
		sgStrs = append(sgStrs, string(g))
	}
	network := model.AwsVpcConfiguration{Subnets: ids, SecurityGroups: slices.Clone(cur.SecurityGroups), AssignPublicIP: cur.AssignPublicIP}
	cmds, apply, ok := f.runIn(svc, network, idStrs, sgStrs)
	if !ok {
		return Fix{}, false
	}
	return Fix{
		score: 12, Kind: "efs",
		Title: fmt.Sprintf("Run the service %s in the subnets %s, in %s, the zone of the One Zone file system %s",
			svc.Name, strings.Join(names, ", "), fs.AvailabilityZone, fs.Tags.NameOr(fs.ID)),
		Detail: "A One Zone file system has a single mount target, in its own Availability Zone; its DNS name resolves only there, and no mount target " +
			"can be created in another zone. Tasks in other zones cannot mount it: run them in the file system's zone, or move the data to a Regional file system with a mount target in each zone.",
		Commands: cmds,
		Scenario: fmt.Sprintf("services:\n  %s:\n    subnets: [%s]\n", svc.Name, strings.Join(names, ", ")),
		apply:    apply,
	}, true
}

// defaultRouteTarget is the target of the IPv4 default route of a
// subnet's route table ("" without one).
func defaultRouteTarget(st *model.State, id model.SubnetID) string {
	if rt := st.SubnetRouteTable(id); rt != nil {
		for _, r := range rt.Routes {
			if r.Destination.IsValid() && r.Destination.Bits() == 0 && r.Destination.Addr().Is4() {
				return r.TargetID
			}
		}
	}
	return ""
}
