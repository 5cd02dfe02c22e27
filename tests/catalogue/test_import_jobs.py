"""Large imports run in the Celery worker (a real one, on Redis) with progress in the admin; uploads are capped."""

import pytest
from celery.contrib.testing.worker import start_worker
from celery.result import AsyncResult
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.celery import app
from procedures.models import ImportJob, ImportStatus, Procedure
from procedures.services.catalogue_import_jobs import import_job_run
from tests.catalogue.test_import import as_csv, as_json, row
from tests.factories import UserFactory

CHANGELIST = "/admin/procedures/procedure/"


@pytest.fixture
def celery_worker():
    with start_worker(app, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10) as worker:
        yield worker


def five_rows(**overrides) -> bytes:
    return as_json(*[row(code=f"9.90000{i}", **overrides) for i in range(1, 6)])


@pytest.mark.django_db
def test_an_upload_over_the_cap_is_a_form_error(admin_client, units, settings):
    settings.CATALOGUE_IMPORT_MAX_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("thu-tuc.csv", as_csv(row()) + b"x" * (1024 * 1024))
    response = admin_client.post(f"{CHANGELIST}import/", {"file": upload, "dry_run": "on"})
    assert response.status_code == 200
    assert "Tệp lớn hơn 1 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_a_small_file_is_still_imported_during_the_request(admin_client, units, settings):
    settings.CATALOGUE_IMPORT_BACKGROUND_ROWS = 10
    response = admin_client.post(f"{CHANGELIST}import/", {"file": SimpleUploadedFile("a.json", five_rows())})
    assert response.status_code == 200 and "5 thủ tục mới" in response.content.decode()
    assert Procedure.objects.count() == 5 and not ImportJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_large_file_is_imported_by_the_worker_with_progress_in_the_admin(
    celery_worker, admin_client, admin_user, units, settings
):
    settings.CATALOGUE_IMPORT_BACKGROUND_ROWS = 3
    upload = SimpleUploadedFile("thu-tuc.json", five_rows())
    response = admin_client.post(f"{CHANGELIST}import/", {"file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{CHANGELIST}import/{job.pk}/"
    assert job.rows_total == 5 and job.created_by == admin_user and not job.dry_run

    assert AsyncResult(job.task_id, app=app).get(timeout=60) == ImportStatus.DONE
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.errors) == (ImportStatus.DONE, 5, [])
    assert len(job.outcome["created"]) == 5 and not job.upload
    assert Procedure.objects.count() == 5
    assert Procedure.history.filter(history_user=admin_user).count() == 5

    page = admin_client.get(response["Location"]).content.decode()
    assert "5 thủ tục mới, 0 cập nhật, 0 không đổi" in page and 'http-equiv="refresh"' not in page
    listing = admin_client.get(f"{CHANGELIST}import/").content.decode()
    assert f'href="{CHANGELIST}import/{job.pk}/"' in listing and "đã xong" in listing


@pytest.mark.django_db(transaction=True)
def test_a_large_bad_file_reports_its_errors_from_the_worker(celery_worker, admin_client, units, settings):
    settings.CATALOGUE_IMPORT_BACKGROUND_ROWS = 3
    upload = SimpleUploadedFile("thu-tuc.json", five_rows(deadline_amount=-1))
    response = admin_client.post(f"{CHANGELIST}import/", {"file": upload, "dry_run": "on"})
    job = ImportJob.objects.get()
    assert AsyncResult(job.task_id, app=app).get(timeout=60) == ImportStatus.FAILED
    job.refresh_from_db()
    assert job.dry_run and [(e["row"], e["field"]) for e in job.errors] == [(i, "deadline_amount") for i in range(1, 6)]
    page = admin_client.get(response["Location"]).content.decode()
    assert "Không có dữ liệu nào được nhập" in page and "deadline_amount" in page
    assert not Procedure.objects.exists()


@pytest.mark.django_db
def test_the_progress_page_refreshes_until_done_and_is_private(admin_client, admin_user, units):
    job = ImportJob.objects.create(
        created_by=admin_user, file_name="lon.csv", file_format="csv", rows_total=5000, rows_done=1500
    )
    page = admin_client.get(f"{CHANGELIST}import/{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' in page and "1500 / 5000" in page.replace(" trên ", " / ")

    other = UserFactory(catalogue_editor=True)  # may import, but this job is not theirs
    admin_client.force_login(other)
    assert admin_client.get(CHANGELIST + "import/").status_code == 200
    assert admin_client.get(f"{CHANGELIST}import/{job.pk}/").status_code == 404


@pytest.mark.django_db
def test_running_a_finished_job_again_changes_nothing(admin_user, units):
    from django.core.files.base import ContentFile

    job = ImportJob(created_by=admin_user, file_name="a.json", file_format="json", rows_total=5, dry_run=False)
    job.upload.save("a.json", ContentFile(five_rows()), save=False)
    job.save()
    assert import_job_run(job.pk) == ImportStatus.DONE
    history = Procedure.history.count()
    assert import_job_run(job.pk) == ImportStatus.DONE
    assert Procedure.history.count() == history == 5
