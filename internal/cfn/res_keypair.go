package cfn

import (
	"strconv"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
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
	// the template's tags only: AWS answered a stack's key pair with Tags []
	tags, err := p.tagList()
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

// typePrefixList is a customer-managed prefix list: Ref and PrefixListId
// are its id, Arn its ARN, Version its version.
const typePrefixList = "AWS::EC2::PrefixList"

func createPrefixList(c *rctx) error {
	p := c.p
	name, err := p.req("PrefixListName")
	if err != nil {
		return err
	}
	family, err := p.req("AddressFamily")
	if err != nil {
		return err
	}
	max, err := p.integer("MaxEntries", 0)
	if err != nil {
		return err
	}
	entries, err := p.objects("Entries")
	if err != nil {
		return err
	}
	in := engine.CreateManagedPrefixListInput{Name: name, AddressFamily: family, MaxEntries: max}
	for _, en := range entries {
		cidr, err := en.req("Cidr")
		if err != nil {
			return err
		}
		desc, err := en.str("Description")
		if err != nil {
			return err
		}
		in.Entries = append(in.Entries, engine.PrefixListEntry{CIDR: cidr, Description: desc})
	}
	// the template's tags only (AWS's recording: the Name tag alone)
	if in.Tags, err = p.tagList(); err != nil {
		return err
	}
	e := c.e()
	pl, err := e.CreateManagedPrefixList(in)
	if err != nil {
		return p.at("Entries", err)
	}
	cfg := e.Config()
	id := string(pl.ID)
	c.setRef(id)
	c.set("PrefixListId", id)
	c.set("OwnerId", cfg.Account)
	c.set("Version", strconv.Itoa(pl.Version))
	c.set("Arn", model.EC2ARN(cfg.Region, cfg.Account, "prefix-list/"+id))
	return nil
}
