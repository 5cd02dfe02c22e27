"""The booking API: free slots, a citizen's bookings (book, read, cancel, reschedule), the display's data.

Thin: parse, call one selector or service, render. Someone else's booking is a 404; a full slot a 409 with
the nearest free starts; any other bad input a 400 with a clear message and, where it helps, alternatives.
Times are ISO 8601 in Vietnam time (+07:00).
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.units.calendar.domain.working_time import VIETNAM_TZ, CalendarError
from portal.units.calendar.selectors import default_unit
from portal.units.models import Unit
from procedures.models import Booking, Procedure
from procedures.permissions import bookings_visible_to, can_book, can_change_booking
from procedures.selectors.booking import bookable_days, display_data, free_slots
from procedures.services.booking import (
    BookingError,
    SlotFull,
    booking_cancel,
    booking_create,
    booking_no_wait_note,
    booking_reschedule,
)


class BookingErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.ListField(child=serializers.CharField(), required=False)
    alternatives = serializers.ListField(
        child=serializers.DateTimeField(), required=False, help_text="The nearest free slot starts."
    )


class SlotSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    capacity = serializers.IntegerField()
    available = serializers.IntegerField()


class BookingSerializer(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.CharField()
    procedure = serializers.CharField(source="procedure.code")
    unit = serializers.CharField(source="unit.code")
    counter = serializers.IntegerField(source="counter.number")
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    note = serializers.SerializerMethodField(help_text="No-wait procedures: the result is ready during the visit.")

    def get_note(self, booking) -> str:
        return booking_no_wait_note(booking.procedure)


class DisplayCounterSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    serving = serializers.CharField(allow_null=True)
    waiting = serializers.IntegerField()


class DisplayCallSerializer(serializers.Serializer):
    ticket = serializers.CharField()
    counter = serializers.IntegerField()
    called_at = serializers.DateTimeField()


class DisplaySerializer(serializers.Serializer):
    unit = serializers.CharField()
    unit_name = serializers.CharField()
    at = serializers.DateTimeField()
    counters = DisplayCounterSerializer(many=True)
    recent = DisplayCallSerializer(many=True)


def _error(status: int, message, **extra) -> Response:
    return Response({"detail": str(message), **extra}, status=status)


def _booking_error(exc: BookingError) -> Response:
    messages = [str(m) for m in exc.messages]
    alternatives = [a.astimezone(VIETNAM_TZ).isoformat() for a in exc.alternatives]
    return _error(
        409 if isinstance(exc, SlotFull) else 400, " ".join(messages), errors=messages, alternatives=alternatives
    )


def _text(value, limit=40) -> str:
    return str(value or "").replace("\x00", "").strip()[:limit]


def _procedure(code) -> Procedure:
    code = _text(code)
    procedure = Procedure.objects.filter(code=code, is_active=True).first() if code else None
    if procedure is None:
        raise ValidationError(gettext("procedure: no procedure with code “%(code)s”.") % {"code": code})
    return procedure


def _unit(code) -> Unit:
    code = _text(code)
    unit = Unit.objects.filter(code=code, is_active=True).first() if code else default_unit()
    if unit is None:
        raise ValidationError(gettext("unit: no unit with code “%(code)s”.") % {"code": code})
    return unit


def _start(raw) -> datetime:
    try:
        return serializers.DateTimeField().to_internal_value(_text(raw, 60))
    except (serializers.ValidationError, OverflowError, ValueError):
        raise ValidationError(
            gettext("start: give a date and time in ISO 8601, e.g. 2026-03-10T08:00:00+07:00.")
        ) from None


def _bad(exc: ValidationError) -> Response:
    messages = [str(m) for m in exc.messages]
    return _error(400, " ".join(messages), errors=messages)


class SlotListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Free slots of a procedure on a day",
        description="Slots from the unit's office hours and working calendar; `available` is what is left.",
        parameters=[
            OpenApiParameter("procedure", str, required=True, description="Procedure code."),
            OpenApiParameter("date", str, required=True, description="YYYY-MM-DD, a bookable day."),
            OpenApiParameter("unit", str, description="Unit code; the portal's ward when omitted."),
        ],
        responses={200: SlotSerializer(many=True), 400: BookingErrorSerializer},
    )
    def get(self, request):
        try:
            procedure = _procedure(request.query_params.get("procedure"))
            unit = _unit(request.query_params.get("unit"))
            try:
                day = date.fromisoformat(_text(request.query_params.get("date"), 10))
            except ValueError:
                raise ValidationError(gettext("date: give a day as YYYY-MM-DD.")) from None
            first, last = bookable_days(unit, now=timezone.now())
            if not first <= day <= last:
                raise ValidationError(
                    gettext("date: bookings are open from %(first)s to %(last)s.")
                    % {"first": formats.date_format(first, "d/m/Y"), "last": formats.date_format(last, "d/m/Y")}
                )
            slots = free_slots(unit, procedure, day)
        except CalendarError as exc:
            return _error(400, gettext(exc.template) % exc.params)
        except ValidationError as exc:
            return _bad(exc)
        return Response(SlotSerializer(slots, many=True).data)


class BookingListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Bookings within the caller's reach",
        description="A citizen's own; a desk officer's unit's; a leader's subtree's. Newest first, at most 200.",
        responses={200: BookingSerializer(many=True), 403: BookingErrorSerializer},
    )
    def get(self, request):
        bookings = bookings_visible_to(request.user).select_related("procedure", "unit", "counter").order_by("-start")
        return Response(BookingSerializer(bookings[:200], many=True).data)

    @extend_schema(
        summary="Book a visit (citizen)",
        request=inline_serializer(
            "BookingRequest",
            {
                "procedure": serializers.CharField(help_text="Procedure code."),
                "start": serializers.DateTimeField(help_text="A slot start from /api/slots/."),
                "unit": serializers.CharField(required=False, help_text="Unit code; the portal's ward otherwise."),
            },
        ),
        responses={
            201: BookingSerializer,
            400: BookingErrorSerializer,
            403: BookingErrorSerializer,
            409: BookingErrorSerializer,
        },
    )
    def post(self, request):
        if not can_book(request.user):
            return _error(403, gettext("Only a citizen account can book a visit."))
        data = request.data if hasattr(request.data, "get") else {}
        try:
            procedure = _procedure(data.get("procedure"))
            unit = _unit(data.get("unit"))
            booking = booking_create(
                citizen=request.user, procedure=procedure, unit=unit, start=_start(data.get("start"))
            )
        except BookingError as exc:
            return _booking_error(exc)
        except CalendarError as exc:
            return _error(400, gettext(exc.template) % exc.params)
        except ValidationError as exc:
            return _bad(exc)
        return Response(BookingSerializer(booking).data, status=201)


def _visible(request, code: str) -> Booking | None:
    return (
        bookings_visible_to(request.user)
        .select_related("procedure", "unit", "counter")
        .filter(code=_text(code, 12).upper())
        .first()
    )


def _not_found(code: str) -> Response:
    return _error(404, gettext("No booking with code %(code)s.") % {"code": _text(code, 12)})


class BookingDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="One booking",
        responses={200: BookingSerializer, 403: BookingErrorSerializer, 404: BookingErrorSerializer},
    )
    def get(self, request, code: str):
        booking = _visible(request, code)
        if booking is None:
            return _not_found(code)
        return Response(BookingSerializer(booking).data)

    @extend_schema(
        summary="Cancel a booking (its citizen, up to the cut-off)",
        responses={
            200: BookingSerializer,
            400: BookingErrorSerializer,
            403: BookingErrorSerializer,
            404: BookingErrorSerializer,
        },
    )
    def delete(self, request, code: str):
        booking = _visible(request, code)
        if booking is None:
            return _not_found(code)
        if not can_change_booking(request.user, booking):
            return _error(403, gettext("Only the citizen who booked can cancel."))
        try:
            booking = booking_cancel(citizen=request.user, code=booking.code)
        except BookingError as exc:
            return _booking_error(exc)
        return Response(BookingSerializer(booking).data)


class BookingRescheduleView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Move a booking to another slot (its citizen, up to the cut-off); the code stays",
        request=inline_serializer("BookingReschedule", {"start": serializers.DateTimeField()}),
        responses={
            200: BookingSerializer,
            400: BookingErrorSerializer,
            403: BookingErrorSerializer,
            404: BookingErrorSerializer,
            409: BookingErrorSerializer,
        },
    )
    def post(self, request, code: str):
        booking = _visible(request, code)
        if booking is None:
            return _not_found(code)
        if not can_change_booking(request.user, booking):
            return _error(403, gettext("Only the citizen who booked can reschedule."))
        data = request.data if hasattr(request.data, "get") else {}
        try:
            booking = booking_reschedule(citizen=request.user, code=booking.code, start=_start(data.get("start")))
        except BookingError as exc:
            return _booking_error(exc)
        except CalendarError as exc:
            return _error(400, gettext(exc.template) % exc.params)
        except ValidationError as exc:
            return _bad(exc)
        return Response(BookingSerializer(booking).data)


class QueueDisplayView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []  # public, no personal data: no session lookup per poll

    @extend_schema(
        summary="What a unit's queue screen shows",
        description="Per counter the number being served and how many wait; the last numbers called. No names.",
        responses={200: DisplaySerializer, 404: BookingErrorSerializer},
    )
    def get(self, request, unit_code: str):
        unit = Unit.objects.filter(code=_text(unit_code), is_active=True).first()
        if unit is None:
            return _error(404, gettext("No unit with code %(code)s.") % {"code": _text(unit_code)})
        return Response(DisplaySerializer(display_data(unit)).data)
