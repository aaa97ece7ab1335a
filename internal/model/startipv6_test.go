package model

import "testing"

func TestECRRegistryNames(t *testing.T) {
	for host, want := range map[string]struct {
		region string
		dual   bool
	}{
		"123456789012.dkr.ecr.us-east-1.amazonaws.com":                    {"us-east-1", false},
		"123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com":           {"us-gov-west-1", false},
		"123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn":                {"cn-north-1", false},
		"123456789012.dkr-ecr.eu-west-3.on.aws":                           {"eu-west-3", true},
		"123456789012.dkr-ecr-fips.us-east-2.on.aws":                      {"us-east-2", true},
		"123456789012.dkr-ecr.cn-northwest-1.on.amazonwebservices.com.cn": {"cn-northwest-1", true},
		"123456789012.dkr-ecr.us-east-1.amazonaws.com":                    {"", false},
		"public.ecr.aws":     {"", false},
		"ecr-public.aws.com": {"", false},
	} {
		if r, d := ECRRegistryRegion(host), ECRDualStack(host); r != want.region || d != want.dual {
			t.Errorf("%s: region %q dual-stack %v, want %q %v", host, r, d, want.region, want.dual)
		}
	}
	if h := ECRDualStackHost("123456789012", "cn-north-1"); h != "123456789012.dkr-ecr.cn-north-1.on.amazonwebservices.com.cn" {
		t.Errorf("China's dual-stack host %q", h)
	}
}

// The table answers the dual-stack names with the region and account in
// them; the IPv4-only names are marked so.
func TestStartPathNameOf(t *testing.T) {
	for _, c := range []struct {
		svc, host string
		ipv6      bool
	}{
		{"ecr.dkr-dualstack", "123456789012.dkr-ecr.eu-west-1.on.aws", true},
		{"ecr.dkr", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", false},
		{"ecr.api", "ecr.eu-west-1.api.aws", true},
		{"public.ecr.aws", "public.ecr.aws", false},
		{"ecr-public.aws.com", "ecr-public.aws.com", true},
		{"docker.io", "registry-1.docker.io", false},
		{"ecs", "ecs.eu-west-1.api.aws", true},
	} {
		r, ok := StartPathNameOf(c.svc, "eu-west-1", "123456789012")
		if !ok || r.Host != c.host || r.IPv6 != c.ipv6 {
			t.Errorf("%s: %+v %v", c.svc, r, ok)
		}
	}
	for svc, want := range map[string]string{
		"ecr.api":           "ecr.cn-north-1.api.amazonwebservices.com.cn",
		"ecr.dkr-dualstack": "123456789012.dkr-ecr.cn-north-1.on.amazonwebservices.com.cn",
		"ecr.dkr":           "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn",
	} {
		if r, _ := StartPathNameOf(svc, "cn-north-1", "123456789012"); r.Host != want {
			t.Errorf("%s in China: %s, want %s", svc, r.Host, want)
		}
	}
	if _, ok := StartPathNameOf("registry.example.com", "eu-west-1", "123456789012"); ok {
		t.Error("another registry is in the table")
	}
}
