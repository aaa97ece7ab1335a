package s3

import (
	"cmp"
	"crypto/md5"
	"encoding/hex"
	"encoding/xml"
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

func etag(body []byte) string {
	s := md5.Sum(body)
	return `"` + hex.EncodeToString(s[:]) + `"`
}

// objectHeaders reads the representation headers and metadata of a
// PutObject or CopyObject (REPLACE).
func objectHeaders(h http.Header, o *model.S3Object) {
	o.ContentType = orDefault(h.Get("Content-Type"), "binary/octet-stream")
	var enc []string
	for _, e := range splitList(h.Get("Content-Encoding")) {
		if e != "aws-chunked" {
			enc = append(enc, e)
		}
	}
	o.ContentEncoding = strings.Join(enc, ",")
	o.ContentDisposition, o.ContentLanguage, o.CacheControl = h.Get("Content-Disposition"), h.Get("Content-Language"), h.Get("Cache-Control")
	o.Metadata = map[string]string{}
	for k, v := range h {
		if m, ok := strings.CutPrefix(strings.ToLower(k), "x-amz-meta-"); ok && len(v) > 0 {
			o.Metadata[m] = v[0]
		}
	}
}

// taggingHeader reads x-amz-tagging (a URL-encoded query string).
func taggingHeader(v string) (model.Tags, error) {
	if v == "" {
		return nil, nil
	}
	q, err := url.ParseQuery(v)
	if err != nil {
		return nil, apierr.New("InvalidArgument", "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.")
	}
	t := model.Tags{}
	for k, vs := range q {
		if len(vs) != 1 {
			return nil, apierr.New("InvalidArgument", "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.")
		}
		t[k] = vs[0]
	}
	if len(t) > 10 {
		return nil, apierr.New("BadRequest", "Object tags cannot be greater than 10")
	}
	return t, nil
}

func putObject(c *call) error {
	o := model.S3Object{Bucket: c.bucket, Key: c.key, Body: c.Body, ETag: etag(c.Body), ChecksumAlgorithm: c.checksumAlg, Checksum: c.checksum}
	if len(c.key) > 1024 {
		return apierr.New("KeyTooLongError", "Your key is too long")
	}
	objectHeaders(c.R.Header, &o)
	t, err := taggingHeader(c.R.Header.Get("X-Amz-Tagging"))
	if err != nil {
		return err
	}
	o.Tags = t
	stored, err := c.Engine.PutObject(o, c.MaxStored)
	if err != nil {
		return err
	}
	c.versionHeader(stored)
	c.resp.Header.Set("ETag", o.ETag)
	c.resp.Header.Set("X-Amz-Server-Side-Encryption", "AES256")
	checksumHeaders(c.resp.Header, &o)
	return nil
}

// versionHeader answers x-amz-version-id for an object of a versioned
// bucket.
func (c *call) versionHeader(o *model.S3Object) {
	if o.VersionID != "" {
		c.resp.Header.Set("X-Amz-Version-Id", o.VersionID)
	}
}

// readObject returns the object the request names (NoSuchBucket,
// NoSuchKey).
func (c *call) readObject(bucket, key string) (*model.S3Object, error) {
	return c.readVersion(bucket, key, "")
}

// readVersion returns the current object, or the version named
// (NoSuchVersion; a delete marker is 405 MethodNotAllowed). A key whose
// latest version is a delete marker is NoSuchKey with
// x-amz-delete-marker, as S3 answers.
func (c *call) readVersion(bucket, key, version string) (*model.S3Object, error) {
	var o *model.S3Object
	var hasBucket bool
	var marker string
	var deleted bool
	c.Engine.Read(func(st *model.State) {
		hasBucket = st.Buckets[bucket] != nil
		if version != "" {
			o = engine.ObjectVersion(st, bucket, key, version)
			return
		}
		o = st.S3Objects[model.S3ObjectKey(bucket, key)]
		if o == nil {
			marker, deleted = engine.LatestIsDeleteMarker(st, bucket, key)
		}
	})
	if !hasBucket {
		return nil, engine.NoSuchBucket(bucket)
	}
	if version != "" && o == nil {
		return nil, engine.NoSuchVersion(key, version)
	}
	if o != nil && o.DeleteMarker {
		c.resp.Header.Set("X-Amz-Delete-Marker", "true")
		c.resp.Header.Set("X-Amz-Version-Id", o.VersionID)
		c.resp.Header.Set("Allow", "DELETE")
		return nil, &apierr.Error{Code: "MethodNotAllowed", Message: "The specified method is not allowed against this resource.", HTTPStatus: 405,
			Fields: map[string]string{"Method": c.R.Method, "ResourceType": "DeleteMarker"}}
	}
	if o == nil {
		if deleted {
			c.resp.Header.Set("X-Amz-Delete-Marker", "true")
			c.resp.Header.Set("X-Amz-Version-Id", marker)
		}
		return nil, engine.NoSuchKey(key)
	}
	return o, nil
}

// getObject serves GetObject and HeadObject, with a single byte range
// (206, or InvalidRange 416) and If-None-Match / If-Match.
func getObject(c *call) error {
	o, err := c.readVersion(c.bucket, c.key, c.query.Get("versionId"))
	if err != nil {
		if c.R.Method == http.MethodHead {
			e := apierr.As(err)
			code, msg := "NotFound", "Not Found"
			if e.HTTPStatus == http.StatusMethodNotAllowed {
				code, msg = "MethodNotAllowed", "Method Not Allowed"
			}
			return &apierr.Error{Code: code, Message: msg, HTTPStatus: e.HTTPStatus}
		}
		return err
	}
	h := c.resp.Header
	c.versionHeader(o)
	if m := c.R.Header.Get("If-Match"); m != "" && m != o.ETag && m != "*" {
		return &apierr.Error{Code: "PreconditionFailed", Message: "At least one of the pre-conditions you specified did not hold", HTTPStatus: 412,
			Fields: map[string]string{"Condition": "If-Match"}}
	}
	if m := c.R.Header.Get("If-None-Match"); m != "" && (m == o.ETag || m == "*") {
		c.resp.Status = http.StatusNotModified
		h.Set("ETag", o.ETag)
		return nil
	}
	h.Set("Content-Type", o.ContentType)
	h.Set("ETag", o.ETag)
	h.Set("Last-Modified", o.Modified.UTC().Format(http.TimeFormat))
	h.Set("Accept-Ranges", "bytes")
	h.Set("X-Amz-Server-Side-Encryption", "AES256")
	if strings.EqualFold(c.R.Header.Get("X-Amz-Checksum-Mode"), "ENABLED") && c.R.Header.Get("Range") == "" {
		checksumHeaders(h, o)
	}
	for k, v := range map[string]string{"Content-Encoding": o.ContentEncoding, "Content-Disposition": o.ContentDisposition,
		"Content-Language": o.ContentLanguage, "Cache-Control": o.CacheControl} {
		if v != "" {
			h.Set(k, v)
		}
	}
	for k, v := range o.Metadata {
		h.Set("X-Amz-Meta-"+k, v)
	}
	if len(o.Tags) > 0 {
		h.Set("X-Amz-Tagging-Count", strconv.Itoa(len(o.Tags)))
	}
	body := o.Body
	if r := c.R.Header.Get("Range"); r != "" {
		start, end, ok := byteRange(r, int64(len(body)))
		if !ok {
			return &apierr.Error{Code: "InvalidRange", Message: "The requested range is not satisfiable", HTTPStatus: 416,
				Fields: map[string]string{"RangeRequested": r, "ActualObjectSize": strconv.Itoa(len(body))}}
		}
		if start >= 0 {
			h.Set("Content-Range", "bytes "+strconv.FormatInt(start, 10)+"-"+strconv.FormatInt(end, 10)+"/"+strconv.Itoa(len(body)))
			body = body[start : end+1]
			c.resp.Status = http.StatusPartialContent
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.resp.Body = body
	return nil
}

// byteRange parses "bytes=a-b", "bytes=a-" or "bytes=-n" against size; a
// header S3 ignores (not bytes=, several ranges) gives start -1.
func byteRange(v string, size int64) (start, end int64, ok bool) {
	spec, found := strings.CutPrefix(v, "bytes=")
	if !found || strings.Contains(spec, ",") {
		return -1, -1, true
	}
	a, b, found := strings.Cut(spec, "-")
	if !found {
		return -1, -1, true
	}
	if a == "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n <= 0 || size == 0 {
			return 0, 0, false
		}
		return max(size-n, 0), size - 1, true
	}
	s, err := strconv.ParseInt(a, 10, 64)
	if err != nil || s >= size {
		return 0, 0, false
	}
	e := size - 1
	if b != "" {
		x, err := strconv.ParseInt(b, 10, 64)
		if err != nil || x < s {
			return -1, -1, true
		}
		e = min(x, size-1)
	}
	return s, e, true
}

func deleteObject(c *call) error {
	ds, err := c.Engine.DeleteKeys(c.bucket, []engine.ObjectDelete{{Key: c.key, VersionID: c.query.Get("versionId")}})
	if err != nil {
		return err
	}
	d := ds[0]
	if v := cmp.Or(d.MarkerVersion, d.VersionID); v != "" {
		c.resp.Header.Set("X-Amz-Version-Id", v)
	}
	if d.DeleteMarker {
		c.resp.Header.Set("X-Amz-Delete-Marker", "true")
	}
	noContent(c)
	return nil
}

func deleteObjects(c *call) error {
	var in struct {
		Objects []struct {
			Key       string `xml:"Key"`
			VersionID string `xml:"VersionId"`
		} `xml:"Object"`
		Quiet bool `xml:"Quiet"`
	}
	if err := c.parseXML(&in); err != nil {
		return err
	}
	if len(in.Objects) > 1000 {
		return malformedXML()
	}
	reqs := make([]engine.ObjectDelete, 0, len(in.Objects))
	for _, o := range in.Objects {
		reqs = append(reqs, engine.ObjectDelete{Key: o.Key, VersionID: o.VersionID})
	}
	ds, err := c.Engine.DeleteKeys(c.bucket, reqs)
	if err != nil {
		return err
	}
	type deleted struct {
		Key                   string `xml:"Key"`
		VersionID             string `xml:"VersionId,omitempty"`
		DeleteMarker          bool   `xml:"DeleteMarker,omitempty"`
		DeleteMarkerVersionID string `xml:"DeleteMarkerVersionId,omitempty"`
	}
	out := struct {
		XMLName xml.Name  `xml:"DeleteResult"`
		Xmlns   string    `xml:"xmlns,attr"`
		Deleted []deleted `xml:"Deleted"`
	}{Xmlns: Namespace}
	if !in.Quiet {
		for _, d := range ds {
			out.Deleted = append(out.Deleted, deleted{d.Key, d.VersionID, d.DeleteMarker, d.MarkerVersion})
		}
	}
	return c.xmlDoc(out)
}

// copyObject copies x-amz-copy-source (/bucket/key, URL-encoded) with its
// metadata (COPY) or the request's (REPLACE); a copy onto itself that
// changes nothing is refused, as S3 does.
func copyObject(c *call) error {
	sb, sk, sv, err := copySource(c.R.Header.Get("X-Amz-Copy-Source"))
	if err != nil {
		return err
	}
	o, err := c.readVersion(sb, sk, sv)
	if err != nil {
		return err
	}
	dir := orDefault(c.R.Header.Get("X-Amz-Metadata-Directive"), "COPY")
	if dir != "COPY" && dir != "REPLACE" {
		return apierr.New("InvalidArgument", "Unknown metadata directive.")
	}
	if sb == c.bucket && sk == c.key && dir == "COPY" {
		return apierr.New("InvalidRequest", "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
	}
	n := *o
	n.Bucket, n.Key = c.bucket, c.key
	if dir == "REPLACE" {
		objectHeaders(c.R.Header, &n)
	}
	if c.R.Header.Get("X-Amz-Tagging-Directive") == "REPLACE" {
		t, err := taggingHeader(c.R.Header.Get("X-Amz-Tagging"))
		if err != nil {
			return err
		}
		n.Tags = t
	}
	stored, err := c.Engine.PutObject(n, c.MaxStored)
	if err != nil {
		return err
	}
	c.versionHeader(stored)
	type result struct {
		XMLName      xml.Name `xml:"CopyObjectResult"`
		Xmlns        string   `xml:"xmlns,attr"`
		LastModified string   `xml:"LastModified"`
		ETag         string   `xml:"ETag"`
	}
	return c.xmlDoc(result{Xmlns: Namespace, LastModified: timeText(stored.Modified), ETag: stored.ETag})
}

func putObjectTagging(c *call) error {
	t, err := c.tagsIn(10)
	if err != nil {
		return err
	}
	return c.Engine.ChangeObject(c.bucket, c.key, func(o *model.S3Object) error { o.Tags = t; return nil })
}

func getObjectTagging(c *call) error {
	o, err := c.readObject(c.bucket, c.key)
	if err != nil {
		return err
	}
	return c.xmlDoc(tagsOut(o.Tags))
}

func deleteObjectTagging(c *call) error {
	if err := c.Engine.ChangeObject(c.bucket, c.key, func(o *model.S3Object) error { o.Tags = nil; return nil }); err != nil {
		return err
	}
	noContent(c)
	return nil
}

type contentXML struct {
	Key          string `xml:"Key"`
	LastModified string `xml:"LastModified"`
	ETag         string `xml:"ETag"`
	Size         int    `xml:"Size"`
	StorageClass string `xml:"StorageClass"`
	OwnerID      string `xml:"Owner>ID,omitempty"`
}

type prefixXML struct {
	Prefix string `xml:"Prefix"`
}

// listing is the keys of a bucket under prefix, after marker, folded at
// delimiter into common prefixes, at most max entries.
type listing struct {
	contents  []*model.S3Object
	prefixes  []string
	truncated bool
	last      string // the last key or prefix listed, for the next page
}

func (c *call) list(prefix, delimiter, after string, maxKeys int) (listing, error) {
	var l listing
	var hasBucket bool
	c.Engine.Read(func(st *model.State) {
		b := st.Buckets[c.bucket]
		if b == nil {
			return
		}
		hasBucket = true
		var objs []*model.S3Object
		p := model.S3ObjectKey(c.bucket, prefix)
		for k, o := range st.S3Objects {
			if strings.HasPrefix(k, p) && o.Key > after {
				objs = append(objs, o)
			}
		}
		slices.SortFunc(objs, func(a, b *model.S3Object) int { return strings.Compare(a.Key, b.Key) })
		n := 0
		for _, o := range objs {
			cp := ""
			if delimiter != "" {
				if i := strings.Index(o.Key[len(prefix):], delimiter); i >= 0 {
					cp = o.Key[:len(prefix)+i+len(delimiter)]
				}
			}
			if cp != "" && len(l.prefixes) > 0 && l.prefixes[len(l.prefixes)-1] == cp {
				continue
			}
			if cp != "" && cp <= after {
				continue
			}
			if n == maxKeys {
				l.truncated = true
				return
			}
			n++
			if cp != "" {
				l.prefixes = append(l.prefixes, cp)
				l.last = cp
			} else {
				l.contents = append(l.contents, o)
				l.last = o.Key
			}
		}
	})
	if !hasBucket {
		return l, engine.NoSuchBucket(c.bucket)
	}
	return l, nil
}

// listObjects serves ListObjects (v1: marker) and ListObjectsV2
// (continuation-token, start-after), with encoding-type=url.
func listObjects(c *call) error {
	q := c.query
	v2 := q.Get("list-type") == "2"
	maxKeys := 1000
	if v := q.Get("max-keys"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return apierr.New("InvalidArgument", "Provided max-keys not an integer or within integer range")
		}
		maxKeys = min(n, 1000)
	}
	enc := q.Get("encoding-type")
	if enc != "" && enc != "url" {
		return apierr.New("InvalidArgument", "Invalid Encoding Method specified in Request")
	}
	esc := func(s string) string {
		if enc == "url" {
			return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
		}
		return s
	}
	prefix, delimiter := q.Get("prefix"), q.Get("delimiter")
	after := q.Get("marker")
	token := q.Get("continuation-token")
	if v2 {
		after = q.Get("start-after")
		if token != "" {
			t, err := decodeToken(token)
			if err != nil {
				return apierr.New("InvalidArgument", "The continuation token provided is incorrect")
			}
			after = max(after, t)
		}
	}
	l, err := c.list(prefix, delimiter, after, maxKeys)
	if err != nil {
		return err
	}
	owner := ""
	if !v2 || q.Get("fetch-owner") == "true" {
		owner = canonicalUser(c.Account)
	}
	contents := make([]contentXML, 0, len(l.contents))
	for _, o := range l.contents {
		contents = append(contents, contentXML{Key: esc(o.Key), LastModified: timeText(o.Modified), ETag: o.ETag, Size: len(o.Body), StorageClass: "STANDARD", OwnerID: owner})
	}
	prefixes := make([]prefixXML, 0, len(l.prefixes))
	for _, p := range l.prefixes {
		prefixes = append(prefixes, prefixXML{esc(p)})
	}
	type result struct {
		XMLName               xml.Name     `xml:"ListBucketResult"`
		Xmlns                 string       `xml:"xmlns,attr"`
		Name                  string       `xml:"Name"`
		Prefix                string       `xml:"Prefix"`
		Marker                *string      `xml:"Marker"`
		NextMarker            string       `xml:"NextMarker,omitempty"`
		ContinuationToken     string       `xml:"ContinuationToken,omitempty"`
		NextContinuationToken string       `xml:"NextContinuationToken,omitempty"`
		StartAfter            string       `xml:"StartAfter,omitempty"`
		KeyCount              *int         `xml:"KeyCount"`
		MaxKeys               int          `xml:"MaxKeys"`
		Delimiter             string       `xml:"Delimiter,omitempty"`
		EncodingType          string       `xml:"EncodingType,omitempty"`
		IsTruncated           bool         `xml:"IsTruncated"`
		Contents              []contentXML `xml:"Contents"`
		CommonPrefixes        []prefixXML  `xml:"CommonPrefixes"`
	}
	out := result{Xmlns: Namespace, Name: c.bucket, Prefix: esc(prefix), MaxKeys: maxKeys, Delimiter: esc(delimiter), EncodingType: enc,
		IsTruncated: l.truncated, Contents: contents, CommonPrefixes: prefixes}
	if v2 {
		n := len(contents) + len(prefixes)
		out.KeyCount = &n
		out.ContinuationToken, out.StartAfter = token, esc(q.Get("start-after"))
		if l.truncated {
			out.NextContinuationToken = encodeToken(l.last)
		}
	} else {
		m := esc(after)
		out.Marker = &m
		if l.truncated && delimiter != "" {
			out.NextMarker = esc(l.last)
		}
	}
	return c.xmlDoc(out)
}

func encodeToken(key string) string { return hex.EncodeToString([]byte(key)) }

func decodeToken(t string) (string, error) {
	b, err := hex.DecodeString(t)
	return string(b), err
}

// listObjectVersions serves ListObjectVersions: every version and delete
// marker under prefix, by key and newest first (an object of a bucket
// never versioned is its one version, "null"), after key-marker (and
// version-id-marker), folded at delimiter, at most max-keys.
func listObjectVersions(c *call) error {
	q := c.query
	maxKeys := 1000
	if v := q.Get("max-keys"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return apierr.New("InvalidArgument", "Provided max-keys not an integer or within integer range")
		}
		maxKeys = min(n, 1000)
	}
	prefix, delimiter, keyMarker, idMarker := q.Get("prefix"), q.Get("delimiter"), q.Get("key-marker"), q.Get("version-id-marker")
	var vs []*model.S3Object
	var latest []bool
	var hasBucket bool
	c.Engine.Read(func(st *model.State) {
		if hasBucket = st.Buckets[c.bucket] != nil; hasBucket {
			vs, latest = engine.BucketVersions(st, c.bucket, prefix)
		}
	})
	if !hasBucket {
		return engine.NoSuchBucket(c.bucket)
	}
	type version struct {
		XMLName      xml.Name
		Key          string `xml:"Key"`
		VersionID    string `xml:"VersionId"`
		IsLatest     bool   `xml:"IsLatest"`
		LastModified string `xml:"LastModified"`
		ETag         string `xml:"ETag,omitempty"`
		Size         *int   `xml:"Size"`
		StorageClass string `xml:"StorageClass,omitempty"`
		OwnerID      string `xml:"Owner>ID"`
	}
	out := struct {
		XMLName             xml.Name    `xml:"ListVersionsResult"`
		Xmlns               string      `xml:"xmlns,attr"`
		Name                string      `xml:"Name"`
		Prefix              string      `xml:"Prefix"`
		KeyMarker           string      `xml:"KeyMarker"`
		VersionIDMarker     string      `xml:"VersionIdMarker"`
		NextKeyMarker       string      `xml:"NextKeyMarker,omitempty"`
		NextVersionIDMarker string      `xml:"NextVersionIdMarker,omitempty"`
		MaxKeys             int         `xml:"MaxKeys"`
		Delimiter           string      `xml:"Delimiter,omitempty"`
		IsTruncated         bool        `xml:"IsTruncated"`
		Versions            []version   `xml:"Version"`
		CommonPrefixes      []prefixXML `xml:"CommonPrefixes"`
	}{Xmlns: Namespace, Name: c.bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIDMarker: idMarker, MaxKeys: maxKeys, Delimiter: delimiter}
	owner := canonicalUser(c.Account)
	n := 0
	past := idMarker == ""
	for i, o := range vs {
		vid := cmp.Or(o.VersionID, "null")
		if keyMarker != "" {
			if o.Key < keyMarker || o.Key == keyMarker && idMarker == "" {
				continue
			}
			if o.Key == keyMarker && !past {
				past = vid == idMarker
				continue
			}
		}
		if delimiter != "" {
			if j := strings.Index(o.Key[len(prefix):], delimiter); j >= 0 {
				cp := o.Key[:len(prefix)+j+len(delimiter)]
				if k := len(out.CommonPrefixes); k > 0 && out.CommonPrefixes[k-1].Prefix == cp || cp <= keyMarker {
					continue
				}
				if n == maxKeys {
					out.IsTruncated = true
					break
				}
				n++
				out.CommonPrefixes = append(out.CommonPrefixes, prefixXML{cp})
				out.NextKeyMarker, out.NextVersionIDMarker = cp, ""
				continue
			}
		}
		if n == maxKeys {
			out.IsTruncated = true
			break
		}
		n++
		v := version{Key: o.Key, VersionID: vid, IsLatest: latest[i], LastModified: timeText(o.Modified), OwnerID: owner}
		if o.DeleteMarker {
			v.XMLName.Local = "DeleteMarker"
		} else {
			size := len(o.Body)
			v.XMLName.Local, v.ETag, v.Size, v.StorageClass = "Version", o.ETag, &size, "STANDARD"
		}
		out.Versions = append(out.Versions, v)
		out.NextKeyMarker, out.NextVersionIDMarker = o.Key, vid
	}
	if !out.IsTruncated {
		out.NextKeyMarker, out.NextVersionIDMarker = "", ""
	}
	return c.xmlDoc(out)
}

var _ = time.Now
