package api

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// KnownCertificates tells which of the certificate ARNs a load balancer
// listener names exist, as Elastic Load Balancing checks before it
// accepts a listener: an IAM server certificate
// (arn:aws:iam::<account>:server-certificate/<path><name>) must be in IAM.
// An ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)
// must name a certificate of the load balancer's region. Anything else
// names no certificate. The map is read before the load balancer's state is
// changed: IAM may live in the same engine.
func KnownCertificates(c *Call, arns []string) (map[string]bool, error) {
	known := map[string]bool{}
	var iamARNs []string
	for _, a := range arns {
		switch {
		case a == "":
		case isARNOf(a, "iam", "server-certificate/"):
			iamARNs = append(iamARNs, a)
		case isARNOf(a, "acm", "certificate/"):
			known[a] = false
		}
	}
	c.Engine.Read(func(st *model.State) {
		for a := range known {
			known[a] = st.Certificates[a] != nil
		}
	})
	if len(iamARNs) == 0 {
		return known, nil
	}
	iam, err := c.IAM()
	if err != nil {
		return nil, err
	}
	iam.Read(func(st *model.State) {
		for _, a := range iamARNs {
			known[a] = iam.ServerCertificateByARN(st, a) != nil
		}
	})
	return known, nil
}

// isARNOf reports whether arn is arn:<partition>:<service>:…:<resource…>.
func isARNOf(arn, service, resourcePrefix string) bool {
	parts := strings.SplitN(arn, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[2] == service && strings.HasPrefix(parts[5], resourcePrefix)
}
