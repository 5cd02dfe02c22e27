"""axe-core scans every page a user reaches, on a desktop and a phone, in headless Chromium.

The public and staff pages, and the admin pages a unit admin or catalogue editor works in, must have no serious
or critical violation (WCAG 2.1 AA rules, colour contrast included).
axe-core ships inside the pinned `axe-playwright-python` package: nothing is downloaded at test time.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from portal.accounts.models import User
from procedures.domain.workflow import DossierStatus
from procedures.models import Dossier, IssuedDocument, Procedure
from procedures.services.deadline_sweep import deadline_sweep
from procedures.services.demo import DEMO_WARD_CODE, seed_demo
from procedures.services.demo_dossiers import demo_pdf
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
}
SEVERE = {"serious", "critical"}
# Pages drawn by JavaScript are scanned once drawn.
DRAWN_WHEN = {"/api/docs/": ".opblock-summary-control"}
AXE = Axe()


def _violations(page, severities) -> list[str]:
    """axe-core's violations of the given impacts on the current page, one readable line per element."""
    results = AXE.run(page, options=AXE_OPTIONS).response
    return [
        f"{page.url} [{v['impact']}] {v['id']}: {v['help']} at {node['target']} — {node.get('failureSummary', '')}"
        for v in results["violations"]
        if v["impact"] in severities
        for node in v["nodes"]
    ]


@pytest.fixture
def scan(browser, live_server, request):
    """A function (path or None, as_user, severities) -> violations, on a fresh context per user and viewport."""
    viewport = VIEWPORTS[request.param]
    contexts = []

    def new_page(user=None):
        context = browser.new_context(
            base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=viewport
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user, backend="portal.accounts.backends.PhoneOrEmailBackend")
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


def _scan_paths(page, paths, severities=SEVERE) -> list[str]:
    """Scan each page; on a phone, the home page is scanned again with the collapsed menu opened."""
    found = []
    for path in paths:
        response = page.goto(path)
        assert response is not None
        page.wait_for_load_state("load")
        if path in DRAWN_WHEN:
            page.wait_for_selector(DRAWN_WHEN[path])
        found += _violations(page, severities)
        toggler = page.locator(".navbar-toggler")
        if path == "/" and toggler.is_visible():
            toggler.click()
            page.wait_for_selector("#nav-main.show")
            found += _violations(page, severities)
    return found


@pytest.mark.parametrize("scan", list(VIEWPORTS), indirect=True)
def test_public_pages_have_no_serious_violation(scan):
    seed_demo()
    page = scan()
    found = _scan_paths(
        page,
        [
            "/",
            "/thu-tuc/",
            "/thu-tuc/?search=chung+thuc",
            "/thu-tuc/?field=chung-thuc&no_wait=true",
            "/thu-tuc/?search=zzzz-khong-co",  # empty result
            "/thu-tuc/?online_level=bogus",  # invalid filter: the error summary
            "/thu-tuc/1.000656/",
            "/thu-tuc/1.000656/in/",
            "/thu-tuc/9.999999/",  # unknown procedure
            "/tra-cuu/",
            "/tra-cuu/?code=H26.08.04-260101-9999&phone=0912345678",  # not found: the same answer as a wrong phone
            "/tra-cuu/?code=bad&phone=12",  # invalid input: the error summary
            "/khong-co-trang-nay/",  # 404
            "/api/docs/",
        ],
    )

    page.goto("/accounts/login/")
    page.fill("#id_username", "citizen")
    page.fill("#id_password", "wrong-password")
    page.click("#login-submit")
    page.wait_for_selector(".alert-danger, [role=alert]")
    found += _violations(page, SEVERE)

    page.goto("/accounts/register/")
    page.fill("#id_phone", "12")
    page.fill("#id_password1", "a")
    page.fill("#id_password2", "b")
    page.click("#register-submit")
    page.wait_for_selector("[aria-invalid=true]")
    found += _violations(page, SEVERE)

    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        page.goto("/accounts/login/")
        page.fill("#id_username", "desk")
        page.fill("#id_password", "wrong-password")
        page.click("#login-submit")
        if page.locator("#locked-out").count():
            break
    assert page.locator("#locked-out").is_visible()
    found += _violations(page, SEVERE)
    assert not found, "\n".join(found)


@pytest.mark.urls("tests.portal.urls_forbidden")
@pytest.mark.parametrize("scan", list(VIEWPORTS), indirect=True)
def test_each_role_home_and_staff_pages_have_no_serious_violation(scan):
    seed_demo()
    deadline_sweep()  # the staff's due-soon / overdue page lists what it flags
    found = []
    # Staff see the staff-only source notes on the procedure page; "admin" is the demo's superuser.
    for username in ("citizen", "desk", "specialist", "leader", "district", "admin"):
        page = scan(User.objects.get(username=username))
        staff_pages = ["/can-bo/han-xu-ly/", "/can-bo/han-xu-ly/?sort=due"] if username != "citizen" else []
        found += _scan_paths(page, ["/", "/thu-tuc/1.000656/", *staff_pages])
    unit_admin = UserFactory(unit_admin=True, unit=User.objects.get(username="admin").unit)
    page = scan(unit_admin)
    found += _scan_paths(page, ["/"])
    response = page.goto("/cam/")
    assert response is not None and response.status == 403
    assert page.locator("h1").inner_text() == "Bạn không có quyền thực hiện thao tác này"
    found += _violations(page, SEVERE)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("scan", list(VIEWPORTS), indirect=True)
def test_admin_pages_have_no_serious_violation(scan):
    seed_demo()
    found = _scan_paths(scan(), ["/admin/login/"], SEVERE)
    ward_admin = UserFactory(unit_admin=True, unit=User.objects.get(username="admin").unit)
    assert ward_admin.unit.code == DEMO_WARD_CODE
    procedure = Procedure.objects.get(code="1.000656")
    found += _scan_paths(
        scan(ward_admin),
        [
            "/admin/",
            "/admin/procedures/procedure/",
            f"/admin/procedures/procedure/{procedure.pk}/change/",
            "/admin/accounts/user/",
            "/admin/units/unit/",
            f"/admin/units/unit/{ward_admin.unit.pk}/change/",  # office hours and exceptions inlines
            f"/admin/accounts/user/{User.objects.get(username='desk').pk}/change/",
        ],
        SEVERE,
    )
    editor = UserFactory(catalogue_editor=True)
    found += _scan_paths(
        scan(editor),
        [f"/admin/procedures/procedure/{procedure.pk}/change/", "/admin/procedures/procedure/import/"],  # editable
        SEVERE,
    )
    assert not found, "\n".join(found)


@pytest.mark.parametrize("scan", list(VIEWPORTS), indirect=True)
def test_citizen_dossier_pages_have_no_serious_violation(scan, tmp_path):
    """Submit online (form, its errors, review, confirmation, "not online"), my dossiers, a dossier, the
    supplement and withdrawal pages, and notifications, as the demo's second citizen (who holds the
    demo dossiers waiting for a supplement, received and done)."""
    seed_demo()
    citizen = User.objects.get(username="citizen2")
    mine = Dossier.objects.filter(applicant=citizen)
    waiting = mine.filter(status=DossierStatus.SUPPLEMENT_REQUESTED).first()
    received = mine.filter(status=DossierStatus.RECEIVED).first()
    returned = mine.filter(status=DossierStatus.DONE).first()
    online = waiting.procedure
    paper = Procedure.objects.filter(is_active=True, online_level="none").first()
    page = scan(citizen)
    found = _scan_paths(
        page,
        [
            "/ho-so/",
            "/ho-so/?status=bogus",
            f"/ho-so/{waiting.code}/",
            f"/ho-so/{returned.code}/",
            f"/ho-so/{waiting.code}/bo-sung/",
            f"/ho-so/{received.code}/rut/",
            f"/ho-so/{returned.code}/rut/",  # no longer possible
            f"/ho-so/{received.code}/da-nop/",
            "/thong-bao/",
            f"/thu-tuc/{paper.code}/nop/",
            f"/thu-tuc/{online.code}/nop/",
        ],
    )
    page.click("#submit-continue")  # nothing chosen: the error summary
    page.wait_for_selector("#form-errors")
    found += _violations(page, SEVERE)
    page.goto(f"/thu-tuc/{online.code}/nop/")
    for index, field in enumerate(page.locator("#submit-form input[type=file]").all()):
        upload = tmp_path / f"giay-to-{index}.pdf"
        upload.write_bytes(demo_pdf())
        field.set_input_files(str(upload))
    page.click("#submit-continue")
    page.wait_for_selector("#review-files")
    found += _violations(page, SEVERE)
    page.click("#review-submit")
    page.wait_for_selector("#submitted-code")
    found += _violations(page, SEVERE)


@pytest.mark.parametrize("scan", list(VIEWPORTS), indirect=True)
def test_dossier_documents_page_has_no_serious_violation(scan):
    """The list of a dossier's printed papers, as its applicant and as the unit's desk officer see it."""
    seed_demo()
    issued = IssuedDocument.objects.filter(dossier__applicant__username="citizen").select_related("dossier").first()
    assert issued is not None, "the demo dossiers issue papers"
    path = f"/ho-so/{issued.dossier.code}/giay-to/"
    found = []
    for username in ("citizen", "desk"):
        found += _scan_paths(scan(User.objects.get(username=username)), [path])
    assert not found, "\n".join(found)


# --- keyboard use -----------------------------------------------------------------------------------------


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement, style = getComputedStyle(el);
            return {id: el.id, tag: el.tagName.toLowerCase(), outline: style.outlineStyle,
                    width: parseFloat(style.outlineWidth)};
        }"""
    )


def test_the_first_tab_reaches_the_skip_link_which_moves_focus_to_main(page):
    page.goto("/thu-tuc/")
    page.keyboard.press("Tab")
    focused = _focused(page)
    assert focused["id"] == "skip-link"
    assert page.locator("#skip-link").is_visible()  # hidden until focused, shown once focused
    assert focused["outline"] == "solid" and focused["width"] >= 2
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "main"
    # The next Tab continues inside main, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_every_control_shows_where_the_keyboard_focus_is(page):
    page.goto("/")
    for _ in range(8):
        page.keyboard.press("Tab")
        focused = _focused(page)
        assert focused["outline"] == "solid" and focused["width"] >= 2, focused


def _assert_error_linked(page, field_selector, text):
    """The field is marked invalid and names, through aria-describedby, an element holding the error."""
    field = page.locator(field_selector)
    assert field.get_attribute("aria-invalid") == "true"
    described = " ".join(
        page.locator(f"#{ref}").inner_text() for ref in (field.get_attribute("aria-describedby") or "").split()
    )
    assert text in described
    # The error summary is announced as soon as the page shows it.
    assert page.locator("[role=alert]").filter(has_text=text).count() >= 1


def test_a_wrong_login_marks_both_fields_and_announces_why(page):
    UserFactory(username="an")
    page.goto("/accounts/login/")
    page.fill("#id_username", "an")
    page.fill("#id_password", "wrong-password")
    page.click("#login-submit")
    page.wait_for_selector("#form-errors")
    for selector in ("#id_username", "#id_password"):
        _assert_error_linked(page, selector, "Tên đăng nhập hoặc mật khẩu không đúng")


def test_registration_errors_are_linked_to_their_fields(page):
    page.goto("/accounts/register/")
    page.fill("#id_full_name", "Trần Văn Bảo")
    page.fill("#id_phone", "12")
    page.fill("#id_password1", "Bao-Hoang-Liet-26")
    page.fill("#id_password2", "Bao-Hoang-Liet-27")
    page.click("#register-submit")
    page.wait_for_selector("#form-errors")
    _assert_error_linked(page, "#id_phone", "Nhập số điện thoại Việt Nam")
    _assert_error_linked(page, "#id_password2", "Hai mật khẩu không khớp nhau")
    assert page.locator("#id_full_name").get_attribute("aria-invalid") is None
    # The summary links to the field, and following the link puts the focus in it.
    page.locator("#form-errors a[href='#id_phone']").click()
    assert _focused(page)["id"] == "id_phone"


def test_a_bad_catalogue_filter_is_linked_to_its_control(page):
    page.goto("/thu-tuc/?online_level=sometimes")
    page.wait_for_selector("#filter-errors")
    _assert_error_linked(page, "#id_online_level", "Không có mức trực tuyến “sometimes”")
    assert page.locator("#id_search").get_attribute("aria-invalid") is None


@pytest.mark.parametrize("scan", list(VIEWPORTS), indirect=True)
def test_booking_and_desk_pages_have_no_serious_violation(scan):
    from procedures.models import Booking

    seed_demo()
    citizen = User.objects.get(username="citizen")
    booking = Booking.objects.get(citizen=citizen)
    found = _scan_paths(
        scan(citizen),
        [
            f"/thu-tuc/{booking.procedure.code}/dat-lich/",
            f"/thu-tuc/{booking.procedure.code}/dat-lich/?ngay=1999-01-01",  # a day that cannot be booked
            "/lich-hen/",
            f"/lich-hen/{booking.code}/",
            f"/lich-hen/{booking.code}/doi-lich/",
        ],
    )
    found += _scan_paths(scan(User.objects.get(username="desk")), ["/quay/", "/quay/kiosk/", "/quay/thong-ke/"])
    found += _scan_paths(scan(User.objects.get(username="leader")), ["/quay/thong-ke/"])
    found += _scan_paths(scan(User.objects.get(username="admin")), ["/quay/cau-hinh/", "/quay/cau-hinh/quy-tac/"])
    found += _scan_paths(scan(), [f"/man-hinh/{DEMO_WARD_CODE}/"])


# --- staff pages (issue 9): queues, the staff dossier page in every status, receipt, no-wait -------------


@pytest.mark.parametrize("scan", list(VIEWPORTS), indirect=True)
def test_staff_dossier_pages_have_no_serious_violation(scan):
    from procedures.models import Dossier
    from procedures.services.no_wait import dossier_no_wait_receive

    seed_demo()
    desk = User.objects.get(username="desk")
    ward_dossiers = Dossier.objects.filter(unit=desk.unit)
    quick = Procedure.objects.filter(no_wait=True, is_active=True, documents__isnull=False).distinct().first()
    fast = dossier_no_wait_receive(
        actor=desk,
        applicant=User.objects.get(username="citizen"),
        procedure=quick,
        documents_checked=list(quick.documents.all()),
    )
    detail_pages = [f"/can-bo/ho-so/{d.code}/" for d in ward_dossiers]
    found = _scan_paths(
        scan(desk),
        [
            "/",
            "/can-bo/ho-so/",
            "/can-bo/ho-so/?section=new",
            "/can-bo/ho-so/?status=bogus",  # invalid filter: the error summary
            "/can-bo/tiep-nhan/",
            "/can-bo/tiep-nhan/?q=zzzz-khong-co",
            f"/can-bo/tiep-nhan/?procedure={quick.code}",
            "/can-bo/khong-cho/",
            f"/can-bo/khong-cho/{fast.code}/",
            *detail_pages,
        ],
    )
    found += _scan_paths(scan(User.objects.get(username="specialist")), ["/", "/can-bo/xu-ly/", *detail_pages])
    found += _scan_paths(scan(User.objects.get(username="leader")), ["/", "/can-bo/phe-duyet/", *detail_pages])
    # A form sent back with an error: the summary and the marked field.
    page = scan(desk)
    submitted = ward_dossiers.get(status="submitted")
    page.goto(f"/can-bo/ho-so/{submitted.code}/")
    page.click("#submit-refuse")
    page.wait_for_selector("#form-errors")
    found += _violations(page, SEVERE)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("scan", list(VIEWPORTS), indirect=True)
def test_apology_letter_page_has_no_serious_violation(scan):
    from procedures.models import ApologyDraft

    seed_demo()
    specialist = User.objects.get(username="specialist")
    dossier = Dossier.objects.filter(unit=specialist.unit, status=DossierStatus.IN_PROGRESS).first()
    ApologyDraft.objects.create(dossier=dossier, officer=specialist)
    page = scan(specialist)
    path = f"/can-bo/ho-so/{dossier.code}/xin-loi/"
    found = _scan_paths(page, ["/can-bo/han-xu-ly/", f"/can-bo/ho-so/{dossier.code}/", path])
    page.goto(path)
    page.click("#apology-submit")  # nothing filled in: the error summary and the marked fields
    page.wait_for_selector("#form-errors")
    found += _violations(page, SEVERE)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("scan", list(VIEWPORTS), indirect=True)
def test_dashboard_pages_have_no_serious_violation(scan):
    """The ward dashboard (charts drawn, and a chart switched to its table), a refused period, the drill-down
    list, the district ranking; as the ward's leader, its desk officer (own numbers) and the district leader."""
    seed_demo()
    deadline_sweep()
    found = []
    leader = scan(User.objects.get(username="leader"))
    found += _scan_paths(
        leader,
        [
            "/can-bo/bang-dieu-khien/?preset=year",
            "/can-bo/bang-dieu-khien/?preset=custom&from=2026-02-10&to=2026-02-01",  # the error marks "to"
            "/can-bo/bang-dieu-khien/ho-so/?measure=received&preset=year",
        ],
    )
    leader.goto("/can-bo/bang-dieu-khien/?preset=year")
    leader.wait_for_selector(".chart-drawn")
    leader.locator(".chart-toggle").first.click()
    # Scan the settled page: the pointer off the button and its colour transition finished.
    leader.mouse.move(0, 0)
    leader.evaluate("document.activeElement.blur()")
    leader.evaluate("Promise.all(document.getAnimations().map((a) => a.finished))")
    assert leader.locator(".chart-table").first.is_visible()
    found += _violations(leader, SEVERE)
    found += _scan_paths(scan(User.objects.get(username="desk")), ["/can-bo/bang-dieu-khien/"])
    found += _scan_paths(scan(User.objects.get(username="district")), ["/can-bo/bang-dieu-khien/quan-huyen/"])
    assert not found, "\n".join(found)


@pytest.mark.parametrize("scan", list(VIEWPORTS), indirect=True)
def test_rating_pages_have_no_serious_violation(scan):
    """The public rating pages (code + phone, the signed link's form, its errors, the thank-you page, a bad link,
    a dossier not open yet), the citizen's "Rate this service", and the desk's paper rating."""
    from procedures.rating_links import rating_token
    from procedures.services.ratings import rating_submit

    seed_demo()
    desk = User.objects.get(username="desk")
    ward = Dossier.objects.filter(unit=desk.unit)
    returned = ward.filter(status=DossierStatus.RETURNED).first()
    refused = ward.filter(status=DossierStatus.REFUSED).first()
    waiting = ward.filter(status=DossierStatus.RECEIVED).first()
    rating_submit(dossier=refused, level="dissatisfied", reason="Chờ lâu", criteria={"contacts": 0}, channel="online")
    page = scan()
    found = _scan_paths(
        page,
        [
            "/danh-gia/",
            f"/danh-gia/?code={returned.code}",
            f"/danh-gia/{returned.code}/?k=forged",
            f"/danh-gia/{waiting.code}/?k={rating_token(waiting.code)}",
            f"/danh-gia/{refused.code}/?k={rating_token(refused.code)}",  # rated: the rating given
            f"/danh-gia/{returned.code}/?k={rating_token(returned.code)}",
        ],
    )
    page.click("#rating-submit")  # nothing chosen: the error summary
    page.wait_for_selector("#form-errors")
    found += _violations(page, SEVERE)
    page.check("#id_level_0")
    page.click("#rating-submit")
    page.wait_for_selector("#rating-thanks")
    found += _violations(page, SEVERE)
    page.goto("/danh-gia/")
    page.fill("#id_code", "bad")
    page.click("#rating-start-submit")
    page.wait_for_selector("#form-errors")
    found += _violations(page, SEVERE)
    applicant_page = scan(refused.applicant)
    found += _scan_paths(applicant_page, [f"/ho-so/{refused.code}/"])
    desk_page = scan(desk)
    other = ward.filter(status=DossierStatus.SUPPLEMENT_REQUESTED).first()
    found += _scan_paths(
        desk_page,
        [f"/can-bo/ho-so/{refused.code}/", f"/can-bo/ho-so/{other.code}/", f"/can-bo/ho-so/{other.code}/danh-gia/"],
    )
    desk_page.click("#rating-submit")
    desk_page.wait_for_selector("#form-errors")
    found += _violations(desk_page, SEVERE)
    assert not found, "\n".join(found)


# --- feedback and proposals (issue 13) ----------------------------------------------------------------------


@pytest.mark.parametrize("scan", list(VIEWPORTS), indirect=True)
def test_feedback_pages_have_no_serious_violation(scan):
    from procedures.models import Feedback

    seed_demo()
    deadline_sweep()  # the overdue demo feedback gets its badge and its notice
    ward_feedback = Feedback.objects.filter(unit__code=DEMO_WARD_CODE)
    answered = ward_feedback.filter(status="answered").first()
    page = scan()
    found = _scan_paths(
        page,
        [
            "/phan-anh/",
            "/phan-anh/tra-cuu/",
            f"/phan-anh/tra-cuu/?code={answered.code}&contact={answered.sender_phone}",
            "/phan-anh/tra-cuu/?code=PA-H26.08.04-260101-9999&contact=0912345678",  # not found
            "/phan-anh/tra-cuu/?code=&contact=",  # invalid input: the error summary
            "/phan-anh/tra-loi/",
        ],
    )
    page.goto("/phan-anh/")
    page.click("#feedback-submit")  # nothing filled in: the error summary and the marked fields
    page.wait_for_selector("#form-errors")
    found += _violations(page, SEVERE)
    page.check("#id_kind_0")
    page.fill("#id_subject", "Kiểm tra")
    page.fill("#id_content", "Nội dung kiểm tra")
    page.fill("#id_sender_name", "Người kiểm tra")
    page.fill("#id_sender_phone", "0912000999")
    page.click("#feedback-submit")
    page.wait_for_selector("#feedback-sent")  # the confirmation with the code
    found += _violations(page, SEVERE)

    detail_pages = [f"/can-bo/phan-anh/{f.code}/" for f in ward_feedback]
    desk = scan(User.objects.get(username="desk"))
    found += _scan_paths(
        desk,
        ["/can-bo/phan-anh/", "/can-bo/phan-anh/?status=&overdue=1&sort=-due", "/can-bo/phan-anh/moi/", *detail_pages],
    )
    desk.goto("/can-bo/phan-anh/moi/")
    desk.click("#feedback-log-submit")
    desk.wait_for_selector("#form-errors")
    found += _violations(desk, SEVERE)
    found += _scan_paths(scan(User.objects.get(username="specialist")), ["/can-bo/phan-anh/", *detail_pages])
    leader = scan(User.objects.get(username="leader"))
    found += _scan_paths(leader, ["/can-bo/phan-anh/", *detail_pages])
    open_one = ward_feedback.filter(status__in=["received", "in_progress"]).first()
    leader.goto(f"/can-bo/phan-anh/{open_one.code}/")
    leader.click("#feedback-reject")  # no reason: the field's message
    leader.wait_for_selector("#form-errors")
    found += _violations(leader, SEVERE)
    assert not found, "\n".join(found)
