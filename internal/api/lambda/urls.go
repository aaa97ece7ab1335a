package lambda

import (
	"strconv"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Function URL configurations: Create/Get/Update/Delete/
// ListFunctionUrlConfig(s). Nothing answers the URL.

// urlTime is a URL configuration's CreationTime/LastModifiedTime (ISO
// 8601 with microseconds, UTC) [probable].
func urlTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

func corsOut(cors *model.LambdaURLCors) map[string]any {
	out := map[string]any{"AllowCredentials": cors.AllowCredentials, "MaxAge": cors.MaxAge}
	for k, v := range map[string][]string{"AllowHeaders": cors.AllowHeaders, "AllowMethods": cors.AllowMethods,
		"AllowOrigins": cors.AllowOrigins, "ExposeHeaders": cors.ExposeHeaders} {
		if len(v) > 0 {
			out[k] = v
		}
	}
	return out
}

func corsIn(p awsproto.Params) *model.LambdaURLCors {
	return &model.LambdaURLCors{AllowCredentials: p.Bool("AllowCredentials"), AllowHeaders: p.Strings("AllowHeaders"),
		AllowMethods: p.Strings("AllowMethods"), AllowOrigins: p.Strings("AllowOrigins"), ExposeHeaders: p.Strings("ExposeHeaders"),
		MaxAge: p.Int("MaxAge")}
}

// urlOut is a URL configuration; CreateFunctionUrlConfig's answer has no
// LastModifiedTime nor InvokeMode (test_lambda_api.snapshot.json,
// url_config_fn), the others have both.
func urlOut(c *api.Call, fn *model.LambdaFunction, q string, u model.LambdaFunctionURL, created bool) map[string]any {
	out := map[string]any{"FunctionUrl": c.Engine.LambdaFunctionURLEndpoint(u), "FunctionArn": c.Engine.LambdaFunctionARN(fn.Name, q),
		"AuthType": u.AuthType, "CreationTime": urlTime(u.Created)}
	if !created {
		out["LastModifiedTime"], out["InvokeMode"] = urlTime(u.Modified), u.InvokeMode
	}
	if u.Cors != nil {
		out["Cors"] = corsOut(u.Cors)
	}
	return out
}

func createFunctionURLConfig(c *api.Call) (map[string]any, error) {
	u := model.LambdaFunctionURL{AuthType: c.In.String("AuthType"), InvokeMode: c.In.String("InvokeMode")}
	if c.In.Has("Cors") {
		u.Cors = corsIn(c.In.Struct("Cors"))
	}
	fn, q, u, err := c.Engine.PutLambdaFunctionURL(c.In.String("FunctionName"), c.In.String("Qualifier"), u, nil)
	if err != nil {
		return nil, err
	}
	return urlOut(c, fn, q, u, true), nil
}

func updateFunctionURLConfig(c *api.Call) (map[string]any, error) {
	fn, q, u, err := c.Engine.PutLambdaFunctionURL(c.In.String("FunctionName"), c.In.String("Qualifier"), model.LambdaFunctionURL{},
		func(u *model.LambdaFunctionURL) {
			if c.In.Has("AuthType") {
				u.AuthType = c.In.String("AuthType")
			}
			if c.In.Has("InvokeMode") {
				u.InvokeMode = c.In.String("InvokeMode")
			}
			if c.In.Has("Cors") {
				u.Cors = corsIn(c.In.Struct("Cors"))
			}
		})
	if err != nil {
		return nil, err
	}
	return urlOut(c, fn, q, u, false), nil
}

// getFunctionURLConfig answers a URL configuration; none, or a function
// that does not exist, is "The resource you requested does not exist."
// (test_lambda_api.snapshot.json).
func getFunctionURLConfig(c *api.Call) (map[string]any, error) {
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		fn, q, u, e := c.Engine.LambdaFunctionURL(st, c.In.String("FunctionName"), c.In.String("Qualifier"))
		if e != nil {
			err = e
			return
		}
		out = urlOut(c, fn, q, u, false)
	})
	return out, err
}

func deleteFunctionURLConfig(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteLambdaFunctionURL(c.In.String("FunctionName"), c.In.String("Qualifier"))
}

// listFunctionURLConfigs lists a function's URL configurations, at most
// 50 a page (MaxItems 1–50).
func listFunctionURLConfigs(c *api.Call) (map[string]any, error) {
	limit := 50
	if c.In.Has("MaxItems") {
		n := c.In.Int("MaxItems")
		if n < 1 || n > 50 {
			return nil, apierr.New("ValidationException", "1 validation error detected: Value '"+strconv.FormatInt(n, 10)+"' at 'maxItems' failed to satisfy constraint: Member must have value "+
				map[bool]string{true: "greater than or equal to 1", false: "less than or equal to 50"}[n < 1])
		}
		limit = int(n)
	}
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		fn, keys, e := c.Engine.LambdaFunctionURLs(st, c.In.String("FunctionName"))
		if e != nil {
			err = e
			return
		}
		pg, next, ok := api.Paginate(keys, func(k string) string { return k }, c.In.String("Marker"), limit)
		if !ok {
			err = invalidMarker()
			return
		}
		list := make([]map[string]any, len(pg))
		for i, k := range pg {
			list[i] = urlOut(c, fn, k, fn.URLs[k], false)
		}
		out = map[string]any{"FunctionUrlConfigs": list}
		if next != "" {
			out["NextMarker"] = next
		}
	})
	return out, err
}
