"""The files of background imports move from a database column to the storage API, under the
names the import service gives them (`imports/catalog/<2 hex>/<sha256 prefix>.<kind>`)."""

import hashlib

from django.db import migrations, models

PREFIX = "imports/catalog"


def to_storage(apps, schema_editor):
    from govbuy.core.storage import save_once

    ImportJob = apps.get_model("catalog", "ImportJob")
    for job in ImportJob.objects.using(schema_editor.connection.alias).iterator():
        data = bytes(job.content)
        digest = hashlib.sha256(data).hexdigest()
        path = f"{PREFIX}/{digest[:2]}/{digest[:32]}.{job.file_kind}"
        job.file_path = save_once(path=path, data=data, sha256=digest)
        job.file_sha256 = digest
        job.save(update_fields=["file_path", "file_sha256"])


def to_column(apps, schema_editor):
    from govbuy.core.storage import read_verified

    ImportJob = apps.get_model("catalog", "ImportJob")
    for job in ImportJob.objects.using(schema_editor.connection.alias).iterator():
        job.content = read_verified(job.file_path, job.file_sha256)
        job.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_negative_list_more_terms")]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="file_path",
            field=models.CharField(default="", max_length=300, verbose_name="stored file"),
            preserve_default=False,
        ),
        # Nullable while it goes, so that moving back can re-add the column before filling it.
        migrations.AlterField(model_name="importjob", name="content", field=models.BinaryField(null=True)),
        migrations.RunPython(to_storage, to_column),
        migrations.RemoveField(model_name="importjob", name="content"),
    ]
