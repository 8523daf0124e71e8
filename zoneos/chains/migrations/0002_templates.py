from django.db import migrations


def load(apps, schema_editor):
    from zoneos.chains.templates_data import load as load_templates

    load_templates(apps.get_model("chains", "Chain"), apps.get_model("chains", "Link"), apps.get_model("chains", "SupplyEdge"))


class Migration(migrations.Migration):
    dependencies = [("chains", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
