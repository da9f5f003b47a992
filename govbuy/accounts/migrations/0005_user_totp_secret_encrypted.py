from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_hash_authtoken_keys'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='totp_secret_encrypted',
            field=models.CharField(blank=True, max_length=255, verbose_name='TOTP secret (encrypted)'),
        ),
    ]
