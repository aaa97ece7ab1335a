package dataplane

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// The instance metadata service (IMDS, 169.254.169.254:80). On AWS it is
// the instance's hypervisor, one hop from the instance: no security
// group, network ACL or route table applies to it. Here each live
// instance whose metadata endpoint is on gets a namespace of its own
// (role "imds") holding 169.254.169.254, linked to the instance's
// namespace (and to each awsvpc task's on it, whose ENI is the
// instance's: one hop too) by a veth of link-local transit addresses.
// A container of a bridge mode task is behind docker0, so its requests
// leave the instance masqueraded and the answers are forwarded once more
// by the instance: a token response (PUT /latest/api/token), which IMDS
// sends with the IP TTL of HttpPutResponseHopLimit, expires there when
// the limit is 1, as on AWS (EC2 User Guide, "Instance metadata access
// considerations"). A Fargate task, and an awsvpc task whose agent has
// ECS_AWSVPC_BLOCK_IMDS=true, get a blackhole route to 169.254.169.254:
// a connection fails at once with EINVAL, as Fargate's does.
//
// The ECS task metadata and credentials endpoint (169.254.170.2:80) is
// answered on the same links, for an instance an ECS agent runs on (its
// tasks, a blocked awsvpc task too, and its own processes), and for
// Fargate tasks by a namespace of Fargate's linked to each the same way.

// imdsTransitBase numbers the IMDS links' transit /30s (169.254.240.0
// and up).
const imdsTransitBase = 15360

// imdsAddress is IMDS's IPv4 address, taskMetadataAddress the ECS task
// metadata and credentials endpoint's.
var (
	imdsAddress         = netip.AddrFrom4([4]byte{169, 254, 169, 254})
	taskMetadataAddress = netip.AddrFrom4([4]byte{169, 254, 170, 2})
)

// imdsTokenTTLHeader is the token request's lifetime header, which IMDS
// requires (1 to 21600 seconds).
const imdsTokenTTLHeader = "X-aws-ec2-metadata-token-ttl-seconds"

// imds builds the metadata services of the instances, the ECS agents'
// task metadata and credentials endpoints, and the routes of their
// clients (after holders placed instances and tasks).
func (pl *planner) imds() {
	st := pl.st
	type client struct {
		ns      string
		primary netip.Addr
		// imds: the client reaches 169.254.169.254 through the link (not
		// a blocked awsvpc task, which gets only the agent's endpoint).
		imds bool
	}
	clients := map[model.InstanceID][]client{}
	agent := map[model.InstanceID]bool{}
	for _, ci := range st.ContainerInstances {
		if ci.Status != "INACTIVE" && ci.Status != "REGISTRATION_FAILED" {
			agent[ci.EC2InstanceID] = true
		}
	}
	for _, inst := range sorted(st.Instances, func(i *model.Instance) string { return string(i.ID) }) {
		ns, ok := pl.p.Nodes[string(inst.ID)]
		if !ok {
			continue
		}
		for _, e := range st.InstanceENIs(inst.ID) {
			if e.Attachment != nil && e.Attachment.DeviceIndex == 0 && e.PrimaryIP().Is4() {
				clients[inst.ID] = append(clients[inst.ID], client{ns, e.PrimaryIP(), true})
			}
		}
	}
	blackhole := func(ns string) {
		pl.route(Route{NS: ns, Dst: netip.PrefixFrom(imdsAddress, 32), Blackhole: true})
	}
	var fargate []client
	for _, t := range sorted(st.Tasks, func(t *model.Task) string { return t.ARN }) {
		ns, ok := pl.p.Nodes[t.ARN]
		if !ok || !t.Active() {
			continue
		}
		var inst *model.Instance
		if ci := st.ContainerInstances[t.ContainerInstanceARN]; ci != nil {
			inst = st.Instances[ci.EC2InstanceID]
		}
		if inst != nil {
			agent[inst.ID] = true
		}
		if t.NetworkMode != model.NetworkModeAwsvpc {
			continue
		}
		e := st.NetworkInterfaces[t.ENI()]
		switch {
		case t.LaunchType == model.LaunchFargate || inst == nil:
			// Fargate: no IMDS; Fargate answers 169.254.170.2 itself.
			blackhole(ns)
			if e != nil && e.PrimaryIP().Is4() {
				fargate = append(fargate, client{ns, e.PrimaryIP(), false})
			}
		case e != nil && e.PrimaryIP().Is4():
			blocked := reach.AWSVPCBlocksIMDS(inst)
			if blocked {
				blackhole(ns)
			}
			clients[inst.ID] = append(clients[inst.ID], client{ns, e.PrimaryIP(), !blocked})
		}
	}
	k := 0
	link := func(ns string, i int, c client, serve []netip.Addr) {
		near, far := transit(imdsTransitBase + k)
		k++
		dev := "c" + strconv.Itoa(i)
		pl.veth(c.ns, "imds", ns, dev, "")
		pl.addr(c.ns, "imds", netip.PrefixFrom(near, 30))
		pl.addr(ns, dev, netip.PrefixFrom(far, 30))
		for _, a := range serve {
			if a == imdsAddress && !c.imds {
				continue
			}
			r := Route{NS: c.ns, Dst: netip.PrefixFrom(a, 32), Via: far, Dev: "imds", Src: c.primary}
			pl.route(r)
			// An instance of several ENIs routes by source (attachENIs'
			// tables 100 and up): the link-local services in each too.
			for _, x := range pl.p.Routes {
				if x.NS == c.ns && x.Table >= 100 && x.Table < voidTable && x.Dst.Bits() == 0 && x.Dst.Addr().Is4() {
					r.Table = x.Table
					pl.route(r)
				}
			}
		}
		pl.route(Route{NS: ns, Dst: netip.PrefixFrom(c.primary, 32), Via: near, Dev: dev})
	}
	if len(fargate) > 0 {
		// Fargate answers its tasks' 169.254.170.2 (task metadata v4, the
		// task role's credentials): one namespace linked to each, as the
		// task's own address it would collide with a container's port 80.
		ns := pl.metadataNS("fargate", taskMetadataAddress)
		for i, c := range fargate {
			link(ns, i, c, []netip.Addr{taskMetadataAddress})
		}
		pl.p.Listeners = append(pl.p.Listeners, Listener{NS: ns, Proto: model.TCP, Addr: taskMetadataAddress, Port: 80,
			Identity: "Fargate task metadata endpoint", Kind: "task-metadata"})
	}
	for _, inst := range sorted(st.Instances, func(i *model.Instance) string { return string(i.ID) }) {
		cs := clients[inst.ID]
		opts := model.DefaultMetadataOptions()
		if inst.Metadata != nil {
			opts = *inst.Metadata
		}
		// With the endpoint off nothing answers 169.254.169.254; without an
		// ECS agent nothing answers 169.254.170.2: the clients' packets go
		// to the VPC, which does not route link-local addresses (a timeout).
		on := opts.HTTPEndpoint != "disabled"
		if len(cs) == 0 || !on && !agent[inst.ID] {
			continue
		}
		var serve []netip.Addr
		if on {
			serve = append(serve, imdsAddress)
		}
		if agent[inst.ID] {
			serve = append(serve, taskMetadataAddress)
		}
		ns := pl.metadataNS(string(inst.ID), serve...)
		for i, c := range cs {
			link(ns, i, c, serve)
		}
		if on {
			pl.p.Listeners = append(pl.p.Listeners, Listener{NS: ns, Proto: model.TCP, Addr: imdsAddress, Port: 80,
				Identity: st.InstanceName(inst) + " instance metadata service", Kind: "imds",
				IMDSTokens: opts.HTTPTokens, IMDSHopLimit: opts.HopLimit})
		}
		if agent[inst.ID] {
			// The ECS agent's endpoint (its credentials proxy rules bring
			// 169.254.170.2:80 to it from the host, docker0 and
			// ecs-bridge): here beside IMDS, on the same links, which no
			// filter sees either.
			pl.p.Listeners = append(pl.p.Listeners, Listener{NS: ns, Proto: model.TCP, Addr: taskMetadataAddress, Port: 80,
				Identity: st.InstanceName(inst) + " ecs-agent task metadata endpoint", Kind: "task-metadata"})
		}
	}
}

// metadataNS makes the namespace (role "imds") of the link-local
// services of name, which forwards nothing and holds serve on a dummy
// interface.
func (pl *planner) metadataNS(name string, serve ...netip.Addr) string {
	ns := pl.ns("m", "imds", name)
	pl.sysctl(ns, "net/ipv4/ip_forward", "0")
	pl.p.Bridges = append(pl.p.Bridges, Link{NS: ns, Name: "imds", Kind: "dummy"})
	for _, a := range serve {
		pl.addr(ns, "imds", netip.PrefixFrom(a, 32))
	}
	return ns
}

// answerIMDS answers HTTP requests as IMDS does: PUT /latest/api/token
// (with its TTL header, else 400) gives a session token, its response
// sent with the IP TTL of the hop limit; a GET without a token is 401
// when IMDSv2 is required (HttpTokens required), else 200; a GET with a
// token is 200 (any token: [choice], as the analyzer, which does not
// tell a token IMDS issued from another).
func answerIMDS(c net.Conn, l Listener) {
	br := bufio.NewReader(c)
	for n := 0; ; n++ {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		io.Copy(io.Discard, req.Body)
		status, body := http.StatusOK, l.Identity+"\n"
		switch {
		case req.Method == http.MethodPut && req.URL.Path == "/latest/api/token":
			ttl, err := strconv.Atoi(req.Header.Get(imdsTokenTTLHeader))
			if err != nil || ttl < 1 || ttl > 21600 {
				status = http.StatusBadRequest
				break
			}
			body = fmt.Sprintf("AQAEAecsnet-token-%d==", n)
			setTTL(c, l.IMDSHopLimit)
		case req.Method == http.MethodPut:
			status = http.StatusMethodNotAllowed
		case req.Header.Get("X-aws-ec2-metadata-token") == "" && strings.EqualFold(l.IMDSTokens, "required"):
			status = http.StatusUnauthorized
		}
		fmt.Fprintf(c, "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s", status, http.StatusText(status), len(body), body)
		if req.Close {
			return
		}
	}
}

// setTTL sets the IP TTL of c's packets from now on.
func setTTL(c net.Conn, ttl int) {
	tc, ok := c.(*net.TCPConn)
	if !ok || ttl < 1 {
		return
	}
	if rc, err := tc.SyscallConn(); err == nil {
		rc.Control(func(fd uintptr) { unix.SetsockoptInt(int(fd), unix.IPPROTO_IP, unix.IP_TTL, ttl) })
	}
}

// imdsRequest is the request of a probe to IMDS as an AWS SDK sends it:
// a PUT for a token carries the token's lifetime (six hours). To the task
// metadata endpoint: the query's path, else the root.
func imdsRequest(q reach.Query, to netip.AddrPort, clientPort uint16) HTTPRequest {
	if q.To.Kind == reach.KindTaskMetadata {
		return HTTPRequest{To: to, Method: q.HTTPMethod, Path: q.HTTPPath, Header: q.HTTPHeaders, ClientPort: clientPort, HTTPVersion: q.HTTPVersion}
	}
	method := strings.ToUpper(q.HTTPMethod)
	if method == "" {
		method = http.MethodGet
	}
	h := map[string]string{}
	for k, v := range q.HTTPHeaders {
		h[k] = v
	}
	if method == http.MethodPut {
		if _, ok := h[imdsTokenTTLHeader]; !ok {
			h[imdsTokenTTLHeader] = "21600"
		}
	}
	return HTTPRequest{To: to, Method: method, Path: reach.IMDSPath(&q, method), Header: h, ClientPort: clientPort, HTTPVersion: q.HTTPVersion}
}
