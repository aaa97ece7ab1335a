package reach

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// sniOf is the name a task's start path sends in its TLS handshake
// (the SNI an AWS Network Firewall domain list or tls.sni rule reads) to
// the service or registry svc of region: the ECR registry's
// <account>.dkr.ecr.<region>.amazonaws.com, the layers' S3 bucket
// (prod-<region>-starport-layer-bucket.s3.<region>.amazonaws.com, the
// bucket ECR serves image layers from [probable]), an AWS service's
// regional name, a registry's own; "" when the walk cannot say.
func (c *pullCheck) sniOf(svc, region string) string {
	suffix := model.DNSSuffix(region)
	switch svc {
	case "ecr.dkr":
		account := c.n.st.Account
		if account == "" {
			account = "123456789012"
		}
		return account + ".dkr.ecr." + region + "." + suffix
	case "s3":
		return "prod-" + region + "-starport-layer-bucket.s3." + region + "." + suffix
	}
	h := serviceHost(svc, region)
	if strings.ContainsAny(h, " ()<>") || !strings.Contains(h, ".") {
		return ""
	}
	return h
}
