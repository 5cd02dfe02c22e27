"""URLs of the domain app: public catalogue, dossiers, API."""

from django.urls import path

from procedures.api import booking as booking_api
from procedures.api import dashboard as dashboard_api
from procedures.api import dossiers as dossier_api
from procedures.api.catalogue import ProcedureDetailView, ProcedureListView
from procedures.api.documents import SlipListView
from procedures.api.due import ProcedureDueView
from procedures.api.lookup import LookupView
from procedures.api.ratings import DossierRatingView
from procedures.api.units import UnitDetailView, UnitListView
from procedures.views import apology as apology_views
from procedures.views import booking as booking_views
from procedures.views import booking_desk as desk_views
from procedures.views import catalogue as catalogue_views
from procedures.views import citizen_dossiers as citizen_views
from procedures.views import dashboard as dashboard_views
from procedures.views import deadline_watch as deadline_watch_views
from procedures.views import documents as document_views
from procedures.views import feedback as feedback_views
from procedures.views import lookup as lookup_views
from procedures.views import notifications as notification_views
from procedures.views import ratings as rating_views
from procedures.views import staff_dossier, staff_queues, staff_receipt

# Public lookup: a dossier's progress for whoever holds its code and the applicant's phone. First: the busiest
# public URLs, found without trying the thirty patterns below (bench/dossiers.py compares them with a bare view).
urlpatterns: list = [
    path("tra-cuu/", lookup_views.lookup, name="lookup"),
    path("api/lookup/", LookupView.as_view(), name="api-lookup"),
]

urlpatterns += [
    path("api/procedures/<str:code>/due/", ProcedureDueView.as_view(), name="procedure-due"),
]

# Public catalogue (Vietnamese slugs) and its API. `<str:code>` never matches a "/", so the
# api/procedures/<code>/ route cannot swallow api/procedures/<code>/due/ above.
urlpatterns += [
    path("thu-tuc/", catalogue_views.catalogue, name="catalogue"),
    path("thu-tuc/<str:code>/", catalogue_views.procedure_detail, name="procedure_detail"),
    path("thu-tuc/<str:code>/in/", catalogue_views.procedure_checklist, name="procedure_checklist"),
    path(
        "thu-tuc/<str:code>/mau/<int:document_id>/",
        catalogue_views.document_template,
        name="procedure_document_template",
    ),
    path("api/procedures/", ProcedureListView.as_view(), name="api-procedure-list"),
    path("api/procedures/<str:code>/", ProcedureDetailView.as_view(), name="api-procedure-detail"),
    path("api/units/", UnitListView.as_view(), name="api-unit-list"),
    path("api/units/<str:code>/", UnitDetailView.as_view(), name="api-unit-detail"),
    path("api/dashboard/", dashboard_api.DashboardView.as_view(), name="api-dashboard"),
    path("api/dashboard/ranking/", dashboard_api.RankingView.as_view(), name="api-dashboard-ranking"),
]

# Dossiers (the API; the pages come later). One POST per transition, each its own URL name.
urlpatterns += [
    path("api/dossiers/", dossier_api.DossierListView.as_view(), name="api-dossier-list"),
    path("api/dossiers/<str:code>/", dossier_api.DossierDetailView.as_view(), name="api-dossier-detail"),
    path(
        "api/dossiers/<str:code>/documents/<int:document_id>/",
        dossier_api.DossierDocumentView.as_view(),
        name="api-dossier-document",
    ),
] + [
    path(
        f"api/dossiers/<str:code>/{slug}/",
        dossier_api.DossierActionView.as_view(slug=slug),
        name=f"api-dossier-{slug}",
    )
    for slug in dossier_api.ACTION_SLUGS
]

# The citizen's pages: online submission (form, review, confirmation), "my dossiers", a dossier's page and
# files, the answer to a supplement request, the withdrawal; in-app notifications for every signed-in user.
urlpatterns += [
    path("thu-tuc/<str:code>/nop/", citizen_views.dossier_submit, name="dossier_submit"),
    path("thu-tuc/<str:code>/nop/<str:key>/", citizen_views.dossier_submit_review, name="dossier_submit_review"),
    path("ho-so/", citizen_views.my_dossiers_page, name="my_dossiers"),
    path("ho-so/<str:code>/", citizen_views.my_dossier_detail, name="my_dossier_detail"),
    path("ho-so/<str:code>/da-nop/", citizen_views.dossier_submitted, name="dossier_submitted"),
    path(
        "ho-so/<str:code>/tai-lieu/<int:document_id>/",
        citizen_views.my_dossier_file,
        name="my_dossier_document",
    ),
    path("ho-so/<str:code>/bo-sung/", citizen_views.dossier_supplement, name="dossier_supplement"),
    path("ho-so/<str:code>/rut/", citizen_views.dossier_withdraw, name="dossier_withdraw"),
    path("thong-bao/", notification_views.notifications, name="notifications"),
    path("thong-bao/da-doc/", notification_views.notifications_read, name="notifications_read"),
]

# A dossier's printed papers (receipt, supplement request, refusal, apology, control slip): the applicant's
# and the unit's staff's, as the dossier itself.
urlpatterns += [
    path("ho-so/<str:code>/giay-to/", document_views.slip_list, name="slip_list"),
    path("ho-so/<str:code>/giay-to/<int:document_id>.pdf", document_views.slip_download, name="slip_download"),
    path("ho-so/<str:code>/giay-to/phieu-kiem-soat/", document_views.control_slip_print, name="control_slip_print"),
    path("api/dossiers/<str:code>/slips/", SlipListView.as_view(), name="api-dossier-slips"),
]

# Booking and the desk queue (issue 12).
urlpatterns += [
    path("api/slots/", booking_api.SlotListView.as_view(), name="api-slot-list"),
    path("api/bookings/", booking_api.BookingListView.as_view(), name="api-booking-list"),
    path("api/bookings/<str:code>/", booking_api.BookingDetailView.as_view(), name="api-booking-detail"),
    path(
        "api/bookings/<str:code>/reschedule/",
        booking_api.BookingRescheduleView.as_view(),
        name="api-booking-reschedule",
    ),
    path("api/queue/<str:unit_code>/", booking_api.QueueDisplayView.as_view(), name="api-queue-display"),
]

# Booking pages (citizen), the desk, the kiosk, the public display screen and the statistics.
urlpatterns += [
    path("thu-tuc/<str:code>/dat-lich/", booking_views.booking_new, name="booking_new"),
    path("lich-hen/", booking_views.booking_list, name="booking_list"),
    path("lich-hen/<str:code>/", booking_views.booking_detail, name="booking_detail"),
    path("lich-hen/<str:code>/xac-nhan/", booking_views.booking_confirm_page, name="booking_confirm"),
    path("lich-hen/<str:code>/doi-lich/", booking_views.booking_reschedule_page, name="booking_reschedule"),
    path("lich-hen/<str:code>/huy/", booking_views.booking_cancel_page, name="booking_cancel"),
    path("quay/", desk_views.desk_queue, name="desk_queue"),
    path("quay/check-in/", desk_views.desk_check_in, name="desk_check_in"),
    path("quay/lay-so/", desk_views.desk_walk_in, name="desk_walk_in"),
    path("quay/kiosk/", desk_views.desk_kiosk, name="desk_kiosk"),
    path("quay/thong-ke/", desk_views.desk_stats, name="desk_stats"),
    path("quay/cau-hinh/", desk_views.booking_setup, name="booking_setup"),
    path("quay/cau-hinh/quy-tac/", desk_views.booking_settings_edit, name="booking_settings_edit"),
    path("quay/<int:counter_id>/goi-tiep/", desk_views.desk_call_next, name="desk_call_next"),
    path("quay/ve/<int:ticket_id>/<str:action>/", desk_views.desk_ticket, name="desk_ticket"),
    path("man-hinh/<str:unit_code>/", desk_views.queue_display, name="queue_display"),
]

# Staff pages (cán bộ): work queues, the staff dossier page, receipt in person, the no-wait fast track.
urlpatterns += [
    path("can-bo/ho-so/", staff_queues.dossier_desk_queue, name="dossier_desk_queue"),
    path("can-bo/ho-so/<str:code>/", staff_dossier.staff_dossier_detail, name="staff_dossier_detail"),
    path(
        "can-bo/ho-so/<str:code>/tep/<int:document_id>/",
        staff_dossier.staff_dossier_document,
        name="staff_dossier_document",
    ),
    path("can-bo/tiep-nhan/", staff_receipt.dossier_receive_in_person_page, name="dossier_receive_in_person"),
    path("can-bo/xu-ly/", staff_queues.dossier_specialist_queue, name="dossier_specialist_queue"),
    path("can-bo/phe-duyet/", staff_queues.dossier_leader_queue, name="dossier_leader_queue"),
    path("can-bo/khong-cho/", staff_receipt.dossier_no_wait, name="dossier_no_wait"),
    path("can-bo/khong-cho/<str:code>/", staff_receipt.dossier_no_wait_detail, name="dossier_no_wait_detail"),
]

# Staff: dossiers the deadline sweep flagged (due soon, overdue), with their apology letters.
urlpatterns += [
    path("can-bo/han-xu-ly/", deadline_watch_views.deadline_watch, name="deadline_watch"),
    path("can-bo/ho-so/<str:code>/xin-loi/", apology_views.apology_letter, name="apology_letter"),
]

# Leaders' dashboards (issue 13): the ward, the district's wards side by side, the dossiers behind a number,
# the monthly report (PDF). Every table also as CSV / Excel with ?table=&format=.
urlpatterns += [
    path("can-bo/bang-dieu-khien/", dashboard_views.ward_dashboard, name="ward_dashboard"),
    path("can-bo/bang-dieu-khien/quan-huyen/", dashboard_views.district_dashboard, name="district_dashboard"),
    path("can-bo/bang-dieu-khien/ho-so/", dashboard_views.dashboard_dossiers, name="dashboard_dossiers"),
    path(
        "can-bo/bang-dieu-khien/bao-cao/<int:year>-<int:month>/",
        dashboard_views.monthly_report_pdf,
        name="dashboard_report",
    ),
]

# Satisfaction ratings: public (code + phone, or a signed link; the applicant signed in), and the desk's paper
# rating.
urlpatterns += [
    path("danh-gia/", rating_views.rating_start, name="rating_start"),
    path("danh-gia/<str:code>/", rating_views.rating_page, name="rating_page"),
    path("can-bo/ho-so/<str:code>/danh-gia/", rating_views.staff_paper_rating, name="staff_paper_rating"),
    path("api/dossiers/<str:code>/rating/", DossierRatingView.as_view(), name="api-dossier-rating"),
]

# Feedback and proposals (phản ánh, kiến nghị): the public form, status and answers; the staff list, log and page.
urlpatterns += [
    path("phan-anh/", feedback_views.feedback_new, name="feedback_new"),
    path("phan-anh/tra-cuu/", feedback_views.feedback_status, name="feedback_status"),
    path("phan-anh/tra-loi/", feedback_views.feedback_answers, name="feedback_answers"),
    path("can-bo/phan-anh/", feedback_views.staff_feedback_list_page, name="staff_feedback_list"),
    path("can-bo/phan-anh/moi/", feedback_views.staff_feedback_new, name="staff_feedback_new"),
    path("can-bo/phan-anh/<str:code>/", feedback_views.staff_feedback_detail, name="staff_feedback_detail"),
]
