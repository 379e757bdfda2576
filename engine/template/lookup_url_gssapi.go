package template

import (
	"crypto/md5"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"

	"github.com/jcmturner/gokrb5/v8/client"
	"github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/credentials"
	"github.com/jcmturner/gokrb5/v8/gssapi"
	"github.com/jcmturner/gokrb5/v8/iana/chksumtype"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/spnego"
	"github.com/jcmturner/gokrb5/v8/types"
)

// This file is the url lookup's use_gssapi: Ansible's
// HTTPGSSAPIAuthHandler (module_utils/urls.py), which answers a 401
// challenge for Negotiate or Kerberos with a Kerberos token from
// python-gssapi (MIT's library), done here with gokrb5 on the controller.
// Credentials are, as the handler's, a password login for username and
// password, else the tickets of the login's credential cache. Failures are
// worded as python-gssapi words MIT's errors.

// negotiateHeader is the handler's AUTH_HEADER_PATTERN.
var negotiateHeader = regexp.MustCompile(`(?i)(?:.*)\s*(Negotiate|Kerberos)\s*([^,]*),?`)

// negotiateChallenge returns the scheme (as the server wrote it) of a
// Negotiate or Kerberos challenge in resp's first WWW-Authenticate header,
// the one the handler reads, or "" for none.
func negotiateChallenge(resp *http.Response) string {
	m := negotiateHeader.FindStringSubmatch(resp.Header.Get("Www-Authenticate"))
	if m == nil {
		return ""
	}
	return m[1]
}

// gssapiAuthorization is the Authorization header answering a challenge
// of scheme for u: a Kerberos AP-REQ for the service HTTP/HOST, with
// username's password or the ccache's tickets, and over HTTPS the channel
// bindings of the server's certificate peer.
func gssapiAuthorization(scheme string, u *url.URL, username, password string, peer *x509.Certificate) (string, error) {
	cfg, conf, err := krb5Config()
	if err != nil {
		return "", err
	}
	cl, err := krbClient(cfg, defaultCCache(conf), username, password)
	if err != nil {
		return "", err
	}
	defer cl.Destroy()
	// gssapi.Name("HTTP@host", hostbased_service): the host of the URL,
	// without its port, lower-cased as krb5_sname_to_principal does.
	host := strings.ToLower(u.Hostname())
	tkt, key, err := cl.GetServiceTicket("HTTP/" + host)
	if err != nil {
		realm := cfg.ResolveRealm(host)
		if realm == "" {
			realm = cfg.LibDefaults.DefaultRealm
		}
		return "", gssError(err, "gssapi.raw.misc.GSSError", 851968, "Unspecified GSS failure.  Minor code may provide more information",
			"HTTP/"+host+"@"+realm)
	}
	token, err := krb5Token(cl, tkt, key, channelBindings(peer))
	if err != nil {
		return "", err
	}
	return scheme + " " + base64.StdEncoding.EncodeToString(token), nil
}

// krb5Token is the initiator's first token as python-gssapi makes it with
// no mechanism given (MIT's default, Kerberos itself rather than SPNEGO):
// an AP-REQ in RFC 2743's framing whose authenticator carries the GSSAPI
// checksum of RFC 4121 4.1.1 with the channel bindings' MD5 (gokrb5's own
// tokens are SPNEGO and leave the bindings zero).
func krb5Token(cl *client.Client, tkt messages.Ticket, key types.EncryptionKey, bindings [16]byte) ([]byte, error) {
	const flags = gssapi.ContextFlagInteg | gssapi.ContextFlagConf
	auth, err := types.NewAuthenticator(cl.Credentials.Domain(), cl.Credentials.CName())
	if err != nil {
		return nil, err
	}
	sum := make([]byte, 24)
	binary.LittleEndian.PutUint32(sum[:4], 16)
	copy(sum[4:20], bindings[:])
	binary.LittleEndian.PutUint32(sum[20:], flags)
	auth.Cksum = types.Checksum{CksumType: chksumtype.GSSAPI, Checksum: sum}
	// The token as gokrb5 frames it, with this authenticator.
	tok, err := spnego.NewKRB5TokenAPREQ(cl, tkt, key, []int{flags}, nil)
	if err != nil {
		return nil, err
	}
	if tok.APReq, err = messages.NewAPReq(tkt, key, auth); err != nil {
		return nil, err
	}
	return tok.Marshal()
}

// channelBindings is the MD5 of the gss_channel_bindings_struct the
// handler passes for an HTTPS server (no addresses; application data
// "tls-server-end-point:" and the certificate's hash, RFC 5929), or zeros
// without a certificate.
func channelBindings(peer *x509.Certificate) [16]byte {
	if peer == nil {
		return [16]byte{}
	}
	var h hash.Hash
	switch peer.SignatureAlgorithm {
	case x509.SHA384WithRSA, x509.ECDSAWithSHA384, x509.SHA384WithRSAPSS:
		h = sha512.New384()
	case x509.SHA512WithRSA, x509.ECDSAWithSHA512, x509.SHA512WithRSAPSS:
		h = sha512.New()
	default: // SHA-256, and MD5, SHA-1 or no hash as RFC 5929 says
		h = sha256.New()
	}
	h.Write(peer.Raw)
	app := append([]byte("tls-server-end-point:"), h.Sum(nil)...)
	// initiator and acceptor address types and lengths (all zero), then
	// the application data's length and bytes, little-endian.
	buf := make([]byte, 20, 20+len(app))
	binary.LittleEndian.PutUint32(buf[16:], uint32(len(app)))
	return md5.Sum(append(buf, app...))
}

// krbClient is the handler's credential: a password login of username
// (user or user@REALM) when there is a password, else the tickets of the
// default ccache name (whose principal must be username, when given).
func krbClient(cfg *config.Config, name, username, password string) (*client.Client, error) {
	user, realm, hasRealm := strings.Cut(username, "@")
	if !hasRealm {
		realm = cfg.LibDefaults.DefaultRealm
	}
	if username != "" && password != "" {
		cl := client.NewWithPassword(user, realm, password, cfg, client.DisablePAFXFAST(true))
		if err := cl.Login(); err != nil {
			return nil, gssError(err, noCredClass, noCredMajor, noCredText, user+"@"+realm)
		}
		return cl, nil
	}
	path, ok := strings.CutPrefix(name, "FILE:")
	if !ok && strings.Contains(name, ":") && !strings.HasPrefix(name, "/") {
		kind, _, _ := strings.Cut(name, ":")
		return nil, fmt.Errorf("url lookup with use_gssapi: gorun reads only FILE credential caches, not %s (%s)", kind, name)
	}
	if !ok {
		name = "FILE:" + name
	}
	cc, err := credentials.LoadCCache(path)
	if err != nil {
		if _, statErr := os.Stat(path); statErr != nil {
			return nil, mitError(noCredClass, noCredMajor, noCredText, 141, "No Kerberos credentials available (default cache: "+name+")")
		}
		return nil, fmt.Errorf("url lookup with use_gssapi: reading the credential cache %s: %v", name, err)
	}
	principal := cc.DefaultPrincipal.PrincipalName.PrincipalNameString() + "@" + cc.DefaultPrincipal.Realm
	if username != "" && user+"@"+realm != principal {
		return nil, mitError(noCredClass, noCredMajor, noCredText, 141, fmt.Sprintf("Can't find client principal %s@%s in cache collection", user, realm))
	}
	cl, err := client.NewFromCCache(cc, cfg, client.DisablePAFXFAST(true))
	if err != nil {
		return nil, mitError(noCredClass, noCredMajor, noCredText, 141, "No Kerberos credentials available (default cache: "+name+")")
	}
	return cl, nil
}
