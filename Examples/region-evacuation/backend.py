#!/usr/bin/env python3
"""One "region" of the drill: a tiny HTTP server on a loopback address.

    GET /health  ->  200 "OK"          (what Switchyard's health check asks)
    GET /        ->  200 REGION NAME   (so you can see who answered)

It prints one line when it is ready and stops on SIGTERM or Ctrl-C.
Only the Python 3 standard library is needed.
"""
import argparse
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main() -> int:
    parser = argparse.ArgumentParser(description="A drill region's HTTP backend.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (any 127.x.y.z works on Linux)")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on (default 8080)")
    parser.add_argument("--region", default="region", help="region name to answer on /")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/health":
                self.reply(200, "OK\n")
            elif path == "/":
                self.reply(200, args.region + "\n")
            else:
                self.reply(404, "not found\n")

        def reply(self, status: int, text: str) -> None:
            body = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *values) -> None:
            if args.verbose:
                super().log_message(format, *values)

    try:
        server = ThreadingHTTPServer((args.host, args.port), Handler)
    except OSError as error:
        print(f"backend {args.region}: cannot listen on {args.host}:{args.port}: {error.strerror}", file=sys.stderr, flush=True)
        return 1
    server.daemon_threads = True

    def stop(_signal, _frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    print(f"backend {args.region} ready on http://{args.host}:{args.port}/", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
