"""A programme's settings: its time zone, its language, what it calls its patient partners and
the named contact people turn to."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import or_, select
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from webapp import audit, authz, localtime, partner_names
from webapp import language as languages
from webapp.extensions import db
from webapp.models import Account, Cohort, Membership, Programme
from webapp.teach import bp


class SettingsForm(FlaskForm):
    time_zone = SelectField(_l("Time zone"), validate_choice=False, description=_l(
        "Dates are typed and shown in this zone on every page, mail and PDF of the programme."))
    language = SelectField(
        _l("Language"), choices=[("", _l("The one each person's browser asks for"))]
        + list(languages.LANGUAGES.items()), validate_choice=False, description=_l(
            "Pages and mail are in this language for the programme's people until they "
            "choose their own at the top of any page."))
    partner_name = SelectField(
        _l("What your programme calls patient partners"),
        choices=[(key, name.label) for key, name in partner_names.NAMES.items()],
        validate_choice=False, description=_l(
            "Every page, mail and file of the programme then uses this name, in English and "
            "in Swedish (for example expert by experience, erfarenhetsexpert)."))
    contact_id = SelectField(_l("Named contact"), coerce=int, validate_choice=False,
                             description=_l(
        "The educator patient partners and co-teachers turn to. Their guides and home page "
        "name this person."))
    contact_details = TextAreaField(
        _l("How to reach them"),
        description=_l("For example a phone number and the hours to call, or a room. "
                       "Shown to the people of this programme."),
        validators=[Optional(), Length(max=300, message=_l("Write at most 300 characters."))])
    support_info = TextAreaField(
        _l("Where to get support"),
        description=_l("Crisis and support numbers your programme uses, shown with every case "
                       "that has a content note, for example: 1177 for health advice, 112 in "
                       "an emergency, Mind's helpline 90101."),
        validators=[Optional(), Length(max=500, message=_l("Write at most 500 characters."))])

    def validate_time_zone(self, field):
        if not localtime.is_zone(field.data):
            raise ValidationError(_l("Choose a time zone from the list, such as "
                                     "Europe/Stockholm."))

    def validate_language(self, field):
        if field.data and not languages.is_language(field.data):
            raise ValidationError(_l("Choose a language from the list."))

    def validate_partner_name(self, field):
        if field.data and not partner_names.is_name(field.data):
            raise ValidationError(_l("Choose a name from the list."))

    def validate_contact_id(self, field):
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choose an educator of this programme, or no one."))


def educators(session, programme: Programme) -> list[Account]:
    """Who may be the named contact: the educators of the programme or of one of its cohorts."""
    return list(session.scalars(
        select(Account).join(Membership, Membership.account_id == Account.id)
        .outerjoin(Cohort, Cohort.id == Membership.cohort_id)
        .where(Membership.role == "educator", Account.active.is_(True),
               or_(Membership.programme_id == programme.id, Cohort.programme_id == programme.id))
        .distinct().order_by(Account.display_name)))


@bp.route("/programmes/<int:programme_id>/settings", methods=["GET", "POST"])
def programme_settings(programme_id: int):
    programme = authz.target()
    manage = authz.allowed(current_user, "manage", programme)
    form = SettingsForm(obj=None if request.method == "POST" else programme)
    if request.method == "GET":
        form.time_zone.data = localtime.zone_name(programme)
        form.contact_id.data = programme.contact_id or 0
        form.language.data = programme.language or ""
        form.partner_name.data = programme.partner_name or partner_names.STANDARD
    form.time_zone.choices = list(localtime.zone_names())
    people = educators(db.session, programme)
    form.contact_id.choices = [(0, _("No one yet"))] + [(p.id, p.display_name) for p in people]
    if request.method == "POST" and form.validate_on_submit():
        programme.time_zone = form.time_zone.data
        programme.language = form.language.data or None
        if form.partner_name.data:  # left out of the form: the name stays as it was
            programme.partner_name = (None if form.partner_name.data == partner_names.STANDARD
                                      else form.partner_name.data)
        programme.contact_id = form.contact_id.data or None
        programme.contact_details = (form.contact_details.data or "").strip() or None
        programme.support_info = (form.support_info.data or "").strip() or None
        audit.record(db.session, "programme_settings_changed", actor_id=current_user.id,
                     programme=programme.id, time_zone=programme.time_zone,
                     language=programme.language, partner_name=programme.partner_name,
                     contact=programme.contact_id)
        db.session.commit()
        flash(_("Saved. Dates are now shown in %(place)s.",
                place=localtime.place(programme)), "info")
        return redirect(url_for("teach.programme_settings", programme_id=programme.id), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("teach/settings.html", programme=programme, form=form,
                           manage=manage), status
