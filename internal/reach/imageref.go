package reach

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
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
//
// matchReference is that grammar written out by hand (a regular
// expression cost a task's start check a fifth of its time); the tests
// hold it to the grammar's regular expression, also under fuzzing.

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
	if isHex64(s) {
		return ImageRef{}, "invalid repository name (" + s + "), cannot specify 64-byte hexadecimal strings"
	}
	domain, remainder := splitDockerDomain(s)
	name, _, _ := strings.Cut(remainder, ":") // as Docker cuts it, a digest's "@sha256" kept
	if strings.ToLower(name) != name {
		return ImageRef{}, "invalid reference format: repository name (" + name + ") must be lowercase"
	}
	full := domain + "/" + remainder
	refName, tag, digest, ok := matchReference(full)
	if !ok {
		return ImageRef{}, "invalid reference format"
	}
	if len(refName) > 255 {
		return ImageRef{}, "repository name must not be more than 255 characters"
	}
	ref := ImageRef{Domain: domain, Path: strings.TrimPrefix(refName, domain+"/"), Tag: tag, Digest: digest}
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
	return parts[4] + ".dkr.ecr." + parts[3] + "." + model.DNSSuffix(parts[3]) + "/" + name, true
}

// matchReference matches a whole reference (name [":" tag] ["@" digest])
// by the grammar above, returning its parts.
func matchReference(s string) (name, tag, digest string, ok bool) {
	name = s
	if i := strings.IndexByte(name, '@'); i >= 0 {
		name, digest = name[:i], name[i+1:]
		if !isDigest(digest) {
			return "", "", "", false
		}
	}
	// A ":" after the last "/" starts the tag: neither a domain (which a "/"
	// follows) nor a path component holds one there.
	if i := strings.LastIndexByte(name, ':'); i >= 0 && i > strings.LastIndexByte(name, '/') {
		name, tag = name[:i], name[i+1:]
		if !isTag(tag) {
			return "", "", "", false
		}
	}
	if !isName(name) {
		return "", "", "", false
	}
	return name, tag, digest, true
}

// isName: [domain "/"] path-component ["/" path-component]*.
func isName(s string) bool {
	first, rest, more := strings.Cut(s, "/")
	if !isPathComponent(first) && !(more && isDomain(first)) {
		return false
	}
	for more {
		var c string
		c, rest, more = strings.Cut(rest, "/")
		if !isPathComponent(c) {
			return false
		}
	}
	return true
}

// isPathComponent: [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*.
func isPathComponent(s string) bool {
	for i := 0; ; {
		start := i
		for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= '0' && s[i] <= '9') {
			i++
		}
		if i == start {
			return false // every separator sits between alphanumerics
		}
		if i == len(s) {
			return true
		}
		switch {
		case s[i] == '.':
			i++
		case strings.HasPrefix(s[i:], "__"):
			i += 2
		case s[i] == '_':
			i++
		case s[i] == '-':
			for i < len(s) && s[i] == '-' {
				i++
			}
		default:
			return false
		}
	}
}

// isDomain: host [":" port], host being dot-separated labels of letters,
// digits and inner hyphens, or a bracketed IPv6 address.
func isDomain(s string) bool {
	host, port := s, ""
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 2 {
			return false
		}
		for _, c := range s[1:end] {
			if !isHexDigit(byte(c)) && c != ':' {
				return false
			}
		}
		host, port = "", s[end+1:]
		if port != "" && port[0] != ':' {
			return false
		}
	} else if i := strings.IndexByte(s, ':'); i >= 0 {
		host, port = s[:i], s[i:]
	}
	if port != "" {
		if len(port) < 2 {
			return false
		}
		for _, c := range port[1:] {
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	if host == "" {
		return strings.HasPrefix(s, "[")
	}
	for label := range strings.SplitSeq(host, ".") {
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// isTag: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}.
func isTag(s string) bool {
	if s == "" || len(s) > 128 || !isWord(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isWord(s[i]) && s[i] != '.' && s[i] != '-' {
			return false
		}
	}
	return true
}

// isDigest: algorithm ":" hex, the algorithm being letter-led parts
// joined by [-_+.], the hex at least 32 digits.
func isDigest(s string) bool {
	alg, enc, ok := strings.Cut(s, ":")
	if !ok || len(enc) < 32 || alg == "" {
		return false
	}
	for i := 0; i < len(enc); i++ {
		if !isHexDigit(enc[i]) {
			return false
		}
	}
	atStart := true // at the start of a part: a letter must come
	for i := 0; i < len(alg); i++ {
		c := alg[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		switch {
		case atStart && !letter:
			return false
		case letter || c >= '0' && c <= '9':
			atStart = false
		case c == '-' || c == '_' || c == '+' || c == '.':
			atStart = true
		default:
			return false
		}
	}
	return !atStart
}

// isHex64 reports a bare 64-hex-digit identifier ([a-f0-9]{64}), which
// Docker refuses as a repository name.
func isHex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !(s[i] >= 'a' && s[i] <= 'f' || s[i] >= '0' && s[i] <= '9') {
			return false
		}
	}
	return true
}

func isWord(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

func isHexDigit(c byte) bool {
	return c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c >= '0' && c <= '9'
}
