package reach

import (
	"regexp"
	"strings"
)

// Image references as Docker (and containerd, which shares the grammar)
// parse them: distribution/reference's grammar,
//
//	reference := name [ ":" tag ] [ "@" digest ]
//	name      := [domain "/"] path-component ["/" path-component]*
//	domain    := host [":" port]
//	path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
//	tag       := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
//	digest    := algorithm ":" hex
//
// and ParseNormalizedNamed's rules: the first component is the registry's
// domain only when it holds a "." or a ":" or is "localhost" (else the
// image is Docker Hub's, official images under library/), and the
// repository must be lowercase. The ECS agent hands the task definition's
// image to the Docker client (ImagePull), which parses it so before any
// connection; the Fargate agent normalizes it the same way.
const (
	refAlnum      = `[a-z0-9]+`
	refSeparator  = `(?:[._]|__|[-]+)`
	refPathComp   = refAlnum + `(?:` + refSeparator + refAlnum + `)*`
	refDomainComp = `(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])`
	refHost       = `(?:` + refDomainComp + `(?:\.` + refDomainComp + `)*|\[[a-fA-F0-9:]+\])`
	refDomain     = refHost + `(?::[0-9]+)?`
	refName       = `(?:` + refDomain + `/)?` + refPathComp + `(?:/` + refPathComp + `)*`
	refTag        = `[\w][\w.-]{0,127}`
	refDigest     = `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}`
)

// referenceRE matches a whole reference: name, tag, digest.
var referenceRE = regexp.MustCompile(`^(` + refName + `)(?::(` + refTag + `))?(?:@(` + refDigest + `))?$`)

// hex64RE is a bare 64-hex-digit identifier, which Docker refuses as a
// repository name.
var hex64RE = regexp.MustCompile(`^[a-f0-9]{64}$`)

// ImageRef is a container image reference, normalized as Docker does.
type ImageRef struct {
	// Domain is the registry ("docker.io" for Docker Hub).
	Domain string
	// Path is the repository ("library/nginx" for an official image).
	Path string
	// Tag is the tag, "latest" when neither a tag nor a digest is given.
	Tag string
	// Digest is the digest (sha256:…), "" when none is given.
	Digest string
}

// ParseImageRef parses an image reference as Docker's ImagePull does
// (reference.ParseNormalizedNamed). It returns Docker's error text when
// the reference is not valid: "invalid reference format", "invalid
// reference format: repository name (…) must be lowercase", and the
// digest and length errors.
func ParseImageRef(s string) (ImageRef, string) {
	if hex64RE.MatchString(s) {
		return ImageRef{}, "invalid repository name (" + s + "), cannot specify 64-byte hexadecimal strings"
	}
	domain, remainder := splitDockerDomain(s)
	name, _, _ := strings.Cut(remainder, ":") // as Docker cuts it, a digest's "@sha256" kept
	if strings.ToLower(name) != name {
		return ImageRef{}, "invalid reference format: repository name (" + name + ") must be lowercase"
	}
	full := domain + "/" + remainder
	m := referenceRE.FindStringSubmatch(full)
	if m == nil {
		return ImageRef{}, "invalid reference format"
	}
	if len(m[1]) > 255 {
		return ImageRef{}, "repository name must not be more than 255 characters"
	}
	ref := ImageRef{Domain: domain, Path: strings.TrimPrefix(m[1], domain+"/"), Tag: m[2], Digest: m[3]}
	if ref.Digest != "" {
		if msg := digestError(ref.Digest); msg != "" {
			return ImageRef{}, msg
		}
	} else if ref.Tag == "" {
		ref.Tag = "latest"
	}
	return ref, ""
}

// splitDockerDomain splits the registry's domain from the rest, as Docker
// does: docker.io (and library/ for a one-component name) when the first
// component is no domain.
func splitDockerDomain(s string) (domain, remainder string) {
	i := strings.IndexByte(s, '/')
	if i < 0 || (!strings.ContainsAny(s[:i], ".:") && s[:i] != "localhost" && strings.ToLower(s[:i]) == s[:i]) {
		domain, remainder = "docker.io", s
	} else {
		domain, remainder = s[:i], s[i+1:]
	}
	if domain == "index.docker.io" {
		domain = "docker.io"
	}
	if domain == "docker.io" && !strings.ContainsRune(remainder, '/') {
		remainder = "library/" + remainder
	}
	return domain, remainder
}

// digestError checks a digest as go-digest does: a known algorithm and an
// encoded part of its length, lowercase hex.
func digestError(d string) string {
	alg, enc, _ := strings.Cut(d, ":")
	size := 0
	switch alg {
	case "sha256":
		size = 64
	case "sha384":
		size = 96
	case "sha512":
		size = 128
	default:
		return "unsupported digest algorithm"
	}
	if len(enc) != size {
		return "invalid checksum digest length"
	}
	if strings.ToLower(enc) != enc {
		return "invalid checksum digest format"
	}
	return ""
}

// ECRRepositoryURI returns the repository URI an ECR repository ARN
// (arn:PARTITION:ecr:REGION:ACCOUNT:repository/NAME) stands for:
// ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME (amazonaws.com.cn in China).
// ok is false when s is no such ARN.
func ECRRepositoryURI(s string) (uri string, ok bool) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "ecr" || parts[3] == "" || parts[4] == "" {
		return "", false
	}
	name, ok := strings.CutPrefix(parts[5], "repository/")
	if !ok || name == "" {
		return "", false
	}
	suffix := ".amazonaws.com"
	if parts[1] == "aws-cn" {
		suffix = ".amazonaws.com.cn"
	}
	return parts[4] + ".dkr.ecr." + parts[3] + suffix + "/" + name, true
}

// ecrRegion returns the region of an ECR registry host
// (ACCOUNT.dkr.ecr.REGION.amazonaws.com, its FIPS form dkr.ecr-fips, or
// ….amazonaws.com.cn), "" for other hosts.
func ecrRegion(host string) string {
	_, rest, ok := strings.Cut(host, ".dkr.ecr.")
	if !ok {
		if _, rest, ok = strings.Cut(host, ".dkr.ecr-fips."); !ok {
			return ""
		}
	}
	for _, suffix := range [...]string{".amazonaws.com", ".amazonaws.com.cn"} {
		if r, ok := strings.CutSuffix(rest, suffix); ok && r != "" && !strings.Contains(r, ".") {
			return r
		}
	}
	return ""
}
