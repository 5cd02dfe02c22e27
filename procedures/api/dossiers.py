"""The dossier API: list, detail, online submission (multipart, Idempotency-Key), one POST per transition,
and the download of a submitted file. Thin: parse, call one selector or service, render.

Outside the caller's reach is a 404 (never a 403); a transition not possible from the current status, or
lost to another officer acting at the same moment, is a 409 carrying the current status.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts.models import Role, User
from portal.units.calendar.selectors import default_unit
from portal.units.models import Unit
from procedures.api.pagination import KeyWindowPagination
from procedures.documents.download import dossier_document_response
from procedures.domain.workflow import Action, DossierStatus, NationalStatus
from procedures.models import AccessKind, Dossier, DossierDocument, Procedure
from procedures.selectors.dossiers import (
    CITIZEN_COMMENTS,
    dossier_document_for_download,
    dossier_for_action,
    dossier_for_detail,
    dossiers_for_list,
)
from procedures.services.access_log import dossier_access_record
from procedures.services.dossiers import Conflict, dossier_submit_online, dossier_transition

# URL slug → action. "/supplement/" is the citizen's answer: to a supplement request during processing, or
# (before any receipt) to the desk's guidance, which resubmits the dossier.
ACTION_SLUGS = {
    "receive": Action.RECEIVE,
    "assign": Action.ASSIGN,
    "request-supplement": Action.REQUEST_SUPPLEMENT,
    "supplement": Action.SUPPLEMENT,
    "submit-for-approval": Action.SUBMIT_FOR_APPROVAL,
    "approve": Action.APPROVE,
    "send-back": Action.SEND_BACK,
    "finish": Action.FINISH,
    "return-result": Action.RETURN_RESULT,
    "refuse": Action.REFUSE,
    "withdraw": Action.WITHDRAW,
    "return-for-guidance": Action.RETURN_FOR_GUIDANCE,
    "redate": Action.REDATE,
}


def _error(status: int, message, **extra) -> Response:
    return Response({"detail": str(message), **extra}, status=status)


def _messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


class DossierErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.ListField(child=serializers.CharField(), required=False)
    current_status = serializers.ChoiceField(choices=DossierStatus.values, required=False)


class DossierDocumentSerializer(serializers.Serializer):
    position = serializers.IntegerField(source="required_document.position")
    name = serializers.CharField(source="required_document.name")
    file_name = serializers.CharField(source="original_name")
    url = serializers.SerializerMethodField(help_text="Download (the same caller, token or session); null on paper.")

    def get_url(self, document: DossierDocument) -> str | None:
        if not document.file:
            return None
        path = reverse("api-dossier-document", args=[document.dossier.code, document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class DossierSerializer(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.ChoiceField(choices=DossierStatus.values)
    national_status = serializers.ChoiceField(choices=NationalStatus.values)
    procedure = serializers.CharField(source="procedure.code")
    unit = serializers.CharField(source="unit.code")
    channel = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True, help_text="Statutory due time (Vietnam time, ISO 8601).")
    redated_due_at = serializers.DateTimeField(allow_null=True, help_text="The apology letter's new date, if any.")
    target_at = serializers.DateTimeField(allow_null=True, help_text="No-wait procedures: the fast-track target.")
    finished_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    timeliness = serializers.CharField(help_text="early, on_time or late once finished; empty before.")
    documents = DossierDocumentSerializer(many=True)


class HistorySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    comment = serializers.SerializerMethodField()

    def get_comment(self, row) -> str:
        if self.context.get("citizen") and row.action not in CITIZEN_COMMENTS:
            return ""
        return row.comment


class DossierDetailSerializer(DossierSerializer):
    history = serializers.SerializerMethodField()

    @extend_schema_field(HistorySerializer(many=True))
    def get_history(self, dossier) -> list:
        return HistorySerializer(dossier.history.all(), many=True, context=self.context).data


def _files(request, procedure: Procedure):
    """`document_<position>` fields → (RequiredDocument, file) pairs; a position the procedure lacks is a 400."""
    documents = {d.position: d for d in procedure.documents.all()}
    pairs = []
    for key in request.FILES:
        position = key.removeprefix("document_")
        if not key.startswith("document_") or not position.isdigit() or int(position) not in documents:
            raise ValidationError(gettext("%(field)s: this procedure has no such document.") % {"field": key[:40]})
        pairs += [(documents[int(position)], f) for f in request.FILES.getlist(key)]
    return pairs


class DossierListView(ListAPIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]
    serializer_class = DossierSerializer
    pagination_class = KeyWindowPagination

    @extend_schema(
        summary="Dossiers within the caller's reach",
        description="A citizen's own; a desk officer's or specialist's unit's; a leader's subtree's. Newest first.",
        parameters=[OpenApiParameter("status", str, enum=DossierStatus.values)],
        responses={200: DossierSerializer(many=True), 400: DossierErrorSerializer, 403: DossierErrorSerializer},
    )
    def get(self, request, *args, **kwargs):
        status = request.query_params.get("status", "")
        if status and status not in DossierStatus.values:
            return _error(400, gettext("status: unknown status “%(status)s”.") % {"status": status[:40]})
        self.status_filter = status or None
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return dossiers_for_list(self.request.user, status=self.status_filter)

    @extend_schema(
        summary="Submit a dossier online (citizen)",
        description=(
            "multipart/form-data: `procedure` (code), optional `unit` (code; the portal's ward otherwise) and "
            "files as `document_<position>` (positions from /api/procedures/{code}/). An `Idempotency-Key` "
            "header makes a retried POST return the same dossier."
        ),
        parameters=[OpenApiParameter("Idempotency-Key", str, location=OpenApiParameter.HEADER)],
        request={
            "multipart/form-data": inline_serializer(
                "DossierSubmission",
                {"procedure": serializers.CharField(), "unit": serializers.CharField(required=False)},
            )
        },
        responses={201: DossierSerializer, 400: DossierErrorSerializer, 403: DossierErrorSerializer},
    )
    def post(self, request, *args, **kwargs):
        if request.user.role != Role.CITIZEN:
            raise ApiPermissionDenied(gettext("Only a citizen's account submits dossiers online."))
        code = str(request.data.get("procedure", "")).strip()
        procedure = Procedure.objects.filter(code=code, is_active=True).first() if code else None
        if procedure is None:
            return _error(400, gettext("procedure: no procedure with code “%(code)s”.") % {"code": code[:40]})
        unit_code = str(request.data.get("unit", "")).strip()
        unit = Unit.objects.filter(code=unit_code).first() if unit_code else default_unit()
        if unit is None:
            return _error(400, gettext("unit: no unit with code “%(code)s”.") % {"code": unit_code[:40]})
        try:
            dossier = dossier_submit_online(
                applicant=request.user,
                procedure=procedure,
                unit=unit,
                files=_files(request, procedure),
                idempotency_key=request.headers.get("Idempotency-Key"),
            )
        except ValidationError as exc:
            messages = _messages(exc)
            return _error(400, " ".join(messages), errors=messages)
        dossier = dossier_for_detail(request.user, dossier.code)
        return Response(DossierSerializer(dossier, context={"request": request}).data, status=201)


class DossierDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="One dossier, with its documents and history",
        responses={200: DossierDetailSerializer, 403: DossierErrorSerializer, 404: DossierErrorSerializer},
    )
    def get(self, request, code: str):
        try:
            dossier = dossier_for_detail(request.user, code)
        except Dossier.DoesNotExist:
            return _error(404, gettext("No dossier with code %(code)s.") % {"code": code[:40]})
        dossier_access_record(user=request.user, dossier=dossier, kind=AccessKind.API)
        context = {"request": request, "citizen": request.user.role == Role.CITIZEN}
        return Response(DossierDetailSerializer(dossier, context=context).data)


class DossierDocumentView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Download a submitted file",
        description="As an attachment with its original name and `X-Content-Type-Options: nosniff`.",
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            403: DossierErrorSerializer,
            404: DossierErrorSerializer,
        },
    )
    def get(self, request, code: str, document_id: int):
        try:
            document = dossier_document_for_download(request.user, code, document_id)
        except DossierDocument.DoesNotExist:
            return _error(404, gettext("No such file."))
        dossier_access_record(user=request.user, dossier=document.dossier, kind=AccessKind.FILE, document=document)
        return dossier_document_response(document)


class DossierActionView(APIView):
    """POST /api/dossiers/{code}/<action>/: one transition of the table."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    slug = ""  # set per URL by as_view(slug=…)

    @extend_schema(
        request=inline_serializer(
            "DossierAction",
            {
                "expected_status": serializers.ChoiceField(
                    choices=DossierStatus.values,
                    required=False,
                    help_text="The status the caller saw; omitted: the current one.",
                ),
                "comment": serializers.CharField(required=False, help_text="The reason (refuse, supplement …)."),
                "assignee": serializers.CharField(required=False, help_text="assign: the specialist's username."),
                "leader": serializers.CharField(required=False, help_text="submit-for-approval: the leader."),
                "new_due_at": serializers.DateTimeField(required=False, help_text="redate: the new due time."),
            },
        ),
        responses={
            200: DossierSerializer,
            400: DossierErrorSerializer,
            403: DossierErrorSerializer,
            404: DossierErrorSerializer,
            409: DossierErrorSerializer,
        },
    )
    def post(self, request, code: str):
        try:
            current = dossier_for_action(request.user, code)
        except Dossier.DoesNotExist:
            return _error(404, gettext("No dossier with code %(code)s.") % {"code": code[:40]})
        action = ACTION_SLUGS[self.slug]
        if action == Action.SUPPLEMENT and current.received_at is None:
            action = Action.RESUBMIT
        data = request.data
        expected = str(data.get("expected_status", "") or current.status)
        extra: dict = {}
        try:
            if action in (Action.SUPPLEMENT, Action.RESUBMIT):
                extra["files"] = _files(request, current.procedure)
            for name in ("assignee", "leader"):
                username = str(data.get(name, "") or "").strip()
                if username:
                    extra[name] = User.objects.filter(username=username).first()
                    if extra[name] is None:
                        raise ValidationError(gettext("%(field)s: no such user.") % {"field": name})
            if "new_due_at" in data:
                field = serializers.DateTimeField()
                try:
                    extra["new_due_at"] = field.to_internal_value(data["new_due_at"])
                except serializers.ValidationError:
                    raise ValidationError(gettext("new_due_at: give a date and time in ISO 8601.")) from None
            dossier = dossier_transition(
                actor=request.user,
                dossier=current.code,
                action=action,
                expected_status=expected,
                comment=str(data.get("comment", "") or ""),
                **extra,
            )
        except Dossier.DoesNotExist:
            return _error(404, gettext("No dossier with code %(code)s.") % {"code": code[:40]})
        except PermissionDenied as exc:
            return _error(403, exc)
        except Conflict as exc:
            return _error(409, exc, current_status=exc.current_status)
        except ValidationError as exc:
            messages = _messages(exc)
            return _error(400, " ".join(messages), errors=messages)
        # The answer has no history (DossierSerializer): the list's query, without the history's.
        dossier = dossiers_for_list(request.user).get(code=dossier.code)
        return Response(DossierSerializer(dossier, context={"request": request}).data)
