"""Load the shipped CSE2 assessment tools (SERA version 1, the default, and the SERAF-style
variant), so every database has them."""

from django.db import migrations


def load_shipped(apps, schema_editor):
    from referrals.assessment_tools import SHIPPED_FILES, load_tool, read_tool

    models = tuple(
        apps.get_model("referrals", name)
        for name in ("AssessmentTool", "ToolRecencyBand", "ToolOutcome", "ToolDomain", "ToolIndicator")
    )
    for path in SHIPPED_FILES:
        load_tool(read_tool(path), models=models)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0004_assessment_tools")]

    # Reference data is never removed: a reverse migration leaves it in place.
    operations = [migrations.RunPython(load_shipped, migrations.RunPython.noop)]
