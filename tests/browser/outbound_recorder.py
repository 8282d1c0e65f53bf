"""Run a module the way `python -m MODULE ARGS...` does, and refuse and record every attempt
the process makes to reach beyond this machine: a connection, a datagram or a name lookup.

    python tests/browser/outbound_recorder.py LOG streamlit run app.py --server.headless true

An audit hook (`sys.addaudithook`) sees every socket call made from Python in the process, in
every thread, from the first import on. Each attempt whose host is not this machine is written
to LOG as one JSON line, `{"event": "socket.getaddrinfo", "host": "checkip.amazonaws.com",
"port": 80}`, and refused with an OSError, as a machine without a network would refuse it, so
a test never reaches the internet even when what it tests is wrong. LOG's first line says the
hook is in place, so an empty record can be told from a missing one.
"""

from __future__ import annotations

import errno
import ipaddress
import json
import os
import runpy
import socket
import sys

# The audit events of a socket call that can reach another machine (CPython's audit table).
EVENTS = frozenset({
    "socket.connect", "socket.sendto", "socket.sendmsg",  # args: (socket, address)
    "socket.getaddrinfo",  # args: (host, port, family, type, protocol)
    "socket.gethostbyname", "socket.gethostbyname_ex",  # args: (hostname,)
    "socket.gethostbyaddr",  # args: (ip_address,)
    "socket.getnameinfo",  # args: (sockaddr,)
})
# Names that never need the network: this machine's own name (from /etc/hosts), and the
# wildcard a server binds to (getaddrinfo(None, port) or "0.0.0.0").
LOCAL_NAMES = frozenset({None, "", "localhost", "0.0.0.0", "::"})
READY = {"event": "recorder ready"}


def is_local_host(host: object) -> bool:
    """Can `host` be reached, or looked up, without leaving this machine?"""
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    if host in LOCAL_NAMES:
        return True
    try:
        ip = ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return False  # a name other than localhost: looking it up may ask a DNS server
    return (getattr(ip, "ipv4_mapped", None) or ip).is_loopback  # ::ffff:127.0.0.1 too


def attempt(event: str, args: tuple) -> dict | None:
    """The host and port `event` tries to reach, or None when it cannot leave the machine."""
    if event not in EVENTS:
        return None
    if event in {"socket.connect", "socket.sendto", "socket.sendmsg"}:
        sock, address = args[0], args[1]
        if sock.family not in (socket.AF_INET, socket.AF_INET6) or address is None:
            return None  # a Unix socket, or a send on an already connected socket
    elif event == "socket.getaddrinfo":
        address = args[:2]
    else:
        address = args[0]
    host, port = (address[0], address[1]) if isinstance(address, tuple) else (address, None)
    if is_local_host(host):
        return None
    return {"event": event, "host": str(host), "port": port}


def install(log_path: str) -> None:
    log = open(log_path, "a", buffering=1, encoding="utf-8")  # open while the process lives
    log.write(json.dumps(READY) + "\n")

    def hook(event: str, args: tuple) -> None:
        outside = attempt(event, args)
        if outside is None:
            return
        try:
            log.write(json.dumps(outside) + "\n")
        except ValueError:  # the log is closed at interpreter exit; refuse all the same
            pass
        raise OSError(errno.ENETUNREACH, f"offline: {event} to {outside['host']} refused")

    sys.addaudithook(hook)


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit("usage: outbound_recorder.py LOG MODULE [ARGS...]")
    log_path, module, *args = sys.argv[1:]
    install(log_path)
    sys.argv = [module, *args]
    sys.path[0] = os.getcwd()  # as `python -m` has it, not this file's folder
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
