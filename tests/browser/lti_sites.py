"""Two HTTPS sites on one machine for the LTI browser test: Coproduce at ``tool.test`` and a
small learning platform at ``lms.test``, both served on loopback with certificates signed by a
certificate authority made here. Chromium maps both names to 127.0.0.1
(``--host-resolver-rules``) and trusts the authority's certificates (by their public keys), so
the two sites are cross-site as they are in real use: on 127.0.0.1 alone everything would be
same-site and prove nothing about cookies."""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import ssl
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from flask import Flask, request
from markupsafe import escape
from werkzeug.serving import make_server

from tests.web import lti_platform as lms

TOOL_HOST, LMS_HOST = "tool.test", "lms.test"


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _spki(cert: x509.Certificate) -> str:
    der = cert.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


def make_certificates(folder: Path) -> dict:
    """A certificate authority, and a certificate it signs for each host (also valid for
    127.0.0.1, which the servers call each other on). Returns the files and the public-key
    hashes Chromium is told to trust."""
    moment = datetime.now(UTC) - timedelta(days=1)
    ca_key = _key()
    ca = (x509.CertificateBuilder().subject_name(_name("Coproduce test authority"))
          .issuer_name(_name("Coproduce test authority")).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(moment)
          .not_valid_after(moment + timedelta(days=3))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    files = {"ca": folder / "ca.pem"}
    files["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    trusted = [_spki(ca)]
    for host in (TOOL_HOST, LMS_HOST):
        key = _key()
        cert = (x509.CertificateBuilder().subject_name(_name(host)).issuer_name(ca.subject)
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(moment).not_valid_after(moment + timedelta(days=3))
                .add_extension(x509.SubjectAlternativeName([
                    x509.DNSName(host), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                    critical=False)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None),
                               critical=True)
                .sign(ca_key, hashes.SHA256()))
        files[host] = (folder / f"{host}.pem", folder / f"{host}.key")
        files[host][0].write_bytes(cert.public_bytes(serialization.Encoding.PEM)
                                   + files["ca"].read_bytes())
        files[host][1].write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                     serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption()))
        trusted.append(_spki(cert))
    files["spki"] = ",".join(trusted)
    return files


def serve(app, cert_files) -> tuple[object, int]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*cert_files)
    server = make_server("127.0.0.1", 0, app, threaded=True, ssl_context=context)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_port


def platform_app(site: dict) -> Flask:
    """The learning platform: a course page with Coproduce's links, its OIDC authorisation
    address (which signs the launch with ``lti1p3platform``), its key set, and the address a
    deep-linking answer comes back to. ``site`` holds the addresses and the links added."""
    app = Flask("test_platform")
    helper = lms.Platform()

    def login_form(user: str, hint: str, label: str, target: str) -> str:
        fields = {"iss": site["issuer"], "login_hint": user, "client_id": lms.CLIENT_ID,
                  "target_link_uri": site["tool"] + "/lti/launch",
                  "lti_deployment_id": lms.DEPLOYMENT, "lti_message_hint": hint}
        inputs = "".join(f'<input type="hidden" name="{k}" value="{escape(v)}">'
                         for k, v in fields.items())
        return (f'<form method="post" action="{site["tool"]}/lti/login" target="{target}">'
                f'{inputs}<button type="submit">{escape(label)}</button></form>')

    @app.get("/course")
    def course():
        user = request.args["user"]
        links = "".join(login_form(user, f"link:{n}", f"Open {link['title']}", "_blank")
                        for n, link in enumerate(site["links"]))
        teacher = ""
        if user.startswith("teacher"):
            teacher = (login_form(user, "deep_link", "Add Coproduce", "add-frame")
                       + '<iframe name="add-frame" title="Add Coproduce" width="900" '
                       'height="700"></iframe>')
        return f"<h1>Coproduction 101</h1>{links}{teacher}"

    @app.get("/auth")
    def auth():
        preflight = request.args.to_dict()
        helper.issuer = site["issuer"]
        user, hint = preflight["login_hint"], preflight.get("lti_message_hint", "")
        teacher = user.startswith("teacher")
        custom = None
        if hint.startswith("link:"):
            custom = site["links"][int(hint[5:])]["custom"]
        data = helper.library_launch(
            preflight, sub=user, email=f"{user}@{LMS_HOST}", name=user.title(),
            roles=[lms.INSTRUCTOR if teacher else lms.LEARNER], custom=custom,
            deep_link_return=site["lms"] + "/return" if hint == "deep_link" else "")
        return (f'<form id="f" method="post" action="{escape(data["launch_url"])}">'
                f'<input type="hidden" name="id_token" value="{data["id_token"]}">'
                f'<input type="hidden" name="state" value="{escape(data["state"])}"></form>'
                '<script>document.getElementById("f").submit()</script>')

    @app.get("/jwks")
    def jwks():
        return json.dumps(helper.jwks()), 200, {"Content-Type": "application/json"}

    @app.post("/return")
    def deep_link_return():
        tool_keys = requests.get(site["tool_direct"] + "/lti/jwks.json", verify=site["ca"],
                                 timeout=10).json()
        [item] = helper.read_deep_link_answer(request.form["JWT"], tool_keys)
        site["links"].append(item)
        return f"<p>Added to the course: {escape(item['title'])}</p>"

    return app
