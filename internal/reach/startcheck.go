package reach

import (
	"net/netip"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Representative addresses of the registries and AWS endpoints a task
// pulls from. ecsnet does not resolve DNS: a registry on the internet is
// modelled by one address from TEST-NET-1 (RFC 5737), which appears in
// the error text where AWS shows the resolved address. S3 is modelled by
// an address of the region's S3 prefix list, so gateway endpoint routes
// apply to it.
func registryAddr(kind string) netip.Addr {
	last := byte(50)
	switch kind {
	case "docker.io":
		last = 10
	case "public.ecr.aws":
		last = 20
	case "ecr.api":
		last = 30
	case "ecr.dkr":
		last = 40
	}
	return netip.AddrFrom4([4]byte{192, 0, 2, last})
}

// StartCheck decides whether a task can start, as engine.StartCheck
// expects: "" when it can, else the stoppedReason AWS gives when the task
// cannot reach its image registry (reference §4). It is cheap: it
// compiles only the task's (or, on EC2, its host's) network interface,
// that ENI's subnet, route table, network ACL and security groups, and
// the NAT gateways and endpoints the path uses; it never compiles the
// whole state. It only reads st.
//
// Fargate tasks pull through their own ENI; EC2 tasks through their
// host's primary ENI. An image is pulled from ECR (*.dkr.ecr.*.amazonaws.com:
// api.ecr for the registry auth, the registry for the manifest, S3 for the
// layers), from public.ecr.aws, or from Docker Hub (anything else: the
// internet). Each is reached through the interface endpoint of its
// service when one with private DNS exists in the VPC (ECR only), else
// through the ENI's routes: a public IP and a route to an internet
// gateway, or a NAT gateway; security groups and network ACLs apply.
func StartCheck(st *model.State, tk *model.Task) string {
	if tk == nil || tk.NetworkMode == model.NetworkModeNone && tk.LaunchType == model.LaunchFargate {
		return ""
	}
	n := newNetwork(st, nil)
	n.lazy = true
	var src *eniNode
	fargate := tk.LaunchType == model.LaunchFargate || strings.HasPrefix(tk.CapacityProvider, "FARGATE")
	if fargate {
		if id := tk.ENI(); id != "" {
			src = n.eni(id)
		}
	} else if ci := st.ContainerInstances[tk.ContainerInstanceARN]; ci != nil {
		if i := st.Instances[ci.EC2InstanceID]; i != nil {
			src = n.eni(i.PrimaryENI)
		}
	}
	if src == nil || src.subnet == nil {
		return ""
	}
	c := pullCheck{n: n, src: src, fargate: fargate, modern: fargate && tk.PlatformVersion != "1.3.0"}
	images := make([]string, 0, len(tk.Containers))
	for _, x := range tk.Containers {
		images = append(images, x.Image)
	}
	if len(images) == 0 {
		if td := st.TaskDefinitions[tk.TaskDefinitionARN]; td != nil {
			for _, x := range td.Containers {
				images = append(images, x.Image)
			}
		}
	}
	for _, img := range images {
		if msg := c.pull(img).reason; msg != "" {
			return msg
		}
	}
	return ""
}

// pullCheck checks image pulls from one ENI.
type pullCheck struct {
	n       *Network
	src     *eniNode
	fargate bool
	modern  bool // Fargate platform 1.4.0: containerd, all traffic on the task ENI
}

// pullResult is the outcome of one image pull.
type pullResult struct {
	reason  string  // the stoppedReason, "" when the pull works
	step    string  // "auth", "manifest" or "layers"
	verdict Verdict // of the step that failed
	via     string  // how the failed step went: "internet", "endpoint ecr.api", …
}

// image is a parsed image reference.
type image struct {
	ref      string // the normalized reference (docker.io/library/httpd:2.4)
	host     string // the registry host (registry-1.docker.io for Docker Hub)
	repo     string
	tag      string
	kind     string // "ecr", "public.ecr.aws", "docker.io", "other"
	manifest string // the manifest URL
}

func parseImage(s string) image {
	im := image{}
	name := s
	digest := ""
	if i := strings.Index(name, "@"); i >= 0 {
		name, digest = name[:i], name[i+1:]
	}
	tag := "latest"
	if i := strings.LastIndex(name, ":"); i > strings.LastIndex(name, "/") {
		name, tag = name[:i], name[i+1:]
	}
	first, rest, hasSlash := strings.Cut(name, "/")
	domain := ""
	if hasSlash && (strings.ContainsAny(first, ".:") || first == "localhost") {
		domain, name = first, rest
	}
	switch {
	case domain == "" || domain == "docker.io" || domain == "index.docker.io":
		if !strings.Contains(name, "/") {
			name = "library/" + name
		}
		domain = "docker.io"
		im.kind, im.host = "docker.io", "registry-1.docker.io"
	case domain == "public.ecr.aws":
		im.kind, im.host = "public.ecr.aws", domain
	case strings.Contains(domain, ".dkr.ecr.") && strings.HasSuffix(domain, ".amazonaws.com"):
		im.kind, im.host = "ecr", domain
	default:
		im.kind, im.host = "other", domain
	}
	im.repo, im.tag = name, tag
	im.ref = domain + "/" + name + ":" + tag
	ref := tag
	if digest != "" {
		im.ref = domain + "/" + name + "@" + digest
		ref = digest
	}
	im.manifest = "https://" + im.host + "/v2/" + name + "/manifests/" + ref
	return im
}

// pull checks every step of an image pull.
func (c *pullCheck) pull(s string) pullResult {
	im := parseImage(s)
	region := c.n.st.Region
	if im.kind == "ecr" {
		if v, addr, via := c.reach("ecr.api"); v != Connected {
			return pullResult{reason: c.authError(region, addr, v), step: "auth", verdict: v, via: via}
		}
		if v, addr, via := c.reach("ecr.dkr"); v != Connected {
			return pullResult{reason: c.manifestError(im, addr, v), step: "manifest", verdict: v, via: via}
		}
		if v, addr, via := c.reach("s3"); v != Connected {
			return pullResult{reason: c.layerError(region, addr, v), step: "layers", verdict: v, via: via}
		}
		return pullResult{}
	}
	if v, addr, via := c.reach(im.kind); v != Connected {
		return pullResult{reason: c.manifestError(im, addr, v), step: "manifest", verdict: v, via: via}
	}
	return pullResult{}
}

// reach tells whether the ENI reaches a service on 443: through its
// interface endpoint when one with private DNS exists in the VPC (ECR),
// else through the routes.
func (c *pullCheck) reach(svc string) (Verdict, netip.Addr, string) {
	n := c.n
	if svc == "ecr.api" || svc == "ecr.dkr" {
		name := "com.amazonaws." + n.st.Region + "." + svc
		for _, ep := range sortedMap(n.st.VpcEndpoints) {
			if ep.VpcID != c.src.eni.VpcID || ep.ServiceName != name || ep.Type != "Interface" || !ep.PrivateDNSEnabled {
				continue
			}
			x := n.endpoint(ep.ID)
			var dst *eniNode
			for _, id := range ep.NetworkInterfaces {
				e := n.eni(id)
				if e == nil {
					continue
				}
				if dst == nil || e.eni.AvailabilityZone == c.src.eni.AvailabilityZone && dst.eni.AvailabilityZone != c.src.eni.AvailabilityZone {
					dst = e
				}
			}
			if dst == nil {
				return Timeout, registryAddr(svc), "endpoint " + x.comp.ID
			}
			f := flow{srcENI: c.src, src: c.src.primary, srcRef: c.src, sport: DefaultClientPort, dst: dst.primary, dport: 443, dstHint: dst}
			return c.connect(f), dst.primary, "endpoint " + string(ep.ID)
		}
	}
	addr := registryAddr(svc)
	if svc == "s3" {
		if pl := n.s3PrefixList(); pl != nil && len(pl.CIDRs) > 0 {
			addr = pl.CIDRs[0].Addr().Next()
		}
	}
	f := flow{srcENI: c.src, src: c.src.primary, srcRef: c.src, sport: DefaultClientPort, dst: addr, dport: 443}
	return c.connect(f), addr, "routes"
}

func (c *pullCheck) connect(f flow) Verdict {
	t := tracer{n: c.n, quiet: true, proto: model.TCP, clientPort: DefaultClientPort}
	v, _ := t.connect(&f, nil, nil)
	return v
}

// s3PrefixList returns the region's S3 managed prefix list.
func (n *Network) s3PrefixList() *model.PrefixList {
	name := "com.amazonaws." + n.st.Region + ".s3"
	for _, pl := range n.st.PrefixLists {
		if pl.Name == name {
			return pl
		}
	}
	return nil
}

// dialError is how Go's net package reports a failed connection.
func dialError(addr netip.Addr, v Verdict) string {
	if v == Refused {
		return "dial tcp " + addr.String() + ":443: connect: connection refused"
	}
	return "dial tcp " + addr.String() + ":443: i/o timeout"
}

// authError is Fargate 1.4.0's text when the ECR registry auth cannot be
// fetched (reference §4, repost.aws "ecs-unable-to-pull-secrets").
func (c *pullCheck) authError(region string, addr netip.Addr, v Verdict) string {
	if !c.modern {
		return "CannotPullContainerError: API error (500): Get https://api.ecr." + region + ".amazonaws.com/: net/http: request canceled while waiting for connection"
	}
	return "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: " +
		"service call has been retried 3 time(s): RequestError: send request failed caused by: Post \"https://api.ecr." + region + ".amazonaws.com/\": " +
		dialError(addr, v) + ". Please check your task network configuration."
}

// manifestError is the text when the image manifest cannot be fetched:
// containerd's on Fargate 1.4.0 (reference §4), the Docker-era form on EC2
// and Fargate 1.3.0 (task_cannot_pull_image.md).
func (c *pullCheck) manifestError(im image, addr netip.Addr, v Verdict) string {
	if !c.modern {
		return "CannotPullContainerError: API error (500): Get https://" + im.host + "/v2/: net/http: request canceled while waiting for connection"
	}
	return "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref " + im.ref +
		": failed to do request: Head \"" + im.manifest + "\": " + dialError(addr, v)
}

// layerError is the text when the layers in S3 cannot be fetched (ECR
// images without a route to S3, e.g. no S3 gateway endpoint; the exact
// wording is UNVERIFIED).
func (c *pullCheck) layerError(region string, addr netip.Addr, v Verdict) string {
	bucket := "https://prod-" + region + "-starport-layer-bucket.s3." + region + ".amazonaws.com/"
	if !c.modern {
		return "CannotPullContainerError: API error (500): Get " + bucket + ": net/http: request canceled while waiting for connection"
	}
	return "CannotPullContainerError: ref pull has been retried 5 time(s): failed to copy: httpReadSeeker: failed open: failed to do request: Get \"" +
		bucket + "\": " + dialError(addr, v)
}
