"""What a roster file would change in a cohort (the preview), and applying it (all or nothing)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import delete, insert, null, select, update

from webapp import audit
from webapp.models import Account, Group, GroupMember, Membership, RosterUpload
from webapp.refusals import Refused
from webapp.teach import operations
from webapp.teach.roster_file import GROUP_ROLES, Row, read_roster

RosterRefused = Refused


@dataclass
class Plan:
    problems: list[tuple[int, str]] = field(default_factory=list)
    #: People with no account yet: an account is made and an invitation sent.
    new_people: list[Row] = field(default_factory=list)
    #: People who have an account but not this role in the cohort: invited to it.
    new_roles: list[Row] = field(default_factory=list)
    #: (row, group they are in now or "") for people whose group changes.
    moves: list[tuple[Row, str]] = field(default_factory=list)
    unchanged: int = 0
    #: Students and patient partners of the cohort who are not in the file (they stay).
    not_in_file: list[str] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return len(self.new_people) + len(self.new_roles) + len(self.moves)


def _state(session, cohort, keys: set[str]):
    accounts = {}
    for chunk in _chunks(sorted(keys), 500):
        for account in session.scalars(select(Account).where(Account.email_key.in_(chunk))):
            accounts[account.email_key] = account
    roles = set(session.execute(
        select(Membership.account_id, Membership.role).where(Membership.cohort_id == cohort.id)
    ).tuples())
    placed = dict(session.execute(
        select(GroupMember.account_id, Group.name)
        .join(Group, Group.id == GroupMember.group_id)
        .where(Group.cohort_id == cohort.id)
    ).tuples().all())
    return accounts, roles, placed


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def plan(session, cohort, data: bytes) -> Plan:
    """Read the file and compare it with the cohort; writes nothing."""
    groups = set(session.scalars(select(Group.name).where(Group.cohort_id == cohort.id)))
    roster = read_roster(data, groups)
    result = Plan(problems=sorted(roster.problems))
    if result.problems:
        return result
    accounts, roles, placed = _state(session, cohort, {row.email_key for row in roster.rows})
    in_file = set()
    for row in roster.rows:
        account = accounts.get(row.email_key)
        changed = False
        if account is None:
            result.new_people.append(row)
            changed = True
        else:
            in_file.add(account.id)
            if (account.id, row.role) not in roles:
                result.new_roles.append(row)
                changed = True
        if row.role in GROUP_ROLES and row.group:
            now_in = placed.get(account.id, "") if account else ""
            if now_in != row.group:
                result.moves.append((row, now_in))
                changed = True
        if not changed:
            result.unchanged += 1
    names = session.execute(
        select(Account.id, Account.display_name)
        .join(Membership, Membership.account_id == Account.id)
        .where(Membership.cohort_id == cohort.id, Membership.role.in_(GROUP_ROLES))
        .distinct()
    ).all()
    result.not_in_file = sorted(name for account_id, name in names if account_id not in in_file)
    return result


def store_upload(session, actor, cohort, filename: str, data: bytes) -> RosterUpload:
    """Keep the file until it is confirmed; only a person's latest preview can be confirmed,
    so earlier unconfirmed copies (names and emails) are not kept."""
    session.execute(delete(RosterUpload).where(RosterUpload.cohort_id == cohort.id,
                                               RosterUpload.uploaded_by_id == actor.id,
                                               RosterUpload.applied_at.is_(None)))
    upload = RosterUpload(cohort_id=cohort.id, uploaded_by_id=actor.id,
                          filename=(filename or "roster.csv")[:200], data=data,
                          sha256=hashlib.sha256(data).hexdigest())
    session.add(upload)
    session.flush()
    return upload


def apply(session, actor, cohort, upload: RosterUpload, config) -> Plan:
    """Apply a previewed roster in the caller's transaction; refuses if it now has problems."""
    if cohort.archived:
        raise RosterRefused(_("This cohort is archived; it cannot take new people."))
    claimed = session.execute(
        update(RosterUpload).where(RosterUpload.id == upload.id,
                                   RosterUpload.applied_at.is_(None))
        .values(applied_at=operations.now())
    ).rowcount
    if claimed != 1:
        raise RosterRefused(_("This roster was already applied. Upload it again to check it."))
    result = plan(session, cohort, upload.data)
    if result.problems:
        raise RosterRefused(_("The roster has problems now; upload it again to see them."))
    groups = {g.name: g for g in session.scalars(select(Group).where(Group.cohort_id == cohort.id))}
    by_key = {}
    for row in result.new_people:
        if row.email_key not in by_key:
            account = Account(email=row.email, email_key=row.email_key,
                              display_name=row.name, joined_at=null())
            session.add(account)
            by_key[row.email_key] = account
    session.flush()
    accounts, _roles, _placed = _state(
        session, cohort, {row.email_key for row in result.new_roles}
        | {row.email_key for row, _old in result.moves})
    accounts.update(by_key)
    joining = result.new_people + result.new_roles
    if joining:
        session.execute(insert(Membership), [
            {"account_id": accounts[row.email_key].id, "cohort_id": cohort.id,
             "role": row.role, "created_at": operations.now()} for row in joining])
    for row in joining:
        operations.invite(session, actor, cohort, email=row.email, role=row.role, group=None,
                          config=config, flush=False)
    # One group per person per cohort: take movers out of their current group in one
    # statement (only those placed somewhere now), then place everyone.
    leaving = [accounts[row.email_key].id for row, old in result.moves if old]
    cohort_groups = [g.id for g in groups.values()]
    for chunk in _chunks(leaving, 500):
        session.execute(delete(GroupMember).where(GroupMember.account_id.in_(chunk),
                                                  GroupMember.group_id.in_(cohort_groups))
                        .execution_options(synchronize_session=False))
    if result.moves:
        session.execute(insert(GroupMember), [
            {"group_id": groups[row.group].id, "account_id": accounts[row.email_key].id}
            for row, _old in result.moves])
    audit.record(session, "roster_applied", actor_id=actor.id, cohort=cohort.id,
                 new_people=len(result.new_people), new_roles=len(result.new_roles),
                 moved=len(result.moves))
    upload.data = b""  # applied: the people are in the cohort now; the file is not kept
    session.flush()
    return result

