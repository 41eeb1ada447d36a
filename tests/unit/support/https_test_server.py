#!/usr/bin/env python3
"""Loopback HTTPS server + CONNECT proxy for the HttpClient integration tests.

Generates a throwaway CA and server certificates with the openssl CLI in a temp dir,
prints one JSON line {"ca": ..., "main": port, "wrong": port, "proxy": port, "dir": ...}
and serves until stdin closes (the test process ended) or 180 s pass.
"""
import base64
import gzip
import http.server
import json
import os
import select
import shutil
import socket
import socketserver
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

PROXY_USER, PROXY_PASSWORD = "proxy-user", "pa ss"
GOOD_SECRET = "good-secret"
lock = threading.Lock()
state = {"connections": 0, "hits": {}, "tokens": 0, "assertions": 0}


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def make_certs(directory):
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
            "-days", "2", "-subj", "/CN=secfeed test CA", cwd=directory)
    for name, san in (("server", "DNS:localhost,DNS:tunnel.test,IP:127.0.0.1"),
                      ("wrong", "DNS:wrong.example")):
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out",
                f"{name}.csr", "-subj", f"/CN={name}", cwd=directory)
        with open(os.path.join(directory, f"{name}.ext"), "w") as ext:
            ext.write(f"subjectAltName={san}\n")
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext",
                cwd=directory)


def first_hit(key):
    with lock:
        count = state["hits"].get(key, 0)
        state["hits"][key] = count + 1
    return count == 0


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        with lock:
            state["connections"] += 1

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", headers=()):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        path = self.path
        if path == "/hello":
            self.reply(200, "hello", [("request-id", "rid-hello"), ("Content-Type", "text/plain")])
        elif path == "/connections":
            with lock:
                count = state["connections"]
            self.reply(200, str(count))
        elif path == "/gzip":
            self.reply(200, gzip.compress(b"compressed payload " * 100),
                       [("Content-Encoding", "gzip")])
        elif path.startswith("/throttle/"):
            if first_hit(path):
                self.reply(429, '{"error":{"code":"TooManyRequests","message":"slow down"}}',
                           [("Retry-After", "1"), ("Content-Type", "application/json")])
            else:
                self.reply(200, "ok after throttle")
        elif path.startswith("/unavailable/"):
            if first_hit(path):
                self.reply(503, "busy")
            else:
                self.reply(200, "ok after 503")
        elif path == "/slow":
            time.sleep(3)
            self.reply(200, "too late")
        elif path == "/pause":
            time.sleep(0.2)
            self.reply(200, "paused")
        elif path == "/big":
            self.reply(200, b"x" * (2 * 1024 * 1024))
        elif path == "/reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        elif path == "/close-after":
            # Looks keep-alive to the client, but the server drops the connection.
            self.reply(200, "closing")
            self.close_connection = True
        elif path == "/protected":
            if self.headers.get("Authorization") == "Bearer tok-2":
                self.reply(200, "protected ok")
            else:
                self.reply(401, '{"error":{"code":"InvalidAuthenticationToken","message":"expired"}}')
        else:
            self.reply(404, "not found")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        if not self.path.endswith("/oauth2/v2.0/token"):
            self.reply(404, "not found")
            return
        form = urllib.parse.parse_qs(body)
        get = lambda key: form.get(key, [""])[0]
        ok = get("grant_type") == "client_credentials" and get("client_id") == "client-1" \
            and get("scope") == "https://graph.microsoft.com/.default"
        if get("client_assertion"):
            ok = ok and get("client_assertion_type").endswith(":jwt-bearer") \
                and get("client_assertion").count(".") == 2
            if ok:
                with lock:
                    state["assertions"] += 1
        else:
            ok = ok and get("client_secret") == GOOD_SECRET
        if not ok:
            # Echo the secret back, as a hostile or buggy endpoint might.
            self.reply(401, json.dumps({
                "error": "invalid_client",
                "error_description": "AADSTS7000215: Invalid client secret provided: "
                                     + get("client_secret") + "\r\nTrace ID: t-9",
                "error_codes": [7000215], "trace_id": "t-9", "correlation_id": "c-9"}))
            return
        with lock:
            state["tokens"] += 1
            token = "tok-%d" % state["tokens"]
        self.reply(200, json.dumps({"token_type": "Bearer", "expires_in": 3599,
                                    "access_token": token}),
                   [("Content-Type", "application/json")])


class TlsServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, cert, key):
        super().__init__(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.socket = context.wrap_socket(self.socket, server_side=True,
                                          do_handshake_on_connect=False)

    def finish_request(self, request, client_address):
        try:
            request.settimeout(10)
            request.do_handshake()
        except (ssl.SSLError, OSError):
            return
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        pass


class ProxyHandler(socketserver.BaseRequestHandler):
    targets = {}

    def handle(self):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            data += chunk
        head = data.split(b"\r\n\r\n", 1)[0].decode()
        lines = head.split("\r\n")
        method, authority, _ = lines[0].split(" ")
        headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
        expected = "Basic " + base64.b64encode(
            f"{PROXY_USER}:{PROXY_PASSWORD}".encode()).decode()
        if method != "CONNECT" or headers.get("Proxy-Authorization") != expected:
            self.request.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                                 b"Proxy-Authenticate: Basic realm=\"test\"\r\n"
                                 b"Content-Length: 0\r\n\r\n")
            return
        host, port = authority.rsplit(":", 1)
        target = self.targets.get(host, (host, int(port)))
        upstream = socket.create_connection((target[0], int(port)), timeout=10)
        self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        sockets = [self.request, upstream]
        try:
            while True:
                readable, _, _ = select.select(sockets, [], [], 30)
                if not readable:
                    return
                for sock in readable:
                    chunk = sock.recv(65536)
                    if not chunk:
                        return
                    (upstream if sock is self.request else self.request).sendall(chunk)
        except OSError:
            pass
        finally:
            upstream.close()


class ProxyServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass


def main():
    directory = tempfile.mkdtemp(prefix="secfeed-https-test-")
    try:
        make_certs(directory)
        path = lambda name: os.path.join(directory, name)
        main_server = TlsServer(path("server.pem"), path("server.key"))
        wrong_server = TlsServer(path("wrong.pem"), path("wrong.key"))
        ProxyHandler.targets = {"tunnel.test": ("127.0.0.1", 0)}
        proxy = ProxyServer(("127.0.0.1", 0), ProxyHandler)
        for server in (main_server, wrong_server, proxy):
            threading.Thread(target=server.serve_forever, daemon=True).start()
        print(json.dumps({"ca": path("ca.pem"), "dir": directory,
                          "main": main_server.server_address[1],
                          "wrong": wrong_server.server_address[1],
                          "proxy": proxy.server_address[1]}), flush=True)
        # Serve until the parent closes our stdin (or dies), bounded in time.
        deadline = time.time() + 180
        while time.time() < deadline:
            readable, _, _ = select.select([sys.stdin], [], [], 1)
            if readable and not sys.stdin.buffer.read1(1):
                break
    finally:
        shutil.rmtree(directory, ignore_errors=True)
        os._exit(0)


if __name__ == "__main__":
    main()
