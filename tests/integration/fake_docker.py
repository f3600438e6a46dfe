"""A fake Docker daemon on a unix socket, for the error paths a real daemon
will not produce on demand: an older API version, an import that fails
part-way (an error inside a 200 answer), a malformed output stream, an
error body that is not JSON, a daemon that accepts but never answers, and
one that dies part-way through a program's output (after the attach has
sent "before\n" on stdout and the container was started, the whole process
ends: later requests find nobody).

Usage: fake_docker.py SOCKET MODE   (MODE: api | silent | dies)
Every request line is appended to SOCKET.log."""
import http.server
import os
import socketserver
import sys
import threading
import time

SOCKET, MODE = sys.argv[1], sys.argv[2]
STARTED = threading.Event()
CONTAINER = "c" * 64


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="application/json"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("API-Version", "1.40")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def record(self):
        with open(SOCKET + ".log", "a") as log:
            log.write(f"{self.command} {self.path}\n")
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        elif self.headers.get("Transfer-Encoding") == "chunked":
            while True:
                size = int(self.rfile.readline().strip() or b"0", 16)
                self.rfile.read(size + 2)
                if size == 0:
                    break

    def do_GET(self):
        self.record()
        if self.path == "/_ping":
            self.reply(200, "OK", "text/plain")
        elif self.path.startswith("/v1.40/containers/" + CONTAINER + "/logs"):
            # a frame for stream 9, which does not exist
            self.reply(200, b"\x09\x00\x00\x00\x00\x00\x00\x01x", "application/vnd.docker.raw-stream")
        elif self.path.startswith("/v1.40/containers/json"):
            self.reply(200, "[]")
        elif self.path == "/v1.40/info":
            self.reply(500, "daemon exploded\nsecond line")
        else:
            self.reply(404, '{"message":"page not found"}')

    def do_POST(self):
        self.record()
        if MODE == "dies" and self.path.startswith("/v1.40/containers/" + CONTAINER + "/attach"):
            self.attach_then_die()
        elif MODE == "dies" and self.path.startswith("/v1.40/containers/" + CONTAINER + "/start"):
            STARTED.set()
            self.reply(204, "")
        elif self.path.startswith("/v1.40/images/create"):
            self.reply(200, '{"status":"Importing"}\r\n'
                            '{"errorDetail":{"message":"no space left on device"},'
                            '"error":"no space left on device"}\r\n')
        elif self.path.startswith("/v1.40/containers/create"):
            self.reply(201, '{"Id":"%s","Warnings":[]}' % CONTAINER)
        else:
            self.reply(404, '{"message":"page not found"}')

    def attach_then_die(self):
        """A hijacked attach: one whole stdout frame, the start of another,
        then the daemon is gone (as a SIGKILLed dockerd would be)."""
        self.wfile.write(b"HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                         b"Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
        self.wfile.write(b"\x01\x00\x00\x00\x00\x00\x00\x07before\n")
        self.wfile.flush()
        STARTED.wait(10)
        time.sleep(0.3)
        self.wfile.write(b"\x01\x00\x00")
        self.wfile.flush()
        time.sleep(0.1)
        os._exit(0)

    def do_DELETE(self):
        self.record()
        self.reply(204, "")


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def get_request(self):
        request, _ = super().get_request()
        return request, ("fake", 0)  # BaseHTTPRequestHandler wants a pair


if os.path.exists(SOCKET):
    os.unlink(SOCKET)
if MODE == "silent":
    import socket
    s = socket.socket(socket.AF_UNIX)
    s.bind(SOCKET)
    s.listen(16)
    held = []
    while True:
        conn, _ = s.accept()
        held.append(conn)  # never answered, never closed
else:
    Server(SOCKET, Handler).serve_forever()
