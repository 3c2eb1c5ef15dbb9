#!/usr/bin/env python3
"""A real SMTP server for OCM's tests: aiosmtpd on loopback, with STARTTLS or TLS from the first
byte (a test CA and a certificate for 127.0.0.1 made with openssl, the CA left in the folder for
OCM to trust), optional authentication, and every message received written to the folder as
<n>.eml. With --refuse TEXT it answers a temporary failure to every recipient holding TEXT (a failing
peer for them, a working one for the others)."""

import argparse
import os
import ssl
import subprocess
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def certificates(folder):
    """A CA and a server certificate it signed, for localhost and 127.0.0.1."""
    def run(*args):
        subprocess.run(["openssl", *args], check=True, cwd=folder, capture_output=True)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
        "-days", "2", "-subj", "/CN=OCM test CA")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=localhost")
    with open(os.path.join(folder, "server.ext"), "w") as ext:
        ext.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(os.path.join(folder, "server.pem"), os.path.join(folder, "server.key"))
    return context


class Keep:
    def __init__(self, folder, refuse):
        self.folder, self.refuse, self.count = folder, refuse, 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse and self.refuse in address:
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        path = os.path.join(self.folder, f"{self.count}.eml")
        with open(path + ".part", "wb") as out:
            out.write(b"X-Envelope-To: " + ", ".join(envelope.rcpt_tos).encode() + b"\r\n")
            out.write(envelope.original_content or envelope.content)
        os.rename(path + ".part", path)
        return "250 OK kept"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--tls", choices=["starttls", "wrapper", "none"], default="starttls")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--refuse")
    args = parser.parse_args()

    def authenticator(server, session, envelope, mechanism, data):
        ok = isinstance(data, LoginPassword) and data.login.decode() == args.user \
            and data.password.decode() == args.password
        return AuthResult(success=ok)

    context = certificates(args.dir) if args.tls != "none" else None
    options = {}
    if args.user:
        options.update(authenticator=authenticator, auth_required=True,
                       auth_require_tls=args.tls != "none")
    if args.tls == "starttls":
        options.update(tls_context=context, require_starttls=True)
    elif args.tls == "wrapper":
        options.update(ssl_context=context)
    controller = Controller(Keep(args.dir, args.refuse), hostname="127.0.0.1", port=args.port,
                            **options)
    controller.start()
    with open(os.path.join(args.dir, "ready"), "w") as ready:
        ready.write("ready\n")
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
