package terraform

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// utilityHandlerFor gives the random provider's resources (names people build
// from them) stable values, as if generated once; the other utility
// providers (null, time, tls, local) are skipped.
func utilityHandlerFor(typ string) (handler, bool) {
	switch typ {
	case "random_id":
		return randomID, true
	case "random_string":
		return randomString, true
	case "random_password":
		return randomString, true
	case "random_pet":
		return randomPet, true
	case "random_integer":
		return randomInteger, true
	case "random_uuid":
		return randomUUID, true
	case "random_shuffle":
		return randomShuffle, true
	case "tls_private_key":
		return tlsPrivateKey, true
	case "tls_self_signed_cert":
		return tlsSelfSignedCert, true
	case "terraform_data":
		return terraformData, true
	case "null_resource":
		return nullResource, true
	}
	return nil, false
}

// seedBytes are n stable bytes for a resource instance.
func (c *rctx) seedBytes(n int) []byte {
	out := make([]byte, 0, n)
	h := crc(c.addr)
	for len(out) < n {
		h = h*1103515245 + 12345
		out = append(out, byte(h>>16))
	}
	return out
}

func randomID(c *rctx) error {
	n, err := c.o.integer("byte_length", 8)
	if err != nil {
		return err
	}
	b := c.seedBytes(n)
	prefix := c.o.str("prefix")
	c.set("hex", prefix+hex.EncodeToString(b))
	c.set("b64_url", prefix+base64.RawURLEncoding.EncodeToString(b))
	c.set("b64_std", prefix+base64.StdEncoding.EncodeToString(b))
	c.set("id", base64.RawURLEncoding.EncodeToString(b))
	var d uint64
	for _, x := range b[:min(len(b), 7)] {
		d = d<<8 | uint64(x)
	}
	c.set("dec", prefix+fmt.Sprint(d))
	return nil
}

func randomString(c *rctx) error {
	n, err := c.o.integer("length", 16)
	if err != nil {
		return err
	}
	chars := "abcdefghijklmnopqrstuvwxyz"
	if b, _ := c.o.boolean("upper"); b == nil || *b {
		chars += "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	}
	if b, _ := c.o.boolean("numeric"); b == nil || *b {
		chars += "0123456789"
	}
	if b, _ := c.o.boolean("lower"); b != nil && !*b {
		chars = strings.TrimPrefix(chars, "abcdefghijklmnopqrstuvwxyz")
	}
	if chars == "" {
		chars = "x"
	}
	var sb strings.Builder
	for _, x := range c.seedBytes(n) {
		sb.WriteByte(chars[int(x)%len(chars)])
	}
	c.set("result", sb.String())
	c.set("id", sb.String())
	return nil
}

func randomPet(c *rctx) error {
	words := []string{"brave", "calm", "eager", "fond", "gentle", "keen", "lucky", "merry", "noble", "quick"}
	pets := []string{"otter", "heron", "lynx", "panda", "koala", "gecko", "bison", "ibex", "marten", "quail"}
	n, err := c.o.integer("length", 2)
	if err != nil {
		return err
	}
	sep := c.o.str("separator")
	if !c.o.has("separator") {
		sep = "-"
	}
	b := c.seedBytes(n)
	var parts []string
	if p := c.o.str("prefix"); p != "" {
		parts = append(parts, p)
	}
	for i := 0; i < n-1; i++ {
		parts = append(parts, words[int(b[i])%len(words)])
	}
	parts = append(parts, pets[int(b[n-1])%len(pets)])
	c.set("id", strings.Join(parts, sep))
	return nil
}

func randomInteger(c *rctx) error {
	lo, err := c.o.integer("min", 0)
	if err != nil {
		return err
	}
	hi, err := c.o.integer("max", lo)
	if err != nil {
		return err
	}
	v := lo
	if hi > lo {
		v = lo + int(crc(c.addr))%(hi-lo+1)
	}
	c.out["result"] = cty.NumberIntVal(int64(v))
	c.set("id", fmt.Sprint(v))
	return nil
}

func randomUUID(c *rctx) error {
	b := c.seedBytes(16)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	u := fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
	c.set("result", u)
	c.set("id", u)
	return nil
}

// terraformData is Terraform's built-in terraform_data: a random UUID as
// its id, and its output the input it is given.
func terraformData(c *rctx) error {
	b := c.seedBytes(16)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	c.set("id", fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]))
	if in := c.o.get("input"); !in.IsNull() {
		c.out["output"] = in
	}
	return nil
}

// nullResource is the null provider's null_resource: its id a random
// decimal number (the provider's), one per instance.
func nullResource(c *rctx) error {
	var n uint64
	for _, x := range c.seedBytes(8) {
		n = n<<8 | uint64(x)
	}
	c.set("id", strconv.FormatUint(n>>1, 10))
	return nil
}

func randomShuffle(c *rctx) error {
	in := c.o.strs("input")
	c.out["result"] = strList(in)
	c.set("id", "-")
	return nil
}
