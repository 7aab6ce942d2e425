#!/usr/bin/env python3
"""A small HTTP proxy in front of moto that refuses sts:AssumeRole into
chosen accounts, as a member account whose role does not trust the caller
(or does not exist) would. moto grants every AssumeRole, so the
organization tests need this to see a real refusal.

usage: sts_refuser.py PORT UPSTREAM ACCOUNT[,ACCOUNT...]

Every request is forwarded to UPSTREAM (moto) unchanged, except an STS
AssumeRole whose RoleArn names a refused account: that gets the HTTP 403
AccessDenied answer STS gives. Prints "ready" when it listens.
"""
import http.client
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, UPSTREAM, REFUSED = int(sys.argv[1]), sys.argv[2], set(sys.argv[3].split(","))
UP = urllib.parse.urlsplit(UPSTREAM)

DENIED = (
    '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
    "<Error><Type>Sender</Type><Code>AccessDenied</Code>"
    "<Message>User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: "
    "sts:AssumeRole on resource: {arn}</Message></Error>"
    "<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>"
)


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _forward(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace")) if body else {}
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        action = (form.get("Action") or query.get("Action") or [""])[0]
        arn = (form.get("RoleArn") or query.get("RoleArn") or [""])[0]
        if action == "AssumeRole" and any(f":{a}:" in arn for a in REFUSED):
            payload = DENIED.format(arn=arn).encode()
            self.send_response(403)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        conn = http.client.HTTPConnection(UP.hostname, UP.port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection",)}
        conn.request(self.command, self.path, body=body or None, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        conn.close()

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _forward


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", PORT), Proxy)
    print("ready", flush=True)
    server.serve_forever()
