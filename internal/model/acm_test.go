package model

import (
	"regexp"
	"testing"
)

// ACM's DNS validation record has the shape of public DescribeCertificate
// outputs: _<32 hex>.<name>. → _<32 hex>.<10 letters>.acm-validations.aws.,
// a wildcard name sharing its base name's record.
func TestDNSValidationRecordShape(t *testing.T) {
	tok := "45c8aa9ac85568e905a6c3852e62ebc6"
	name, value := DNSValidationRecord("*.shop.example.com", tok)
	if name != "_"+tok+".shop.example.com." {
		t.Errorf("name %q", name)
	}
	if !regexp.MustCompile(`^_[0-9a-f]{32}\.[a-z]{10}\.acm-validations\.aws\.$`).MatchString(value) {
		t.Errorf("value %q is not ACM's shape", value)
	}
	if n2, v2 := DNSValidationRecord("shop.example.com", tok); n2 != name || v2 != value {
		t.Errorf("the base name's record %q %q differs from the wildcard's %q %q", n2, v2, name, value)
	}
}
