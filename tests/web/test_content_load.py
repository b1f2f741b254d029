"""`coproduce content load`: new versions in, same content a no-op, changed content refused."""

import shutil
from pathlib import Path

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import GuideVersionRow, ModuleVersionRow, RubricVersionRow, SurveyVersionRow

VALID = Path(__file__).resolve().parents[1] / "content" / "fixtures" / "valid"
LESSON = "content/example-module/1.0.0/lessons/01-why-together.md"


def _load(app, path):
    return app.test_cli_runner().invoke(args=["content", "load", str(path)])


def _snapshot(app):
    with app.app_context():
        rows = []
        for model in (ModuleVersionRow, GuideVersionRow, RubricVersionRow, SurveyVersionRow):
            rows += [(model.__tablename__, r.slug, r.version, r.content_hash)
                     for r in db.session.scalars(select(model))]
        return sorted(rows)


def test_loading_twice_changes_nothing(app):
    first = _load(app, VALID)
    assert first.exit_code == 0, first.output
    assert "4 new version(s), 0 unchanged" in first.output
    before = _snapshot(app)
    second = _load(app, VALID)
    assert second.exit_code == 0 and "0 new version(s), 4 unchanged" in second.output
    assert _snapshot(app) == before


def test_the_loaded_module_reads_back_exactly_as_checked(app):
    _load(app, VALID)
    with app.app_context():
        row = db.session.scalars(select(ModuleVersionRow)).one()
        module = row.content()
    assert module.slug == "example-module" and module.version == "1.0.0"
    assert [s.key for s in module.case.sections][0] == "situation"
    assert module.lessons[0].body.startswith("## A service is made by two people")
    assert (row.major, row.minor, row.patch) == (1, 0, 0)


def test_editing_a_published_version_without_a_new_number_is_refused(app, tmp_path):
    root = tmp_path / "tree"
    shutil.copytree(VALID, root)
    _load(app, root)
    before = _snapshot(app)
    lesson = root / LESSON
    lesson.write_text(lesson.read_text().replace("nurse", "physiotherapist"))
    refused = _load(app, root)
    assert refused.exit_code == 1
    assert "example-module: content of 1.0.0 changed: bump the version" in refused.output
    assert "Nothing was loaded." in refused.output
    assert _snapshot(app) == before


def test_a_refusal_loads_nothing_else_either(app, tmp_path):
    root = tmp_path / "tree"
    shutil.copytree(VALID, root)
    _load(app, root)
    before = _snapshot(app)
    new = root / "content" / "example-module" / "1.1.0"
    shutil.copytree(root / "content" / "example-module" / "1.0.0", new)
    toml = new / "module.toml"
    toml.write_text(toml.read_text().replace('version = "1.0.0"', 'version = "1.1.0"'))
    lesson = root / LESSON
    lesson.write_text(lesson.read_text().replace("nurse", "physiotherapist"))
    assert _load(app, root).exit_code == 1
    assert _snapshot(app) == before
    with app.app_context():
        assert db.session.scalar(select(func.count(ModuleVersionRow.id))) == 1


def test_content_with_errors_is_not_loaded(app, tmp_path):
    root = tmp_path / "tree"
    shutil.copytree(VALID, root)
    lesson = root / LESSON
    lesson.write_text(lesson.read_text() + "\n<iframe src=x></iframe>\n")
    result = _load(app, root)
    assert result.exit_code == 1 and "raw HTML is not allowed" in result.output
    assert _snapshot(app) == []


def test_a_superseded_version_is_not_offered_for_new_use_unless_asked_for(app, world,
                                                                          tmp_path):
    """A newer version that supersedes an earlier one takes its place on the assign form;
    the earlier one is still there when asked for, labelled, with the reason."""
    from tests.conftest import VALID, signed_in

    tree = tmp_path / "tree"
    shutil.copytree(VALID, tree)
    folder = tree / "content" / "example-module"
    shutil.copytree(folder / "1.0.0", folder / "1.1.0")
    toml = folder / "1.1.0" / "module.toml"
    toml.write_text(toml.read_text().replace('version = "1.0.0"', 'version = "1.1.0"')
                    .replace("minutes = 45", 'minutes = 45\nsupersedes = ["1.0.0"]\n'
                             'superseded_because = "Its case objective asks for no measure."'))
    assert app.test_cli_runner().invoke(args=["content", "load", str(tree)]).exit_code == 0
    educator = signed_in(app, "educator@example.org")
    path = f"/cohorts/{world.ids['C']}/assignments/new"
    page = educator.get(path).get_data(as_text=True)
    assert "— 1.1.0 — English</option>" in page and "— 1.0.0" not in page
    assert "Version 1.0.0 is replaced by 1.1.0 for new use: Its case objective asks for no " \
        "measure." in page
    reading = educator.get("/modules/example-module/1.0.0").get_data(as_text=True)
    assert "For new cohorts, version 1.1.0 replaces this one: Its case objective asks for " \
        "no measure." in reading, "still readable, and says what replaces it"
    assert "replaces this one" not in educator.get("/modules/example-module/1.1.0").get_data(
        as_text=True)
    everything = educator.get(path + "?all=1").get_data(as_text=True)
    assert "— 1.0.0 — English (replaced by 1.1.0)</option>" in everything
    with app.app_context():
        old_id = db.session.scalar(select(ModuleVersionRow.id).where(
            ModuleVersionRow.version == "1.0.0"))
    from tests.conftest import csrf_from

    refused = educator.post(path, data={
        "csrf_token": csrf_from(page), "module_version_id": old_id,
        "opens_at": "2027-01-10T09:00", "due_at": "2027-02-10T23:59",
        "review_due_at": "2027-02-20T23:59"})
    assert refused.status_code == 400, "not offered, so not accepted from the plain form"
    taken = educator.post(path + "?all=1", data={
        "csrf_token": csrf_from(everything), "module_version_id": old_id,
        "opens_at": "2027-01-10T09:00", "due_at": "2027-02-10T23:59",
        "review_due_at": "2027-02-20T23:59"})
    assert taken.status_code == 303, taken.get_data(as_text=True)[:2000]
