// Package s3 serves Amazon S3 (REST-XML, path-style and virtual-hosted
// addressing): buckets with the sub-resource configurations that
// Terraform's aws_s3_bucket and CloudFormation's AWS::S3::Bucket read and
// write (tags, policy, versioning, encryption, public access block,
// ownership controls, canned ACLs, lifecycle, CORS, website, logging,
// accelerate, request payment, object lock, replication, notification),
// and objects (put, get, head, copy, delete, list, tags, versions of
// versioned buckets, multipart uploads). Buckets live in
// the state of the partition's global region (their names are global),
// each with the region it was created in.
//
// S3's wire format is not the other services' (the body of PutObject and
// GetObject is the object itself, most answers are headers, and errors
// are <Error> documents with S3's own members), so this package reads the
// request and writes the response itself; the server hands it the body,
// bounded by its limit, and makes its writes durable before answering.
package s3

import (
	"bytes"
	"cmp"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Namespace is S3's XML namespace.
const Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

// Operations are the S3 operations this package serves (botocore's names).
var Operations = []string{
	"ListBuckets", "CreateBucket", "HeadBucket", "DeleteBucket", "GetBucketLocation",
	"PutBucketTagging", "GetBucketTagging", "DeleteBucketTagging",
	"PutBucketPolicy", "GetBucketPolicy", "DeleteBucketPolicy", "GetBucketPolicyStatus",
	"PutBucketVersioning", "GetBucketVersioning",
	"PutBucketEncryption", "GetBucketEncryption", "DeleteBucketEncryption",
	"PutPublicAccessBlock", "GetPublicAccessBlock", "DeletePublicAccessBlock",
	"PutBucketOwnershipControls", "GetBucketOwnershipControls", "DeleteBucketOwnershipControls",
	"PutBucketAcl", "GetBucketAcl",
	"PutBucketLifecycleConfiguration", "GetBucketLifecycleConfiguration", "DeleteBucketLifecycle",
	"PutBucketCors", "GetBucketCors", "DeleteBucketCors",
	"PutBucketWebsite", "GetBucketWebsite", "DeleteBucketWebsite",
	"PutBucketLogging", "GetBucketLogging",
	"PutBucketAccelerateConfiguration", "GetBucketAccelerateConfiguration",
	"PutBucketRequestPayment", "GetBucketRequestPayment",
	"PutObjectLockConfiguration", "GetObjectLockConfiguration",
	"PutBucketReplication", "GetBucketReplication", "DeleteBucketReplication",
	"PutBucketNotificationConfiguration", "GetBucketNotificationConfiguration",
	"ListObjects", "ListObjectsV2", "ListObjectVersions",
	"PutObject", "GetObject", "HeadObject", "DeleteObject", "DeleteObjects", "CopyObject",
	"PutObjectTagging", "GetObjectTagging", "DeleteObjectTagging",
	"CreateMultipartUpload", "UploadPart", "UploadPartCopy", "CompleteMultipartUpload", "AbortMultipartUpload",
	"ListParts", "ListMultipartUploads",
}

// Request is one S3 request.
type Request struct {
	R *http.Request
	// Body is the request body, read whole (at most MaxObject bytes
	// plus aws-chunked framing).
	Body []byte
	// Engine holds the buckets (the global region's engine).
	Engine *engine.Engine
	// Region is the region the request was signed for (the endpoint's).
	Region    string
	Account   string
	RequestID string
	// KnownRegion reports whether a LocationConstraint names a region.
	KnownRegion func(string) bool
	// MaxObject bounds a request's body (EntityTooLarge above).
	MaxObject int64
	// MaxStored bounds the bytes all objects and parts hold together
	// (EntityTooLarge above; 0: no bound).
	MaxStored int64
}

// Response is what Serve answers: the server makes the request's writes
// durable, then sends it.
type Response struct {
	Op     string
	Status int
	Header http.Header
	Body   []byte
}

// Serve serves one S3 request. The error, an *apierr.Error, is written by
// WriteError; Op names the operation when it could be told.
func Serve(q *Request) (*Response, error) {
	bucket, key := Address(q.R)
	op := operation(q.R.Method, bucket, key, q.R.URL.Query(), q.R.Header)
	resp := &Response{Op: op, Status: http.StatusOK, Header: http.Header{}}
	if op == "" {
		return resp, &apierr.Error{Code: "NotImplemented", HTTPStatus: 501,
			Message: "A header or query you provided implies functionality that is not implemented."}
	}
	c := &call{Request: q, bucket: bucket, key: key, resp: resp, query: q.R.URL.Query()}
	h := handlers[op]
	if h == nil {
		return resp, &apierr.Error{Code: "NotImplemented", HTTPStatus: 501,
			Message: "ecsnet does not emulate S3's " + op + " yet."}
	}
	if err := c.redirect(op); err != nil {
		return resp, err
	}
	if err := c.decodeBody(); err != nil {
		return resp, err
	}
	if err := h(c); err != nil {
		return resp, err
	}
	return resp, nil
}

type call struct {
	*Request
	bucket, key string
	query       url.Values
	resp        *Response
	// checksumAlg and checksum are the body's additional checksum, as
	// sent and checked (bodyChecksum).
	checksumAlg, checksum string
}

// redirect answers a request for a bucket of another region than the one
// the request is signed for (its endpoint's) as S3 answers one sent to
// the wrong regional endpoint: 301 PermanentRedirect naming the bucket's
// endpoint, with x-amz-bucket-region (a HEAD: the status and header
// alone). The SDKs read the header: boto3 and the aws CLI sign again for
// that region and resend; the SDK for Go v2 returns the error, and its
// s3/manager.GetBucketRegion reads the header. CreateBucket (its own
// rules) and GetBucketLocation (asked of any region) are not redirected.
func (c *call) redirect(op string) error {
	if c.bucket == "" || op == "CreateBucket" || op == "GetBucketLocation" {
		return nil
	}
	region := ""
	c.Engine.Read(func(st *model.State) {
		if b := st.Buckets[c.bucket]; b != nil {
			region = b.Region
		}
	})
	if region == "" || region == c.Region {
		return nil
	}
	endpoint := "s3." + region + ".amazonaws.com"
	if VirtualBucket(c.R.Host) != "" {
		endpoint = c.bucket + "." + endpoint
	}
	c.resp.Header.Set("X-Amz-Bucket-Region", region)
	return &apierr.Error{Code: "PermanentRedirect", HTTPStatus: http.StatusMovedPermanently,
		Message: "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.",
		Fields:  map[string]string{"Bucket": c.bucket, "Endpoint": endpoint}}
}

// Address returns the bucket and key a request names: path-style
// (/bucket/key), or virtual-hosted (bucket.localhost/key, bucket.s3.HOST).
func Address(r *http.Request) (bucket, key string) {
	path := r.URL.Path
	if r.URL.RawPath != "" {
		if p, err := url.PathUnescape(r.URL.RawPath); err == nil {
			path = p
		}
	}
	path = strings.TrimPrefix(path, "/")
	if b := VirtualBucket(r.Host); b != "" {
		return b, path
	}
	bucket, key, _ = strings.Cut(path, "/")
	return bucket, key
}

// VirtualBucket is the bucket of a virtual-hosted request's Host
// (my-bucket.localhost:4566, my-bucket.s3.localhost), or "".
func VirtualBucket(hostport string) string {
	host := hostport
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		host = host[:i]
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	b, ok := strings.CutSuffix(host, ".localhost")
	if !ok || b == "" || b == "s3" {
		return ""
	}
	b = strings.TrimSuffix(b, ".s3")
	return b
}

// subresources are the query keys that select a bucket's sub-resource,
// with the Get/Put/Delete operation names.
var subresources = []struct{ q, get, put, del string }{
	{"tagging", "GetBucketTagging", "PutBucketTagging", "DeleteBucketTagging"},
	{"policyStatus", "GetBucketPolicyStatus", "", ""},
	{"policy", "GetBucketPolicy", "PutBucketPolicy", "DeleteBucketPolicy"},
	{"versioning", "GetBucketVersioning", "PutBucketVersioning", ""},
	{"encryption", "GetBucketEncryption", "PutBucketEncryption", "DeleteBucketEncryption"},
	{"publicAccessBlock", "GetPublicAccessBlock", "PutPublicAccessBlock", "DeletePublicAccessBlock"},
	{"ownershipControls", "GetBucketOwnershipControls", "PutBucketOwnershipControls", "DeleteBucketOwnershipControls"},
	{"acl", "GetBucketAcl", "PutBucketAcl", ""},
	{"lifecycle", "GetBucketLifecycleConfiguration", "PutBucketLifecycleConfiguration", "DeleteBucketLifecycle"},
	{"cors", "GetBucketCors", "PutBucketCors", "DeleteBucketCors"},
	{"website", "GetBucketWebsite", "PutBucketWebsite", "DeleteBucketWebsite"},
	{"logging", "GetBucketLogging", "PutBucketLogging", ""},
	{"accelerate", "GetBucketAccelerateConfiguration", "PutBucketAccelerateConfiguration", ""},
	{"requestPayment", "GetBucketRequestPayment", "PutBucketRequestPayment", ""},
	{"object-lock", "GetObjectLockConfiguration", "PutObjectLockConfiguration", ""},
	{"replication", "GetBucketReplication", "PutBucketReplication", "DeleteBucketReplication"},
	{"notification", "GetBucketNotificationConfiguration", "PutBucketNotificationConfiguration", ""},
	{"location", "GetBucketLocation", "", ""},
	{"versions", "ListObjectVersions", "", ""},
	{"uploads", "ListMultipartUploads", "", ""},
	{"analytics", "GetBucketAnalyticsConfiguration", "PutBucketAnalyticsConfiguration", "DeleteBucketAnalyticsConfiguration"},
	{"inventory", "GetBucketInventoryConfiguration", "PutBucketInventoryConfiguration", "DeleteBucketInventoryConfiguration"},
	{"metrics", "GetBucketMetricsConfiguration", "PutBucketMetricsConfiguration", "DeleteBucketMetricsConfiguration"},
	{"intelligent-tiering", "GetBucketIntelligentTieringConfiguration", "PutBucketIntelligentTieringConfiguration", "DeleteBucketIntelligentTieringConfiguration"},
}

// operation tells the S3 operation of a request from its method, bucket,
// key and sub-resource query ("" when none matches).
func operation(method, bucket, key string, q url.Values, h http.Header) string {
	has := func(k string) bool { _, ok := q[k]; return ok }
	if bucket == "" {
		if method == http.MethodGet {
			return "ListBuckets"
		}
		return ""
	}
	if key == "" {
		for _, s := range subresources {
			if !has(s.q) {
				continue
			}
			switch method {
			case http.MethodGet:
				return s.get
			case http.MethodPut:
				return s.put
			case http.MethodDelete:
				return s.del
			}
			return ""
		}
		switch method {
		case http.MethodPut:
			return "CreateBucket"
		case http.MethodHead:
			return "HeadBucket"
		case http.MethodDelete:
			return "DeleteBucket"
		case http.MethodGet:
			if q.Get("list-type") == "2" {
				return "ListObjectsV2"
			}
			return "ListObjects"
		case http.MethodPost:
			if has("delete") {
				return "DeleteObjects"
			}
		}
		return ""
	}
	switch method {
	case http.MethodPut:
		switch {
		case has("tagging"):
			return "PutObjectTagging"
		case has("uploadId") && h.Get("X-Amz-Copy-Source") != "":
			return "UploadPartCopy"
		case has("uploadId"):
			return "UploadPart"
		case has("acl"):
			return "PutObjectAcl"
		case h.Get("X-Amz-Copy-Source") != "":
			return "CopyObject"
		}
		return "PutObject"
	case http.MethodGet:
		switch {
		case has("tagging"):
			return "GetObjectTagging"
		case has("acl"):
			return "GetObjectAcl"
		case has("uploadId"):
			return "ListParts"
		}
		return "GetObject"
	case http.MethodHead:
		return "HeadObject"
	case http.MethodDelete:
		switch {
		case has("tagging"):
			return "DeleteObjectTagging"
		case has("uploadId"):
			return "AbortMultipartUpload"
		}
		return "DeleteObject"
	case http.MethodPost:
		switch {
		case has("uploads"):
			return "CreateMultipartUpload"
		case has("uploadId"):
			return "CompleteMultipartUpload"
		}
	}
	return ""
}

// decodeBody undoes aws-chunked framing and checks the size and the
// Content-MD5 of the body.
func (c *call) decodeBody() error {
	h := c.R.Header
	chunked := strings.HasPrefix(h.Get("X-Amz-Content-Sha256"), "STREAMING-") ||
		slices.Contains(splitList(h.Get("Content-Encoding")), "aws-chunked")
	if chunked {
		decoded := int64(-1)
		if v := h.Get("X-Amz-Decoded-Content-Length"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return apierr.New("InvalidArgument", "x-amz-decoded-content-length is not a number.")
			}
			decoded = n
		}
		if decoded > c.MaxObject {
			return entityTooLarge(c.MaxObject, decoded)
		}
		data, trailers, err := decodeChunked(c.Body, decoded)
		if err != nil {
			return err
		}
		c.Body = data
		alg, sum, err := bodyChecksum(h, trailers, c.Body)
		if err != nil {
			return err
		}
		c.checksumAlg, c.checksum = alg, sum
	} else {
		alg, sum, err := bodyChecksum(h, nil, c.Body)
		if err != nil {
			return err
		}
		c.checksumAlg, c.checksum = alg, sum
	}
	if int64(len(c.Body)) > c.MaxObject {
		return entityTooLarge(c.MaxObject, int64(len(c.Body)))
	}
	if v := h.Get("Content-Md5"); v != "" {
		sum, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(sum) != md5.Size {
			return apierr.New("InvalidDigest", "The Content-MD5 you specified was invalid.")
		}
		got := md5.Sum(c.Body)
		if !bytes.Equal(sum, got[:]) {
			return apierr.New("BadDigest", "The Content-MD5 you specified did not match what we received.")
		}
	}
	return nil
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func entityTooLarge(limit, size int64) error {
	return &apierr.Error{Code: "EntityTooLarge", Message: "Your proposed upload exceeds the maximum allowed size", HTTPStatus: 400,
		Fields: map[string]string{"ProposedSize": strconv.FormatInt(size, 10), "MaxSizeAllowed": strconv.FormatInt(limit, 10)}}
}

// WriteError writes an S3 error: <Error><Code/><Message/>…<RequestId/>
// <HostId/></Error> with its HTTP status (none for a HEAD, which has no
// body).
func WriteError(w http.ResponseWriter, r *http.Request, reqID string, err error) {
	e := apierr.As(err)
	status := e.HTTPStatus
	if status == 0 {
		status = e.Status()
	}
	if e.Code == "InternalError" || e.Code == "InternalFailure" {
		status = 500
	}
	h := w.Header()
	h.Set("X-Amz-Request-Id", reqID)
	h.Set("X-Amz-Id-2", hostID(reqID))
	if r != nil && r.Method == http.MethodHead {
		w.WriteHeader(status)
		return
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString("<Error><Code>")
	xml.EscapeText(&b, []byte(e.Code))
	b.WriteString("</Code><Message>")
	xml.EscapeText(&b, []byte(e.Message))
	b.WriteString("</Message>")
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "<%s>", k)
		xml.EscapeText(&b, []byte(e.Fields[k]))
		fmt.Fprintf(&b, "</%s>", k)
	}
	b.WriteString("<RequestId>" + reqID + "</RequestId><HostId>" + hostID(reqID) + "</HostId></Error>")
	h.Set("Content-Type", "application/xml")
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

func hostID(reqID string) string {
	s := sha256.Sum256([]byte(reqID))
	return base64.StdEncoding.EncodeToString(s[:])
}

// Write sends a response.
func (resp *Response) Write(w http.ResponseWriter, r *http.Request, reqID string) error {
	h := w.Header()
	for k, v := range resp.Header {
		h[k] = v
	}
	h.Set("X-Amz-Request-Id", reqID)
	h.Set("X-Amz-Id-2", hostID(reqID))
	if h.Get("Content-Length") == "" {
		h.Set("Content-Length", strconv.Itoa(len(resp.Body)))
	}
	w.WriteHeader(resp.Status)
	if r.Method == http.MethodHead {
		return nil
	}
	_, err := w.Write(resp.Body)
	return err
}

// xmlDoc sets the response body to v's XML document.
func (c *call) xmlDoc(v any) error {
	b, err := xml.Marshal(v)
	if err != nil {
		return apierr.Internal()
	}
	c.resp.Header.Set("Content-Type", "application/xml")
	c.resp.Body = append([]byte(xml.Header), b...)
	return nil
}

// rawDoc answers with a stored document.
func (c *call) rawDoc(doc string) {
	c.resp.Header.Set("Content-Type", "application/xml")
	c.resp.Body = []byte(doc)
}

// canonicalUser is the account's canonical user id (64 hex digits).
func canonicalUser(account string) string {
	s := sha256.Sum256([]byte("ecsnet-canonical-user:" + account))
	return hex.EncodeToString(s[:])
}

func malformedXML() error {
	return apierr.New("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema")
}

// parseXML decodes the body into v (MalformedXML when it is not XML).
func (c *call) parseXML(v any) error {
	if len(bytes.TrimSpace(c.Body)) == 0 {
		return malformedXML()
	}
	d := xml.NewDecoder(bytes.NewReader(c.Body))
	d.Strict = true
	if err := d.Decode(v); err != nil {
		return malformedXML()
	}
	return nil
}

// wellFormed checks the body is one XML element whose name is root and
// returns it, trimmed, with an XML declaration.
func (c *call) wellFormed(root string) (string, error) {
	body := bytes.TrimSpace(c.Body)
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil || depth > 64 {
			return "", malformedXML()
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if t.Name.Local != root {
					return "", malformedXML()
				}
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if roots != 1 {
		return "", malformedXML()
	}
	if !bytes.HasPrefix(body, []byte("<?xml")) {
		body = append([]byte(xml.Header), body...)
	}
	return string(body), nil
}

// readBucket returns a copy of the bucket the request names.
func (c *call) readBucket() (*model.Bucket, error) {
	var b *model.Bucket
	c.Engine.Read(func(st *model.State) {
		if x := st.Buckets[c.bucket]; x != nil {
			cp := *x
			b = &cp
		}
	})
	if b == nil {
		return nil, engine.NoSuchBucket(c.bucket)
	}
	return b, nil
}

func (c *call) change(fn func(b *model.Bucket) error) error {
	_, err := c.Engine.ChangeBucket(c.bucket, fn)
	if err == nil {
		c.resp.Status = http.StatusOK
	}
	return err
}

func noContent(c *call) { c.resp.Status = http.StatusNoContent }

func timeText(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func orDefault(s, def string) string { return cmp.Or(s, def) }

// jsonObject reports whether s is a JSON object.
func jsonObject(s string) bool {
	var v map[string]any
	return json.Unmarshal([]byte(s), &v) == nil
}
