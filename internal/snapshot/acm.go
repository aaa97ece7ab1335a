package snapshot

import (
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// ACM certificates (round thirty-four): acm list-certificates, asked for
// every key type (without Includes.keyTypes ListCertificates answers
// RSA_1024 and RSA_2048 certificates only), and describe-certificate of
// each, one file per certificate (ACMCertificateFileName: the output as
// the aws CLI prints it, {"Certificate": {…}}). Listeners name them: with
// the account's certificates, `check --base` knows an HTTPS listener's
// issued certificate, and refuses one that is not issued as ELB does.

// acmKeyTypes are every key type ListCertificates' Includes.keyTypes takes.
var acmKeyTypes = []string{"RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"}

// ACMKeyTypes returns every key type ListCertificates' Includes.keyTypes
// takes (botocore acm KeyAlgorithm): the collectors ask for all of them.
func ACMKeyTypes() []string { return append([]string(nil), acmKeyTypes...) }

// ACMCertificateFileName is the file name ecsnet collect and
// scripts/collect.sh give one certificate's describe-certificate output:
// acm-describe-certificate-<the ARN's certificate id>.json.
func ACMCertificateFileName(arn string) string {
	id := arn[strings.LastIndexByte(arn, '/')+1:]
	return "acm-describe-certificate-" + id + ".json"
}

// acmData is what a region's files hold of ACM.
type acmData struct {
	summaries []item[acmCertificate]
	details   []item[acmCertificate]
}

func (d *acmData) merge(o *acmData) {
	d.summaries = append(d.summaries, o.summaries...)
	d.details = append(d.details, o.details...)
}

// acmCertificate is describe-certificate's CertificateDetail, and the
// members of list-certificates' CertificateSummary it shares.
type acmCertificate struct {
	CertificateArn                  string   `json:"CertificateArn"`
	DomainName                      string   `json:"DomainName,omitempty"`
	SubjectAlternativeNames         []string `json:"SubjectAlternativeNames,omitempty"`
	SubjectAlternativeNameSummaries []string `json:"SubjectAlternativeNameSummaries,omitempty"`
	Serial                          string   `json:"Serial,omitempty"`
	Subject                         string   `json:"Subject,omitempty"`
	Issuer                          string   `json:"Issuer,omitempty"`
	CreatedAt                       awsTime  `json:"CreatedAt"`
	IssuedAt                        awsTime  `json:"IssuedAt"`
	ImportedAt                      awsTime  `json:"ImportedAt"`
	NotBefore                       awsTime  `json:"NotBefore"`
	NotAfter                        awsTime  `json:"NotAfter"`
	Status                          string   `json:"Status,omitempty"`
	Type                            string   `json:"Type,omitempty"`
	KeyAlgorithm                    string   `json:"KeyAlgorithm,omitempty"`
	KeyUsages                       []any    `json:"KeyUsages,omitempty"`
	ExtendedKeyUsages               []any    `json:"ExtendedKeyUsages,omitempty"`
	DomainValidationOptions         []struct {
		DomainName       string `json:"DomainName"`
		ValidationMethod string `json:"ValidationMethod,omitempty"`
		ValidationStatus string `json:"ValidationStatus,omitempty"`
	} `json:"DomainValidationOptions,omitempty"`
}

// dispatchACM reads list-certificates' CertificateSummaryList and
// describe-certificate's Certificate (an object; get-certificate's
// Certificate, a PEM string, is skipped).
func (rd *regionData) dispatchACM(f *fileInfo, data []byte, m member) (ok, handled bool) {
	switch m.key {
	case "CertificateSummaryList":
		return decodeList(rd, f, data, m, &rd.acm.summaries), true
	case "Certificate":
		if data[m.val.start] == '"' {
			return true, true // acm get-certificate's PEM: nothing ecsnet needs
		}
		var v acmCertificate
		decoded, valid := decodeOne(rd, f, data, m, &v)
		if decoded {
			rd.acm.details = append(rd.acm.details, item[acmCertificate]{v, pos{f, m.val.start}})
		}
		return valid, true
	}
	return true, false
}

// certificates puts the ACM certificates into the state: a described
// certificate as described, one only listed from its summary.
func (b *builder) certificates() {
	for _, list := range [][]item[acmCertificate]{b.rd.acm.summaries, b.rd.acm.details} {
		for _, it := range list {
			v := it.v
			if !strings.HasPrefix(v.CertificateArn, "arn:") || !strings.Contains(v.CertificateArn, ":certificate/") {
				b.rd.warn(it.at.warning(CodeBadValue, v.CertificateArn, "a certificate without a CertificateArn of ACM skipped"))
				continue
			}
			c := &model.Certificate{ARN: v.CertificateArn, DomainName: v.DomainName, SANs: v.SubjectAlternativeNames,
				Type: v.Type, Status: v.Status, KeyAlgorithm: strings.ReplaceAll(v.KeyAlgorithm, "-", "_"),
				Created: v.CreatedAt.Time, Issued: v.IssuedAt.Time, Imported: v.ImportedAt.Time, NotBefore: v.NotBefore.Time, NotAfter: v.NotAfter.Time,
				Serial: v.Serial, Subject: v.Subject, Issuer: v.Issuer, KeyUsages: usageNames(v.KeyUsages), ExtendedKeyUsages: usageNames(v.ExtendedKeyUsages)}
			if len(c.SANs) == 0 {
				c.SANs = v.SubjectAlternativeNameSummaries
			}
			if len(c.SANs) == 0 && c.DomainName != "" {
				c.SANs = []string{c.DomainName}
			}
			for _, o := range v.DomainValidationOptions {
				if c.ValidationMethod == "" {
					c.ValidationMethod = o.ValidationMethod
				}
				if o.ValidationStatus == "SUCCESS" && c.Status != "ISSUED" {
					c.Validated = append(c.Validated, o.DomainName)
				}
			}
			b.st.Certificates[c.ARN] = c
		}
	}
}

// usageNames reads key usages: describe-certificate's {"Name": …} objects
// or list-certificates' names.
func usageNames(in []any) []string {
	var out []string
	for _, u := range in {
		switch x := u.(type) {
		case string:
			out = append(out, x)
		case map[string]any:
			if s, ok := x["Name"].(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

// acmFiles writes every certificate's describe-certificate output and
// list-certificates, when the state has certificates.
func (w *writer) acmFiles(files map[string]any) {
	if len(w.st.Certificates) == 0 {
		return
	}
	sums := []any{}
	for _, c := range sortedValues(w.st.Certificates) {
		d := acmCertificate{CertificateArn: c.ARN, DomainName: c.DomainName, SubjectAlternativeNames: c.SANs, Serial: c.Serial, Subject: c.Subject, Issuer: c.Issuer,
			CreatedAt: awsTime{c.Created}, IssuedAt: awsTime{c.Issued}, ImportedAt: awsTime{c.Imported}, NotBefore: awsTime{c.NotBefore}, NotAfter: awsTime{c.NotAfter},
			Status: c.Status, Type: c.Type, KeyAlgorithm: strings.ReplaceAll(c.KeyAlgorithm, "_", "-")}
		for _, k := range c.KeyUsages {
			d.KeyUsages = append(d.KeyUsages, map[string]any{"Name": k})
		}
		for _, k := range c.ExtendedKeyUsages {
			d.ExtendedKeyUsages = append(d.ExtendedKeyUsages, map[string]any{"Name": k})
		}
		for _, n := range c.SANs {
			o := struct {
				DomainName       string `json:"DomainName"`
				ValidationMethod string `json:"ValidationMethod,omitempty"`
				ValidationStatus string `json:"ValidationStatus,omitempty"`
			}{DomainName: n, ValidationMethod: c.ValidationMethod}
			if c.Status == "ISSUED" || slices.Contains(c.Validated, n) {
				o.ValidationStatus = "SUCCESS"
			}
			d.DomainValidationOptions = append(d.DomainValidationOptions, o)
		}
		files[ACMCertificateFileName(c.ARN)] = map[string]any{"Certificate": d}
		sums = append(sums, map[string]any{"CertificateArn": c.ARN, "DomainName": c.DomainName, "Status": c.Status, "Type": c.Type,
			"KeyAlgorithm": strings.ReplaceAll(c.KeyAlgorithm, "_", "-")})
	}
	files["acm-list-certificates.json"] = map[string]any{"CertificateSummaryList": sums}
}
