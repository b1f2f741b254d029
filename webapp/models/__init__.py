"""SQLAlchemy models, one module per area. Importing this package registers them all."""

from webapp.models.access import LoginSession, OneTimeLink, SignInFailure
from webapp.models.outbox import Outbox
from webapp.models.people import (
    GROUP_ROLES,
    ROLES,
    Account,
    Cohort,
    Group,
    GroupMember,
    Invitation,
    Membership,
    Programme,
)

__all__ = [
    "GROUP_ROLES",
    "ROLES",
    "Account",
    "Cohort",
    "Group",
    "GroupMember",
    "Invitation",
    "LoginSession",
    "Membership",
    "OneTimeLink",
    "Outbox",
    "Programme",
    "SignInFailure",
]
