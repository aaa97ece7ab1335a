package fix

import (
	"cmp"
	"fmt"
	"net/netip"
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
// scheduler places it again, and for an instance no Auto Scaling group
// owns (its launch template is the place for those).
func (f *finder) moveDocker0(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	eni := f.st.NetworkInterfaces[model.NetworkInterfaceID(x.Component.ID)]
	if eni == nil || eni.Attachment == nil {
		return nil
	}
	inst := f.st.Instances[eni.Attachment.InstanceID]
	if inst == nil || inst.State != model.InstanceRunning || inst.AutoScalingGroup != "" || strings.Contains(strings.ToLower(inst.UserData), "content-type: multipart") {
		return nil
	}
	for _, tk := range f.st.Tasks {
		if !tk.Active() || tk.NetworkMode != model.NetworkModeBridge || tk.ServiceName != "" {
			continue
		}
		if ci := f.st.ContainerInstances[tk.ContainerInstanceARN]; ci != nil && ci.EC2InstanceID == inst.ID {
			return nil // a standalone task would not come back
		}
	}
	var bip netip.Prefix
	for _, c := range docker0Candidates {
		p := netip.MustParsePrefix(c)
		if !f.anyVPCOverlaps(p.Masked()) {
			bip = p
			break
		}
	}
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
