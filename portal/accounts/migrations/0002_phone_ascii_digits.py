import re
import unicodedata

from django.db import migrations, models


def normalise_existing(apps, schema_editor):
    """Rewrite phones/CCCDs to ASCII digits; a row whose number is unusable or already held loses it.

    A non-ASCII spelling that folds onto a number someone else holds is the squatting this migration closes,
    so the real owner (the row already stored in ASCII) keeps the number.
    """
    user_model = apps.get_model("accounts", "User")
    ascii_phone = re.compile(r"0[0-9]{9,10}")
    for user in user_model.objects.exclude(phone="").exclude(phone__regex=r"^0[0-9]{9,10}$"):
        phone = re.sub(r"[\s.\-()]", "", unicodedata.normalize("NFKC", user.phone))
        taken = user_model.objects.filter(phone=phone).exclude(pk=user.pk).exists()
        user.phone = phone if ascii_phone.fullmatch(phone) and not taken else ""
        user.save(update_fields=["phone"])
    for user in user_model.objects.exclude(cccd="").exclude(cccd__regex=r"^[0-9]{12}$"):
        cccd = "".join(unicodedata.normalize("NFKC", user.cccd).split())
        taken = user_model.objects.filter(cccd=cccd).exclude(pk=user.pk).exists()
        user.cccd = cccd if re.fullmatch(r"[0-9]{12}", cccd) and not taken else ""
        user.save(update_fields=["cccd"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(normalise_existing, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(("phone", ""), ("phone__regex", "^0[0-9]{9,10}$"), _connector="OR"),
                name="user_phone_ascii_digits",
                violation_error_message="Enter a Vietnamese phone number, e.g. 0912 345 678 or +84 912 345 678.",
            ),
        ),
    ]
