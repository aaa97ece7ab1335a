package s3

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"net/http"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// S3's additional checksums ("Checking object integrity in Amazon S3",
// Amazon S3 User Guide): a PutObject may carry a checksum of the whole
// body, x-amz-checksum-ALGORITHM (base64), as a header or, in an
// aws-chunked upload, as a trailer (the SDKs' default since 2025: CRC32
// in a trailer). S3 checks it (BadDigest), keeps it with the object and
// answers it, with x-amz-checksum-type FULL_OBJECT, to the PutObject and
// to a GetObject or HeadObject that asks with x-amz-checksum-mode ENABLED.

// checksumAlgorithms are S3's checksum algorithms by header suffix, with
// the name its BadDigest text gives them; sum is nil for CRC64NVME, kept
// as sent [choice: Go's hash/crc64 has no NVMe polynomial table].
var checksumAlgorithms = []struct {
	suffix, name string
	sum          func([]byte) []byte
}{
	{"crc32", "CRC32", func(b []byte) []byte { return binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(b)) }},
	{"crc32c", "CRC32C", func(b []byte) []byte {
		return binary.BigEndian.AppendUint32(nil, crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)))
	}},
	{"crc64nvme", "CRC64NVME", nil},
	{"sha1", "SHA1", func(b []byte) []byte { s := sha1.Sum(b); return s[:] }},
	{"sha256", "SHA256", func(b []byte) []byte { s := sha256.Sum256(b); return s[:] }},
}

// bodyChecksum finds the checksum a request sends for its body, in its
// headers or its aws-chunked trailers (lower-case names), and checks it:
// a value that is no base64 of the algorithm's size is InvalidRequest
// "Value for x-amz-checksum-ALG header is invalid.", one that does not
// match the body BadDigest "The ALG you specified did not match the
// calculated checksum." It returns the algorithm's suffix and the value,
// "" when the request sends none.
func bodyChecksum(h http.Header, trailers map[string]string, body []byte) (string, string, error) {
	for _, a := range checksumAlgorithms {
		name := "x-amz-checksum-" + a.suffix
		v := h.Get(name)
		if v == "" {
			v = trailers[name]
		}
		if v == "" {
			continue
		}
		if a.sum == nil {
			return a.suffix, v, nil
		}
		want := a.sum(body)
		got, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(got) != len(want) {
			return "", "", apierr.New("InvalidRequest", "Value for "+name+" header is invalid.")
		}
		if string(got) != string(want) {
			return "", "", apierr.New("BadDigest", "The "+a.name+" you specified did not match the calculated checksum.")
		}
		return a.suffix, v, nil
	}
	return "", "", nil
}

// checksumHeaders answers an object's checksum: x-amz-checksum-ALG and
// x-amz-checksum-type FULL_OBJECT (a single-part upload's).
func checksumHeaders(h http.Header, o *model.S3Object) {
	if o.ChecksumAlgorithm == "" {
		return
	}
	h.Set("X-Amz-Checksum-"+strings.ToUpper(o.ChecksumAlgorithm[:1])+o.ChecksumAlgorithm[1:], o.Checksum)
	h.Set("X-Amz-Checksum-Type", "FULL_OBJECT")
}
