"""SQLAlchemy models, one module per area. Importing this package registers them all."""

from webapp.models.access import LoginSession, OneTimeLink, SignInFailure
from webapp.models.learning import KnowledgeCheckAttempt, LessonProgress
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
from webapp.models.teaching import (
    GuideVersionRow,
    ModuleVersionRow,
    RubricVersionRow,
    SurveyVersionRow,
)

__all__ = [
    "GROUP_ROLES",
    "ROLES",
    "Account",
    "Cohort",
    "Group",
    "GroupMember",
    "GuideVersionRow",
    "Invitation",
    "KnowledgeCheckAttempt",
    "LessonProgress",
    "LoginSession",
    "Membership",
    "ModuleVersionRow",
    "OneTimeLink",
    "Outbox",
    "Programme",
    "RubricVersionRow",
    "SignInFailure",
    "SurveyVersionRow",
]
