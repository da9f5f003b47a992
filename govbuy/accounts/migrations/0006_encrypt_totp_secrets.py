"""Encrypt the TOTP secrets stored in plain base32 (govbuy.accounts.crypto, format "v1"). Run
with the GOVBUY_TOTP_KEY the site will use: rows encrypted under another key do not open.
Reversible: going back decrypts them into the plain column again."""

from django.db import migrations

from govbuy.accounts.crypto import decrypt_totp_secret, encrypt_totp_secret


def encrypt(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(totp_secret="").only("pk", "totp_secret").iterator():
        sealed = encrypt_totp_secret(user_id=user.pk, secret=user.totp_secret)
        User.objects.filter(pk=user.pk).update(totp_secret_encrypted=sealed, totp_secret="")


def decrypt(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(totp_secret_encrypted="").only("pk", "totp_secret_encrypted").iterator():
        plain = decrypt_totp_secret(user_id=user.pk, stored=user.totp_secret_encrypted)
        User.objects.filter(pk=user.pk).update(totp_secret=plain, totp_secret_encrypted="")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_user_totp_secret_encrypted'),
    ]

    operations = [
        migrations.RunPython(encrypt, decrypt),
    ]
