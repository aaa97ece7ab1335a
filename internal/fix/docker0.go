package fix

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// docker0Candidates are the bips the fix offers, in order: the first
// whose network overlaps no VPC of the system (nor a peer's) is taken.
var docker0Candidates = []string{"192.168.254.1/24", "10.254.254.1/24", "100.127.254.1/24"}

// moveDocker0: a container instance's docker0 (Docker's default bridge,
// 172.17.0.0/16, or a bip that overlaps the VPC) takes the packet. The
// bip of a range no VPC uses moves it: the instance is stopped, its user
// data becomes a MIME multi-part whose cloud boothook writes the bip to
// /etc/docker/daemon.json (a boothook runs on every boot, before Docker
// starts; a changed shell script would not run again, "the updated user
// data is not run when you start the instance"), its old user data kept
// as the second part, and it is started. Its tasks stop with it; offered
// only when every bridge task on it belongs to a service, whose
// scheduler places it again. An Auto Scaling group's instance gets the
// bip in its group's launch template (moveDocker0Group).
func (f *finder) moveDocker0(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	eni := f.st.NetworkInterfaces[model.NetworkInterfaceID(x.Component.ID)]
	if eni == nil || eni.Attachment == nil {
		return nil
	}
	inst := f.st.Instances[eni.Attachment.InstanceID]
	if inst == nil || inst.State != model.InstanceRunning {
		return nil
	}
	if inst.AutoScalingGroup != "" {
		return f.moveDocker0Group(x, f.st.AutoScalingGroups[inst.AutoScalingGroup])
	}
	if strings.Contains(strings.ToLower(inst.UserData), "content-type: multipart") || f.standaloneBridgeTask(inst.ID) {
		return nil // a standalone task would not come back
	}
	bip := f.freeBip()
	if !bip.IsValid() {
		return nil
	}
	userData := docker0UserData(bip, inst.UserData)
	id := inst.ID
	name := cmp.Or(inst.Tags.Name(), string(id))
	return []Fix{{
		score: 40, Kind: "user-data",
		Title: fmt.Sprintf("Move Docker's bridge on %s to %s (bip in /etc/docker/daemon.json, from a cloud boothook in its user data)", name, bip.Masked()),
		Detail: "docker0's host route " + x.Address.String() + " falls in is more specific than the instance's default route, so the VPC's addresses in it are looked for on the bridge. " +
			"The Docker daemon reads bip when it starts: a cloud boothook runs on every boot before Docker starts, while a changed user data script does not run again on a restart. " +
			"The instance is stopped and started: its tasks stop, and its services place them again.",
		Commands: []string{
			"aws ec2 stop-instances --instance-ids " + string(id),
			"aws ec2 wait instance-stopped --instance-ids " + string(id),
			"cat > user-data.txt <<'EOF'\n" + userData + "EOF",
			"base64 -w0 user-data.txt > user-data.base64.txt",
			"aws ec2 modify-instance-attribute --instance-id " + string(id) + " --attribute userData --value file://user-data.base64.txt",
			"aws ec2 start-instances --instance-ids " + string(id),
		},
		Scenario: fmt.Sprintf("instances:\n  %s:\n    user_data: |\n%s", name, indent(userData, "      ")),
		apply: func(e *engine.Engine) error {
			if _, err := e.StopInstances([]model.InstanceID{id}); err != nil {
				return err
			}
			if err := e.Converge(); err != nil {
				return err
			}
			if err := e.ModifyInstanceAttribute(engine.ModifyInstanceAttributeInput{ID: id, UserData: &userData}); err != nil {
				return err
			}
			_, err := e.StartInstances([]model.InstanceID{id})
			return err
		},
	}}
}

// standaloneBridgeTask reports whether a bridge task no service owns runs
// on the instance: stopped with it, it would not come back.
func (f *finder) standaloneBridgeTask(id model.InstanceID) bool {
	for _, tk := range f.st.Tasks {
		if !tk.Active() || tk.NetworkMode != model.NetworkModeBridge || tk.ServiceName != "" {
			continue
		}
		if ci := f.st.ContainerInstances[tk.ContainerInstanceARN]; ci != nil && ci.EC2InstanceID == id {
			return true
		}
	}
	return false
}

// freeBip is the first of docker0Candidates whose network no VPC of the
// system overlaps (invalid when none).
func (f *finder) freeBip() netip.Prefix {
	for _, c := range docker0Candidates {
		if p := netip.MustParsePrefix(c); !f.anyVPCOverlaps(p.Masked()) {
			return p
		}
	}
	return netip.Prefix{}
}

// followedTemplate is the launch template an Auto Scaling group follows,
// its version the group launches now, and that version's name for
// CreateLaunchTemplateVersion's source ("$Default" or "$Latest"): a new
// default version is what the group's next instances get. ok is false
// for a group of no launch template, or pinned to a version (a new
// version would need the group changed too).
func (f *finder) followedTemplate(g *model.AutoScalingGroup) (lt *model.LaunchTemplate, v model.LaunchTemplateVersion, source string, ok bool) {
	if g == nil || g.LaunchTemplate == nil {
		return nil, v, "", false
	}
	switch strings.ToLower(g.LaunchTemplate.Version) {
	case "", "$default":
		source = "$Default"
	case "$latest":
		source = "$Latest"
	default:
		return nil, v, "", false
	}
	for _, t := range f.st.LaunchTemplates {
		if t.ID == g.LaunchTemplate.ID || (g.LaunchTemplate.ID == "" && t.Name == g.LaunchTemplate.Name) {
			lt = t
		}
	}
	if lt == nil {
		return nil, v, "", false
	}
	v, ok = lt.Version(g.LaunchTemplate.Version)
	return lt, v, source, ok
}

// moveDocker0Group is moveDocker0 for an instance of an Auto Scaling
// group: a changed instance would be replaced from the group's launch
// template, which is where the bip goes. A new version of the template
// whose user data is the cloud boothook and the old user data, made the
// default, and an instance refresh that replaces the group's instances
// (an instance's tasks stop with it, and their services place them
// again). Offered for a group that launches the template's default or
// latest version (a pinned version would need the group changed too),
// and when no standalone bridge task runs on its instances.
func (f *finder) moveDocker0Group(x reach.Explanation, g *model.AutoScalingGroup) []Fix {
	lt, v, source, ok := f.followedTemplate(g)
	if !ok {
		return nil
	}
	old, err := base64.StdEncoding.DecodeString(v.Data.UserData)
	if err != nil || strings.Contains(strings.ToLower(string(old)), "content-type: multipart") {
		return nil
	}
	var ids []model.InstanceID
	launched := 0 // the group's instances, terminated ones too: they keep their names
	for _, inst := range f.st.Instances {
		if inst.AutoScalingGroup != g.Name {
			continue
		}
		launched++
		if inst.State != model.InstanceTerminated {
			if f.standaloneBridgeTask(inst.ID) {
				return nil
			}
			ids = append(ids, inst.ID)
		}
	}
	bip := f.freeBip()
	if !bip.IsValid() || len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	userData := docker0UserData(bip, string(old))
	title := fmt.Sprintf("Move Docker's bridge on the instances of %s to %s (bip in /etc/docker/daemon.json, from a cloud boothook in a new version of launch template %s), and replace them",
		g.Name, bip.Masked(), lt.Name)
	detail := "docker0's host route " + x.Address.String() + " falls in is more specific than the instance's default route, so the VPC's addresses in it are looked for on the bridge. " +
		"The Docker daemon reads bip when it starts; the group launches its instances from the launch template, so the bip goes in the template's user data " +
		"(a cloud boothook runs on every boot before Docker starts), and an instance refresh replaces the running instances: their tasks stop, and their services place them again."
	return []Fix{f.userDataReplacement(g.Name, lt, source, userData, ids, launched, title, detail)}
}

// userDataReplacement is the fix that gives the instances of Auto Scaling
// group group new user data: a new version of the launch template lt it
// follows (from source, "$Default" or "$Latest") with userData, made the
// default, and an instance refresh that replaces the instances ids. It is
// verified by the probe again from the group's first replacement (named
// <group>/<n> by launch order, after the launched instances it replaced),
// when the probe started on one of the group's instances.
func (f *finder) userDataReplacement(group string, lt *model.LaunchTemplate, source, userData string, ids []model.InstanceID, launched int, title, detail string) Fix {
	encoded := base64.StdEncoding.EncodeToString([]byte(userData))
	ref := model.LaunchTemplateRef{ID: lt.ID}
	return Fix{
		score: 40, Kind: "user-data", Title: title, Detail: detail,
		Commands: []string{
			"cat > user-data.txt <<'EOF'\n" + userData + "EOF",
			fmt.Sprintf("aws ec2 create-launch-template-version --launch-template-id %s --source-version '%s' --launch-template-data \"{\\\"UserData\\\":\\\"$(base64 -w0 user-data.txt)\\\"}\"    # → VersionNumber", lt.ID, source),
			fmt.Sprintf("aws ec2 modify-launch-template --launch-template-id %s --default-version <VersionNumber>", lt.ID),
			"aws autoscaling start-instance-refresh --auto-scaling-group-name " + group,
		},
		Scenario: fmt.Sprintf("launch_templates:\n  %s:\n    user_data: |\n%s", lt.Name, indent(userData, "      ")),
		apply: func(e *engine.Engine) error {
			_, num, err := e.CreateLaunchTemplateVersion(ref, "", source, model.LaunchTemplateData{UserData: encoded})
			if err != nil {
				return err
			}
			if _, err := e.ModifyLaunchTemplate(ref, strconv.Itoa(num)); err != nil {
				return err
			}
			return replaceInstances(e, ids)
		},
		Verification: f.fromReplacement(group, launched),
	}
}

// fromReplacement is the verification query of a fix that replaces the
// instances of group: the probe's, from the first instance the group
// launches next (its name, "<group>/<launched>"), when the probe started
// on an instance of the group; from the task's service when it started on
// a service's task on one (the service places another); else the probe's
// own (a zero Verification).
func (f *finder) fromReplacement(group string, launched int) Verification {
	if tk := f.st.Tasks[f.q.From.ARN]; tk != nil && f.q.From.ARN != "" {
		// A service's task on one of the group's instances stops with
		// it; its service places another on a replacement: the probe
		// again from the service (its running task).
		if s := f.serviceOf(tk); s != nil {
			if ci := f.st.ContainerInstances[tk.ContainerInstanceARN]; ci != nil && f.st.Instances[ci.EC2InstanceID] != nil && f.st.Instances[ci.EC2InstanceID].AutoScalingGroup == group {
				return Verification{From: s.Name, To: f.to, Protocol: f.proto}
			}
		}
		return Verification{}
	}
	if !strings.HasPrefix(f.from, group+"/") {
		if inst := f.st.Instances[model.InstanceID(f.from)]; inst == nil || inst.AutoScalingGroup != group {
			return Verification{}
		}
	}
	return Verification{From: group + "/" + strconv.Itoa(launched), To: f.to, Protocol: f.proto}
}

// anyVPCOverlaps reports whether p overlaps a CIDR of any VPC of the
// system (its peers' too: they are in it).
func (f *finder) anyVPCOverlaps(p netip.Prefix) bool {
	for _, v := range f.st.VPCs {
		for _, c := range v.CIDRs() {
			if c.Overlaps(p) {
				return true
			}
		}
	}
	return false
}

// docker0UserData is a MIME multi-part user data: a cloud boothook that
// writes bip to /etc/docker/daemon.json, then old (the instance's user
// data, a script, cloud-config or boothook by its first line).
func docker0UserData(bip netip.Prefix, old string) string {
	const boundary = "==ECSNET-DOCKER0=="
	var b strings.Builder
	b.WriteString("Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\nMIME-Version: 1.0\n\n")
	b.WriteString("--" + boundary + "\nContent-Type: text/cloud-boothook; charset=\"us-ascii\"\n\n")
	b.WriteString("#cloud-boothook\nmkdir -p /etc/docker\necho '{\"bip\": \"" + bip.String() + "\"}' > /etc/docker/daemon.json\n\n")
	if old != "" {
		kind := "text/x-shellscript"
		switch {
		case strings.HasPrefix(old, "#cloud-config"):
			kind = "text/cloud-config"
		case strings.HasPrefix(old, "#cloud-boothook"):
			kind = "text/cloud-boothook"
		}
		b.WriteString("--" + boundary + "\nContent-Type: " + kind + "; charset=\"us-ascii\"\n\n")
		b.WriteString(strings.TrimSuffix(old, "\n") + "\n\n")
	}
	b.WriteString("--" + boundary + "--\n")
	return b.String()
}

// indent puts prefix before every line of s.
func indent(s, prefix string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if l != "" {
			b.WriteString(prefix + l)
		}
	}
	return b.String()
}
