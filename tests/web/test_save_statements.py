"""A save of one part is the write and little else: the SQL statements of one autosave,
for a student and for a patient partner, stay few and do not repeat a lookup."""

from sqlalchemy import event

from tests.conftest import csrf_from, give_consent, start_case
from webapp.extensions import db

#: sign-in; the case with what it belongs to and the person's standing; under the lock
#: (SQLite: BEGIN IMMEDIATE) their role and the case's consent choices; the part (checking
#: that the case is open) and its revision — one statement on PostgreSQL.
MOST = {"sqlite": 6, "postgresql": 4}


def _json_save(app, client, case_id, key, text, version):
    token = csrf_from(client.get(f"/cases/{case_id}").get_data(as_text=True))
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def count(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", count)
    try:
        answer = client.post(f"/cases/{case_id}/sections/{key}",
                             json={"text": text, "version": version},
                             headers={"X-CSRFToken": token, "Accept": "application/json"})
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json(), seen


def _dialect(app):
    with app.app_context():
        return db.engine.dialect.name


def _sql_statements(seen):
    return [s for s in seen if not s.upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE"))]


def test_a_students_save_is_a_handful_of_statements_none_repeated(app, assigned):
    student, case_id = start_case(app, assigned)
    answer, seen = _json_save(app, student, case_id, "situation", "At the clinic.", 0)
    assert answer["version"] == 1 and answer["saved_at"]
    statements = _sql_statements(seen)
    dialect = _dialect(app)
    assert len(seen) <= MOST[dialect], seen
    assert len(statements) == len(set(statements)), "no lookup is made twice"
    writes = [s for s in statements if s.startswith(("UPDATE", "INSERT", "WITH"))]
    if dialect == "sqlite":
        assert [w.split()[0:3] for w in writes] == [["UPDATE", "section_draft", "SET"],
                                                    ["INSERT", "INTO", "section_revision"]]
        assert "submitted_at IS NULL" in writes[0], "the part changes only in an open case"
    else:
        [write] = writes
        assert write.index("FOR UPDATE") < write.index("UPDATE section_draft") \
            < write.index("INSERT INTO section_revision"), "the case is locked first"


def test_a_patient_partners_save_checks_their_choices_within_the_same_few(app, assigned):
    _, case_id = start_case(app, assigned)
    partner = give_consent(app, case_id)
    answer, seen = _json_save(app, partner, case_id, "emotions", "I was scared.", 0)
    assert answer["voices"] == "patient"
    assert len(seen) <= MOST[_dialect(app)], seen
    assert any("consent_record" in s for s in seen), "their consent is read under the lock"
