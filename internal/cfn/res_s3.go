package cfn

import (
	"encoding/xml"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Amazon S3 resource types ecsnet creates. Buckets are global: they are
// made in the engine that holds IAM when the deploy has one (the
// emulator's global region, where S3's API finds them), else in the
// stack's own engine (the analyzer), so that a load balancer's access
// logs can be checked against a template's bucket either way.
const (
	typeBucket       = "AWS::S3::Bucket"
	typeBucketPolicy = "AWS::S3::BucketPolicy"
)

// s3Namespace is S3's XML namespace, in the documents a bucket keeps.
const s3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

// s3Props are the types' properties (CloudFormation User Guide,
// AWS::S3::Bucket, AWS::S3::BucketPolicy).
func s3Props(typ string) []string {
	switch typ {
	case typeBucket:
		return []string{"AbacStatus", "AccelerateConfiguration", "AccessControl", "AnalyticsConfigurations", "BucketEncryption",
			"BucketName", "CorsConfiguration", "IntelligentTieringConfigurations", "InventoryConfigurations",
			"LifecycleConfiguration", "LoggingConfiguration", "MetadataConfiguration", "MetadataTableConfiguration",
			"MetricsConfigurations", "NotificationConfiguration", "ObjectLockConfiguration", "ObjectLockEnabled",
			"OwnershipControls", "PublicAccessBlockConfiguration", "ReplicationConfiguration", "Tags",
			"VersioningConfiguration", "WebsiteConfiguration"}
	case typeBucketPolicy:
		return []string{"Bucket", "PolicyDocument"}
	}
	return nil
}

// s3e is the engine that holds the buckets.
func (c *rctx) s3e() *engine.Engine {
	if c.s.l.iam != nil {
		return c.s.l.iam
	}
	return c.e()
}

// cannedACLs are AccessControl's values and the canned ACLs they set.
var cannedACLs = map[string]string{
	"Private": "private", "PublicRead": "public-read", "PublicReadWrite": "public-read-write",
	"AuthenticatedRead": "authenticated-read", "LogDeliveryWrite": "log-delivery-write", "BucketOwnerRead": "bucket-owner-read",
	"BucketOwnerFullControl": "bucket-owner-full-control", "AwsExecRead": "aws-exec-read",
}

// xmlText escapes s for an XML document.
func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// el appends <name>v</name> when v is set.
func el(b *strings.Builder, name, v string) {
	if v != "" {
		b.WriteString("<" + name + ">" + xmlText(v) + "</" + name + ">")
	}
}

func boolText(p *bool) string {
	if p != nil && *p {
		return "true"
	}
	return "false"
}

// createBucket: AWS::S3::Bucket, as S3 makes a new bucket (ACLs disabled,
// Block Public Access on, SSE-S3) with the template's configurations
// applied. Ref is the name (BucketName, or "stack-logicalid-suffix"
// lowercased, 63 at most, as CloudFormation generates it).
func createBucket(c *rctx) error {
	p := c.p
	name, err := c.name("BucketName", 63)
	if err != nil {
		return err
	}
	if !p.has("BucketName") {
		name = strings.ToLower(name)
	}
	b, err := bucketOf(c, name)
	if err != nil {
		return err
	}
	exists := false
	c.s3e().Read(func(st *model.State) { exists = st.Buckets[name] != nil })
	if exists {
		// CloudFormation's handler refuses a name that is taken, yours too
		// (S3 itself answers 200 in us-east-1).
		return p.at("BucketName", &apierr.Error{Code: "BucketAlreadyExists", HTTPStatus: 409, Message: name + " already exists"})
	}
	if _, err := c.s3e().CreateBucket(b); err != nil {
		return p.at("BucketName", err)
	}
	c.setRef(name)
	region := b.Region
	part := model.Partition(region)
	c.set("Arn", "arn:"+part+":s3:::"+name)
	c.set("DomainName", name+".s3.amazonaws.com")
	c.set("RegionalDomainName", name+".s3."+region+".amazonaws.com")
	c.set("DualStackDomainName", name+".s3.dualstack."+region+".amazonaws.com")
	c.set("WebsiteURL", "http://"+name+"."+websiteEndpoint(region))
	return nil
}

// bucketConfigKeys are the bucket documents a template's properties set:
// an update replaces them all with what the new properties say.
var bucketConfigKeys = []string{"ownershipControls", "publicAccessBlock", "encryption", "logging", "lifecycle",
	"lifecycle:transition-default-minimum-object-size", "cors", "website", "object-lock", "notification"}

// updateBucket: every AWS::S3::Bucket property but BucketName and
// ObjectLockEnabled updates without interruption (CloudFormation User
// Guide, AWS::S3::Bucket): the bucket keeps its name and objects, its ACL,
// tags and the configurations the template sets are the new properties'
// (one removed is deleted, Block Public Access and ownership back to a new
// bucket's); versioning once enabled stays, as S3 can only suspend it.
func updateBucket(c *rctx, _ obj, _ []string) error {
	nb, err := bucketOf(c, c.r.physical)
	if err != nil {
		return err
	}
	_, err = c.s3e().ChangeBucket(c.r.physical, func(b *model.Bucket) error {
		b.ACL, b.Tags = nb.ACL, nb.Tags
		if nb.Versioning != "" {
			b.Versioning = nb.Versioning
		}
		for _, k := range bucketConfigKeys {
			if v, ok := nb.Configs[k]; ok {
				b.Configs[k] = v
			} else {
				delete(b.Configs, k)
			}
		}
		if b.ObjectLock && b.Configs["object-lock"] == "" {
			b.Configs["object-lock"] = xml.Header + `<ObjectLockConfiguration xmlns="` + s3Namespace + `"><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>`
		}
		return nil
	})
	return err
}

// bucketOf is the bucket a template's properties describe, named name.
func bucketOf(c *rctx, name string) (model.Bucket, error) {
	p := c.p
	region := c.e().Config().Region
	ownership := "BucketOwnerEnforced"
	oc, err := p.object("OwnershipControls")
	if err != nil {
		return model.Bucket{}, err
	}
	if oc.n != nil {
		rules, err := oc.objects("Rules")
		if err != nil {
			return model.Bucket{}, err
		}
		for _, r := range rules {
			if ownership, err = r.req("ObjectOwnership"); err != nil {
				return model.Bucket{}, err
			}
		}
	}
	acl := "private"
	if v, err := p.str("AccessControl"); err != nil {
		return model.Bucket{}, err
	} else if v != "" {
		if acl = cannedACLs[v]; acl == "" {
			return model.Bucket{}, p.invalid("AccessControl", "#/AccessControl: %s is not a valid enum value", v)
		}
	}
	if ownership == "BucketOwnerEnforced" && acl != "private" && acl != "bucket-owner-full-control" {
		// S3 refuses an ACL on a bucket whose ACLs are disabled, the
		// default since April 2023.
		return model.Bucket{}, p.at("AccessControl", apierr.New("InvalidBucketAclWithObjectOwnership", "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"))
	}
	tags, err := p.tagList()
	if err != nil {
		return model.Bucket{}, err
	}
	if tags == nil {
		tags = model.Tags{}
	}
	c.stackTags(tags)
	b := model.Bucket{Name: name, Region: region, ACL: acl, Tags: tags, Configs: map[string]string{
		"ownershipControls": xml.Header + `<OwnershipControls xmlns="` + s3Namespace + `"><Rule><ObjectOwnership>` + ownership + `</ObjectOwnership></Rule></OwnershipControls>`,
		"publicAccessBlock": xml.Header + `<PublicAccessBlockConfiguration xmlns="` + s3Namespace + `"><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>`,
	}}
	if v, err := p.boolean("ObjectLockEnabled"); err != nil {
		return model.Bucket{}, err
	} else if v != nil && *v {
		b.ObjectLock = true
	}
	if err := bucketConfigs(p, &b); err != nil {
		return b, err
	}
	if nc, err := p.object("NotificationConfiguration"); err != nil {
		return b, err
	} else if nc.n != nil {
		doc, functions, err := notificationXML(name, nc)
		if err != nil {
			return b, err
		}
		if err := checkNotificationFunctions(c, name, functions); err != nil {
			return b, p.at("NotificationConfiguration", err)
		}
		b.Configs["notification"] = doc
	}
	return b, nil
}

// websiteEndpoint is S3's website endpoint of a region: s3-website-REGION
// in the regions of before 2014, s3-website.REGION since ("Website
// endpoints", Amazon S3 User Guide).
func websiteEndpoint(region string) string {
	switch region {
	case "us-east-1", "us-west-1", "us-west-2", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "eu-west-1", "sa-east-1", "us-gov-west-1":
		return "s3-website-" + region + ".amazonaws.com"
	}
	return "s3-website." + region + ".amazonaws.com"
}

// bucketConfigs reads the configurations ecsnet keeps into the bucket's
// documents, as S3's Put operations store them.
func bucketConfigs(p obj, b *model.Bucket) error {
	if v, err := p.object("VersioningConfiguration"); err != nil {
		return err
	} else if v.n != nil {
		st, err := v.req("Status")
		if err != nil {
			return err
		}
		b.Versioning = st
	}
	if enc, err := p.object("BucketEncryption"); err != nil {
		return err
	} else if enc.n != nil {
		rules, err := enc.objects("ServerSideEncryptionConfiguration")
		if err != nil {
			return err
		}
		var x strings.Builder
		x.WriteString(xml.Header + `<ServerSideEncryptionConfiguration xmlns="` + s3Namespace + `">`)
		for _, r := range rules {
			x.WriteString("<Rule>")
			d, err := r.object("ServerSideEncryptionByDefault")
			if err != nil {
				return err
			}
			if d.n != nil {
				alg, err := d.req("SSEAlgorithm")
				if err != nil {
					return err
				}
				key, err := d.str("KMSMasterKeyID")
				if err != nil {
					return err
				}
				x.WriteString("<ApplyServerSideEncryptionByDefault>")
				el(&x, "SSEAlgorithm", alg)
				el(&x, "KMSMasterKeyID", key)
				x.WriteString("</ApplyServerSideEncryptionByDefault>")
			}
			bk, err := r.boolean("BucketKeyEnabled")
			if err != nil {
				return err
			}
			el(&x, "BucketKeyEnabled", boolText(bk))
			x.WriteString("</Rule>")
		}
		x.WriteString("</ServerSideEncryptionConfiguration>")
		b.Configs["encryption"] = x.String()
	}
	if pab, err := p.object("PublicAccessBlockConfiguration"); err != nil {
		return err
	} else if pab.n != nil {
		var x strings.Builder
		x.WriteString(xml.Header + `<PublicAccessBlockConfiguration xmlns="` + s3Namespace + `">`)
		for _, k := range []string{"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"} {
			v, err := pab.boolean(k)
			if err != nil {
				return err
			}
			el(&x, k, boolText(v))
		}
		x.WriteString("</PublicAccessBlockConfiguration>")
		b.Configs["publicAccessBlock"] = x.String()
	}
	if lg, err := p.object("LoggingConfiguration"); err != nil {
		return err
	} else if lg.n != nil {
		dest, err := lg.str("DestinationBucketName")
		if err != nil {
			return err
		}
		prefix, err := lg.str("LogFilePrefix")
		if err != nil {
			return err
		}
		if dest == "" {
			dest = b.Name // the bucket itself when none is named
		}
		var x strings.Builder
		x.WriteString(xml.Header + `<BucketLoggingStatus xmlns="` + s3Namespace + `"><LoggingEnabled>`)
		el(&x, "TargetBucket", dest)
		x.WriteString("<TargetPrefix>" + xmlText(prefix) + "</TargetPrefix></LoggingEnabled></BucketLoggingStatus>")
		b.Configs["logging"] = x.String()
	}
	for _, doc := range []struct {
		key  string
		conf string
		xml  func(obj) (string, error)
	}{{"CorsConfiguration", "cors", corsXML}, {"WebsiteConfiguration", "website", websiteXML}, {"ObjectLockConfiguration", "object-lock", objectLockXML}} {
		o, err := p.object(doc.key)
		if err != nil {
			return err
		}
		if o.n == nil {
			continue
		}
		x, err := doc.xml(o)
		if err != nil {
			return err
		}
		b.Configs[doc.conf] = x
	}
	if b.ObjectLock && b.Configs["object-lock"] == "" {
		// ObjectLockEnabled alone: S3's CreateBucket with
		// x-amz-bucket-object-lock-enabled, whose configuration
		// GetObjectLockConfiguration answers with no rule.
		b.Configs["object-lock"] = xml.Header + `<ObjectLockConfiguration xmlns="` + s3Namespace + `"><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>`
	}
	if lc, err := p.object("LifecycleConfiguration"); err != nil {
		return err
	} else if lc.n != nil {
		doc, err := lifecycleXML(lc)
		if err != nil {
			return err
		}
		b.Configs["lifecycle"] = doc
		b.Configs["lifecycle:transition-default-minimum-object-size"] = "all_storage_classes_128K"
		if v, err := lc.str("TransitionDefaultMinimumObjectSize"); err != nil {
			return err
		} else if v != "" {
			b.Configs["lifecycle:transition-default-minimum-object-size"] = v
		}
	}
	return nil
}

// lifecycleXML writes a LifecycleConfiguration's rules as S3's
// LifecycleConfiguration document (CloudFormation's flat properties,
// ExpirationInDays and the like, in S3's elements).
func lifecycleXML(lc obj) (string, error) {
	rules, err := lc.objects("Rules")
	if err != nil {
		return "", err
	}
	var x strings.Builder
	x.WriteString(xml.Header + `<LifecycleConfiguration xmlns="` + s3Namespace + `">`)
	for _, r := range rules {
		status, err := r.req("Status")
		if err != nil {
			return "", err
		}
		get := func(k string) string { v, _ := r.str(k); return v }
		x.WriteString("<Rule>")
		el(&x, "ID", get("Id"))
		x.WriteString("<Filter>")
		if get("Prefix") != "" {
			el(&x, "Prefix", get("Prefix"))
		}
		x.WriteString("</Filter>")
		el(&x, "Status", status)
		if get("ExpirationInDays") != "" || get("ExpirationDate") != "" {
			x.WriteString("<Expiration>")
			el(&x, "Days", get("ExpirationInDays"))
			el(&x, "Date", get("ExpirationDate"))
			x.WriteString("</Expiration>")
		} else if v, _ := r.boolean("ExpiredObjectDeleteMarker"); v != nil {
			x.WriteString("<Expiration>")
			el(&x, "ExpiredObjectDeleteMarker", boolText(v))
			x.WriteString("</Expiration>")
		}
		transitions, err := r.objects("Transitions")
		if err != nil {
			return "", err
		}
		if t, err := r.object("Transition"); err != nil {
			return "", err
		} else if t.n != nil {
			transitions = append(transitions, t)
		}
		for _, t := range transitions {
			x.WriteString("<Transition>")
			el(&x, "Days", strOf(t, "TransitionInDays"))
			el(&x, "Date", strOf(t, "TransitionDate"))
			el(&x, "StorageClass", strOf(t, "StorageClass"))
			x.WriteString("</Transition>")
		}
		nve, err := r.object("NoncurrentVersionExpiration")
		if err != nil {
			return "", err
		}
		if days := get("NoncurrentVersionExpirationInDays"); days != "" || nve.n != nil {
			if nve.n != nil {
				days = strOf(nve, "NoncurrentDays")
			}
			x.WriteString("<NoncurrentVersionExpiration>")
			el(&x, "NoncurrentDays", days)
			if nve.n != nil {
				el(&x, "NewerNoncurrentVersions", strOf(nve, "NewerNoncurrentVersions"))
			}
			x.WriteString("</NoncurrentVersionExpiration>")
		}
		if a, err := r.object("AbortIncompleteMultipartUpload"); err != nil {
			return "", err
		} else if a.n != nil {
			x.WriteString("<AbortIncompleteMultipartUpload>")
			el(&x, "DaysAfterInitiation", strOf(a, "DaysAfterInitiation"))
			x.WriteString("</AbortIncompleteMultipartUpload>")
		}
		x.WriteString("</Rule>")
	}
	x.WriteString("</LifecycleConfiguration>")
	return x.String(), nil
}

// corsXML writes a CorsConfiguration's rules as S3's CORSConfiguration
// (AllowedHeaders → AllowedHeader, ExposedHeaders → ExposeHeader, Id →
// ID, MaxAge → MaxAgeSeconds).
func corsXML(o obj) (string, error) {
	rules, err := o.objects("CorsRules")
	if err != nil {
		return "", err
	}
	var x strings.Builder
	x.WriteString(xml.Header + `<CORSConfiguration xmlns="` + s3Namespace + `">`)
	for _, r := range rules {
		methods, err := r.strs("AllowedMethods")
		if err != nil {
			return "", err
		}
		origins, err := r.strs("AllowedOrigins")
		if err != nil {
			return "", err
		}
		if len(methods) == 0 {
			return "", r.missing("AllowedMethods")
		}
		if len(origins) == 0 {
			return "", r.missing("AllowedOrigins")
		}
		headers, err := r.strs("AllowedHeaders")
		if err != nil {
			return "", err
		}
		expose, err := r.strs("ExposedHeaders")
		if err != nil {
			return "", err
		}
		x.WriteString("<CORSRule>")
		el(&x, "ID", strOf(r, "Id"))
		for _, v := range headers {
			el(&x, "AllowedHeader", v)
		}
		for _, v := range methods {
			el(&x, "AllowedMethod", v)
		}
		for _, v := range origins {
			el(&x, "AllowedOrigin", v)
		}
		for _, v := range expose {
			el(&x, "ExposeHeader", v)
		}
		el(&x, "MaxAgeSeconds", strOf(r, "MaxAge"))
		x.WriteString("</CORSRule>")
	}
	x.WriteString("</CORSConfiguration>")
	return x.String(), nil
}

// websiteXML writes a WebsiteConfiguration as S3's WebsiteConfiguration
// (IndexDocument → IndexDocument/Suffix, ErrorDocument → ErrorDocument/Key,
// RoutingRuleCondition → Condition, RedirectRule → Redirect).
func websiteXML(o obj) (string, error) {
	var x strings.Builder
	x.WriteString(xml.Header + `<WebsiteConfiguration xmlns="` + s3Namespace + `">`)
	if ra, err := o.object("RedirectAllRequestsTo"); err != nil {
		return "", err
	} else if ra.n != nil {
		host, err := ra.req("HostName")
		if err != nil {
			return "", err
		}
		x.WriteString("<RedirectAllRequestsTo>")
		el(&x, "HostName", host)
		el(&x, "Protocol", strOf(ra, "Protocol"))
		x.WriteString("</RedirectAllRequestsTo>")
	}
	if v := strOf(o, "IndexDocument"); v != "" {
		x.WriteString("<IndexDocument>")
		el(&x, "Suffix", v)
		x.WriteString("</IndexDocument>")
	}
	if v := strOf(o, "ErrorDocument"); v != "" {
		x.WriteString("<ErrorDocument>")
		el(&x, "Key", v)
		x.WriteString("</ErrorDocument>")
	}
	rules, err := o.objects("RoutingRules")
	if err != nil {
		return "", err
	}
	if len(rules) > 0 {
		x.WriteString("<RoutingRules>")
		for _, r := range rules {
			redirect, err := r.object("RedirectRule")
			if err != nil {
				return "", err
			}
			if redirect.n == nil {
				return "", r.missing("RedirectRule")
			}
			cond, err := r.object("RoutingRuleCondition")
			if err != nil {
				return "", err
			}
			x.WriteString("<RoutingRule>")
			if cond.n != nil {
				x.WriteString("<Condition>")
				el(&x, "HttpErrorCodeReturnedEquals", strOf(cond, "HttpErrorCodeReturnedEquals"))
				el(&x, "KeyPrefixEquals", strOf(cond, "KeyPrefixEquals"))
				x.WriteString("</Condition>")
			}
			x.WriteString("<Redirect>")
			for _, k := range []string{"HostName", "HttpRedirectCode", "Protocol", "ReplaceKeyPrefixWith", "ReplaceKeyWith"} {
				el(&x, k, strOf(redirect, k))
			}
			x.WriteString("</Redirect></RoutingRule>")
		}
		x.WriteString("</RoutingRules>")
	}
	x.WriteString("</WebsiteConfiguration>")
	return x.String(), nil
}

// objectLockXML writes an ObjectLockConfiguration as S3's document: the
// default retention's Mode with its Days or Years.
func objectLockXML(o obj) (string, error) {
	var x strings.Builder
	x.WriteString(xml.Header + `<ObjectLockConfiguration xmlns="` + s3Namespace + `">`)
	el(&x, "ObjectLockEnabled", strOf(o, "ObjectLockEnabled"))
	rule, err := o.object("Rule")
	if err != nil {
		return "", err
	}
	if rule.n != nil {
		d, err := rule.object("DefaultRetention")
		if err != nil {
			return "", err
		}
		x.WriteString("<Rule>")
		if d.n != nil {
			x.WriteString("<DefaultRetention>")
			el(&x, "Mode", strOf(d, "Mode"))
			el(&x, "Days", strOf(d, "Days"))
			el(&x, "Years", strOf(d, "Years"))
			x.WriteString("</DefaultRetention>")
		}
		x.WriteString("</Rule>")
	}
	x.WriteString("</ObjectLockConfiguration>")
	return x.String(), nil
}

func strOf(o obj, k string) string {
	v, _ := o.str(k)
	return v
}

// createBucketPolicy: AWS::S3::BucketPolicy, PutBucketPolicy of the
// PolicyDocument on Bucket (S3's MalformedPolicy and Block Public Access
// refusals). Ref is the bucket's name (the type's primary identifier).
func createBucketPolicy(c *rctx) error {
	p := c.p
	bucket, err := p.req("Bucket")
	if err != nil {
		return err
	}
	doc, err := p.policyDocument("PolicyDocument", true)
	if err != nil {
		return err
	}
	if err := c.s3e().PutBucketPolicy(bucket, doc, c.e().Config().Account); err != nil {
		return p.at("PolicyDocument", err)
	}
	c.setRef(bucket)
	return nil
}

// deleteS3 deletes a bucket (S3's BucketNotEmpty when it holds objects:
// CloudFormation's DELETE_FAILED) or a bucket's policy.
func deleteS3(e *engine.Engine, r Resource) error {
	switch r.Type {
	case typeBucket:
		err := e.DeleteBucket(r.PhysicalID)
		if apierr.HasCode(err, "NoSuchBucket") {
			return nil
		}
		return err
	case typeBucketPolicy:
		_, err := e.ChangeBucket(r.PhysicalID, func(b *model.Bucket) error { b.Policy = ""; return nil })
		if apierr.HasCode(err, "NoSuchBucket") {
			return nil
		}
		return err
	}
	return nil
}

// checkAccessLogs is Elastic Load Balancing's check of the access log
// bucket when a template turns access_logs.s3.enabled on
// (engine.CheckAccessLogBucket), against the buckets known: with an
// emulator's S3 every bucket; in the analyzer only the template's, so a
// bucket made elsewhere is taken to allow it [choice].
func (c *rctx) checkAccessLogs(lbARN string, attrs [][2]string) error {
	set := map[string]string{}
	for _, kv := range attrs {
		set[kv[0]] = kv[1]
	}
	if set["access_logs.s3.enabled"] != "true" {
		return nil
	}
	bucket := set["access_logs.s3.bucket"]
	if bucket == "" {
		return apierr.New("ValidationError", "The value of 'access_logs.s3.bucket' cannot be empty when access logs are enabled")
	}
	var err error
	c.s3e().Read(func(st *model.State) {
		if st.Buckets[bucket] == nil && c.s.l.iam == nil {
			return
		}
		cfg := c.e().Config()
		err = engine.CheckAccessLogBucket(st, bucket, set["access_logs.s3.prefix"], cfg.Region, cfg.Account, lbARN)
	})
	return err
}
