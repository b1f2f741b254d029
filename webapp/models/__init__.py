"""SQLAlchemy models, one module per area. Importing this package registers them all."""

from webapp.models.access import LoginSession, OneTimeLink, SignInFailure
from webapp.models.agreement import AGREEMENT_STATES, PartnerAgreement, PaymentRecord
from webapp.models.audit import AuditEvent
from webapp.models.calendar import CalendarFeed
from webapp.models.feedback import (
    FeedbackAnswer,
    FeedbackComment,
    FeedbackResponse,
    ResponseMarker,
    ReviewLogEntry,
)
from webapp.models.jobs import JOB_STATES, ReportJob
from webapp.models.learning import KnowledgeCheckAttempt, LessonProgress
from webapp.models.log import AUDIENCES, PLACES, STAGES, LogEntry, LogRevisit
from webapp.models.lti import (
    LtiContext,
    LtiDeepLink,
    LtiDeployment,
    LtiIdentity,
    LtiLaunchState,
    LtiPendingLink,
    LtiPlatform,
    LtiToolKey,
)
from webapp.models.notice import CaseVisit, Notification
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
    RosterUpload,
)
from webapp.models.reporting import ReportDataVersion, ReportPool
from webapp.models.review import (
    ACTIVITIES,
    LENSES,
    ConfidenceAnswer,
    Contribution,
    GroupResponse,
    Review,
    ReviewerCapacity,
    SelfAssessment,
)
from webapp.models.teaching import (
    Assignment,
    Extension,
    GroupNudge,
    GuideVersionRow,
    ModuleVersionRow,
    RubricVersionRow,
    SurveyVersionRow,
)
from webapp.models.work import (
    CaseRead,
    CaseWork,
    Confirmation,
    ConsentRecord,
    SectionDraft,
    SectionRevision,
    Submission,
)

__all__ = [
    "LtiContext",
    "LtiDeepLink",
    "LtiDeployment",
    "LtiIdentity",
    "LtiLaunchState",
    "LtiPendingLink",
    "LtiPlatform",
    "LtiToolKey",
    "CaseVisit",
    "Notification",
    "CalendarFeed",
    "AUDIENCES",
    "PLACES",
    "STAGES",
    "LogEntry",
    "LogRevisit",
    "AGREEMENT_STATES",
    "PartnerAgreement",
    "PaymentRecord",
    "AuditEvent",
    "FeedbackAnswer",
    "FeedbackComment",
    "FeedbackResponse",
    "ResponseMarker",
    "ReviewLogEntry",
    "ReportDataVersion",
    "ReportPool",
    "ConfidenceAnswer",
    "ACTIVITIES",
    "Contribution",
    "LENSES",
    "GroupResponse",
    "Review",
    "SelfAssessment",
    "ReviewerCapacity",
    "Assignment",
    "CaseRead",
    "CaseWork",
    "Confirmation",
    "Submission",
    "ConsentRecord",
    "SectionRevision",
    "Extension",
    "GroupNudge",
    "RosterUpload",
    "SectionDraft",
    "GROUP_ROLES",
    "ROLES",
    "Account",
    "Cohort",
    "Group",
    "GroupMember",
    "GuideVersionRow",
    "Invitation",
    "JOB_STATES",
    "KnowledgeCheckAttempt",
    "LessonProgress",
    "LoginSession",
    "Membership",
    "ModuleVersionRow",
    "OneTimeLink",
    "Outbox",
    "Programme",
    "ReportJob",
    "RubricVersionRow",
    "SignInFailure",
    "SurveyVersionRow",
]
