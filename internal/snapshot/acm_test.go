package snapshot_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// ACM's list-certificates and describe-certificate outputs, as the aws CLI
// prints them, give the state's certificates (described ones as
// described; a certificate only listed from its summary); get-certificate's
// PEM is skipped silently; a bad one is a warning at its line and column.
func TestACMCertificates(t *testing.T) {
	dir := t.TempDir()
	region := filepath.Join(dir, "aws_configs", "us-east-1")
	const a, b = "arn:aws:acm:us-east-1:111122223333:certificate/aaaa", "arn:aws:acm:us-east-1:111122223333:certificate/bbbb"
	writeFile(t, filepath.Join(region, "acm-list-certificates.json"), `{"CertificateSummaryList": [
 {"CertificateArn": "`+a+`", "DomainName": "a.example.com", "Status": "PENDING_VALIDATION", "Type": "AMAZON_ISSUED", "KeyAlgorithm": "RSA-2048"},
 {"CertificateArn": "`+b+`", "DomainName": "b.example.com", "SubjectAlternativeNameSummaries": ["b.example.com", "c.example.com"], "Status": "ISSUED", "Type": "IMPORTED", "KeyAlgorithm": "EC-prime256v1"}
]}
`)
	writeFile(t, filepath.Join(region, snapshot.ACMCertificateFileName(a)), `{
    "Certificate": {
        "CertificateArn": "`+a+`",
        "DomainName": "a.example.com",
        "SubjectAlternativeNames": ["a.example.com"],
        "DomainValidationOptions": [{"DomainName": "a.example.com", "ValidationDomain": "a.example.com", "ValidationStatus": "SUCCESS", "ValidationMethod": "DNS"}],
        "Status": "ISSUED",
        "Type": "AMAZON_ISSUED",
        "KeyAlgorithm": "RSA-2048",
        "IssuedAt": "2026-01-02T00:00:00+00:00",
        "KeyUsages": [{"Name": "DIGITAL_SIGNATURE"}]
    }
}
`)
	writeFile(t, filepath.Join(region, "acm-get-certificate.json"), `{"Certificate": "-----BEGIN CERTIFICATE-----\n", "CertificateChain": ""}`)
	writeFile(t, filepath.Join(region, "bad.json"), "{\n  \"Certificate\": {\"CertificateArn\": \"x\", \"Status\": 3}\n}\n")
	res := load(t, dir)
	st, _ := res.Engine.Snapshot()
	ca, cb := st.Certificates[a], st.Certificates[b]
	if ca == nil || cb == nil || len(st.Certificates) != 2 {
		t.Fatalf("certificates: %v", st.Certificates)
	}
	if ca.Status != "ISSUED" || ca.KeyAlgorithm != "RSA_2048" || ca.ValidationMethod != "DNS" || ca.Issued.IsZero() || fmt.Sprint(ca.KeyUsages) != "[DIGITAL_SIGNATURE]" {
		t.Errorf("described: %+v", ca)
	}
	if cb.Status != "ISSUED" || cb.KeyAlgorithm != "EC_prime256v1" || fmt.Sprint(cb.SANs) != "[b.example.com c.example.com]" || cb.Type != "IMPORTED" {
		t.Errorf("listed: %+v", cb)
	}
	found := false
	for _, w := range res.Warnings {
		if strings.HasSuffix(w.File, "bad.json") {
			found = w.Line == 2 && strings.HasPrefix(w.Message, "Certificate skipped: field Status")
			if !found {
				t.Errorf("bad.json: %s", w)
			}
		} else if strings.Contains(w.Message, "ertificate") {
			t.Errorf("warning: %s", w)
		}
	}
	if !found {
		t.Errorf("no warning about bad.json among %v", res.Warnings)
	}
}
