"""A Swedish demo programme beside the English one: a programme whose language is Swedish, one
kurstillfälle, one basgrupp working on the Swedish edition of module 1 with its case written in
Swedish and handed in, and reviews waiting for a handledare and a granskare med
patienterfarenhet. Every account reads the pages in Swedish.

Everything is fictional and marked "(demo)". Made through the product's own operations, once,
when its cohort is new; nothing is made when the Swedish edition has not been loaded.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from curriculum import template
from webapp.casework import operations as work_ops
from webapp.casework import submission as hand_in
from webapp.clock import now
from webapp.models import (
    Assignment,
    Cohort,
    Group,
    GroupMember,
    Membership,
    ModuleVersionRow,
    Programme,
)
from webapp.review import operations as review_ops
from webapp.roles import PATIENT_COTEACHER, PATIENT_PARTNER

PROGRAMME = "Samproduktion i vård och omsorg (demo)"
COHORT = "HT 2026 (demo)"
GROUP = "Basgrupp 1"
MODULE = "services-are-coproduced-sv"
STAFF = [("handledare@example.org", "Lars Nord (demo)", "educator"),
         ("programansvarig@example.org", "Eva Strand (demo)", "lead")]
COTEACHER = ("granskare@example.org", "Karin Holm (demo)", PATIENT_COTEACHER)
MEMBERS = [("student.sv@example.org", "Sara Lind (demo)", "student"),
           ("student2.sv@example.org", "Johan Ek (demo)", "student"),
           ("patientpartner@example.org", "Maja Berg (demo)", PATIENT_PARTNER)]
#: Printed by ``make run``.
LOGINS = [(STAFF[0][0], "educator (svenska)"), (STAFF[1][0], "lead (svenska)"),
          (COTEACHER[0], "patient_coteacher (svenska)"),
          (MEMBERS[0][0], "student, Basgrupp 1 (svenska)"),
          (MEMBERS[2][0], "patient_partner, Basgrupp 1 (svenska)")]

PROMISES = {"ourselves": "Vi turas om att prata och håller tiden.",
            "each_other": "Vi frågar innan vi tror att vi vet.",
            "person": "Vi skriver om Lena så som vi skulle prata med henne."}
#: Each part: what a student writes, then what the patient partner adds.
WORDS = {
    "situation": ("Vi är två sjuksköterskestudenter. En av oss har gjort VFU på en barnklinik.",
                  "Jag talar som Lena, 15 år. Jag bor med pappa och står i mål i fotbollslaget."),
    "patient_reality": ("Lena vill bli veterinär. Hon har anteckningar i mobilen om smärta, "
                        "sömn och mat.",
                        "Ingen har bett att få se mina anteckningar. Breven kommer till pappa, "
                        "inte till mig."),
    "emotions": ("Vi tror att Lena känner sig förbigången när breven går till hennes pappa.",
                 "Jag blir arg och ledsen. Pappa oroar sig hela tiden, och det gör mig trött."),
    "navigation": ("Lena får dropp på sjukhuset var åttonde vecka. Det tar nästan en hel dag.",
                   "Pappa tar ledigt utan lön varje gång. Det kostar oss mycket."),
    "condition": ("Crohns sjukdom är livslång. Den kan vara lugn länge och sedan blossa upp.",
                  "Jag vill förstå vad som händer i magen, med ord jag kan använda."),
    "illness_experience": ("För Lena betyder sjukdomen missade matcher och trötta dagar.",
                           "Det värsta är att jag inte får tala för mig själv."),
    "microsystem": ("Teamet har läkare, sjuksköterska, dietist och psykolog. Sjuksköterskan "
                    "Jo är lätt att prata med.",
                    "Om Jo frågade efter mina anteckningar skulle besöken bli bättre."),
    "professional_reality": ("Vi vet att tiden på mottagningen är kort och att breven är "
                             "en rutin.",
                             "Jag förstår att de har bråttom. Men det tar en minut att fråga mig."),
    "reflection": ("Vi provar att be Lena visa sina anteckningar vid nästa besök, och mäter om "
                   "hon känner sig hörd.",
                   "Jag vill att breven kommer till mig också. Det är mitt liv."),
}


def create_swedish_term(session, account) -> list[tuple[str, str]]:
    """Make (or find) the Swedish programme; returns its logins for ``make run`` to print.
    ``account(email, name)`` finds or makes a demo account."""
    row = session.scalar(select(ModuleVersionRow).where(ModuleVersionRow.slug == MODULE)
                         .order_by(ModuleVersionRow.major.desc(), ModuleVersionRow.minor.desc(),
                                   ModuleVersionRow.patch.desc()).limit(1))
    if row is None:
        return []
    programme = session.scalar(select(Programme).where(Programme.name == PROGRAMME))
    if programme is None:
        programme = Programme(name=PROGRAMME, language="sv", time_zone="Europe/Stockholm")
        session.add(programme)
        session.flush()
    cohort = session.scalar(select(Cohort).where(Cohort.programme_id == programme.id,
                                                 Cohort.name == COHORT))
    if cohort is not None:
        return LOGINS
    cohort = Cohort(programme=programme, name=COHORT)
    group = Group(cohort=cohort, name=GROUP)
    session.add_all([cohort, group])
    session.flush()
    people = {}
    for email, name, role in STAFF:
        people[email] = _swedish(account(email, name))
        session.add(Membership(account=people[email], role=role, programme=programme))
    email, name, role = COTEACHER
    people[email] = _swedish(account(email, name))
    session.add(Membership(account=people[email], role=role, cohort=cohort))
    for email, name, role in MEMBERS:
        people[email] = _swedish(account(email, name))
        session.add_all([Membership(account=people[email], role=role, cohort=cohort),
                         GroupMember(group=group, account=people[email])])
    programme.contact_id = people[STAFF[0][0]].id
    programme.contact_details = "Telefon 010-123 45 67 (demonummer), vardagar 9–12"
    start = now().replace(second=0, microsecond=0)
    assignment = Assignment(cohort_id=cohort.id, module_slug=row.slug, module_version_id=row.id,
                            opens_at=start - timedelta(days=14), due_at=start + timedelta(days=7),
                            review_due_at=start + timedelta(days=14))
    session.add(assignment)
    session.flush()
    _write_case(session, group, assignment, [people[e] for e, _n, _r in MEMBERS])
    review_ops.allocate(session, assignment, seed=2026)
    session.flush()
    return LOGINS


def _swedish(account):
    account.language = "sv"
    return account


def _write_case(session, group, assignment, members) -> None:
    """The basgrupp writes every part in both voices and hands the case in."""
    students, partner = members[:2], members[2]
    case = work_ops.start_case(session, students[0], group, assignment, PROMISES)
    work_ops.give_consent(session, partner, case, share_group=True, share_reviewers=True,
                          exemplar=False, quote=False)
    for index, part in enumerate(template.SECTIONS):
        student_words, partner_words = WORDS[part.key]
        writer = students[index % 2]
        work_ops.save_section(session, writer, case, part.key, student_words, 0)
        work_ops.save_section(session, partner, case, part.key,
                              f"{student_words}\n\n{partner_words}", 1)
        work_ops.mark_written(session, writer, case, part.key, True)
    for account in members:
        hand_in.confirm(session, account, case, share_reviewers=True)
