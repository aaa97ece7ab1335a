package engine

import (
	"bytes"
	"crypto/ed25519"
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"math/big"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Key pairs as EC2 keeps them (ec2-key-pairs.html, create-key-pairs.html,
// verify-keys.html): EC2 stores the public key and a fingerprint; the
// private key of a pair it creates is returned once and not kept.
// Fingerprints: a created RSA pair's is the SHA-1 digest of the private key
// in PKCS#8 DER; an imported RSA key's is the MD5 digest of the public key
// in DER (SubjectPublicKeyInfo); both colon-separated hex. ED25519 keys,
// created or imported, have the base64 SHA-256 digest of the public key in
// OpenSSH wire form, as ssh-keygen -l shows it without "SHA256:".

func errKeyPairNotFound(name string) error {
	return apierr.Newf("InvalidKeyPair.NotFound", "The key pair '%s' does not exist", name)
}

func errKeyPairFormat() error {
	return apierr.New("InvalidKeyPair.Format", "Key is not in valid OpenSSH public key format")
}

// CreateKeyPair makes a key pair of keyType ("rsa", the default, or
// "ed25519") and returns it with the private key: PEM (PKCS#1) for RSA,
// the OpenSSH private key format for ED25519.
func (e *Engine) CreateKeyPair(name, keyType string, tags model.Tags) (*model.KeyPair, string, error) {
	if err := checkKeyName(name); err != nil {
		return nil, "", err
	}
	if keyType == "" {
		keyType = "rsa"
	}
	var pub, fp, private string
	switch keyType {
	case "rsa":
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, "", err
		}
		p8, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			return nil, "", err
		}
		sum := sha1.Sum(p8)
		fp = colonHex(sum[:])
		pub = "ssh-rsa " + base64.StdEncoding.EncodeToString(sshRSAWire(&k.PublicKey))
		private = string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}))
	case "ed25519":
		pk, sk, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, "", err
		}
		wire := sshEd25519Wire(pk)
		fp = sha256Fingerprint(wire)
		pub = "ssh-ed25519 " + base64.StdEncoding.EncodeToString(wire)
		private = openSSHPrivateKey(pk, sk)
	default:
		return nil, "", errInvalidParameterValue("Value (%s) for parameter keyType is invalid. Valid values are rsa, ed25519.", keyType)
	}
	kp, err := e.putKeyPair(name, keyType, fp, pub, tags)
	return kp, private, err
}

// ImportKeyPair stores a public key given in OpenSSH authorized_keys form,
// the SSH2 form of RFC 4716 or base64 DER; EC2 takes RSA and ED25519 keys.
func (e *Engine) ImportKeyPair(name string, material []byte, tags model.Tags) (*model.KeyPair, error) {
	if err := checkKeyName(name); err != nil {
		return nil, err
	}
	if len(material) == 0 {
		return nil, errKeyPairFormat()
	}
	keyType, pub, fp, err := parsePublicKey(material)
	if err != nil {
		return nil, errKeyPairFormat()
	}
	return e.putKeyPair(name, keyType, fp, pub, tags)
}

func (e *Engine) putKeyPair(name, keyType, fp, pub string, tags model.Tags) (*model.KeyPair, error) {
	var out *model.KeyPair
	err := e.write(func(t *txn) error {
		if t.keyPairByName(name) != nil {
			return apierr.Newf("InvalidKeyPair.Duplicate", "The keypair '%s' already exists.", name)
		}
		kp := &model.KeyPair{ID: model.KeyPairID(t.newID("key")), Name: name, Type: keyType, Fingerprint: fp,
			PublicKey: pub, CreatedAt: t.now, Tags: tags.Clone()}
		put(t, model.KindKeyPair, t.st.KeyPairs, kp.ID, kp)
		out = kp
		return nil
	})
	return out, err
}

// DeleteKeyPair deletes the pair named by name or id and returns its id. A
// name that names no pair is not an error (EC2 answers true); an id is.
func (e *Engine) DeleteKeyPair(name string, id model.KeyPairID) (model.KeyPairID, error) {
	if name == "" && id == "" {
		return "", errMissingParameter("KeyName or KeyPairId")
	}
	var out model.KeyPairID
	err := e.write(func(t *txn) error {
		var kp *model.KeyPair
		if id != "" {
			if err := checkID(string(id), "key", "InvalidKeyPair.Malformed"); err != nil {
				return err
			}
			if kp = t.st.KeyPairs[id]; kp == nil {
				return errKeyPairNotFound(string(id))
			}
		} else if kp = t.keyPairByName(name); kp == nil {
			return nil
		}
		del(t, model.KindKeyPair, t.st.KeyPairs, kp.ID)
		out = kp.ID
		return nil
	})
	return out, err
}

// launchKeyPair checks a launch's key pair (RunInstances, a launch
// template an Auto Scaling group uses, a launch configuration): EC2 refuses
// a name that is not a key pair of the region, "InvalidKeyPair.NotFound:
// The key pair 'NAME' does not exist". Only an engine that is a whole
// emulated account (WithIAM) judges it: a scenario, snapshot or analyzed
// configuration does not hold the account's key pairs.
func (t *txn) launchKeyPair(name string) error {
	if name == "" || t.e.iam == nil || t.keyPairByName(name) != nil {
		return nil
	}
	return errKeyPairNotFound(name)
}

func (t *txn) keyPairByName(name string) *model.KeyPair {
	for _, kp := range t.st.KeyPairs {
		if kp.Name == name {
			return kp
		}
	}
	return nil
}

// checkKeyName applies EC2's rule: a name of up to 255 ASCII characters.
func checkKeyName(name string) error {
	if name == "" {
		return errMissingParameter("KeyName")
	}
	if len(name) > 255 {
		return errInvalidParameterValue("Value (%s) for parameter keyName is invalid. Length exceeds maximum of 255.", name)
	}
	for _, r := range name {
		if r > 127 {
			return errInvalidParameterValue("Value (%s) for parameter keyName is invalid. Character sets beyond ASCII are not supported.", name)
		}
	}
	return nil
}

func colonHex(b []byte) string {
	h := hex.EncodeToString(b)
	var sb strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			sb.WriteByte(':')
		}
		sb.WriteString(h[i : i+2])
	}
	return sb.String()
}

func sha256Fingerprint(wire []byte) string {
	sum := sha256.Sum256(wire)
	return base64.StdEncoding.EncodeToString(sum[:])
}

func sshString(b []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(b)))
	return append(out, b...)
}

func sshMPInt(n *big.Int) []byte {
	b := n.Bytes()
	if len(b) > 0 && b[0]&0x80 != 0 {
		b = append([]byte{0}, b...)
	}
	return sshString(b)
}

func sshRSAWire(k *rsa.PublicKey) []byte {
	out := sshString([]byte("ssh-rsa"))
	out = append(out, sshMPInt(big.NewInt(int64(k.E)))...)
	return append(out, sshMPInt(k.N)...)
}

func sshEd25519Wire(k ed25519.PublicKey) []byte {
	return append(sshString([]byte("ssh-ed25519")), sshString(k)...)
}

// openSSHPrivateKey encodes an ED25519 key in the unencrypted
// "openssh-key-v1" format (OpenSSH's PROTOCOL.key).
func openSSHPrivateKey(pk ed25519.PublicKey, sk ed25519.PrivateKey) string {
	wire := sshEd25519Wire(pk)
	var check [4]byte
	_, _ = rand.Read(check[:])
	priv := append([]byte{}, check[:]...)
	priv = append(priv, check[:]...)
	priv = append(priv, sshString([]byte("ssh-ed25519"))...)
	priv = append(priv, sshString(pk)...)
	priv = append(priv, sshString(sk)...)
	priv = append(priv, sshString(nil)...) // comment
	for i := byte(1); len(priv)%8 != 0; i++ {
		priv = append(priv, i)
	}
	body := []byte("openssh-key-v1\x00")
	body = append(body, sshString([]byte("none"))...)
	body = append(body, sshString([]byte("none"))...)
	body = append(body, sshString(nil)...)
	body = binary.BigEndian.AppendUint32(body, 1)
	body = append(body, sshString(wire)...)
	body = append(body, sshString(priv)...)
	return string(pem.EncodeToMemory(&pem.Block{Type: "OPENSSH PRIVATE KEY", Bytes: body}))
}

// readSSHString reads one length-prefixed field of the SSH wire format.
func readSSHString(b []byte) ([]byte, []byte, error) {
	if len(b) < 4 {
		return nil, nil, errors.New("short")
	}
	n := binary.BigEndian.Uint32(b)
	if uint32(len(b)-4) < n {
		return nil, nil, errors.New("short")
	}
	return b[4 : 4+n], b[4+n:], nil
}

// parsePublicKey returns the type, OpenSSH form and fingerprint of an
// imported public key.
func parsePublicKey(material []byte) (keyType, pub, fp string, err error) {
	text := strings.TrimSpace(string(material))
	var wire []byte
	switch {
	case strings.HasPrefix(text, "---- BEGIN SSH2 PUBLIC KEY ----"):
		var b64 strings.Builder
		cont := false
		for _, line := range strings.Split(text, "\n")[1:] {
			line = strings.TrimSpace(line)
			if strings.HasPrefix(line, "---- END") {
				break
			}
			if cont || strings.Contains(line, ":") {
				cont = strings.HasSuffix(line, "\\")
				continue
			}
			b64.WriteString(line)
		}
		wire, err = base64.StdEncoding.DecodeString(base64Chars(b64.String()))
	case strings.HasPrefix(text, "ssh-"):
		f := strings.Fields(text)
		if len(f) < 2 {
			return "", "", "", errors.New("no key")
		}
		wire, err = base64.StdEncoding.DecodeString(base64Chars(f[1]))
	default:
		der, derr := base64.StdEncoding.DecodeString(text)
		if derr != nil {
			return "", "", "", derr
		}
		k, perr := x509.ParsePKIXPublicKey(der)
		if perr != nil {
			return "", "", "", perr
		}
		switch k := k.(type) {
		case *rsa.PublicKey:
			wire = sshRSAWire(k)
		case ed25519.PublicKey:
			wire = sshEd25519Wire(k)
		default:
			return "", "", "", errors.New("unsupported key")
		}
	}
	if err != nil {
		return "", "", "", err
	}
	algo, rest, err := readSSHString(wire)
	if err != nil {
		return "", "", "", err
	}
	switch string(algo) {
	case "ssh-rsa":
		eb, rest, err := readSSHString(rest)
		if err != nil {
			return "", "", "", err
		}
		nb, rest, err := readSSHString(rest)
		if err != nil || len(rest) != 0 {
			return "", "", "", errors.New("bad rsa key")
		}
		k := &rsa.PublicKey{N: new(big.Int).SetBytes(nb), E: int(new(big.Int).SetBytes(eb).Int64())}
		if bits := k.N.BitLen(); bits != 1024 && bits != 2048 && bits != 4096 {
			return "", "", "", errors.New("unsupported size")
		}
		der, err := x509.MarshalPKIXPublicKey(k)
		if err != nil {
			return "", "", "", err
		}
		sum := md5.Sum(der)
		return "rsa", "ssh-rsa " + base64.StdEncoding.EncodeToString(sshRSAWire(k)), colonHex(sum[:]), nil
	case "ssh-ed25519":
		kb, rest, err := readSSHString(rest)
		if err != nil || len(rest) != 0 || len(kb) != ed25519.PublicKeySize {
			return "", "", "", errors.New("bad ed25519 key")
		}
		w := sshEd25519Wire(ed25519.PublicKey(kb))
		if !bytes.Equal(w, wire) {
			return "", "", "", errors.New("bad ed25519 key")
		}
		return "ed25519", "ssh-ed25519 " + base64.StdEncoding.EncodeToString(w), sha256Fingerprint(w), nil
	}
	return "", "", "", errors.New("unsupported key type")
}

// base64Chars drops what is not of the base64 alphabet, as lenient
// decoders do (a stray backslash in a pasted key; undocumented, see
// docs/aws-behavior.md).
func base64Chars(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '+' || r == '/' || r == '=' {
			return r
		}
		return -1
	}, s)
}
