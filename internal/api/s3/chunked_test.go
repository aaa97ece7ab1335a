package s3

import (
	"bytes"
	"testing"
)

func TestDecodeChunked(t *testing.T) {
	body := []byte("5;chunk-signature=ab\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n")
	data, tr, err := decodeChunked(body, 11)
	if err != nil || string(data) != "hello world" || tr["x-amz-checksum-crc32"] != "DUoRhQ==" {
		t.Fatalf("got %q %v %v", data, tr, err)
	}
	if _, _, err := decodeChunked(body, 12); err == nil {
		t.Error("a wrong decoded length was accepted")
	}
	for _, b := range []string{"", "zz\r\n", "5\r\nhel", "5\r\nhelloXX0\r\n\r\n", "0\r\nbad-trailer\r\n"} {
		if _, _, err := decodeChunked([]byte(b), -1); err == nil {
			t.Errorf("%q was accepted", b)
		}
	}
}

func FuzzDecodeChunked(f *testing.F) {
	f.Add([]byte("5;chunk-signature=ab\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAA\r\n\r\n"), int64(5))
	f.Add([]byte("0\r\n\r\n"), int64(-1))
	f.Fuzz(func(t *testing.T, body []byte, decoded int64) {
		data, _, err := decodeChunked(body, decoded)
		if err == nil && (len(data) > len(body) || decoded >= 0 && int64(len(data)) != decoded) {
			t.Fatalf("decoded %d bytes from %d (want %d)", len(data), len(body), decoded)
		}
		if err == nil && !bytes.Equal(data, data[:len(data):len(data)]) {
			t.Fatal("unreachable")
		}
	})
}

// Every operation Operations lists (docs/coverage.md) has a handler.
func TestOperationsServed(t *testing.T) {
	for _, op := range Operations {
		if handlers[op] == nil {
			t.Errorf("%s listed but not served", op)
		}
	}
	if len(handlers) != len(Operations) {
		t.Errorf("%d handlers, %d operations listed", len(handlers), len(Operations))
	}
}
