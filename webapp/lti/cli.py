"""``coproduce lti``: register learning platforms and print the values to paste into them."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select

from webapp.extensions import db


@click.group("lti")
def lti():
    """Learning platforms that launch Coproduce with LTI 1.3 (docs/lti.md)."""


@lti.command("add-platform")
@with_appcontext
@click.option("--name", required=True, help="What people call it: Canvas at our university.")
@click.option("--issuer", required=True, help="The platform's issuer (iss).")
@click.option("--client-id", required=True, help="The client id the platform gave Coproduce.")
@click.option("--deployment-id", "deployments", multiple=True, required=True,
              help="A deployment id; may be repeated.")
@click.option("--auth-url", required=True, help="The platform's OIDC login address.")
@click.option("--keyset-url", required=True, help="The platform's public key set address.")
@click.option("--token-url", default="", help="The platform's token address (roster sync).")
def add_platform(name, issuer, client_id, deployments, auth_url, keyset_url, token_url):
    """Register a platform, then print the values its administrator pastes."""
    from webapp.lti import platforms
    from webapp.refusals import Refused

    try:
        platform = platforms.add(db.session, None, {
            "name": name, "issuer": issuer, "client_id": client_id,
            "deployment_ids": ",".join(deployments), "auth_url": auth_url,
            "keyset_url": keyset_url, "token_url": token_url})
    except Refused as refusal:
        db.session.rollback()
        raise click.UsageError(refusal.message) from refusal
    db.session.commit()
    click.echo(_("Registered %(name)s (id %(id)d).", name=platform.name, id=platform.id))
    _print_urls()


@lti.command("list")
@with_appcontext
def list_platforms():
    """The registered platforms, and the values to paste into a new one."""
    from webapp.models import LtiPlatform

    for p in db.session.scalars(select(LtiPlatform).order_by(LtiPlatform.id)):
        click.echo(f"{p.id}\t{p.name}\t{p.issuer}\t{p.client_id}\t"
                   + ",".join(d.deployment_id for d in p.deployments))
    _print_urls()


def _print_urls() -> None:
    from webapp.lti.platforms import tool_urls

    urls = tool_urls()
    labels = {"login": _("Login (OIDC initiation) address"),
              "launch": _("Launch (target link) address"), "redirect": _("Redirect address"),
              "jwks": _("Public key set (JWKS) address"),
              "deep_linking": _("Deep linking address"), "domain": _("Domain")}
    for key, label in labels.items():
        click.echo(f"  {label}: {urls[key]}")
