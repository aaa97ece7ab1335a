package cfn

import (
	"github.com/ecsnet/ecsnet/internal/engine"
)

// typeKeyPair is an EC2 key pair. With PublicKeyMaterial it is imported;
// otherwise EC2 makes one and CloudFormation keeps its private key in
// Parameter Store, as the SecureString /ec2/keypair/<key pair id>.
const typeKeyPair = "AWS::EC2::KeyPair"

func createKeyPair(c *rctx) error {
	p := c.p
	name, err := p.req("KeyName")
	if err != nil {
		return err
	}
	typ, err := p.str("KeyType")
	if err != nil {
		return err
	}
	material, err := p.str("PublicKeyMaterial")
	if err != nil {
		return err
	}
	tags, err := p.tags()
	if err != nil {
		return err
	}
	e := c.e()
	if material != "" {
		kp, err := e.ImportKeyPair(name, []byte(material), tags)
		if err != nil {
			return p.at("PublicKeyMaterial", err)
		}
		c.setRef(kp.Name)
		c.set("KeyPairId", string(kp.ID))
		c.set("KeyFingerprint", kp.Fingerprint)
		return nil
	}
	kp, private, err := e.CreateKeyPair(name, typ, tags)
	if err != nil {
		return p.at("KeyName", err)
	}
	param := "/ec2/keypair/" + string(kp.ID)
	if _, err := e.PutParameter(engine.ParameterInput{Name: param, Type: "SecureString", Value: private}); err != nil {
		_, _ = e.DeleteKeyPair(kp.Name, "")
		return err
	}
	c.keep("Parameter", param)
	c.setRef(kp.Name)
	c.set("KeyPairId", string(kp.ID))
	c.set("KeyFingerprint", kp.Fingerprint)
	return nil
}

// deleteKeyPair deletes a key pair and the parameter that holds its
// private key.
func deleteKeyPair(e *engine.Engine, name, param string) error {
	if _, err := e.DeleteKeyPair(name, ""); err != nil {
		return err
	}
	if param != "" {
		if _, _, err := e.DeleteParameters([]string{param}); err != nil {
			return err
		}
	}
	return nil
}
