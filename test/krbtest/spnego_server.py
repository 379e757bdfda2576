"""An HTTP server that authenticates with SPNEGO (Negotiate) through MIT
GSSAPI's acceptor, for the use_gssapi lab scenario.

Usage: spnego_server.py ADDRESS PORT [CERT KEY] (KRB5_KTNAME names the
service keytab). Every path answers "user=<principal>" once the client
authenticated, 401 with "WWW-Authenticate: Negotiate" before; /mech adds
" mech=spnego" or " mech=krb5": how the client's token was framed. With CERT and
KEY it speaks HTTPS, accepts with the tls-server-end-point channel bindings
of CERT (RFC 5929) and adds " channel_bound=<bool>": whether the client's
token carried those bindings (MIT accepts a token without any). It prints
"ready" when listening.
"""
import base64
import hashlib
import ssl
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import gssapi


def mech_of(token):
    """The mechanism of an initial context token: spnego or krb5 (RFC 2743
    framing: 0x60, a length, then the mechanism's OID)."""
    if b"\x06\x06\x2b\x06\x01\x05\x05\x02" in token[:16]:
        return "spnego"
    if b"\x06\x09\x2a\x86\x48\x86\xf7\x12\x01\x02\x02" in token[:16]:
        return "krb5"
    return "unknown"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Negotiate "):
            return self.reply(401, b"no credentials\n", {"WWW-Authenticate": "Negotiate"})
        ctx = gssapi.SecurityContext(usage="accept", channel_bindings=BINDINGS)
        token = base64.b64decode(auth[len("Negotiate "):])
        try:
            out = ctx.step(token)
        except gssapi.exceptions.GSSError as e:
            return self.reply(403, ("rejected: %s\n" % e.gen_message()).encode(), {})
        headers = {}
        if out:
            headers["WWW-Authenticate"] = "Negotiate " + base64.b64encode(out).decode()
        if not ctx.complete:
            return self.reply(401, b"continue\n", headers)
        text = "user=%s" % ctx.initiator_name
        if self.path == "/mech":
            text += " mech=%s" % mech_of(token)
        if BINDINGS is not None:
            text += " channel_bound=%s" % bool(ctx.actual_flags & gssapi.RequirementFlag.channel_bound)
        self.reply(200, (text + "\n").encode(), headers)

    do_HEAD = do_GET

    def reply(self, code, body, headers):
        self.send_response(code)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, *args):
        pass


BINDINGS = None
server = ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])), Handler)
if len(sys.argv) > 4:
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(sys.argv[3], sys.argv[4])
    server.socket = tls.wrap_socket(server.socket, server_side=True)
    der = ssl.PEM_cert_to_DER_cert(open(sys.argv[3]).read())
    # The certificate is signed with SHA-256: its end-point hash is SHA-256.
    BINDINGS = gssapi.raw.ChannelBindings(application_data=b"tls-server-end-point:" + hashlib.sha256(der).digest())
print("ready", flush=True)
server.serve_forever()
