"""The roles a person holds in a programme or cohort, by name (the database stores these)."""

EDUCATOR = "educator"
LEAD = "lead"
STUDENT = "student"
PATIENT_PARTNER = "patient_partner"
PATIENT_COTEACHER = "patient_coteacher"

#: Every role, in the order forms list them.
ROLES = (EDUCATOR, STUDENT, PATIENT_PARTNER, PATIENT_COTEACHER, LEAD)
#: The roles that belong to a group and write its case.
GROUP_ROLES = (STUDENT, PATIENT_PARTNER)
