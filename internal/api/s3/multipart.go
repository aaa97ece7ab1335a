package s3

import (
	"encoding/xml"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Multipart upload: CreateMultipartUpload, UploadPart, UploadPartCopy,
// CompleteMultipartUpload, AbortMultipartUpload, ListParts,
// ListMultipartUploads (Amazon S3 API Reference).

func init() {
	for k, v := range map[string]func(c *call) error{
		"CreateMultipartUpload": createMultipartUpload, "UploadPart": uploadPart, "UploadPartCopy": uploadPartCopy,
		"CompleteMultipartUpload": completeMultipartUpload, "AbortMultipartUpload": abortMultipartUpload,
		"ListParts": listParts, "ListMultipartUploads": listMultipartUploads,
	} {
		handlers[k] = v
	}
}

func createMultipartUpload(c *call) error {
	if len(c.key) > 1024 {
		return apierr.New("KeyTooLongError", "Your key is too long")
	}
	o := model.S3Object{Bucket: c.bucket, Key: c.key}
	objectHeaders(c.R.Header, &o)
	t, err := taggingHeader(c.R.Header.Get("X-Amz-Tagging"))
	if err != nil {
		return err
	}
	o.Tags = t
	u, err := c.Engine.CreateUpload(o)
	if err != nil {
		return err
	}
	c.resp.Header.Set("X-Amz-Server-Side-Encryption", "AES256")
	return c.xmlDoc(struct {
		XMLName  xml.Name `xml:"InitiateMultipartUploadResult"`
		Xmlns    string   `xml:"xmlns,attr"`
		Bucket   string   `xml:"Bucket"`
		Key      string   `xml:"Key"`
		UploadID string   `xml:"UploadId"`
	}{Xmlns: Namespace, Bucket: c.bucket, Key: c.key, UploadID: u.ID})
}

// partNumber reads partNumber (1 to 10,000).
func (c *call) partNumber() (int, error) {
	n, err := strconv.Atoi(c.query.Get("partNumber"))
	if err != nil || n < 1 || n > 10000 {
		return 0, &apierr.Error{Code: "InvalidArgument", HTTPStatus: 400,
			Message: "Part number must be an integer between 1 and 10000, inclusive",
			Fields:  map[string]string{"ArgumentName": "partNumber", "ArgumentValue": c.query.Get("partNumber")}}
	}
	return n, nil
}

func uploadPart(c *call) error {
	n, err := c.partNumber()
	if err != nil {
		return err
	}
	p, err := c.Engine.PutPart(c.bucket, c.key, c.query.Get("uploadId"), n, c.Body, c.MaxStored)
	if err != nil {
		return err
	}
	c.resp.Header.Set("ETag", p.ETag)
	c.resp.Header.Set("X-Amz-Server-Side-Encryption", "AES256")
	return nil
}

// uploadPartCopy copies x-amz-copy-source, or its
// x-amz-copy-source-range (bytes=first-last, both within the object), as
// a part.
func uploadPartCopy(c *call) error {
	n, err := c.partNumber()
	if err != nil {
		return err
	}
	sb, sk, sv, err := copySource(c.R.Header.Get("X-Amz-Copy-Source"))
	if err != nil {
		return err
	}
	o, err := c.readVersion(sb, sk, sv)
	if err != nil {
		return err
	}
	body := o.Body
	if r := c.R.Header.Get("X-Amz-Copy-Source-Range"); r != "" {
		spec, ok := strings.CutPrefix(r, "bytes=")
		a, b, ok2 := strings.Cut(spec, "-")
		first, err1 := strconv.ParseInt(a, 10, 64)
		last, err2 := strconv.ParseInt(b, 10, 64)
		if !ok || !ok2 || err1 != nil || err2 != nil || first > last {
			return apierr.New("InvalidArgument", "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy")
		}
		if last >= int64(len(body)) {
			return apierr.New("InvalidRequest", "The specified copy range is invalid for the source object size")
		}
		body = body[first : last+1]
	}
	p, err := c.Engine.PutPart(c.bucket, c.key, c.query.Get("uploadId"), n, slices.Clone(body), c.MaxStored)
	if err != nil {
		return err
	}
	return c.xmlDoc(struct {
		XMLName      xml.Name `xml:"CopyPartResult"`
		Xmlns        string   `xml:"xmlns,attr"`
		LastModified string   `xml:"LastModified"`
		ETag         string   `xml:"ETag"`
	}{Xmlns: Namespace, LastModified: timeText(p.Modified), ETag: p.ETag})
}

// copySource reads x-amz-copy-source (/bucket/key or bucket/key,
// URL-encoded, an optional ?versionId=).
func copySource(src string) (bucket, key, version string, err error) {
	src, version, _ = strings.Cut(src, "?versionId=")
	if u, err := url.PathUnescape(src); err == nil {
		src = u
	}
	b, k, ok := strings.Cut(strings.TrimPrefix(src, "/"), "/")
	if !ok || b == "" || k == "" {
		return "", "", "", apierr.New("InvalidArgument", "Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
	}
	return b, k, version, nil
}

func completeMultipartUpload(c *call) error {
	var in struct {
		XMLName xml.Name `xml:"CompleteMultipartUpload"`
		Parts   []struct {
			PartNumber int    `xml:"PartNumber"`
			ETag       string `xml:"ETag"`
		} `xml:"Part"`
	}
	if err := c.parseXML(&in); err != nil {
		return err
	}
	if len(in.Parts) == 0 {
		return malformedXML()
	}
	refs := make([]engine.PartRef, 0, len(in.Parts))
	for _, p := range in.Parts {
		refs = append(refs, engine.PartRef{Number: p.PartNumber, ETag: p.ETag})
	}
	o, err := c.Engine.CompleteUpload(c.bucket, c.key, c.query.Get("uploadId"), refs, c.MaxStored)
	if err != nil {
		return err
	}
	c.resp.Header.Set("X-Amz-Server-Side-Encryption", "AES256")
	c.versionHeader(o)
	return c.xmlDoc(struct {
		XMLName  xml.Name `xml:"CompleteMultipartUploadResult"`
		Xmlns    string   `xml:"xmlns,attr"`
		Location string   `xml:"Location"`
		Bucket   string   `xml:"Bucket"`
		Key      string   `xml:"Key"`
		ETag     string   `xml:"ETag"`
	}{Xmlns: Namespace, Location: "http://" + c.R.Host + "/" + c.bucket + "/" + (&url.URL{Path: c.key}).EscapedPath(),
		Bucket: c.bucket, Key: c.key, ETag: o.ETag})
}

func abortMultipartUpload(c *call) error {
	if err := c.Engine.AbortUpload(c.bucket, c.key, c.query.Get("uploadId")); err != nil {
		return err
	}
	noContent(c)
	return nil
}

type ownerXML struct {
	ID string `xml:"ID"`
}

// listParts serves ListParts: parts after part-number-marker, at most
// max-parts (1,000).
func listParts(c *call) error {
	id := c.query.Get("uploadId")
	maxParts, err := c.maxQuery("max-parts")
	if err != nil {
		return err
	}
	marker, _ := strconv.Atoi(c.query.Get("part-number-marker"))
	var u *model.S3Upload
	var parts []*model.S3Part
	var hasBucket bool
	c.Engine.Read(func(st *model.State) {
		hasBucket = st.Buckets[c.bucket] != nil
		if x := st.S3Uploads[id]; x != nil && x.Object.Bucket == c.bucket && x.Object.Key == c.key {
			u, parts = x, engine.Parts(st, id)
		}
	})
	if !hasBucket {
		return engine.NoSuchBucket(c.bucket)
	}
	if u == nil {
		return engine.NoSuchUpload(id)
	}
	type part struct {
		PartNumber   int    `xml:"PartNumber"`
		LastModified string `xml:"LastModified"`
		ETag         string `xml:"ETag"`
		Size         int    `xml:"Size"`
	}
	owner := ownerXML{canonicalUser(c.Account)}
	out := struct {
		XMLName              xml.Name `xml:"ListPartsResult"`
		Xmlns                string   `xml:"xmlns,attr"`
		Bucket               string   `xml:"Bucket"`
		Key                  string   `xml:"Key"`
		UploadID             string   `xml:"UploadId"`
		Initiator            ownerXML `xml:"Initiator"`
		Owner                ownerXML `xml:"Owner"`
		StorageClass         string   `xml:"StorageClass"`
		PartNumberMarker     int      `xml:"PartNumberMarker"`
		NextPartNumberMarker int      `xml:"NextPartNumberMarker"`
		MaxParts             int      `xml:"MaxParts"`
		IsTruncated          bool     `xml:"IsTruncated"`
		Parts                []part   `xml:"Part"`
	}{Xmlns: Namespace, Bucket: c.bucket, Key: c.key, UploadID: id, Initiator: owner, Owner: owner, StorageClass: "STANDARD",
		PartNumberMarker: marker, MaxParts: maxParts}
	for _, p := range parts {
		if p.Number <= marker {
			continue
		}
		if len(out.Parts) == maxParts {
			out.IsTruncated = true
			break
		}
		out.Parts = append(out.Parts, part{p.Number, timeText(p.Modified), p.ETag, len(p.Body)})
		out.NextPartNumberMarker = p.Number
	}
	return c.xmlDoc(out)
}

// maxQuery reads a max-parts or max-uploads query (default and at most
// 1,000).
func (c *call) maxQuery(name string) (int, error) {
	v := c.query.Get(name)
	if v == "" {
		return 1000, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, &apierr.Error{Code: "InvalidArgument", HTTPStatus: 400,
			Message: "Provided " + name + " not an integer or within integer range",
			Fields:  map[string]string{"ArgumentName": name, "ArgumentValue": v}}
	}
	return min(n, 1000), nil
}

// listMultipartUploads serves ListMultipartUploads: uploads by key, then
// by initiation, under prefix, after key-marker (and upload-id-marker),
// folded at delimiter, at most max-uploads.
func listMultipartUploads(c *call) error {
	q := c.query
	maxUploads, err := c.maxQuery("max-uploads")
	if err != nil {
		return err
	}
	prefix, delimiter, keyMarker, idMarker := q.Get("prefix"), q.Get("delimiter"), q.Get("key-marker"), q.Get("upload-id-marker")
	var ups []*model.S3Upload
	var hasBucket bool
	c.Engine.Read(func(st *model.State) {
		hasBucket = st.Buckets[c.bucket] != nil
		for _, u := range st.S3Uploads {
			if u.Object.Bucket == c.bucket && strings.HasPrefix(u.Object.Key, prefix) {
				ups = append(ups, u)
			}
		}
	})
	if !hasBucket {
		return engine.NoSuchBucket(c.bucket)
	}
	slices.SortFunc(ups, func(a, b *model.S3Upload) int {
		if x := strings.Compare(a.Object.Key, b.Object.Key); x != 0 {
			return x
		}
		if x := a.Created.Compare(b.Created); x != 0 {
			return x
		}
		return strings.Compare(a.ID, b.ID)
	})
	type upload struct {
		Key          string   `xml:"Key"`
		UploadID     string   `xml:"UploadId"`
		Initiator    ownerXML `xml:"Initiator"`
		Owner        ownerXML `xml:"Owner"`
		StorageClass string   `xml:"StorageClass"`
		Initiated    string   `xml:"Initiated"`
	}
	out := struct {
		XMLName            xml.Name    `xml:"ListMultipartUploadsResult"`
		Xmlns              string      `xml:"xmlns,attr"`
		Bucket             string      `xml:"Bucket"`
		KeyMarker          string      `xml:"KeyMarker"`
		UploadIDMarker     string      `xml:"UploadIdMarker"`
		NextKeyMarker      string      `xml:"NextKeyMarker,omitempty"`
		NextUploadIDMarker string      `xml:"NextUploadIdMarker,omitempty"`
		Prefix             string      `xml:"Prefix,omitempty"`
		Delimiter          string      `xml:"Delimiter,omitempty"`
		MaxUploads         int         `xml:"MaxUploads"`
		IsTruncated        bool        `xml:"IsTruncated"`
		Uploads            []upload    `xml:"Upload"`
		CommonPrefixes     []prefixXML `xml:"CommonPrefixes"`
	}{Xmlns: Namespace, Bucket: c.bucket, KeyMarker: keyMarker, UploadIDMarker: idMarker, Prefix: prefix, Delimiter: delimiter,
		MaxUploads: maxUploads}
	owner := ownerXML{canonicalUser(c.Account)}
	seenMarker := idMarker == ""
	for _, u := range ups {
		k := u.Object.Key
		if keyMarker != "" {
			if k < keyMarker {
				continue
			}
			if k == keyMarker {
				if idMarker == "" {
					continue
				}
				if !seenMarker {
					seenMarker = u.ID == idMarker
					continue
				}
			}
		}
		if delimiter != "" {
			if i := strings.Index(k[len(prefix):], delimiter); i >= 0 {
				cp := k[:len(prefix)+i+len(delimiter)]
				if n := len(out.CommonPrefixes); n > 0 && out.CommonPrefixes[n-1].Prefix == cp {
					continue
				}
				if len(out.Uploads)+len(out.CommonPrefixes) == maxUploads {
					out.IsTruncated = true
					break
				}
				out.CommonPrefixes = append(out.CommonPrefixes, prefixXML{cp})
				out.NextKeyMarker, out.NextUploadIDMarker = cp, ""
				continue
			}
		}
		if len(out.Uploads)+len(out.CommonPrefixes) == maxUploads {
			out.IsTruncated = true
			break
		}
		out.Uploads = append(out.Uploads, upload{k, u.ID, owner, owner, "STANDARD", timeText(u.Created)})
		out.NextKeyMarker, out.NextUploadIDMarker = k, u.ID
	}
	return c.xmlDoc(out)
}
