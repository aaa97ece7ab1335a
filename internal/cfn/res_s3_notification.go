package cfn

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"path"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// notificationDestination is one of a NotificationConfiguration's
// destination lists: its CloudFormation property, S3's element and the
// element of its ARN (botocore s3 NotificationConfiguration:
// TopicConfiguration/Topic, QueueConfiguration/Queue,
// CloudFunctionConfiguration/CloudFunction), in the order S3 writes them.
var notificationDestinations = []struct{ prop, element, arnProp, arnElement string }{
	{"TopicConfigurations", "TopicConfiguration", "Topic", "Topic"},
	{"QueueConfigurations", "QueueConfiguration", "Queue", "Queue"},
	{"LambdaConfigurations", "CloudFunctionConfiguration", "Function", "CloudFunction"},
}

// notificationXML writes a bucket's NotificationConfiguration as S3's
// NotificationConfiguration document, as PutBucketNotificationConfiguration
// stores it: each configuration with the Id S3 generates for one without
// (a base64 text [probable]), its Event, its Filter's S3Key rules (Name
// written Prefix or Suffix, as S3 answers them [probable]), and an
// EventBridgeConfiguration when EventBridgeEnabled. It returns the Lambda
// functions the configurations name, for S3's check of its permission.
func notificationXML(bucket string, o obj) (string, []string, error) {
	var x strings.Builder
	var functions []string
	x.WriteString(xml.Header + `<NotificationConfiguration xmlns="` + s3Namespace + `">`)
	n := 0
	for _, d := range notificationDestinations {
		confs, err := o.objects(d.prop)
		if err != nil {
			return "", nil, err
		}
		for _, c := range confs {
			event, err := c.req("Event")
			if err != nil {
				return "", nil, err
			}
			arn, err := c.req(d.arnProp)
			if err != nil {
				return "", nil, err
			}
			if d.arnProp == "Function" {
				functions = append(functions, arn)
			}
			x.WriteString("<" + d.element + ">")
			el(&x, "Id", notificationID(bucket, n))
			n++
			el(&x, d.arnElement, arn)
			el(&x, "Event", event)
			f, err := c.object("Filter")
			if err != nil {
				return "", nil, err
			}
			if f.n != nil {
				key, err := f.object("S3Key")
				if err != nil {
					return "", nil, err
				}
				if key.n == nil {
					return "", nil, f.missing("S3Key")
				}
				rules, err := key.objects("Rules")
				if err != nil {
					return "", nil, err
				}
				x.WriteString("<Filter><S3Key>")
				for _, r := range rules {
					name, err := r.req("Name")
					if err != nil {
						return "", nil, err
					}
					value, err := r.req("Value")
					if err != nil {
						return "", nil, err
					}
					switch strings.ToLower(name) {
					case "prefix":
						name = "Prefix"
					case "suffix":
						name = "Suffix"
					default:
						return "", nil, r.invalid("Name", "#/Name: %s is not a valid enum value", name)
					}
					x.WriteString("<FilterRule>")
					el(&x, "Name", name)
					el(&x, "Value", value)
					x.WriteString("</FilterRule>")
				}
				x.WriteString("</S3Key></Filter>")
			}
			x.WriteString("</" + d.element + ">")
		}
	}
	eb, err := o.object("EventBridgeConfiguration")
	if err != nil {
		return "", nil, err
	}
	if eb.n != nil {
		on, err := eb.boolean("EventBridgeEnabled")
		if err != nil {
			return "", nil, err
		}
		if on == nil || *on {
			x.WriteString("<EventBridgeConfiguration></EventBridgeConfiguration>")
		}
	}
	x.WriteString("</NotificationConfiguration>")
	return x.String(), functions, nil
}

// notificationID is the Id S3 gives the n-th configuration of a bucket's
// notification that names none: base64 of a UUID's text, as S3's
// generated ids read [probable]; derived from the bucket and n so that a
// template deploys the same document each time [choice].
func notificationID(bucket string, n int) string {
	sum := sha256.Sum256([]byte(bucket + "/" + strconv.Itoa(n)))
	h := hex.EncodeToString(sum[:16])
	uuid := h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
	return base64.StdEncoding.EncodeToString([]byte(uuid))
}

// checkNotificationFunctions is S3's test of a notification's Lambda
// destinations when the configuration is put: each function must exist
// and its resource policy let s3.amazonaws.com invoke it for this bucket
// (a statement whose SourceArn, if any, matches the bucket's ARN and
// whose SourceAccount, if any, is the account), else S3 refuses the
// whole configuration: InvalidArgument "Unable to validate the following
// destination configurations". A function of another account or Region
// than the stack's is not checked [choice].
func checkNotificationFunctions(c *rctx, bucket string, functions []string) error {
	e := c.e()
	cfg := e.Config()
	for _, arn := range functions {
		parts := strings.Split(arn, ":")
		if len(parts) < 7 || parts[2] != "lambda" || parts[3] != cfg.Region || parts[4] != cfg.Account {
			continue
		}
		ok := false
		e.Read(func(st *model.State) {
			fn, q, err := e.LambdaFunction(st, arn, "")
			if err != nil {
				return
			}
			for _, s := range fn.Policy {
				if permitsS3(s, q, bucket, cfg.Account) {
					ok = true
				}
			}
		})
		if !ok {
			return &apierr.Error{Code: "InvalidArgument", HTTPStatus: 400, Message: "Unable to validate the following destination configurations"}
		}
	}
	return nil
}

// permitsS3 reports whether a function's statement lets S3 invoke
// qualifier q of it on behalf of the bucket.
func permitsS3(s model.LambdaPermission, q, bucket, account string) bool {
	if s.Principal != "s3.amazonaws.com" && s.Principal != "*" {
		return false
	}
	if s.Action != "lambda:InvokeFunction" && s.Action != "lambda:*" {
		return false
	}
	if s.Qualifier != q && !(q == "$LATEST" && s.Qualifier == "") {
		return false
	}
	if s.SourceAccount != "" && s.SourceAccount != account {
		return false
	}
	if s.SourceARN == "" {
		return true
	}
	_, name, ok := strings.Cut(s.SourceARN, ":s3:::")
	if !ok {
		return false
	}
	match, _ := path.Match(name, bucket)
	return match
}
