package cloudformation

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// s3TemplateLocation returns the bucket and key a template URL names: an
// S3 endpoint in path style (https://s3.amazonaws.com/BUCKET/KEY,
// s3.REGION.amazonaws.com, s3-REGION.amazonaws.com) or virtual-hosted
// style (https://BUCKET.s3.amazonaws.com/KEY, regional too), or, on an IP
// address or localhost, path style: the emulator's own address, as
// `aws cloudformation package` and `sam package` write it when the CLI is
// given the emulator's endpoint URL. ok is false when the URL names no
// bucket and key, or another host.
func s3TemplateLocation(raw string) (bucket, key string, ok bool) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", "", false
	}
	path := strings.TrimPrefix(u.Path, "/")
	host := u.Hostname()
	if s3Host(host) {
		for _, suffix := range []string{".amazonaws.com", ".amazonaws.com.cn"} {
			name, found := strings.CutSuffix(host, suffix)
			if !found {
				continue
			}
			if i := strings.Index(name, ".s3"); i > 0 {
				// virtual-hosted: BUCKET.s3[.-]REGION….
				bucket, key = name[:i], path
				return bucket, key, bucket != "" && key != ""
			}
		}
	}
	if !s3Host(host) && host != "localhost" {
		if _, err := netip.ParseAddr(host); err != nil {
			return "", "", false
		}
	}
	bucket, key, _ = strings.Cut(path, "/")
	return bucket, key, bucket != "" && key != ""
}

// nestedFromS3 reads a nested stack's TemplateURL from the account's S3
// (the objects live in the partition's global region, global), as
// CloudFormation reads it from Amazon S3. A bucket or key that does not
// exist fails as S3 answers it ("S3 error: The specified key does not
// exist."); a URL that names no S3 object keeps ecsnet's refusal.
func nestedFromS3(global *engine.Engine, raw string) (*cfn.Template, error) {
	bucket, key, ok := s3TemplateLocation(raw)
	if !ok || global == nil {
		return nil, fmt.Errorf("S3 error: ecsnet cannot read the nested stack template at %s: give a TemplateURL of an object in the account's S3 (aws cloudformation package), or read it locally with ecsnet's analyzer", raw)
	}
	body, err := s3Body(global, bucket, key)
	if err != nil {
		return nil, err
	}
	return cfn.ParseTemplate(raw, []byte(body))
}

// maxTemplateURLBody is the size of a template CloudFormation reads from
// S3 (1 MB; a TemplateBody is limited to 51,200 bytes).
const maxTemplateURLBody = 1024 * 1024

// s3Body returns an S3 object's text, or S3's error as CloudFormation
// quotes it: "S3 error: The specified bucket does not exist", "S3 error:
// The specified key does not exist.".
func s3Body(global *engine.Engine, bucket, key string) (string, error) {
	var body []byte
	var haveBucket, haveObject bool
	global.Read(func(st *model.State) {
		if st.Buckets[bucket] != nil {
			haveBucket = true
		}
		if o := st.S3Objects[model.S3ObjectKey(bucket, key)]; o != nil {
			haveObject, body = true, append([]byte(nil), o.Body...)
		}
	})
	switch {
	case !haveBucket:
		return "", fmt.Errorf("S3 error: The specified bucket does not exist")
	case !haveObject:
		return "", fmt.Errorf("S3 error: The specified key does not exist.")
	}
	return string(body), nil
}
