package files

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"

	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/modules/internal/remotefile"
)

// This file follows HTTP redirects the way fetch_url does: urllib's
// HTTPRedirectHandler.http_error_302 with Ansible's redirect_request
// (module_utils/urls.py). curl -L cannot do it: it keeps every header on
// every hop and changes methods by its own rules, so gorun makes one
// request per hop and decides each redirect here.

// Limits of urllib's HTTPRedirectHandler.
const (
	maxRepeats      = 4  // redirections to any one URL
	maxRedirections = 10 // redirections in all
	loopMessage     = "The HTTP server returned a redirect error that would lead to an infinite loop.\nThe last 30x error message was:\n"
)

// doHTTP makes the request on the target with the module's fetch_url
// parameters, following redirects as r.redirects says. The response is
// the last one; as in fetch_url's info, its url is the final URL only
// when that answered with success, else the URL asked for.
func doHTTP(ctx context.Context, c *module.Call, r httpRequest) (*httpResponse, error) {
	var body []byte
	if r.body != nil {
		var err error
		if body, err = io.ReadAll(r.body); err != nil {
			return nil, err
		}
	}
	method := r.method
	switch {
	case r.head:
		method = "HEAD"
	case method == "" && r.body != nil:
		method = "POST"
	case method == "":
		method = "GET"
	}
	first, hop := r, r
	visited := map[string]int{}
	var cookies []string
	for {
		hop.body = nil
		if body != nil {
			hop.body = bytes.NewReader(body)
		}
		resp, err := doHop(ctx, c, hop)
		if err != nil {
			return nil, err
		}
		cookies = append(cookies, resp.setCookies...)
		resp.setCookies = cookies
		next, nextMethod, keepBody, reason := redirectTarget(hop.url, method, resp, first.redirects, visited)
		if next == "" {
			if reason != "" {
				resp.reason = reason
			}
			if resp.status < 200 || resp.status >= 300 {
				resp.url = first.url
			}
			return resp, nil
		}
		if resp.tmp != "" {
			remotefile.Run(context.WithoutCancel(ctx), c.Conn, "rm -f -- "+shell.Quote(resp.tmp), nil)
		}
		hop = redirectedRequest(first, next, nextMethod, keepBody, cookies, c.Args.Bool("force_basic_auth"))
		method = nextMethod
		if !keepBody {
			body = nil
		}
	}
}

// redirectTarget decides whether the response redirects: it returns the
// next URL and method and whether the body goes along, or "" and, where
// urllib changes the error's message, the reason to report.
func redirectTarget(from, method string, resp *httpResponse, policy string, visited map[string]int) (next, nextMethod string, keepBody bool, reason string) {
	code := resp.status
	if !slices.Contains([]int{301, 302, 303, 307, 308}, code) {
		return "", "", false, ""
	}
	loc, ok := resp.headers["location"]
	if !ok {
		if loc, ok = resp.headers["uri"]; !ok {
			return "", "", false, ""
		}
	}
	u, err := url.Parse(loc)
	if err != nil {
		return "", "", false, ""
	}
	switch u.Scheme {
	case "http", "https", "ftp", "":
	default:
		return "", "", false, fmt.Sprintf("%s - Redirection to url '%s' is not allowed", resp.reason, loc)
	}
	if u.Path == "" && u.Host != "" {
		u.Path = "/"
		loc = u.String()
	}
	base, err := url.Parse(from)
	if err != nil {
		return "", "", false, ""
	}
	ref, err := url.Parse(quotePunctuation(loc))
	if err != nil {
		return "", "", false, ""
	}
	next = base.ResolveReference(ref).String()

	// redirect_request: which redirects are followed, and how.
	nextMethod, keepBody = method, false
	switch policy {
	case "urllib2":
		// urllib's own handler: a new GET request without the body.
		if !(method == "GET" || method == "HEAD" || method == "POST" && code <= 303) {
			return "", "", false, ""
		}
		nextMethod = "GET"
	case "all", "yes", "safe":
		if policy == "safe" && method != "GET" && method != "HEAD" {
			return "", "", false, ""
		}
		switch {
		case code == 307 || code == 308:
			keepBody = true
		case (code == 302 || code == 303) && method != "HEAD", code == 301 && method == "POST":
			nextMethod = "GET"
		}
	default:
		return "", "", false, ""
	}
	if visited[next] >= maxRepeats || len(visited) >= maxRedirections {
		return "", "", false, loopMessage + resp.reason
	}
	visited[next]++
	return next, nextMethod, keepBody, ""
}

// redirectedRequest is the request first becomes when redirected to next:
// without the unredirected headers, without the content headers when the
// body is dropped, with the cookies set so far (urllib's cookie jar), and
// with credentials only where urllib would send them (forced: the task's
// Authorization header of force_basic_auth).
func redirectedRequest(first httpRequest, next, method string, keepBody bool, cookies []string, forced bool) httpRequest {
	out := first
	out.unredirected = nil
	out.url, out.method, out.head = next, method, method == "HEAD"
	out.headers = map[string]string{}
	for k, v := range first.headers {
		lk := strings.ToLower(k)
		if slices.Contains(first.unredirected, lk) {
			continue
		}
		if !keepBody && (lk == "content-length" || lk == "content-type" || lk == "transfer-encoding") {
			continue
		}
		out.headers[k] = v
	}
	if _, own := out.headers["Cookie"]; !own && len(cookies) > 0 {
		var pairs []string
		for _, c := range cookies {
			pairs = append(pairs, strings.TrimSpace(strings.SplitN(c, ";", 2)[0]))
		}
		out.headers["Cookie"] = strings.Join(pairs, "; ")
	}
	// A forced Authorization header is one of the task's headers, dropped
	// when unredirected; the password manager's (url_username without
	// force_basic_auth) answers only for the first URL's host.
	out.noAuth = slices.Contains(first.unredirected, "authorization")
	if fu, err := url.Parse(first.url); err == nil {
		if nu, err := url.Parse(next); err == nil && fu.Host != nu.Host {
			out.noAuth = out.noAuth || !forced
		}
	}
	return out
}

// quotePunctuation is urllib's quote(url, encoding="iso-8859-1",
// safe=string.punctuation) of a header value http.client decoded as
// ISO-8859-1: every byte but ASCII letters, digits and punctuation is
// percent-encoded (spaces, controls, non-ASCII).
func quotePunctuation(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c > 0x20 && c < 0x7f {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
