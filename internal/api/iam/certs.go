package iam

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerServerCertificates(add func(string, api.Handler)) {
	add("UploadServerCertificate", uploadServerCertificate)
	add("GetServerCertificate", getServerCertificate)
	add("ListServerCertificates", listServerCertificates)
	add("UpdateServerCertificate", updateServerCertificate)
	add("DeleteServerCertificate", deleteServerCertificate)
	add("TagServerCertificate", tagServerCertificate)
	add("UntagServerCertificate", untagServerCertificate)
	add("ListServerCertificateTags", listServerCertificateTags)
}

func certMetadata(c *api.Call, sc *model.ServerCertificate) map[string]any {
	return map[string]any{
		"Path": sc.Path, "ServerCertificateName": sc.Name, "ServerCertificateId": sc.ID,
		"Arn": c.Engine.ServerCertificateARN(sc), "UploadDate": api.Time(sc.Uploaded), "Expiration": api.Time(sc.Expiration),
	}
}

func uploadServerCertificate(c *api.Call) (map[string]any, error) {
	sc, err := c.Engine.UploadServerCertificate(engine.ServerCertificateInput{
		Name: c.In.String("ServerCertificateName"), Path: c.In.String("Path"), Body: c.In.String("CertificateBody"),
		PrivateKey: c.In.String("PrivateKey"), Chain: c.In.String("CertificateChain"), Tags: tagsIn(c),
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{"ServerCertificateMetadata": certMetadata(c, sc)}
	if len(sc.Tags) > 0 {
		out["Tags"] = tagsOut(sc.Tags)
	}
	return out, nil
}

func readServerCertificate(c *api.Call) (*model.ServerCertificate, error) {
	var sc *model.ServerCertificate
	var err error
	c.Engine.Read(func(st *model.State) { sc, err = c.Engine.ServerCertificate(st, c.In.String("ServerCertificateName")) })
	return sc, err
}

func getServerCertificate(c *api.Call) (map[string]any, error) {
	sc, err := readServerCertificate(c)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"ServerCertificateMetadata": certMetadata(c, sc), "CertificateBody": sc.Body, "Tags": tagsOut(sc.Tags)}
	if sc.Chain != "" {
		out["CertificateChain"] = sc.Chain
	}
	return map[string]any{"ServerCertificate": out}, nil
}

func listServerCertificates(c *api.Call) (map[string]any, error) {
	prefix := c.In.String("PathPrefix")
	var res map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		var certs []*model.ServerCertificate
		for _, sc := range st.ServerCertificates {
			if strings.HasPrefix(sc.Path, prefix) {
				certs = append(certs, sc)
			}
		}
		var pg []*model.ServerCertificate
		if res, pg, err = page(c, certs, func(sc *model.ServerCertificate) string { return sc.Name }); err != nil {
			return
		}
		out := make([]map[string]any, len(pg))
		for i, sc := range pg {
			out[i] = certMetadata(c, sc)
		}
		res["ServerCertificateMetadataList"] = out
	})
	return res, err
}

func updateServerCertificate(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.UpdateServerCertificate(c.In.String("ServerCertificateName"),
		c.In.String("NewServerCertificateName"), c.In.String("NewPath"))
}

func deleteServerCertificate(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteServerCertificate(c.In.String("ServerCertificateName"))
}

func tagServerCertificate(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.TagServerCertificate(c.In.String("ServerCertificateName"), tagsIn(c), nil)
}

func untagServerCertificate(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.TagServerCertificate(c.In.String("ServerCertificateName"), nil, c.In.Strings("TagKeys"))
}

func listServerCertificateTags(c *api.Call) (map[string]any, error) {
	sc, err := readServerCertificate(c)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Tags": tagsOut(sc.Tags), "IsTruncated": false}, nil
}
