package awsproto

import (
	"testing"
)

// deprecatedS3 are S3's notification shapes of 2006 (GetBucketNotification,
// not served) whose Event and Events members share the wire name Event:
// botocore keeps both, and no form decoder reads them.
var deprecatedS3 = map[string]bool{"QueueConfigurationDeprecated": true, "CloudFunctionConfiguration": true, "TopicConfigurationDeprecated": true}

// Every structure's members must have distinct serialized names, or the
// form decoder could not tell them apart.
func TestSerializedNamesAreUnique(t *testing.T) {
	m, err := LoadModels()
	if err != nil {
		t.Fatal(err)
	}
	for _, svc := range m.services {
		svc.load()
		for _, s := range svc.shapes {
			if svc.Name == "s3" && deprecatedS3[s.Name] {
				continue
			}
			if len(s.byWire) != len(s.Members) || len(s.byJSON) != len(s.Members) {
				t.Errorf("%s %s: %d members but %d wire names", svc.Name, s.Name, len(s.Members), len(s.byWire))
			}
		}
	}
}
