"""`switchyard serve` as a child process, and single queries to it (UDP, TCP, admin)."""
import os
import random
import resource
import signal
import socket
import struct
import subprocess
import sys
import time

from .wire import TYPE_CODES, build_query, rcode_of
from .zone import ORIGIN


def log(*parts):
    """Progress goes to stderr."""
    print(*parts, file=sys.stderr, flush=True)


def free_port():
    """A loopback port free for both UDP and TCP at the time of asking."""
    for _ in range(50):
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            udp.bind(("127.0.0.1", 0))
            port = udp.getsockname()[1]
            tcp.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            udp.close()
            tcp.close()
    raise RuntimeError("no free loopback port")


def udp_ask(port, qname, qtype, timeout=0.2):
    """One UDP query: the reply's rcode name, or None without a reply in time."""
    qid = random.randrange(1, 65536)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.settimeout(timeout)
        s.sendto(build_query(qname, qtype, qid), ("127.0.0.1", port))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            s.settimeout(max(0.001, deadline - time.monotonic()))
            data = s.recv(65535)
            got = rcode_of(data)
            if got and got[0] == qid:
                return got[1]
    except OSError:
        return None
    finally:
        s.close()
    return None


def tcp_ask(port, qname, qtype, timeout=2.0, source=None):
    """One query on a fresh TCP connection: the rcode name, or why not ("timeout", ...)."""
    qid = random.randrange(1, 65536)
    query = build_query(qname, qtype, qid)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    deadline = time.monotonic() + timeout
    try:
        s.settimeout(timeout)
        if source:
            s.bind((source, 0))
        s.connect(("127.0.0.1", port))
        s.sendall(struct.pack(">H", len(query)) + query)
        data = b""
        while True:
            if len(data) >= 2 and len(data) >= 2 + struct.unpack(">H", data[:2])[0]:
                got = rcode_of(data[2:])
                return got[1] if got and got[0] == qid else "bad-reply"
            left = deadline - time.monotonic()
            if left <= 0:
                return "timeout"
            s.settimeout(left)
            chunk = s.recv(4096)
            if not chunk:
                return "closed"
            data += chunk
    except socket.timeout:
        return "timeout"
    except ConnectionRefusedError:
        return "refused"
    except ConnectionResetError:
        return "reset"
    except OSError as e:
        return "error:%s" % (e.strerror or e)
    finally:
        s.close()


def http_healthz(port, timeout=2.0, source=None):
    """True when the admin API answers GET /healthz with 200 in time."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.settimeout(timeout)
        if source:
            s.bind((source, 0))
        s.connect(("127.0.0.1", port))
        s.sendall(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        head = s.recv(64)
        return head.startswith(b"HTTP/1.1 200") or head.startswith(b"HTTP/1.0 200")
    except OSError:
        return False
    finally:
        s.close()


class Server:
    """`switchyard serve` in its own session (its pgid is its pid), stopped by that pid."""

    def __init__(self, args, folder):
        self.args, self.folder = args, folder
        self.proc = None
        self.port = self.admin_port = None
        self.log_path = os.path.join(folder, "server.log")

    def start(self):
        """Starts the server on free loopback ports and waits (at most --start-timeout) until it
        answers the apex SOA and /healthz; tries again on other ports, three times at most, when
        it exits at once (a port taken meanwhile). False when it never came up."""
        nofile = self.args.server_nofile

        def limit_descriptors():
            if nofile:
                hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
                resource.setrlimit(resource.RLIMIT_NOFILE, (min(nofile, hard), hard))

        last = "not started"
        for _ in range(3):
            self.port = self.admin_port = free_port()
            for _ in range(10):
                if self.admin_port != self.port:
                    break
                self.admin_port = free_port()
            cmd = [self.args.binary, "serve", os.path.join(self.folder, "zones"),
                   "--listen", "127.0.0.1:%d" % self.port, "--admin", "127.0.0.1:%d" % self.admin_port,
                   "--state-dir", os.path.join(self.folder, "state"), "--threads", str(self.args.threads)]
            cmd += self.args.server_arg
            self.cmd = cmd
            with open(self.log_path, "ab") as logf:
                self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT,
                                             start_new_session=True, preexec_fn=limit_descriptors)
            deadline = time.monotonic() + self.args.start_timeout
            while time.monotonic() < deadline and self.proc.poll() is None:
                if udp_ask(self.port, ORIGIN + ".", TYPE_CODES["SOA"]) == "NOERROR":
                    while time.monotonic() < deadline and not http_healthz(self.admin_port, 0.5):
                        time.sleep(0.05)
                    return True
                time.sleep(0.05)
            last = "exited with %s" % self.proc.returncode if self.proc.poll() is not None else "did not answer in time"
            self.stop()
        log("server %s; its log:\n%s" % (last, self.log_tail()))
        return False

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, lines=20):
        try:
            with open(self.log_path, "rb") as f:
                return b"\n".join(f.read().splitlines()[-lines:]).decode(errors="replace")
        except OSError:
            return ""

    def stop(self):
        """SIGTERM to its process group, SIGKILL after 10 s."""
        if self.proc is None or self.proc.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.proc.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue
