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

// imdsTransitBase numbers the IMDS links' transit /30s (169.254.240.0
// and up).
const imdsTransitBase = 15360

// imdsAddress is IMDS's IPv4 address.
var imdsAddress = netip.AddrFrom4([4]byte{169, 254, 169, 254})

// imdsTokenTTLHeader is the token request's lifetime header, which IMDS
// requires (1 to 21600 seconds).
const imdsTokenTTLHeader = "X-aws-ec2-metadata-token-ttl-seconds"

// imds builds the metadata services of the instances and the routes of
// their clients (after holders placed instances and tasks).
func (pl *planner) imds() {
	st := pl.st
	type client struct {
		ns      string
		primary netip.Addr
	}
	clients := map[model.InstanceID][]client{}
	for _, inst := range sorted(st.Instances, func(i *model.Instance) string { return string(i.ID) }) {
		ns, ok := pl.p.Nodes[string(inst.ID)]
		if !ok {
			continue
		}
		for _, e := range st.InstanceENIs(inst.ID) {
			if e.Attachment != nil && e.Attachment.DeviceIndex == 0 && e.PrimaryIP().Is4() {
				clients[inst.ID] = append(clients[inst.ID], client{ns, e.PrimaryIP()})
			}
		}
	}
	blackhole := func(ns string) {
		pl.route(Route{NS: ns, Dst: netip.PrefixFrom(imdsAddress, 32), Blackhole: true})
	}
	for _, t := range sorted(st.Tasks, func(t *model.Task) string { return t.ARN }) {
		ns, ok := pl.p.Nodes[t.ARN]
		if !ok || !t.Active() || t.NetworkMode != model.NetworkModeAwsvpc {
			continue
		}
		var inst *model.Instance
		if ci := st.ContainerInstances[t.ContainerInstanceARN]; ci != nil {
			inst = st.Instances[ci.EC2InstanceID]
		}
		e := st.NetworkInterfaces[t.ENI()]
		switch {
		case t.LaunchType == model.LaunchFargate || inst == nil || reach.AWSVPCBlocksIMDS(inst):
			blackhole(ns)
		case e != nil && e.PrimaryIP().Is4():
			clients[inst.ID] = append(clients[inst.ID], client{ns, e.PrimaryIP()})
		}
	}
	k := 0
	for _, inst := range sorted(st.Instances, func(i *model.Instance) string { return string(i.ID) }) {
		cs := clients[inst.ID]
		opts := model.DefaultMetadataOptions()
		if inst.Metadata != nil {
			opts = *inst.Metadata
		}
		if len(cs) == 0 || opts.HTTPEndpoint == "disabled" {
			continue // nothing answers: the clients' packets go to the VPC and time out
		}
		ns := pl.ns("m", "imds", string(inst.ID))
		pl.sysctl(ns, "net/ipv4/ip_forward", "0")
		pl.p.Bridges = append(pl.p.Bridges, Link{NS: ns, Name: "imds", Kind: "dummy"})
		pl.addr(ns, "imds", netip.PrefixFrom(imdsAddress, 32))
		for i, c := range cs {
			near, far := transit(imdsTransitBase + k)
			k++
			dev := "c" + strconv.Itoa(i)
			pl.veth(c.ns, "imds", ns, dev, "")
			pl.addr(c.ns, "imds", netip.PrefixFrom(near, 30))
			pl.addr(ns, dev, netip.PrefixFrom(far, 30))
			r := Route{NS: c.ns, Dst: netip.PrefixFrom(imdsAddress, 32), Via: far, Dev: "imds", Src: c.primary}
			pl.route(r)
			// An instance of several ENIs routes by source (attachENIs'
			// tables 100 and up): IMDS in each of them too.
			for _, x := range pl.p.Routes {
				if x.NS == c.ns && x.Table >= 100 && x.Table < voidTable && x.Dst.Bits() == 0 && x.Dst.Addr().Is4() {
					r.Table = x.Table
					pl.route(r)
				}
			}
			pl.route(Route{NS: ns, Dst: netip.PrefixFrom(c.primary, 32), Via: near, Dev: dev})
		}
		pl.p.Listeners = append(pl.p.Listeners, Listener{NS: ns, Proto: model.TCP, Addr: imdsAddress, Port: 80,
			Identity: st.InstanceName(inst) + " instance metadata service", Kind: "imds",
			IMDSTokens: opts.HTTPTokens, IMDSHopLimit: opts.HopLimit})
	}
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
// a PUT for a token carries the token's lifetime (six hours).
func imdsRequest(q reach.Query, to netip.AddrPort, clientPort uint16) HTTPRequest {
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
