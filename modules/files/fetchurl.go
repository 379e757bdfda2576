package files

import (
	"context"
	"strings"

	"gorun/engine/module"
	"gorun/engine/pytext"
)

// Fetched is what FetchURL got: the last response after redirects.
type Fetched struct {
	// Status is the HTTP status, or -1 when no response came (Err says why).
	Status int
	// Body is the response's body.
	Body []byte
	// URL is the final URL of a success, else the URL asked for.
	URL string
	// Err is fetch_url's info["msg"] when no response came ("Request
	// failed: ..."), "" otherwise.
	Err string
}

// FetchURL is fetch_url(module, url) for the modules of other packages
// (authorized_key's keys from a URL): a GET on the target's curl with the
// fetch_url parameters the module has in c.Args (validate_certs, and the
// defaults of those it lacks), following redirects as urllib2 does. A URL
// urllib cannot even parse is fetch_url's fail_json of the ValueError,
// returned as the module's failed result.
func FetchURL(ctx context.Context, c *module.Call, url string) (*Fetched, module.Result, error) {
	if scheme, _, ok := strings.Cut(url, ":"); !ok || scheme == "" || strings.Contains(scheme, "/") {
		// urllib's Request._parse: no "scheme:" before the first "/".
		return nil, module.Result{"failed": true, "msg": "unknown url type: " + pytext.ReprString(url), "url": url, "status": -1}, nil
	}
	r, err := doHTTP(ctx, c, httpRequest{url: url, redirects: "urllib2", readBody: true})
	if err != nil {
		return nil, nil, err
	}
	f := &Fetched{Status: r.status, Body: r.body, URL: r.url, Err: r.err}
	if f.Err != "" || f.Status == 0 {
		f.Status = -1
	}
	return f, nil, nil
}
