"""A one-file HTTPS endpoint for the health-check tests: answers GET /health with 200 "OK",
and records the TLS server name (SNI) and Host header of every request in a file.

Usage: python3 https_backend.py HOST CERT KEY LOGFILE
Prints the port it listens on (chosen by the system) once ready; stops on SIGTERM.
"""

import http.server
import signal
import ssl
import sys

host, cert, key, log_path = sys.argv[1:5]
seen = {"sni": None}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(log_path, "a") as log:
            log.write("sni=%s host=%s path=%s\n" % (seen["sni"], self.headers.get("Host"), self.path))
        body = b"OK"
        self.send_response(200 if self.path == "/health" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def remember_sni(sock, server_name, context):
    seen["sni"] = server_name


context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
context.sni_callback = remember_sni
server = http.server.HTTPServer((host, 0), Handler)
server.socket = context.wrap_socket(server.socket, server_side=True)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
print(server.server_address[1], flush=True)
server.serve_forever()
