package s3

import (
	"encoding/xml"
	"net/http"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// handlers serve each operation.
var handlers = map[string]func(c *call) error{}

func init() {
	for k, v := range map[string]func(c *call) error{
		"ListBuckets": listBuckets, "CreateBucket": createBucket, "HeadBucket": headBucket, "DeleteBucket": deleteBucket,
		"GetBucketLocation": getBucketLocation,
		"PutBucketTagging":  putBucketTagging, "GetBucketTagging": getBucketTagging, "DeleteBucketTagging": deleteBucketTagging,
		"PutBucketPolicy": putBucketPolicy, "GetBucketPolicy": getBucketPolicy, "DeleteBucketPolicy": deleteBucketPolicy,
		"GetBucketPolicyStatus": getBucketPolicyStatus,
		"PutBucketVersioning":   putBucketVersioning, "GetBucketVersioning": getBucketVersioning,
		"PutBucketAcl": putBucketACL, "GetBucketAcl": getBucketACL,
		"ListObjects": listObjects, "ListObjectsV2": listObjects, "ListObjectVersions": listObjectVersions,
		"PutObject": putObject, "GetObject": getObject, "HeadObject": getObject, "DeleteObject": deleteObject,
		"DeleteObjects": deleteObjects, "CopyObject": copyObject,
		"PutObjectTagging": putObjectTagging, "GetObjectTagging": getObjectTagging, "DeleteObjectTagging": deleteObjectTagging,
	} {
		handlers[k] = v
	}
	for _, d := range documents {
		handlers["Put"+d.op] = d.put
		handlers["Get"+d.op] = d.get
		if d.del != "" {
			handlers[d.del] = d.remove
		}
	}
}

type xmlTag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

type tagging struct {
	XMLName xml.Name `xml:"Tagging"`
	Xmlns   string   `xml:"xmlns,attr,omitempty"`
	TagSet  []xmlTag `xml:"TagSet>Tag"`
}

func tagsOut(t model.Tags) tagging {
	out := tagging{Xmlns: Namespace, TagSet: []xmlTag{}}
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		out.TagSet = append(out.TagSet, xmlTag{k, t[k]})
	}
	return out
}

// tagsIn reads a Tagging document: at most 50 tags (bucket) or 10
// (object), keys unique.
func (c *call) tagsIn(limit int) (model.Tags, error) {
	var in tagging
	if err := c.parseXML(&in); err != nil {
		return nil, err
	}
	if len(in.TagSet) > limit {
		return nil, apierr.New("InvalidTag", "Object tags cannot be greater than 10")
	}
	t := model.Tags{}
	for _, x := range in.TagSet {
		if _, dup := t[x.Key]; dup {
			return nil, apierr.New("InvalidTag", "Cannot provide multiple Tags with the same key")
		}
		if x.Key == "" || len(x.Key) > 128 || len(x.Value) > 256 {
			return nil, apierr.New("InvalidTag", "The TagKey you have provided is invalid")
		}
		if strings.HasPrefix(strings.ToLower(x.Key), "aws:") {
			return nil, apierr.New("InvalidTag", "System tags cannot be added/updated by requester")
		}
		t[x.Key] = x.Value
	}
	return t, nil
}

type createBucketConfiguration struct {
	LocationConstraint *string `xml:"LocationConstraint"`
}

// createBucket applies CreateBucket's LocationConstraint rules
// ("CreateBucket", Amazon S3 API Reference; observed answers): the
// constraint must name the region of the endpoint the request was sent
// to, us-east-1's endpoint takes no constraint, and us-east-1 itself is
// not a valid constraint.
func createBucket(c *call) error {
	var cfg createBucketConfiguration
	if len(strings.TrimSpace(string(c.Body))) > 0 {
		if err := c.parseXML(&cfg); err != nil {
			return err
		}
	}
	region := c.Region
	if cfg.LocationConstraint != nil && *cfg.LocationConstraint != "" {
		lc := *cfg.LocationConstraint
		name := lc
		if lc == "EU" {
			name = "eu-west-1"
		}
		if lc == "us-east-1" || !c.KnownRegion(name) {
			return &apierr.Error{Code: "InvalidLocationConstraint", Message: "The specified location-constraint is not valid", HTTPStatus: 400,
				Fields: map[string]string{"LocationConstraint": lc}}
		}
		if name != region {
			return apierr.Newf("IllegalLocationConstraintException", "The %s location constraint is incompatible for the region specific endpoint this request was sent to.", lc)
		}
	} else if region != "us-east-1" {
		return apierr.New("IllegalLocationConstraintException", "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.")
	}
	h := c.R.Header
	ownership := orDefault(h.Get("X-Amz-Object-Ownership"), "BucketOwnerEnforced")
	switch ownership {
	case "BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter":
	default:
		return apierr.New("InvalidArgument", "Invalid x-amz-object-ownership header: "+ownership)
	}
	acl := orDefault(h.Get("X-Amz-Acl"), "private")
	if !cannedACLs[acl] {
		return apierr.New("InvalidArgument", "")
	}
	if ownership == "BucketOwnerEnforced" && acl != "private" && acl != "bucket-owner-full-control" {
		return apierr.New("InvalidBucketAclWithObjectOwnership", "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
	}
	b := model.Bucket{Name: c.bucket, Region: region, ACL: acl, ObjectLock: strings.EqualFold(h.Get("X-Amz-Bucket-Object-Lock-Enabled"), "true"),
		Configs: map[string]string{
			// New buckets since April 2023: Block Public Access on, ACLs
			// disabled, and since January 2023 SSE-S3 by default
			// ("Default settings for new S3 buckets", Amazon S3 User Guide).
			"ownershipControls": xml.Header + `<OwnershipControls xmlns="` + Namespace + `"><Rule><ObjectOwnership>` + ownership + `</ObjectOwnership></Rule></OwnershipControls>`,
			"publicAccessBlock": xml.Header + `<PublicAccessBlockConfiguration xmlns="` + Namespace + `"><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>`,
		}}
	if b.ObjectLock {
		b.Configs["object-lock"] = xml.Header + `<ObjectLockConfiguration xmlns="` + Namespace + `"><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>`
	}
	if _, err := c.Engine.CreateBucket(b); err != nil {
		return err
	}
	c.resp.Header.Set("Location", "/"+c.bucket)
	return nil
}

func headBucket(c *call) error {
	b, err := c.readBucket()
	if err != nil {
		return &apierr.Error{Code: "NotFound", Message: "Not Found", HTTPStatus: 404}
	}
	c.resp.Header.Set("X-Amz-Bucket-Region", b.Region)
	c.resp.Header.Set("X-Amz-Access-Point-Alias", "false")
	return nil
}

func deleteBucket(c *call) error {
	if err := c.Engine.DeleteBucket(c.bucket); err != nil {
		return err
	}
	noContent(c)
	return nil
}

func getBucketLocation(c *call) error {
	b, err := c.readBucket()
	if err != nil {
		return err
	}
	type loc struct {
		XMLName xml.Name `xml:"LocationConstraint"`
		Xmlns   string   `xml:"xmlns,attr"`
		Value   string   `xml:",chardata"`
	}
	v := b.Region
	if v == "us-east-1" {
		v = "" // us-east-1 answers an empty LocationConstraint
	}
	return c.xmlDoc(loc{Xmlns: Namespace, Value: v})
}

type bucketXML struct {
	Name         string `xml:"Name"`
	CreationDate string `xml:"CreationDate"`
	BucketRegion string `xml:"BucketRegion"`
}

func listBuckets(c *call) error {
	type result struct {
		XMLName xml.Name    `xml:"ListAllMyBucketsResult"`
		Xmlns   string      `xml:"xmlns,attr"`
		OwnerID string      `xml:"Owner>ID"`
		Buckets []bucketXML `xml:"Buckets>Bucket"`
		Prefix  string      `xml:"Prefix,omitempty"`
	}
	out := result{Xmlns: Namespace, OwnerID: canonicalUser(c.Account), Buckets: []bucketXML{}, Prefix: c.query.Get("prefix")}
	region := c.query.Get("bucket-region")
	c.Engine.Read(func(st *model.State) {
		for _, name := range sortedNames(st.Buckets) {
			b := st.Buckets[name]
			if region != "" && b.Region != region || !strings.HasPrefix(name, out.Prefix) {
				continue
			}
			out.Buckets = append(out.Buckets, bucketXML{b.Name, timeText(b.Created), b.Region})
		}
	})
	return c.xmlDoc(out)
}

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func putBucketTagging(c *call) error {
	t, err := c.tagsIn(50)
	if err != nil {
		return err
	}
	if err := c.change(func(b *model.Bucket) error { b.Tags = t; return nil }); err != nil {
		return err
	}
	noContent(c)
	return nil
}

func getBucketTagging(c *call) error {
	b, err := c.readBucket()
	if err != nil {
		return err
	}
	if len(b.Tags) == 0 {
		return &apierr.Error{Code: "NoSuchTagSet", Message: "The TagSet does not exist", HTTPStatus: 404,
			Fields: map[string]string{"BucketName": c.bucket}}
	}
	return c.xmlDoc(tagsOut(b.Tags))
}

func deleteBucketTagging(c *call) error {
	if err := c.change(func(b *model.Bucket) error { b.Tags = nil; return nil }); err != nil {
		return err
	}
	noContent(c)
	return nil
}

// putBucketPolicy stores a policy: a JSON object with statements
// (MalformedPolicy otherwise, as S3 answers), refused when Block Public
// Access's BlockPublicPolicy is on and the policy grants to everyone.
func putBucketPolicy(c *call) error {
	if err := c.Engine.PutBucketPolicy(c.bucket, string(c.Body), c.Account); err != nil {
		return err
	}
	noContent(c)
	return nil
}

// blocks reports whether the bucket's public access block sets setting.
func blocks(b *model.Bucket, setting string) bool { return engine.BlocksPublic(b, setting) }

func getBucketPolicy(c *call) error {
	b, err := c.readBucket()
	if err != nil {
		return err
	}
	if b.Policy == "" {
		return &apierr.Error{Code: "NoSuchBucketPolicy", Message: "The bucket policy does not exist", HTTPStatus: 404,
			Fields: map[string]string{"BucketName": c.bucket}}
	}
	c.resp.Header.Set("Content-Type", "application/json")
	c.resp.Body = []byte(b.Policy)
	return nil
}

func deleteBucketPolicy(c *call) error {
	if err := c.change(func(b *model.Bucket) error { b.Policy = ""; return nil }); err != nil {
		return err
	}
	noContent(c)
	return nil
}

func getBucketPolicyStatus(c *call) error {
	b, err := c.readBucket()
	if err != nil {
		return err
	}
	if b.Policy == "" {
		return &apierr.Error{Code: "NoSuchBucketPolicy", Message: "The bucket policy does not exist", HTTPStatus: 404,
			Fields: map[string]string{"BucketName": c.bucket}}
	}
	p, _ := engine.ParseBucketPolicy(b.Policy)
	type status struct {
		XMLName  xml.Name `xml:"PolicyStatus"`
		Xmlns    string   `xml:"xmlns,attr"`
		IsPublic bool     `xml:"IsPublic"`
	}
	return c.xmlDoc(status{Xmlns: Namespace, IsPublic: p != nil && p.Public()})
}

type versioningXML struct {
	XMLName   xml.Name `xml:"VersioningConfiguration"`
	Xmlns     string   `xml:"xmlns,attr,omitempty"`
	Status    string   `xml:"Status,omitempty"`
	MFADelete string   `xml:"MfaDelete,omitempty"`
}

func putBucketVersioning(c *call) error {
	var in versioningXML
	if err := c.parseXML(&in); err != nil {
		return err
	}
	if in.Status != "" && in.Status != "Enabled" && in.Status != "Suspended" || in.MFADelete != "" && in.MFADelete != "Enabled" && in.MFADelete != "Disabled" {
		return malformedXML()
	}
	return c.change(func(b *model.Bucket) error {
		if b.ObjectLock && in.Status == "Suspended" {
			return apierr.New("InvalidBucketState", "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.")
		}
		if in.Status != "" {
			b.Versioning = in.Status
		}
		if in.MFADelete != "" {
			b.MFADelete = in.MFADelete
		}
		return nil
	})
}

func getBucketVersioning(c *call) error {
	b, err := c.readBucket()
	if err != nil {
		return err
	}
	return c.xmlDoc(versioningXML{Xmlns: Namespace, Status: b.Versioning, MFADelete: b.MFADelete})
}

// cannedACLs are S3's canned ACLs.
var cannedACLs = map[string]bool{"private": true, "public-read": true, "public-read-write": true, "authenticated-read": true,
	"aws-exec-read": true, "bucket-owner-read": true, "bucket-owner-full-control": true, "log-delivery-write": true}

// putBucketACL sets a canned ACL (x-amz-acl) or an AccessControlPolicy
// that grants only the owner; a bucket whose ownership is
// BucketOwnerEnforced refuses any other ACL with
// AccessControlListNotSupported.
func putBucketACL(c *call) error {
	acl := c.R.Header.Get("X-Amz-Acl")
	if acl == "" {
		var in accessControlPolicy
		if err := c.parseXML(&in); err != nil {
			return err
		}
		acl = "private"
		for _, g := range in.Grants {
			if g.Grantee.ID != canonicalUser(c.Account) || g.Permission != "FULL_CONTROL" {
				acl = "custom"
			}
		}
	} else if !cannedACLs[acl] {
		return apierr.New("InvalidArgument", "")
	}
	return c.change(func(b *model.Bucket) error {
		if strings.Contains(b.Configs["ownershipControls"], "BucketOwnerEnforced") && acl != "private" && acl != "bucket-owner-full-control" {
			return apierr.New("AccessControlListNotSupported", "The bucket does not allow ACLs")
		}
		if acl == "custom" {
			return apierr.New("NotImplemented", "ecsnet keeps canned ACLs and the owner's full control only.")
		}
		b.ACL = acl
		return nil
	})
}

type grantee struct {
	XMLNS string `xml:"xmlns:xsi,attr"`
	Type  string `xml:"xsi:type,attr"`
	ID    string `xml:"ID,omitempty"`
	URI   string `xml:"URI,omitempty"`
}

type grant struct {
	Grantee    grantee `xml:"Grantee"`
	Permission string  `xml:"Permission"`
}

type accessControlPolicy struct {
	XMLName xml.Name `xml:"AccessControlPolicy"`
	Xmlns   string   `xml:"xmlns,attr,omitempty"`
	OwnerID string   `xml:"Owner>ID"`
	Grants  []grant  `xml:"AccessControlList>Grant"`
}

// getBucketACL answers the owner's FULL_CONTROL and the grants of the
// bucket's canned ACL ("Canned ACL", Amazon S3 User Guide).
func getBucketACL(c *call) error {
	b, err := c.readBucket()
	if err != nil {
		return err
	}
	owner := canonicalUser(c.Account)
	const xsi = "http://www.w3.org/2001/XMLSchema-instance"
	group := func(uri, perm string) grant {
		return grant{Grantee: grantee{XMLNS: xsi, Type: "Group", URI: uri}, Permission: perm}
	}
	out := accessControlPolicy{Xmlns: Namespace, OwnerID: owner, Grants: []grant{{Grantee: grantee{XMLNS: xsi, Type: "CanonicalUser", ID: owner}, Permission: "FULL_CONTROL"}}}
	const all, auth, logs = "http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers", "http://acs.amazonaws.com/groups/s3/LogDelivery"
	switch b.ACL {
	case "public-read":
		out.Grants = append(out.Grants, group(all, "READ"))
	case "public-read-write":
		out.Grants = append(out.Grants, group(all, "READ"), group(all, "WRITE"))
	case "authenticated-read":
		out.Grants = append(out.Grants, group(auth, "READ"))
	case "log-delivery-write":
		out.Grants = append(out.Grants, group(logs, "WRITE"), group(logs, "READ_ACP"))
	}
	return c.xmlDoc(out)
}

// document is a sub-resource S3 keeps as the document the client sent:
// Put stores it, Get answers it (or the default, or the error when
// unset), Delete removes it.
type document struct {
	op, q, root string
	del         string
	// unset answers Get when there is no document: an error, or a
	// default document (def).
	unset func(bucket string) error
	def   string
}

func notFound(code, msg string) func(string) error {
	return func(bucket string) error {
		return &apierr.Error{Code: code, Message: msg, HTTPStatus: 404, Fields: map[string]string{"BucketName": bucket}}
	}
}

var documents = []document{
	{op: "BucketEncryption", q: "encryption", root: "ServerSideEncryptionConfiguration", del: "DeleteBucketEncryption",
		def: `<ServerSideEncryptionConfiguration xmlns="` + Namespace + `"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`},
	{op: "PublicAccessBlock", q: "publicAccessBlock", root: "PublicAccessBlockConfiguration", del: "DeletePublicAccessBlock",
		unset: notFound("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found")},
	{op: "BucketOwnershipControls", q: "ownershipControls", root: "OwnershipControls", del: "DeleteBucketOwnershipControls",
		unset: notFound("OwnershipControlsNotFoundError", "The bucket ownership controls were not found")},
	{op: "BucketLifecycleConfiguration", q: "lifecycle", root: "LifecycleConfiguration", del: "DeleteBucketLifecycle",
		unset: notFound("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist")},
	{op: "BucketCors", q: "cors", root: "CORSConfiguration", del: "DeleteBucketCors",
		unset: notFound("NoSuchCORSConfiguration", "The CORS configuration does not exist")},
	{op: "BucketWebsite", q: "website", root: "WebsiteConfiguration", del: "DeleteBucketWebsite",
		unset: notFound("NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration")},
	{op: "BucketLogging", q: "logging", root: "BucketLoggingStatus", def: `<BucketLoggingStatus xmlns="` + Namespace + `"/>`},
	{op: "BucketAccelerateConfiguration", q: "accelerate", root: "AccelerateConfiguration", def: `<AccelerateConfiguration xmlns="` + Namespace + `"/>`},
	{op: "BucketRequestPayment", q: "requestPayment", root: "RequestPaymentConfiguration",
		def: `<RequestPaymentConfiguration xmlns="` + Namespace + `"><Payer>BucketOwner</Payer></RequestPaymentConfiguration>`},
	{op: "ObjectLockConfiguration", q: "object-lock", root: "ObjectLockConfiguration",
		unset: notFound("ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket")},
	{op: "BucketReplication", q: "replication", root: "ReplicationConfiguration", del: "DeleteBucketReplication",
		unset: notFound("ReplicationConfigurationNotFoundError", "The replication configuration was not found")},
	{op: "BucketNotificationConfiguration", q: "notification", root: "NotificationConfiguration", def: `<NotificationConfiguration xmlns="` + Namespace + `"/>`},
}

func (d document) put(c *call) error {
	doc, err := c.wellFormed(d.root)
	if err != nil {
		return err
	}
	if err := c.change(func(b *model.Bucket) error {
		switch d.q {
		case "replication":
			if b.Versioning != "Enabled" {
				return apierr.New("InvalidRequest", "Versioning must be 'Enabled' on the bucket to apply a replication configuration")
			}
		case "object-lock":
			if !b.ObjectLock && b.Versioning != "Enabled" {
				return apierr.New("InvalidBucketState", "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration")
			}
			b.ObjectLock = true
		case "ownershipControls":
			if strings.Contains(doc, "BucketOwnerEnforced") && b.ACL != "private" && b.ACL != "bucket-owner-full-control" && b.ACL != "" {
				return apierr.New("InvalidBucketAclWithObjectOwnership", "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
			}
		}
		b.Configs[d.q] = doc
		if d.q == "lifecycle" {
			// PutBucketLifecycleConfiguration's
			// x-amz-transition-default-minimum-object-size, which
			// GetBucketLifecycleConfiguration answers (default
			// all_storage_classes_128K since September 2024).
			b.Configs[minSizeConfig] = orDefault(c.R.Header.Get(minSizeHeader), "all_storage_classes_128K")
			c.resp.Header.Set(minSizeHeader, b.Configs[minSizeConfig])
		}
		return nil
	}); err != nil {
		return err
	}
	if d.q != "object-lock" && d.q != "accelerate" && d.q != "requestPayment" && d.q != "notification" && d.q != "lifecycle" && d.q != "logging" && d.q != "website" {
		noContent(c)
	}
	return nil
}

func (d document) get(c *call) error {
	b, err := c.readBucket()
	if err != nil {
		return err
	}
	doc := b.Configs[d.q]
	switch {
	case doc != "":
	case d.unset != nil:
		return d.unset(c.bucket)
	default:
		doc = xml.Header + d.def
	}
	if d.q == "lifecycle" {
		c.resp.Header.Set(minSizeHeader, orDefault(b.Configs[minSizeConfig], "all_storage_classes_128K"))
	}
	c.rawDoc(doc)
	return nil
}

const (
	minSizeHeader = "X-Amz-Transition-Default-Minimum-Object-Size"
	minSizeConfig = "lifecycle:transition-default-minimum-object-size"
)

func (d document) remove(c *call) error {
	if err := c.change(func(b *model.Bucket) error {
		delete(b.Configs, d.q)
		if d.q == "lifecycle" {
			delete(b.Configs, minSizeConfig)
		}
		return nil
	}); err != nil {
		return err
	}
	noContent(c)
	return nil
}

var _ = http.StatusOK
