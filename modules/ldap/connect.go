package ldap

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"

	goldap "github.com/go-ldap/ldap/v3"

	"gorun/engine/connection"
	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/engine/value"
)

// commonOptions are the options every LDAP module shares (module_utils/ldap.py's gen_specs).
var commonOptions = []module.Option{
	{Name: "bind_dn", Description: "A DN to bind with. If this is omitted, we'll try a SASL bind with the EXTERNAL mechanism as default. If this is blank, we'll use an anonymous bind."},
	{Name: "bind_pw", Default: "", NoLog: true, Description: "The password to use with I(bind_dn)."},
	{Name: "ca_path", Type: "path", Description: "Set the path to PEM file with CA certs."},
	{Name: "dn", Required: true, Description: "The DN of the entry to add or remove."},
	{Name: "referrals_chasing", Default: "anonymous", Choices: []any{"disabled", "anonymous"}, Description: "Set the referrals chasing behavior. C(anonymous) follow referrals anonymously. This is the default behavior. C(disabled) disable referrals chasing. This sets C(OPT_REFERRALS) to off."},
	{Name: "sasl_class", Default: "external", Choices: []any{"external", "gssapi"}, Description: "The class to use for SASL authentication. Possible choices are C(external), C(gssapi)."},
	{Name: "server_uri", Default: "ldapi:///", Description: "The I(server_uri) parameter may be a comma- or whitespace-separated list of URIs containing only the schema, the host, and the port fields. The default value lets the underlying LDAP client library look for a UNIX domain socket in its default location. Note that when using multiple URIs you cannot determine to which URI your client gets connected. For URIs containing additional fields, particularly when using commas, behavior is undefined."},
	{Name: "start_tls", Type: "bool", Default: false, Description: "If true, we'll use the START_TLS LDAP extension."},
	{Name: "validate_certs", Type: "bool", Default: true, Description: "If set to C(false), SSL certificates will not be validated. This should only be used on sites using self-signed certificates."},
	{Name: "xorder_discovery", Default: "auto", Choices: []any{"enable", "auto", "disable"}, Description: "Set the behavior on how to process Xordered DNs. C(enable) will perform a C(ONELEVEL) search below the superior RDN to find the matching DN. C(disable) will always use the DN unmodified (as passed by the I(dn) parameter). C(auto) will only perform a search if the first RDN does not contain an index number (C({x})). Possible choices are C(enable), C(auto), C(disable)."},
}

// withCommon appends the shared options to a module's own.
func withCommon(opts ...module.Option) []module.Option {
	return append(opts, commonOptions...)
}

// ldapiSockets are the paths ldapi:/// means when the URI names none:
// Debian's and the Red Hat family's defaults of libldap's LDAPI_SOCK.
var ldapiSockets = []string{"/var/run/slapd/ldapi", "/var/run/ldapi", "/run/openldap/ldapi"}

// session is a bound connection to the server and the entry's DN, as
// LdapGeneric sets them up.
type session struct {
	conn *goldap.Conn
	dn   string
}

// failure is a module failure with Ansible's msg and details.
type failure struct{ msg, details string }

func (f *failure) Error() string { return f.msg + ": " + f.details }

// result is the module result of a failure.
func (f *failure) result() module.Result {
	return module.Result{"failed": true, "msg": f.msg, "details": f.details}
}

// fail turns an error of the LDAP modules into a result: a *failure as
// Ansible words it, anything else (the connection to the host lost) as an error.
func fail(err error) (module.Result, error) {
	if f, ok := err.(*failure); ok {
		return f.result(), nil
	}
	return nil, err
}

// connect dials the first reachable URI of server_uri from the target,
// starts TLS if asked, binds, and resolves the DN as xorder_discovery says.
func connect(ctx context.Context, call *module.Call) (*session, error) {
	a := call.Args
	if a.String("sasl_class") == "gssapi" && !a.Has("bind_dn") {
		return nil, &failure{"Cannot bind to the server.", "gorun does not support SASL GSSAPI binds yet"}
	}
	tlsConf, err := tlsConfig(ctx, call)
	if err != nil {
		return nil, err
	}
	l, err := dial(ctx, call.Conn, a.String("server_uri"), tlsConf)
	if err != nil {
		return nil, err
	}
	if a.Bool("start_tls") {
		if err := l.StartTLS(tlsConf); err != nil {
			l.Close()
			return nil, &failure{"Cannot start TLS.", err.Error()}
		}
	}
	if err := bind(l, a); err != nil {
		l.Close()
		return nil, &failure{"Cannot bind to the server.", err.Error()}
	}
	s := &session{conn: l, dn: a.String("dn")}
	if x := a.String("xorder_discovery"); x == "enable" || x == "auto" && !xorderRE.MatchString(s.dn) {
		s.dn = s.findDN(s.dn)
	}
	return s, nil
}

// bind binds with bind_dn and bind_pw (anonymously for an empty password,
// as python-ldap's simple_bind_s), or with SASL EXTERNAL without bind_dn.
func bind(l *goldap.Conn, a module.Args) error {
	if !a.Has("bind_dn") {
		return l.ExternalBind()
	}
	if a.String("bind_pw") == "" {
		return l.UnauthenticatedBind(a.String("bind_dn"))
	}
	return l.Bind(a.String("bind_dn"), a.String("bind_pw"))
}

// tlsConfig is the TLS setup for ldaps:// and start_tls: validate_certs,
// and ca_path read from the target, where Ansible reads it.
func tlsConfig(ctx context.Context, call *module.Call) (*tls.Config, error) {
	conf := &tls.Config{InsecureSkipVerify: !call.Args.Bool("validate_certs")}
	if p := call.Args.String("ca_path"); p != "" {
		res, err := call.Conn.Exec(ctx, "cat -- "+shell.Quote(p), connection.ExecOptions{})
		if err != nil {
			return nil, err
		}
		if res.ExitCode != 0 {
			return nil, &failure{"Cannot read the CA certificates " + p, strings.TrimSpace(string(res.Stderr))}
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(res.Stdout) {
			return nil, &failure{"Cannot read the CA certificates " + p, "no PEM certificate found"}
		}
		conf.RootCAs = pool
	}
	return conf, nil
}

// dial opens the first URI of the comma- or space-separated list that
// answers, through the host's connection.
func dial(ctx context.Context, c connection.Conn, uris string, tlsConf *tls.Config) (*goldap.Conn, error) {
	var errs []string
	for _, uri := range strings.FieldsFunc(uris, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		nc, isTLS, err := dialURI(ctx, c, uri, tlsConf)
		if err != nil {
			var ue *connection.UnreachableError
			if asUnreachable(err, &ue) {
				return nil, err
			}
			errs = append(errs, err.Error())
			continue
		}
		l := goldap.NewConn(nc, isTLS)
		l.Start()
		return l, nil
	}
	return nil, &failure{"Cannot bind to the server.", "Can't contact LDAP server: " + strings.Join(errs, "; ")}
}

// dialURI opens one ldap://, ldaps:// or ldapi:// URI from the target.
func dialURI(ctx context.Context, c connection.Conn, uri string, tlsConf *tls.Config) (net.Conn, bool, error) {
	u, err := url.Parse(uri)
	if err != nil {
		return nil, false, err
	}
	switch strings.ToLower(u.Scheme) {
	case "ldapi":
		paths := ldapiSockets
		if u.Host != "" {
			// ldapi://%2Fvar%2Frun%2Fldapi: the socket's path, URL-encoded as the host.
			paths = []string{u.Host}
		}
		var last error
		for _, p := range paths {
			nc, err := connection.DialUnix(ctx, c, p)
			if err == nil {
				return nc, false, nil
			}
			last = err
		}
		return nil, false, last
	case "ldap", "ldaps":
		host, port := u.Hostname(), u.Port()
		if host == "" {
			host = "localhost"
		}
		if port == "" {
			port = map[string]string{"ldap": "389", "ldaps": "636"}[strings.ToLower(u.Scheme)]
		}
		nc, err := connection.DialTCP(ctx, c, net.JoinHostPort(host, port))
		if err != nil || strings.ToLower(u.Scheme) == "ldap" {
			return nc, false, err
		}
		conf := tlsConf.Clone()
		conf.ServerName = host
		tc := tls.Client(nc, conf)
		if err := tc.HandshakeContext(ctx); err != nil {
			nc.Close()
			return nil, false, err
		}
		return tc, true, nil
	}
	return nil, false, fmt.Errorf("unsupported LDAP URI scheme in %s", uri)
}

// xorderRE is _xorder_dn: a DN whose first RDN has an X-ORDERED index.
var xorderRE = regexp.MustCompile(`^\w+=\{\d+\}.+`)

// findDN is _find_dn: the entry one level below the DN's parent that
// matches its first RDN, when exactly one does (so that "olcDatabase=mdb"
// finds "olcDatabase={1}mdb"); otherwise dn itself.
func (s *session) findDN(dn string) string {
	rdns := explodeDN(dn)
	if len(rdns) < 2 {
		return dn
	}
	res, err := s.conn.Search(goldap.NewSearchRequest(strings.Join(rdns[1:], ","), goldap.ScopeSingleLevel,
		goldap.NeverDerefAliases, 0, 0, false, "("+escapeFilter(rdns[0])+")", nil, nil))
	if err != nil || len(res.Entries) != 1 {
		return dn
	}
	return res.Entries[0].DN
}

// explodeDN splits a DN into its RDNs at the commas that are not escaped.
func explodeDN(dn string) []string {
	var rdns []string
	var cur strings.Builder
	escaped := false
	for _, r := range dn {
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
		case r == ',':
			rdns = append(rdns, strings.TrimSpace(cur.String()))
			cur.Reset()
			continue
		}
		cur.WriteRune(r)
	}
	if s := strings.TrimSpace(cur.String()); s != "" || len(rdns) > 0 {
		rdns = append(rdns, s)
	}
	return rdns
}

// escapeFilter is python-ldap's escape_filter_chars: \, *, (, ) and NUL
// as \5c, \2a, \28, \29 and \00.
func escapeFilter(s string) string {
	return strings.NewReplacer(`\`, `\5c`, `*`, `\2a`, `(`, `\28`, `)`, `\29`, "\x00", `\00`).Replace(s)
}

// exists reports whether dn names an entry (a base search that does not
// fail with noSuchObject).
func (s *session) exists(dn string) (bool, error) {
	_, err := s.conn.Search(goldap.NewSearchRequest(dn, goldap.ScopeBaseObject, goldap.NeverDerefAliases, 0, 0, false, "(objectClass=*)", nil, nil))
	if goldap.IsErrorWithCode(err, goldap.LDAPResultNoSuchObject) {
		return false, nil
	}
	return err == nil, err
}

// asUnreachable reports whether err is (or wraps) a lost connection to the host.
func asUnreachable(err error, target **connection.UnreachableError) bool {
	return errors.As(err, target)
}

// attributeList is the attributes option in the task's order: the option is
// declared raw (not dict, whose conversion loses the order) so that new
// entries and modlists list the attributes as Ansible does. A mapping that
// comes without an order (from a template) is taken in sorted order.
func attributeList(v any) ([]string, map[string]any, error) {
	if s, ok := v.(string); ok {
		parsed, err := value.FromJSON([]byte(s))
		if err != nil {
			return nil, nil, fmt.Errorf("argument 'attributes' is of type str and we were unable to convert to dict: unable to evaluate string as dictionary")
		}
		v = parsed
	}
	switch v.(type) {
	case nil:
		return nil, map[string]any{}, nil
	case *value.Dict, map[string]any:
	default:
		return nil, nil, fmt.Errorf("argument 'attributes' is of type %T and we were unable to convert to dict", v)
	}
	names := value.Keys(v)
	vals := map[string]any{}
	for _, n := range names {
		vals[n], _ = value.Lookup(v, n)
	}
	return names, vals, nil
}
