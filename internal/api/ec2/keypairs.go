package ec2

import (
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerKeyPairs(r *api.Registry) {
	add(r, "CreateKeyPair", createKeyPair)
	add(r, "ImportKeyPair", importKeyPair)
	add(r, "DeleteKeyPair", deleteKeyPair)
	add(r, "DescribeKeyPairs", describeKeyPairs)
}

func keyPairOut(kp *model.KeyPair, withPublic bool) map[string]any {
	out := map[string]any{"KeyPairId": kp.ID, "KeyName": kp.Name, "KeyFingerprint": kp.Fingerprint, "KeyType": kp.Type,
		"CreateTime": api.Time(kp.CreatedAt), "Tags": api.EC2Tags(kp.Tags)}
	if withPublic {
		out["PublicKey"] = kp.PublicKey + " " + kp.Name
	}
	return out
}

// tagsIfAny is a resource's Tags as CreateKeyPair and ImportKeyPair answer
// them: absent when the request tagged nothing.
func tagsIfAny(t model.Tags) any {
	if len(t) == 0 {
		return nil
	}
	return api.EC2Tags(t)
}

func createKeyPair(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "key-pair")
	if err != nil {
		return nil, err
	}
	if f := c.In.String("KeyFormat"); f != "" && f != "pem" && f != "ppk" {
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter keyFormat is invalid. Valid values are pem, ppk.", f)
	}
	kp, private, err := c.Engine.CreateKeyPair(c.In.String("KeyName"), c.In.String("KeyType"), tags)
	if err != nil {
		return nil, err
	}
	return map[string]any{"KeyPairId": kp.ID, "KeyName": kp.Name, "KeyFingerprint": kp.Fingerprint,
		"KeyMaterial": private, "Tags": tagsIfAny(kp.Tags)}, nil
}

func importKeyPair(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "key-pair")
	if err != nil {
		return nil, err
	}
	// PublicKeyMaterial is a blob: base64 on the wire, bytes here.
	material, _ := c.In["PublicKeyMaterial"].([]byte)
	kp, err := c.Engine.ImportKeyPair(c.In.String("KeyName"), material, tags)
	if err != nil {
		return nil, err
	}
	return map[string]any{"KeyPairId": kp.ID, "KeyName": kp.Name, "KeyFingerprint": kp.Fingerprint, "Tags": tagsIfAny(kp.Tags)}, nil
}

func deleteKeyPair(c *api.Call) (map[string]any, error) {
	id, err := c.Engine.DeleteKeyPair(c.In.String("KeyName"), model.KeyPairID(c.In.String("KeyPairId")))
	if err != nil {
		return nil, err
	}
	out := map[string]any{"Return": true}
	if id != "" {
		out["KeyPairId"] = id
	}
	return out, nil
}

func describeKeyPairs(c *api.Call) (map[string]any, error) {
	var items []*model.KeyPair
	var err error
	c.Engine.Read(func(st *model.State) {
		items, err = byIDs(st.KeyPairs, c.In.Strings("KeyPairIds"), func(id string) error {
			return apierr.Newf("InvalidKeyPair.NotFound", "The key pair '%s' does not exist", id)
		})
		if err != nil {
			return
		}
		if names := c.In.Strings("KeyNames"); len(names) > 0 {
			byName := map[string]*model.KeyPair{}
			for _, kp := range items {
				byName[kp.Name] = kp
			}
			items = items[:0:0]
			for _, n := range names {
				kp := byName[n]
				if kp == nil {
					err = apierr.Newf("InvalidKeyPair.NotFound", "The key pair '%s' does not exist", n)
					return
				}
				items = append(items, kp)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	type K = *model.KeyPair
	fs := api.FilterSet[K]{
		Tags: func(k K) model.Tags { return k.Tags },
		Attrs: map[string]func(K) []string{
			"key-pair-id": func(k K) []string { return api.One(k.ID) },
			"key-name":    func(k K) []string { return []string{k.Name} },
			"fingerprint": func(k K) []string { return []string{k.Fingerprint} },
			"key-type":    func(k K) []string { return []string{k.Type} },
		},
	}
	if items, err = fs.Apply(items, api.Filters(c.In)); err != nil {
		return nil, err
	}
	// In the order they were made.
	slices.SortFunc(items, func(a, b K) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(string(a.ID), string(b.ID))
	})
	withPublic := c.In.Bool("IncludePublicKey")
	out := make([]any, len(items))
	for i, kp := range items {
		out[i] = keyPairOut(kp, withPublic)
	}
	return map[string]any{"KeyPairs": out}, nil
}
