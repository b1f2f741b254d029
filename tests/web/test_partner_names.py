"""What a programme calls its patient partners: chosen in its settings, then said on its
people's pages, in the header's role, in mail and in both languages; other programmes keep
the standard name."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select

from tests.conftest import ROOT, post_form, signed_in
from webapp import partner_names
from webapp.extensions import db
from webapp.models import Account, Outbox, Programme

STANDARD = re.compile(r"[Pp]atient[- ]?partner", re.I)


def _name(app, programme_id, key):
    with app.app_context():
        db.session.get(Programme, programme_id).partner_name = key
        db.session.commit()


def _words(client, path):
    """The page's words outside scripts, course text marked with its own language."""
    html = client.get(path).get_data(as_text=True)
    return re.sub(r"<script.*?</script>|<[^>]+>", " ", html, flags=re.S)


def test_an_educator_chooses_the_name_in_the_programme_settings(app, world):
    educator = signed_in(app, "educator@example.org")
    path = f"/programmes/{world.ids['P']}/settings"
    page = educator.get(path).get_data(as_text=True)
    assert "What your programme calls patient partners" in page
    with app.app_context():
        before = db.session.get(Programme, world.ids["P"])
        form = {"time_zone": "Europe/Stockholm", "language": "", "contact_id": "0",
                "partner_name": "expert-by-experience"}
    answer = post_form(educator, path, form)
    assert answer.status_code == 303
    with app.app_context():
        assert db.session.get(Programme, world.ids["P"]).partner_name == "expert-by-experience"
    shown = educator.get(path).get_data(as_text=True)
    assert "What your programme calls experts by experience" in shown
    assert 'value="expert-by-experience" selected' in shown or \
        'selected value="expert-by-experience"' in shown
    bad = post_form(educator, path, dict(form, partner_name="<b>boss</b>"))
    assert bad.status_code == 400 and "Choose a name from the list." in bad.get_data(
        as_text=True)
    # Back to the standard name: stored as no choice at all.
    post_form(educator, path, dict(form, partner_name="patient-partner"))
    with app.app_context():
        assert db.session.get(Programme, world.ids["P"]).partner_name is None
    assert before is not None


@pytest.mark.parametrize("language, name, says", [
    ("en", "expert-by-experience", "expert by experience"),
    ("sv", "expert-by-experience", "erfarenhetsexpert"),
    ("sv", "family-partner", "närståendepartner"),
])
def test_the_programmes_people_read_its_name_everywhere(app, world, language, name, says):
    _name(app, world.ids["P"], name)
    with app.app_context():
        for email in ("partner@example.org", "student@example.org", "far@example.org"):
            db.session.scalar(select(Account).where(Account.email == email)).language = \
                language
        db.session.commit()
    partner = signed_in(app, "partner@example.org")
    for path in ("/", "/help", "/privacy", "/my-data", "/account"):
        words = _words(partner, path)
        assert not STANDARD.search(words), (path, STANDARD.search(words))
    assert says in _words(partner, "/").lower()  # "Your role: expert by experience"
    student = signed_in(app, "student@example.org")
    privacy = _words(student, "/privacy")
    assert not STANDARD.search(privacy) and says in privacy.lower()
    # Programme Two keeps the standard name.
    far = signed_in(app, "far@example.org")
    assert STANDARD.search(_words(far, "/privacy"))


def test_an_invitation_says_the_programmes_name_for_the_role(app, world):
    _name(app, world.ids["P"], "family-partner")
    educator = signed_in(app, "educator@example.org")
    answer = post_form(educator, f"/cohorts/{world.ids['C']}/invite",
                       {"email": "new.person@example.org", "role": "patient_partner",
                        "group_id": str(world.ids["G1"])})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    with app.app_context():
        body = db.session.scalar(select(Outbox.body).where(Outbox.kind == "invitation"))
    assert "as family partner" in body.lower() and not STANDARD.search(body)


def _catalogue():
    with (ROOT / "webapp/translations/sv/LC_MESSAGES/messages.po").open("rb") as po:
        return [m for m in read_po(po) if m.id]


def test_every_swedish_message_can_say_each_name():
    """Each bare "patientpartner" (singular or plural in Swedish) takes its number from an
    "patient partner(s)" of the English at the same place, so each needs one."""
    bare = re.compile(r"\b[Pp]atientpartner\b")
    short = []
    for message in _catalogue():
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for index, text in enumerate(strings):
            source = ids[min(index, len(ids) - 1)]
            english = len(partner_names._numbers(source))
            if len(bare.findall(text)) > english:
                short.append(source)
    assert short == []


@pytest.mark.parametrize("english, swedish, key, says", [
    ("Only students and patient partners can join a group.",
     "Bara studenter och patientpartner kan gå med i en basgrupp.", "expert-by-experience",
     "Bara studenter och erfarenhetsexperter kan gå med i en basgrupp."),
    ("Choose a patient partner in this group.", "Välj en patientpartner i den här basgruppen.",
     "expert-by-experience", "Välj en erfarenhetsexpert i den här basgruppen."),
    ("A patient partner’s words are never used again.", "En patientpartners ord används "
     "aldrig mer.", "expert-by-experience", "En erfarenhetsexperts ord används aldrig mer."),
    ("Patient partners and their time", "Patientpartnernas tid", "family-partner",
     "Närståendepartnernas tid"),
])
def test_swedish_forms_follow_the_english_number(english, swedish, key, says):
    assert partner_names.swedish(swedish, partner_names.NAMES[key], english) == says


@pytest.mark.parametrize("text, key, says", [
    ("Ask a patient partner first.", "expert-by-experience",
     "Ask an expert by experience first."),
    ("A patient partner may pass.", "expert-by-experience", "An expert by experience may pass."),
    ("Patient partners speak first.", "family-partner", "Family partners speak first."),
    ("students and patient partners", "service-user-partner",
     "students and service user partners"),
])
def test_english_forms_and_articles(text, key, says):
    assert partner_names.english(text, partner_names.NAMES[key]) == says
