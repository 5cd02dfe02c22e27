"""Who may see or change what in the procedure catalogue: the one place that answers it.

- The statutory catalogue (codes, deadlines, documents, steps, fields) is shared by every ward: only a
  catalogue editor (a province or district account) and a superuser change it.
- A unit admin decides, for the units they keep, whether each procedure is offered there and its local fee
  where the province sets fees (fee "varies"): `UnitProcedure` rows.
- Everyone sees active procedures; inactive ones only those who edit the catalogue.

Plain functions over (user, object) and querysets "…_visible_to(user)"; objects outside a user's reach are
filtered away so callers answer 404, never 403. Dossiers and dashboards extend this module.
"""

from __future__ import annotations

from django.db.models import QuerySet

from portal.accounts.models import Role
from portal.units.models import Unit
from portal.units.permissions import can_manage_unit, is_active_staff, managed_unit_ids
from portal.units.selectors import unit_subtree_ids

from .domain.workflow import Action, transition_for
from .models import ApologyDraft, Booking, Dossier, FeeKind, IssuedDocument, Procedure, UnitProcedure


def can_edit_catalogue(user) -> bool:
    """May change the shared catalogue (procedures, their documents and steps, fields)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return is_active_staff(user, Role.CATALOGUE_EDITOR)


def can_edit_catalogue_entry(user, procedure: Procedure | None = None) -> bool:
    """One entry: the same answer for every entry today (the catalogue has one owner above the wards)."""
    return can_edit_catalogue(user)


def can_delete_catalogue_entry(user, procedure: Procedure | None = None) -> bool:
    """Procedures are deactivated, not deleted: deleting is the superuser's, for mistakes only."""
    return bool(getattr(user, "is_superuser", False) and user.is_active)


def procedures_visible_to(user) -> QuerySet[Procedure]:
    """Active procedures for everyone; inactive ones too for those who edit the catalogue."""
    if can_edit_catalogue(user):
        return Procedure.objects.all()
    return Procedure.objects.filter(is_active=True)


def can_set_unit_offer(user, unit: Unit | None) -> bool:
    """May choose which procedures `unit` offers and set its local fees."""
    return unit is not None and can_manage_unit(user, unit)


def can_set_unit_fee(user, unit: Unit | None, procedure: Procedure) -> bool:
    """A local fee only where the province sets the fee (fee_kind "varies")."""
    return can_set_unit_offer(user, unit) and procedure.fee_kind == FeeKind.VARIES


def unit_procedures_visible_to(user) -> QuerySet[UnitProcedure]:
    """Rows of the units the user keeps; catalogue editors read every unit's choices."""
    ids = managed_unit_ids(user)
    if ids is None or can_edit_catalogue(user):
        return UnitProcedure.objects.all()
    return UnitProcedure.objects.filter(unit_id__in=ids)


def can_change_unit_procedure(user, row: UnitProcedure) -> bool:
    return can_set_unit_offer(user, row.unit)


# --- dossiers ---------------------------------------------------------------------------------------------
# Who sees a dossier: its applicant (a citizen), the staff of its unit (desk officers, specialists), and the
# leaders of its unit or of a unit above it (they watch their subtree). Acting on one is narrower: the role
# must be one the transition table names for the action, staff act only on their own unit's dossiers, and a
# specialist only on those handed to them. Unit admins and catalogue editors keep set-up, not dossiers.


def dossiers_visible_to(user) -> QuerySet[Dossier]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Dossier.objects.none()
    if user.is_superuser:
        return Dossier.objects.all()
    if user.role == Role.CITIZEN:
        return Dossier.objects.filter(applicant=user)
    if is_active_staff(user, Role.DESK_OFFICER, Role.SPECIALIST):
        return Dossier.objects.filter(unit_id=user.unit_id)
    if is_active_staff(user, Role.LEADER):
        return Dossier.objects.filter(unit_id__in=unit_subtree_ids(user.unit))
    return Dossier.objects.none()


# Actions a specialist takes only on a dossier handed to them.
ASSIGNEE_ACTIONS = frozenset({Action.REQUEST_SUPPLEMENT, Action.SUBMIT_FOR_APPROVAL, Action.FINISH})


def can_act_on_dossier(user, dossier: Dossier, action: str) -> bool:
    """May take `action` on `dossier` (a dossier the user can see; callers check that first)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    transition = transition_for(action)
    if user.role not in transition.roles:
        return False
    if user.role == Role.CITIZEN:
        return dossier.applicant_id == user.pk
    if not is_active_staff(user, user.role) or dossier.unit_id != user.unit_id:
        return False
    if user.role == Role.SPECIALIST and transition.action in ASSIGNEE_ACTIONS:
        return dossier.assigned_to_id == user.pk
    return True


def can_receive_in_person(user, unit: Unit | None) -> bool:
    return unit is not None and is_active_staff(user, Role.DESK_OFFICER) and user.unit_id == unit.pk


# --- citizen pages ------------------------------------------------------------------------------------------
# "My dossiers" and its pages are the applicant's own view: a citizen sees only the dossiers they applied for,
# whatever else their account may reach (a superuser with the citizen role too). Staff have their own pages
# (/can-bo/…): the citizen pages answer them 403 (the wrong role), and another citizen's dossier is a 404.


def can_use_citizen_pages(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.CITIZEN)


def dossiers_of_applicant(user) -> QuerySet[Dossier]:
    """The dossiers `user` applied for (within dossiers_visible_to); none for anyone not on the citizen pages."""
    if not can_use_citizen_pages(user):
        return Dossier.objects.none()
    return dossiers_visible_to(user).filter(applicant=user)


# --- issued documents (printed slips) ---------------------------------------------------------------------
# A dossier's papers are seen by whoever sees the dossier (the applicant, the unit's staff, leaders above);
# anyone else gets a 404. A control slip on demand is printed by the unit's own staff.


def issued_documents_visible_to(user) -> QuerySet[IssuedDocument]:
    return IssuedDocument.objects.filter(dossier__in=dossiers_visible_to(user))


def can_print_control_slip(user, dossier: Dossier) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    staff = is_active_staff(user, Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER)
    return staff and dossier.unit_id == user.unit_id


# --- bookings and the desk queue --------------------------------------------------------------------------
# A citizen books for themselves and sees only their own bookings (another's is a 404). The desk officers
# of a unit see its bookings and work its queue (check-in, walk-in tickets, calling); its leaders (and those
# above) read the statistics; its unit admin sets counters and capacity. The display screen is public and
# carries no personal data.


def can_book(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.CITIZEN)


def bookings_visible_to(user) -> QuerySet[Booking]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Booking.objects.none()
    if user.is_superuser:
        return Booking.objects.all()
    if user.role == Role.CITIZEN:
        return Booking.objects.filter(citizen=user)
    if is_active_staff(user, Role.DESK_OFFICER):
        return Booking.objects.filter(unit_id=user.unit_id)
    if is_active_staff(user, Role.LEADER):
        return Booking.objects.filter(unit_id__in=unit_subtree_ids(user.unit))
    return Booking.objects.none()


def can_work_desk(user, unit: Unit | None) -> bool:
    """Check in bookings, issue walk-in tickets and call the queue of `unit`."""
    return unit is not None and is_active_staff(user, Role.DESK_OFFICER) and user.unit_id == unit.pk


def can_view_queue_stats(user, unit: Unit | None) -> bool:
    if unit is None:
        return False
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    if is_active_staff(user, Role.LEADER):
        return unit.pk in unit_subtree_ids(user.unit)
    return can_work_desk(user, unit)


def can_change_booking(user, booking: Booking) -> bool:
    """Cancel or move a booking: its citizen only (staff who see it do not change it)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and booking.citizen_id == user.pk)


def can_edit_booking_capacity(user, unit: Unit | None) -> bool:
    return unit is not None and can_manage_unit(user, unit)


# --- staff pages ------------------------------------------------------------------------------------------
WORKING_ROLES = (Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER)


def can_use_staff_dossier_pages(user) -> bool:
    """The staff dossier page: the unit's desk officers, specialists and leaders (and a superuser)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return is_active_staff(user, *WORKING_ROLES)


def can_use_desk_queue(user) -> bool:
    return is_active_staff(user, Role.DESK_OFFICER)


def can_use_specialist_queue(user) -> bool:
    return is_active_staff(user, Role.SPECIALIST)


def can_use_leader_queue(user) -> bool:
    return is_active_staff(user, Role.LEADER)


def can_see_access_log(user) -> bool:
    """Leaders (of the unit or above; the dossier is in their reach already) read who looked at a dossier."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return is_active_staff(user, Role.LEADER)


def approval_leaders(dossier: Dossier) -> QuerySet:
    """Leaders a specialist may send `dossier` for approval to: active leaders of its unit."""
    from portal.accounts.models import User

    return User.objects.filter(role=Role.LEADER, unit_id=dossier.unit_id, is_active=True).order_by("full_name", "pk")


def unit_specialists(unit_id: int) -> QuerySet:
    """Specialists a dossier of the unit may be handed over to."""
    from portal.accounts.models import User

    return User.objects.filter(role=Role.SPECIALIST, unit_id=unit_id, is_active=True).order_by("full_name", "pk")


def can_receive_in_person_page(user) -> bool:
    """The receipt pages (in person, no-wait): a desk officer, for their own unit."""
    return is_active_staff(user, Role.DESK_OFFICER) and can_receive_in_person(user, user.unit)


def can_watch_deadlines(user) -> bool:
    """The due-soon / overdue page: the staff who handle dossiers (their unit; leaders their subtree) — which
    dossiers they see is dossiers_visible_to."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or is_active_staff(user, Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER)


def can_issue_apology(user, apology: ApologyDraft) -> bool:
    """The drafted apology letter is its responsible officer's, while they may re-date the dossier (the REDATE
    rule); others re-date from the staff dossier page if the table lets them."""
    return apology.officer_id == getattr(user, "pk", None) and can_act_on_dossier(user, apology.dossier, Action.REDATE)


# --- dashboards -------------------------------------------------------------------------------------------
# Leaders watch their unit's subtree (a district leader compares its wards); desk officers and specialists see
# their own numbers in their own unit; unit admins keep their subtree and may read its figures; a superuser
# sees all. Citizens and anonymous visitors see none. A unit outside the reach is a 404 for callers.
DASHBOARD_OWN_NUMBERS_ROLES = (Role.DESK_OFFICER, Role.SPECIALIST)


def dashboard_units_visible_to(user) -> QuerySet[Unit]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    if is_active_staff(user, Role.LEADER, Role.UNIT_ADMIN):
        return Unit.objects.filter(pk__in=unit_subtree_ids(user.unit))
    if is_active_staff(user, *DASHBOARD_OWN_NUMBERS_ROLES):
        return Unit.objects.filter(pk=user.unit_id)
    return Unit.objects.none()


def dashboard_officer_scope(user, unit: Unit):
    """None: the whole unit's figures; a desk officer or specialist gets themself (their own numbers)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return None
    if is_active_staff(user, *DASHBOARD_OWN_NUMBERS_ROLES):
        return user
    return None


def can_view_district(user, unit: Unit | None) -> bool:
    """Compare and rank the child units of `unit`: a leader (or unit admin) of it or above, a superuser."""
    if unit is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return is_active_staff(user, Role.LEADER, Role.UNIT_ADMIN) and unit.pk in unit_subtree_ids(user.unit)


# --- satisfaction ratings ---------------------------------------------------------------------------------
# Who may rate a dossier (once, when procedures.services.ratings.RATEABLE_STATUSES allows):
# - online, its applicant: signed in on the citizen pages (can_rate_as_applicant), or anyone holding a proof
#   that they are the applicant — a signed rating link (e-mail, the receipt's QR code) or the dossier code
#   with the applicant's phone (the public lookup's check and rate limits). The proof is checked by the view;
#   being signed in as somebody else neither helps nor hinders it.
# - on paper, recorded on the citizen's behalf: an active desk officer of the dossier's own unit (the desk
#   where the citizen handed in the paper form); not specialists, leaders, other units, nor the superuser
#   (who has no desk).
# Who sees a rating: whoever sees the dossier (dossiers_visible_to), and the holder of a proof.


def can_rate_as_applicant(user, dossier: Dossier) -> bool:
    return can_use_citizen_pages(user) and dossier.applicant_id == user.pk


def can_record_paper_rating(user, dossier: Dossier) -> bool:
    return is_active_staff(user, Role.DESK_OFFICER) and dossier.unit_id == user.unit_id


def can_use_paper_rating_page(user) -> bool:
    """The page itself (before the dossier is known): the unit's desk officers."""
    return is_active_staff(user, Role.DESK_OFFICER)


# --- feedback and complaints (phản ánh, kiến nghị) ---------------------------------------------------------
# Staff of a unit see its feedback (leaders their subtree); desk officers log what arrives by phone, in person
# or by post, and desk officers and leaders of the unit hand it to an officer; the assignee or a leader of the
# unit starts and answers (or rejects) it. Feedback outside a user's reach is filtered away (404).
FEEDBACK_ROLES = (Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER)


def can_use_feedback_pages(user) -> bool:
    """The staff feedback list and pages: the unit's working staff; a superuser reads (without acting)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return is_active_staff(user, *FEEDBACK_ROLES)


def feedback_visible_to(user):
    from .models import Feedback

    if not can_use_feedback_pages(user):
        return Feedback.objects.none()
    if user.is_superuser:
        return Feedback.objects.all()
    if user.role == Role.LEADER:
        return Feedback.objects.filter(unit_id__in=unit_subtree_ids(user.unit))
    return Feedback.objects.filter(unit_id=user.unit_id)


def can_log_feedback(user) -> bool:
    return is_active_staff(user, Role.DESK_OFFICER) and user.unit_id is not None


def can_assign_feedback(user, feedback) -> bool:
    return is_active_staff(user, Role.DESK_OFFICER, Role.LEADER) and feedback.unit_id == user.unit_id


def can_answer_feedback(user, feedback) -> bool:
    """Start, answer or reject: the officer it was handed to, or a leader of its unit."""
    if not is_active_staff(user, *FEEDBACK_ROLES) or feedback.unit_id != user.unit_id:
        return False
    return user.role == Role.LEADER or feedback.assigned_to_id == user.pk


def feedback_assignees(unit_id: int) -> QuerySet:
    """Whom a unit's feedback may be handed to: its active desk officers, specialists and leaders."""
    from portal.accounts.models import User

    return User.objects.filter(role__in=FEEDBACK_ROLES, unit_id=unit_id, is_active=True).order_by("full_name", "pk")
