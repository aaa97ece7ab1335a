package model

import (
	"net/netip"
	"regexp"
	"strings"
)

// DockerDefaultBridge is docker0's address on a host whose Docker daemon
// sets no bip: 172.17.0.1/16, the host routing 172.17.0.0/16 to docker0
// (https://docs.docker.com/engine/network/drivers/bridge/).
func DockerDefaultBridge() netip.Prefix {
	return netip.PrefixFrom(netip.AddrFrom4([4]byte{172, 17, 0, 1}), 16)
}

// DockerBridge is docker0's address and prefix on an instance: the bip
// its user data gives the Docker daemon when that takes effect
// (UserDataDockerBIP), else DockerDefaultBridge.
func (i *Instance) DockerBridge() netip.Prefix {
	if bip, why := UserDataDockerBIP(i.UserData); bip.IsValid() && why == "" {
		return bip
	}
	return DockerDefaultBridge()
}

// bipPattern finds a bip: "bip": "A.B.C.D/N" in /etc/docker/daemon.json
// (its quotes possibly escaped, as an echo writes them), or dockerd's
// --bip A.B.C.D/N (OPTIONS in /etc/sysconfig/docker).
var bipPattern = regexp.MustCompile(`(?:\\?["']bip\\?["']\s*:\s*\\?["']|--bip[= ]+["']?)([0-9]{1,3}(?:\.[0-9]{1,3}){3}/[0-9]{1,2})`)

// dockerRestart finds a restart of the Docker daemon in a shell script.
var dockerRestart = regexp.MustCompile(`systemctl\s+(?:--no-block\s+)?(?:restart|try-restart|reload-or-restart)\s+(?:--no-block\s+)?docker\b|service\s+docker\s+restart|systemctl\s+stop\s+docker\b[\s\S]*systemctl\s+(?:--no-block\s+)?start\s+(?:--no-block\s+)?docker\b`)

// UserDataDockerBIP returns the bip (docker0's address and prefix) that
// an instance's user data (decoded; gzip decompressed: CloudInitText) gives its Docker daemon, and
// why it does not take effect ("" when it does). The Docker daemon reads
// its configuration when it starts, which on the ECS-optimized AMIs is
// before a user data shell script runs: a script's bip counts only when
// the script restarts Docker after writing it (AWS's example ends with
// systemctl restart docker --no-block), while a cloud boothook runs
// before Docker starts, and so (a choice) does cloud-config's
// write_files. A MIME multi-part user data is judged by the part the bip
// is in. A bip whose address is its network's first (Docker cannot use
// it as the bridge's gateway) or not IPv4 is refused by Docker. The zero
// prefix when the user data gives none.
func UserDataDockerBIP(text string) (netip.Prefix, string) {
	text = CloudInitText(text)
	if !strings.Contains(text, "bip") {
		return netip.Prefix{}, ""
	}
	m := bipPattern.FindStringSubmatchIndex(text)
	if m == nil {
		return netip.Prefix{}, ""
	}
	bip, err := netip.ParsePrefix(text[m[2]:m[3]])
	switch {
	case err != nil || !bip.Addr().Is4() || bip.Bits() < 8 || bip.Bits() > 30:
		return netip.Prefix{}, "the Docker daemon refuses the bip \"" + text[m[2]:m[3]] + "\": it takes an IPv4 address and a prefix length of 8 to 30"
	case bip.Addr() == bip.Masked().Addr():
		return netip.Prefix{}, "the Docker daemon refuses the bip " + bip.String() + ": it is docker0's own address, the gateway of its containers, and cannot be the network's first address"
	}
	switch userDataPartKind(text[:m[0]]) {
	case "boothook", "cloud-config":
		return bip, ""
	case "script":
		if UserDataScriptNotRun(text) != "" {
			return bip, "the user data's script never runs"
		}
		if !dockerRestart.MatchString(text[m[1]:]) {
			return bip, "the user data's script writes the bip " + bip.String() + " after the Docker daemon has started and does not restart it (systemctl restart docker), so docker0 keeps " + DockerDefaultBridge().String()
		}
		return bip, ""
	}
	return bip, "the user data is neither a script, a cloud boothook nor cloud-config, so cloud-init does not run it"
}

// userDataPartKind is the kind of user data (or of its MIME part) that
// ends with before: "script", "boothook", "cloud-config" or "".
func userDataPartKind(before string) string {
	for {
		i := strings.LastIndexByte(before, '\n')
		line := strings.TrimSpace(before[i+1:])
		switch {
		case strings.HasPrefix(line, "#cloud-boothook"), strings.EqualFold(line, "Content-Type: text/cloud-boothook"):
			return "boothook"
		case strings.HasPrefix(line, "#cloud-config"), strings.HasPrefix(strings.ToLower(line), "content-type: text/cloud-config"):
			return "cloud-config"
		case strings.HasPrefix(line, "#!"), strings.HasPrefix(strings.ToLower(line), "content-type: text/x-shellscript"):
			return "script"
		}
		if i < 0 {
			return ""
		}
		before = before[:i]
	}
}
