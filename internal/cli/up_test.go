package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ecsnet/ecsnet/internal/dataplane"
)

// TestMain lets the test binary stand in for ecsnet: with ECSNET_CLI_MAIN
// set it runs the command line (ecsnet up starts its background server
// by running its own executable); with ECSNET_CLI_SCRIPT it runs a shell
// script after making its (fresh) mount namespace private.
func TestMain(m *testing.M) {
	if os.Getenv("ECSNET_CLI_MAIN") != "" {
		os.Exit(Main())
	}
	if script := os.Getenv("ECSNET_CLI_SCRIPT"); script != "" {
		if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
			os.Stderr.WriteString("make mounts private: " + err.Error() + "\n")
			os.Exit(3)
		}
		err := syscall.Exec("/bin/sh", []string{"sh", "-e", script}, os.Environ())
		os.Stderr.WriteString("exec sh: " + err.Error() + "\n")
		os.Exit(3)
	}
	os.Exit(m.Run())
}

// ecsnet up, exec and down for real, in a fresh network and mount
// namespace of their own (nothing reaches the machine's /run/netns or
// network): the article's curl times out, the task's private address
// answers from the instance, the ALB answers 200 by its DNS name (the
// hosts file), down is idempotent and leaves nothing.
func TestUpExecDown(t *testing.T) {
	if !dataplane.Privileged() {
		t.Skip("skipped: needs CAP_NET_ADMIN")
	}
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("skipped: needs curl")
	}
	dir := t.TempDir()
	wd, _ := os.Getwd()
	root := filepath.Join(wd, "..", "..")
	script := filepath.Join(dir, "run.sh")
	body := `
D="--state-dir ` + dir + `/state --netns-dir ` + dir + `/netns"
ecsnet() { ECSNET_CLI_MAIN=1 "` + os.Args[0] + `" "$@"; }
cd "` + root + `"
# Whatever happens, no server outlives the test.
trap 'set +e; ecsnet down $D >/dev/null; ecsnet down $D --name alb >/dev/null; [ -n "$fg" ] && kill $fg 2>/dev/null; ecsnet down $D --name fg >/dev/null' EXIT
fg=
ecsnet up examples/seed/article.yaml $D
echo "== article"
ecsnet exec $D internet -- curl -sS -m 2 http://203.0.113.2:3000 || echo "curl exit $?"
echo "== private"
ecsnet exec $D ecs-asg/0 -- curl -sS -m 2 http://10.0.1.5:3000/
ecsnet up examples/seed/alb.yaml $D --name alb -q
echo "== alb"
ecsnet exec $D --name alb internet -- sh -c 'curl -sS -m 3 -o /dev/null -w "%{http_code}\n" http://$(tail -1 /etc/hosts | cut -f2)/'
ecsnet down $D
ecsnet down $D
ecsnet down $D --name alb
echo "== foreground"
ECSNET_CLI_MAIN=1 "` + os.Args[0] + `" up examples/seed/fargate.yaml $D --name fg --foreground -q > ` + dir + `/fg.out 2>&1 &
fg=$!
for i in $(seq 100); do grep -qs "is up" ` + dir + `/fg.out && break; sleep 0.1; done
ecsnet exec $D --name fg internet -- curl -sS -m 3 http://$(ECSNET_CLI_MAIN=1 "` + os.Args[0] + `" show examples/seed/fargate.yaml -o json | tr -d ' \n' | grep -o '"publicIp":"[0-9.]*"' | head -1 | cut -d'"' -f4):3000/
kill -TERM $fg
wait $fg && echo "foreground exit 0"
echo "== left"
ls ` + dir + `/netns
ls ` + dir + `/state
`
	if err := os.WriteFile(script, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "ECSNET_CLI_SCRIPT="+script)
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNET | syscall.CLONE_NEWNS}
	out, err := cmd.CombinedOutput()
	text := string(out)
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	for _, want := range []string{
		"system ecsnet is up: 6 namespaces",
		"== article\ncurl: (28) Connection timed out",
		"curl exit 28",
		"== private\nweb/0 web\n",
		"== alb\n200\n",
		"system ecsnet is down\nno system named ecsnet was up; nothing to remove\nsystem alb is down\n",
		"== foreground\nweb/0 web\nforeground exit 0\n== left\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if !strings.HasSuffix(text, "== left\n") {
		t.Errorf("something is left after down:\n%s", text[strings.LastIndex(text, "== left"):])
	}
}

// ecsnet up --follow for real (a namespace of its own, as above): the
// server reads the scenario again, follows a target moved from box-a to
// box-b in the file (new connections through the NLB reach box-b), and
// refuses a change beyond targets (a security group rule), which its
// follow file names.
func TestUpFollow(t *testing.T) {
	if !dataplane.Privileged() {
		t.Skip("skipped: needs CAP_NET_ADMIN")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("skipped: needs bash")
	}
	dir := t.TempDir()
	wd, _ := os.Getwd()
	root := filepath.Join(wd, "..", "..")
	script := filepath.Join(dir, "run.sh")
	body := `
D="--state-dir ` + dir + `/state --netns-dir ` + dir + `/netns"
ecsnet() { ECSNET_CLI_MAIN=1 "` + os.Args[0] + `" "$@"; }
cd "` + root + `"
trap 'set +e; ecsnet down $D --name fl >/dev/null' EXIT
cp internal/dataplane/testdata/nlb-retarget.yaml ` + dir + `/nlb.yaml
ecsnet up ` + dir + `/nlb.yaml $D --name fl --follow 200ms -q
ask() { ecsnet exec $D --name fl internet -- bash -c 'exec 3<>/dev/tcp/$(grep elb /etc/hosts | head -1 | cut -f2)/80; head -1 <&3'; }
echo "== first"; ask
sed -i 's/id: box-a, port: 22/id: box-b, port: 22/' ` + dir + `/nlb.yaml
for i in $(seq 100); do grep -qs "^.* ok: " ` + dir + `/state/fl/follow && break; sleep 0.1; done
echo "== moved"; ask
sed -i 's/ports: 22, group: nlb-sg/ports: 22-23, group: nlb-sg/' ` + dir + `/nlb.yaml
for i in $(seq 100); do grep -qs "^.* error: " ` + dir + `/state/fl/follow && break; sleep 0.1; done
cat ` + dir + `/state/fl/follow
echo "== after"; ask
`
	if err := os.WriteFile(script, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "ECSNET_CLI_SCRIPT="+script)
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNET | syscall.CLONE_NEWNS}
	out, err := cmd.CombinedOutput()
	text := string(out)
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	for _, want := range []string{
		"== first\nSSH-2.0-ecsnet box-a sshd",
		"== moved\nSSH-2.0-ecsnet box-b sshd",
		"error: the new state changes the system's tables, not only load balancer targets",
		"== after\nSSH-2.0-ecsnet box-b sshd",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
}
