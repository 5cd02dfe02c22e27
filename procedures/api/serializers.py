"""Serializers of the public catalogue API (read-only)."""

from django.urls import reverse
from rest_framework import serializers

from procedures.models import Procedure


class CatalogueFieldSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()


class CatalogueDeadlineSerializer(serializers.Serializer):
    amount = serializers.IntegerField()
    unit = serializers.ChoiceField(choices=["working_days", "working_hours", "same_day_cutoff"])
    cutoff = serializers.CharField(allow_null=True, help_text="HH:MM, for same-day deadlines.")
    working_minutes = serializers.IntegerField(
        help_text=(
            "The deadline in working minutes, a working day counting as a full day of the nationwide calendar "
            "(8 hours, as office hours Monday to Friday); a same-day deadline counts as one working day."
        )
    )
    text = serializers.CharField(help_text="The deadline in words, in the request's language.")


class FeeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["free", "fixed", "varies"])
    amount = serializers.IntegerField(allow_null=True, help_text="VND; the base amount when the fee varies.")
    currency = serializers.CharField()
    summary = serializers.CharField()
    description = serializers.CharField()
    description_en = serializers.CharField()


def _deadline(procedure: Procedure) -> dict:
    return {
        "amount": procedure.deadline_amount,
        "unit": procedure.deadline_unit,
        "cutoff": procedure.deadline_cutoff.strftime("%H:%M") if procedure.deadline_cutoff else None,
        "working_minutes": procedure.deadline_minutes,
        "text": str(procedure.deadline_text),
    }


def _fee(procedure: Procedure) -> dict:
    return {
        "kind": procedure.fee_kind,
        "amount": procedure.fee_amount,
        "currency": "VND",
        "summary": str(procedure.fee_summary),
        "description": procedure.fee_description,
        "description_en": procedure.fee_description_en,
    }


class ProcedureListSerializer(serializers.ModelSerializer):
    field = serializers.SerializerMethodField()
    deadline = serializers.SerializerMethodField()
    fee = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="The public page of the procedure.")

    class Meta:
        model = Procedure
        fields = [
            "code",
            "name",
            "name_en",
            "field",
            "no_wait",
            "no_wait_minutes",
            "deadline",
            "fee",
            "online_level",
            "url",
        ]

    def get_field(self, obj) -> CatalogueFieldSerializer:
        if obj.field is None:
            return None
        return {"code": obj.field.code, "name": obj.field.name, "name_en": obj.field.name_en}

    def get_deadline(self, obj) -> CatalogueDeadlineSerializer:
        return _deadline(obj)

    def get_fee(self, obj) -> FeeSerializer:
        return _fee(obj)

    def get_url(self, obj) -> str:
        path = reverse("procedure_detail", kwargs={"code": obj.code})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class RequiredDocumentSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    form = serializers.CharField(help_text="original, certified_copy, copy or present (shown, then returned).")
    count = serializers.IntegerField()
    note = serializers.CharField()
    note_en = serializers.CharField()
    template_url = serializers.CharField(allow_null=True)


class ProcessStepSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    description = serializers.CharField()
    description_en = serializers.CharField()
    responsible = serializers.CharField()
    responsible_en = serializers.CharField()
    allotment_minutes = serializers.IntegerField(help_text="Working minutes allotted to the step.")


class UnitRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ProcedureDetailSerializer(ProcedureListSerializer):
    documents = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    units = serializers.SerializerMethodField(help_text="Units offering it; empty means every ward and commune.")

    class Meta(ProcedureListSerializer.Meta):
        fields = [
            *ProcedureListSerializer.Meta.fields,
            "legal_basis",
            "applicant",
            "applicant_en",
            "implementing_level",
            "result",
            "result_en",
            "documents",
            "steps",
            "units",
            "source_note",
            "updated_at",
        ]

    def get_documents(self, obj) -> RequiredDocumentSerializer(many=True):
        request = self.context.get("request")
        rows = []
        for doc in obj.documents.all():
            url = None
            if doc.template:
                url = reverse("procedure_document_template", kwargs={"code": obj.code, "document_id": doc.pk})
                url = request.build_absolute_uri(url) if request else url
            rows.append(
                {
                    "position": doc.position,
                    "name": doc.name,
                    "name_en": doc.name_en,
                    "form": doc.form,
                    "count": doc.count,
                    "note": doc.note,
                    "note_en": doc.note_en,
                    "template_url": url,
                }
            )
        return rows

    def get_steps(self, obj) -> ProcessStepSerializer(many=True):
        return [
            {
                "position": s.position,
                "description": s.description,
                "description_en": s.description_en,
                "responsible": s.responsible,
                "responsible_en": s.responsible_en,
                "allotment_minutes": s.allotment_minutes,
            }
            for s in obj.steps.all()
        ]

    def get_units(self, obj) -> UnitRefSerializer(many=True):
        return [{"code": u.code, "name": u.name} for u in obj.units.all()]
