"""Load version 1 of the SAFEGUARD indicator catalogue, so every database has it."""

from django.db import migrations


def load_v1(apps, schema_editor):
    from screening.catalogue import VERSION_1_FILE, load_catalogue, read_catalogue

    models = (
        apps.get_model("screening", "CatalogueVersion"),
        apps.get_model("screening", "Heading"),
        apps.get_model("screening", "Indicator"),
    )
    load_catalogue(read_catalogue(VERSION_1_FILE), models=models)


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]

    # Reference data is never removed: a reverse migration leaves it in place.
    operations = [migrations.RunPython(load_v1, migrations.RunPython.noop)]
