"""Booking and desk forms: a slot among the free ones, a booking code, a walk-in ticket, a transfer."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from portal.units.calendar.domain.working_time import VIETNAM_TZ
from procedures.models import BookingSettings, Counter


class SlotForm(forms.Form):
    """One of the free slots shown (values are ISO starts), so a stale or forged time is a form error."""

    start = forms.ChoiceField(label=_("Time"), widget=forms.RadioSelect)

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start"].choices = [
            (
                s.start.isoformat(),
                _("%(start)s–%(end)s (%(n)s left)")
                % {
                    "start": formats.time_format(s.start.astimezone(VIETNAM_TZ), "H:i"),
                    "end": formats.time_format(s.end.astimezone(VIETNAM_TZ), "H:i"),
                    "n": s.available,
                },
            )
            for s in slots
            if s.available
        ]
        self.fields["start"].error_messages["invalid_choice"] = _("Choose one of the free times shown.")

    def clean_start(self) -> datetime:
        return datetime.fromisoformat(self.cleaned_data["start"])


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Booking code"), max_length=12, help_text=_("8 letters and digits, e.g. K7M2P9QX."))
    priority = forms.BooleanField(label=_("Priority (elderly, disabled, pregnant, with a small child)"), required=False)


class WalkInForm(forms.Form):
    procedure = forms.ModelChoiceField(label=_("Procedure"), queryset=None, empty_label=None)
    priority = forms.BooleanField(label=_("Priority (elderly, disabled, pregnant, with a small child)"), required=False)

    def __init__(self, *args, procedures=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures


class TransferForm(forms.Form):
    counter = forms.ModelChoiceField(label=_("To counter"), queryset=None, empty_label=None)

    def __init__(self, *args, counters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counter"].queryset = counters


class CounterForm(forms.ModelForm):
    class Meta:
        model = Counter
        fields = ["number", "name", "fields", "slot_capacity", "is_active"]
        widgets = {"fields": forms.CheckboxSelectMultiple}


class BookingSettingsForm(forms.ModelForm):
    """Parses the unit admin's rules against the model's bounds (checked again by booking_settings_save).

    Bind it to a fresh BookingSettings(unit=…), never the unit's cached row, with the current values as initial."""

    class Meta:
        model = BookingSettings
        fields = BookingSettings.EDITABLE


class CapacityForm(forms.Form):
    counter = forms.ModelChoiceField(label=_("Counter"), queryset=None, empty_label=None)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    first = forms.TimeField(label=_("Slots from"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    last = forms.TimeField(label=_("Slots until"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    capacity = forms.IntegerField(
        label=_("Places per slot"),
        required=False,
        min_value=0,
        max_value=500,
        help_text=_("0 closes the slots; empty goes back to the counter's usual number."),
    )

    def __init__(self, *args, counters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counter"].queryset = counters
