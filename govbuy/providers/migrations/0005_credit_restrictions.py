"""Bans and suspensions become restrictions with a period (issue 14, credit branch). A provider
suspended by hand "for ever" keeps a restriction of one year from its suspension, with its
reason, and goes back to the state it had before (verified, or registered if never verified)."""

import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def convert_suspensions(apps, schema_editor):
    Profile = apps.get_model("providers", "ProviderProfile")
    Restriction = apps.get_model("providers", "Restriction")
    now = datetime.datetime.now(datetime.UTC)
    for profile in Profile.objects.filter(state="suspended").order_by("pk"):
        starts = profile.suspended_at or now
        Restriction.objects.create(
            profile=profile,
            kind="suspension",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(days=365),
            legal_basis="登记管理机关监管（原暂停，迁移时定为一年）",
            reason=profile.suspension_reason or "原暂停未记录原因",
            authority_name=profile.registration_authority,
            reach="platform",
        )
        profile.state = "verified" if profile.verified_at else "registered"
        profile.save(update_fields=["state"])


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0002_uscc_review_and_region_rules"),
        ("providers", "0004_identity_changes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Restriction",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "kind",
                    models.CharField(
                        choices=[("ban", "ban"), ("suspension", "suspension")], max_length=16, verbose_name="kind"
                    ),
                ),
                ("starts_at", models.DateTimeField(verbose_name="starts at")),
                ("ends_at", models.DateTimeField(verbose_name="ends at")),
                ("legal_basis", models.CharField(max_length=300, verbose_name="legal basis")),
                ("reason", models.CharField(max_length=2000, verbose_name="facts and reason")),
                ("authority_name", models.CharField(max_length=200, verbose_name="deciding authority")),
                (
                    "reach",
                    models.CharField(
                        choices=[
                            ("nationwide", "nationwide government procurement"),
                            ("platform", "purchases on this platform"),
                        ],
                        default="nationwide",
                        max_length=16,
                        verbose_name="scope",
                    ),
                ),
                ("source", models.CharField(blank=True, max_length=100, verbose_name="source")),
                ("lifted_at", models.DateTimeField(blank=True, null=True, verbose_name="lifted at")),
                ("lift_reason", models.CharField(blank=True, max_length=1000, verbose_name="reason for lifting")),
            ],
            options={
                "verbose_name": "restriction",
                "verbose_name_plural": "restrictions",
                "ordering": ["-starts_at", "-pk"],
            },
        ),
        migrations.AddField(
            model_name="restriction",
            name="authority",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organizations.organisation",
                verbose_name="deciding authority",
            ),
        ),
        migrations.AddField(
            model_name="restriction",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="restriction",
            name="lifted_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="restriction",
            name="profile",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="restrictions",
                to="providers.providerprofile",
                verbose_name="provider",
            ),
        ),
        migrations.RunPython(convert_suspensions, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="providerprofile",
            name="provider_state_valid",
        ),
        migrations.AlterField(
            model_name="providerprofile",
            name="state",
            field=models.CharField(
                choices=[("registered", "registered"), ("verified", "verified")],
                default="registered",
                max_length=16,
                verbose_name="state",
            ),
        ),
        migrations.AddConstraint(
            model_name="providerprofile",
            constraint=models.CheckConstraint(
                condition=models.Q(("state__in", ["registered", "verified"])), name="provider_state_valid"
            ),
        ),
        migrations.RemoveField(
            model_name="providerprofile",
            name="suspended_at",
        ),
        migrations.RemoveField(
            model_name="providerprofile",
            name="suspension_reason",
        ),
        migrations.AddIndex(
            model_name="restriction",
            index=models.Index(fields=["profile", "ends_at"], name="provider_restriction_period"),
        ),
        migrations.AddConstraint(
            model_name="restriction",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_at__gt", models.F("starts_at"))), name="provider_restriction_ends_after_start"
            ),
        ),
        migrations.AddConstraint(
            model_name="restriction",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["ban", "suspension"])), name="provider_restriction_kind_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="restriction",
            constraint=models.CheckConstraint(
                condition=models.Q(("reach__in", ["nationwide", "platform"])), name="provider_restriction_reach_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="restriction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("lifted_at__isnull", True), models.Q(("lift_reason", ""), _negated=True), _connector="OR"
                ),
                name="provider_restriction_lift_reason",
            ),
        ),
    ]
