package reach

import (
	"regexp"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

func TestParseImageRef(t *testing.T) {
	hex := strings.Repeat("0a", 32)
	valid := []struct{ in, domain, path, tag, digest string }{
		{"nginx", "docker.io", "library/nginx", "latest", ""},
		{"index.docker.io/nginx:1.27", "docker.io", "library/nginx", "1.27", ""},
		{"bitnami/redis:7.2-debian", "docker.io", "bitnami/redis", "7.2-debian", ""},
		{"app:V1.2_RC", "docker.io", "library/app", "V1.2_RC", ""}, // tags may have capitals
		{"localhost:5000/team/app", "localhost:5000", "team/app", "latest", ""},
		{"Registry.Example.com/a__b/c-d.e", "Registry.Example.com", "a__b/c-d.e", "latest", ""},
		{"123456789012.dkr.ecr.eu-west-1.amazonaws.com/app", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "app", "latest", ""},
		{"ghcr.io/org/app:1@sha256:" + hex, "ghcr.io", "org/app", "1", "sha256:" + hex},
		{"[::1]:5000/app", "[::1]:5000", "app", "latest", ""},
	}
	for _, c := range valid {
		ref, msg := ParseImageRef(c.in)
		if msg != "" || ref != (ImageRef{c.domain, c.path, c.tag, c.digest}) {
			t.Errorf("ParseImageRef(%q) = %+v, %q", c.in, ref, msg)
		}
	}
	invalid := []struct{ in, msg string }{
		{"arn:aws:ecr:us-east-1:123456789012:repository/app", "invalid reference format"},
		{"123456789012.dkr.ecr.us-east-1.amazonaws.com/App:v1", "invalid reference format: repository name (App) must be lowercase"},
		{"MyApp", "invalid reference format: repository name (library/MyApp) must be lowercase"},
		{"app:", "invalid reference format"},
		{"app:-rc", "invalid reference format"},
		{"app:" + strings.Repeat("a", 129), "invalid reference format"},
		{"my app", "invalid reference format"},
		{"app/", "invalid reference format"},
		{"a//b", "invalid reference format"},
		{"https://ghcr.io/org/app", "invalid reference format"},
		{"app@sha256:abc", "invalid reference format"},
		{"app@md5:" + strings.Repeat("a", 32), "unsupported digest algorithm"},
		{"app@sha256:" + strings.Repeat("a", 63), "invalid checksum digest length"},
		{"app@sha256:" + strings.ToUpper(hex), "invalid checksum digest format"},
		{hex, "invalid repository name (" + hex + "), cannot specify 64-byte hexadecimal strings"},
		{"registry.example.com/" + strings.Repeat("a", 240), "repository name must not be more than 255 characters"},
	}
	for _, c := range invalid {
		if ref, msg := ParseImageRef(c.in); msg != c.msg {
			t.Errorf("ParseImageRef(%q) = %+v, %q; want %q", c.in, ref, msg, c.msg)
		}
	}
}

func TestECRRepositoryURI(t *testing.T) {
	cases := []struct{ in, uri string }{
		{"arn:aws:ecr:us-east-1:123456789012:repository/app", "123456789012.dkr.ecr.us-east-1.amazonaws.com/app"},
		{"arn:aws:ecr:eu-west-1:111122223333:repository/team/api", "111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/api"},
		{"arn:aws-cn:ecr:cn-north-1:123456789012:repository/app", "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app"},
		{"arn:aws:ecs:us-east-1:123456789012:cluster/app", ""},
		{"123456789012.dkr.ecr.us-east-1.amazonaws.com/app", ""},
	}
	for _, c := range cases {
		if uri, ok := ECRRepositoryURI(c.in); uri != c.uri || ok != (c.uri != "") {
			t.Errorf("ECRRepositoryURI(%q) = %q, %v", c.in, uri, ok)
		}
	}
}

// The start path with images that do not parse, and ECR images of other
// regions and accounts.
func TestStartCheckImageReferences(t *testing.T) {
	st := stateOf(build(t, "testdata/fargate-pull.yaml"))
	check := func(task, img string) (*model.Task, string) {
		tk := *taskNamed(t, st, task)
		tk.Containers = []model.Container{{Name: "web", Image: img}}
		return &tk, StartCheck(st, &tk)
	}
	// The endpoints subnet has ECR endpoints and the S3 gateway, no NAT.
	for _, img := range []string{
		"123456789012.dkr.ecr.us-east-1.amazonaws.com/web",    // no tag: latest
		"123456789012.dkr.ecr.us-east-1.amazonaws.com/web:V2", // a tag with capitals
		"111122223333.dkr.ecr.us-east-1.amazonaws.com/web:1",  // another account, same region: the endpoints serve it
	} {
		if _, got := check("via-endpoints/0", img); got != "" {
			t.Errorf("%s: StartCheck = %q, want a start", img, got)
		}
	}
	for img, want := range map[string]string{
		"arn:aws:ecr:us-east-1:123456789012:repository/web":     "CannotPullContainerError: invalid reference format",
		"123456789012.dkr.ecr.us-east-1.amazonaws.com/Web:1":    "CannotPullContainerError: invalid reference format: repository name (Web) must be lowercase",
		"123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0:": "CannotPullContainerError: invalid reference format",
	} {
		for _, task := range []string{"via-endpoints/0", "via-nat/0"} {
			tk, got := check(task, img)
			if got != want {
				t.Errorf("%s from %s: StartCheck = %q, want %q", img, task, got, want)
			}
			f := TaskStartFailure(st, tk)
			if f == nil || f.Code != CodeImageRefInvalid || f.StopCode != "TaskFailedToStart" || f.Image != img || len(f.Needs) != 0 {
				t.Errorf("%s: failure = %+v", img, f)
			}
		}
	}
	tk, _ := check("via-endpoints/0", "arn:aws:ecr:us-east-1:123456789012:repository/web")
	f := TaskStartFailure(st, tk)
	if !strings.Contains(f.Why, "ECR repository ARN, not the repository URI 123456789012.dkr.ecr.us-east-1.amazonaws.com/web") {
		t.Errorf("Why = %q", f.Why)
	}
	if h := StartFixHint(f); !strings.Contains(h, "repository URI 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:TAG") || !strings.Contains(h, "repository_url") {
		t.Errorf("hint = %q", h)
	}
	tk, _ = check("via-endpoints/0", "123456789012.dkr.ecr.us-east-1.amazonaws.com/Web:V1")
	if h := StartFixHint(TaskStartFailure(st, tk)); !strings.Contains(h, "image to 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:V1 ") {
		t.Errorf("hint = %q", h)
	}

	// An ECR image in another region: the us-east-1 endpoints do not
	// serve eu-west-1's registry; the NAT gateway reaches it.
	eu := "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1"
	if _, got := check("via-nat/0", eu); got != "" {
		t.Errorf("through the NAT gateway: StartCheck = %q", got)
	}
	tk, got := check("via-endpoints/0", eu)
	want := `ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: ` +
		`service call has been retried 3 time(s): RequestError: send request failed caused by: Post "https://api.ecr.eu-west-1.amazonaws.com/": ` +
		`dial tcp 192.0.2.30:443: i/o timeout. Please check your task network configuration.`
	if got != want {
		t.Errorf("StartCheck =\n%s\nwant\n%s", got, want)
	}
	f = TaskStartFailure(st, tk)
	if f.RegistryRegion != "eu-west-1" || !f.NeedsInternet || !strings.Contains(f.Why, "interface endpoint") || !strings.Contains(f.Why, "serves us-east-1 only") {
		t.Errorf("failure = %+v", f)
	}
	if h := StartFixHint(f); !strings.Contains(h, "NAT gateway") || !strings.Contains(h, "eu-west-1") || !strings.Contains(h, "replicate") {
		t.Errorf("hint = %q", h)
	}
	// Two images, one per region: each registry's auth is checked.
	tk2 := *taskNamed(t, st, "via-endpoints/0")
	tk2.Containers = []model.Container{{Name: "a", Image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1"}, {Name: "b", Image: eu}}
	if got := StartCheck(st, &tk2); !strings.Contains(got, "api.ecr.eu-west-1.amazonaws.com") {
		t.Errorf("two regions: StartCheck = %q", got)
	}
}

// A task whose start path ecsnet cannot follow (no ENI: Fargate with
// network mode none) still stops for an image that does not parse.
func TestStartCheckImageReferenceWithoutENI(t *testing.T) {
	st := stateOf(build(t, "testdata/fargate-pull.yaml"))
	tk := *taskNamed(t, st, "via-nat/0")
	tk.NetworkMode = model.NetworkModeNone
	tk.Containers = []model.Container{{Name: "web", Image: "arn:aws:ecr:us-east-1:123456789012:repository/web"}}
	if got := StartCheck(st, &tk); got != "CannotPullContainerError: invalid reference format" {
		t.Errorf("StartCheck = %q", got)
	}
	tk.Containers[0].Image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web"
	if got := StartCheck(st, &tk); got != "" {
		t.Errorf("a valid reference: StartCheck = %q", got)
	}
}

// The grammar of image references as distribution/reference writes it,
// as a regular expression: matchReference must agree with it.
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

var referenceRE = regexp.MustCompile(`^(` + refName + `)(?::(` + refTag + `))?(?:@(` + refDigest + `))?$`)

var hex64RE = regexp.MustCompile(`^[a-f0-9]{64}$`)

// checkReferenceGrammar compares matchReference and isHex64 with the
// grammar's regular expressions on s.
func checkReferenceGrammar(t *testing.T, s string) {
	t.Helper()
	name, tag, digest, ok := matchReference(s)
	m := referenceRE.FindStringSubmatch(s)
	switch {
	case ok != (m != nil):
		t.Errorf("%q: matchReference %v, the grammar %v", s, ok, m != nil)
	case ok && (name != m[1] || tag != m[2] || digest != m[3]):
		t.Errorf("%q: matchReference (%q, %q, %q), the grammar (%q, %q, %q)", s, name, tag, digest, m[1], m[2], m[3])
	}
	if isHex64(s) != hex64RE.MatchString(s) {
		t.Errorf("%q: isHex64 %v", s, isHex64(s))
	}
}

var referenceSeeds = []string{
	"docker.io/library/nginx", "docker.io/library/nginx:1.25", "nginx", "nginx:latest", "a", "A", "",
	"localhost:5000", "localhost:5000/foo", "localhost:5000/foo:bar", "localhost:/foo", "localhost:50a0/foo",
	"[::1]:5000/foo:v1", "[::1]/foo", "[]/foo", "[::1]x/foo", "[g]/foo",
	"123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1",
	"public.ecr.aws/nginx/nginx@sha256:" + strings.Repeat("ab", 32),
	"quay.io/a/b:t@sha256:" + strings.Repeat("0", 64), "foo@sha256:abc", "foo@:" + strings.Repeat("0", 32),
	"foo@a+b.c_d-e:" + strings.Repeat("F", 40), "foo@a+:" + strings.Repeat("0", 32), "foo@1a:" + strings.Repeat("0", 32),
	"a__b", "a___b", "a--b", "a-", "-a", "a._b", "a..b", "a_.b", "a/b/c/d", "a//b", "a/", "/a",
	"-bad.io/x", "bad-.io/x", "ok-x.io/x", "UPPER.io/x", "x.io/UPPER", "x.io:/y", "x.io::1/y",
	"foo:" + strings.Repeat("t", 128), "foo:" + strings.Repeat("t", 129), "foo:.t", "foo:_t", "foo:t@x",
	"foo@sha256:x@y", "a:b:c", "a:b/c", "ab" + strings.Repeat("c", 62), strings.Repeat("a1", 32),
}

// TestMatchReferenceGrammar: the hand-written matcher agrees with the
// grammar's regular expression, captures included.
func TestMatchReferenceGrammar(t *testing.T) {
	for _, s := range referenceSeeds {
		checkReferenceGrammar(t, s)
	}
}

// FuzzMatchReference: go test -fuzz FuzzMatchReference ./internal/reach
func FuzzMatchReference(f *testing.F) {
	for _, s := range referenceSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkReferenceGrammar(t, s)
	})
}
