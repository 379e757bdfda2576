"""An HTTP server that authenticates with SPNEGO (Negotiate) through MIT
GSSAPI's acceptor, for the use_gssapi lab scenario.

Usage: spnego_server.py ADDRESS PORT (KRB5_KTNAME names the service keytab).
Every path answers "user=<principal>" once the client authenticated, 401
with "WWW-Authenticate: Negotiate" before. It prints "ready" when listening.
"""
import base64
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import gssapi


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Negotiate "):
            return self.reply(401, b"no credentials\n", {"WWW-Authenticate": "Negotiate"})
        ctx = gssapi.SecurityContext(usage="accept")
        try:
            out = ctx.step(base64.b64decode(auth[len("Negotiate "):]))
        except gssapi.exceptions.GSSError as e:
            return self.reply(403, ("rejected: %s\n" % e.gen_message()).encode(), {})
        headers = {}
        if out:
            headers["WWW-Authenticate"] = "Negotiate " + base64.b64encode(out).decode()
        if not ctx.complete:
            return self.reply(401, b"continue\n", headers)
        self.reply(200, ("user=%s\n" % ctx.initiator_name).encode(), headers)

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


server = ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])), Handler)
print("ready", flush=True)
server.serve_forever()
