"""Take back `actions.view_actionevent` from every account and group given it.

`urge addstaff --organiser` granted it until the action records became the site admins'
alone (urge/actions/admin.py): each is one person's action at its hour, finer than the
counts organisers are promised. The admin already refuses the page to anyone but a site
admin; this leaves no trace of the old grant in the roles either. Going back restores
nothing: which accounts had it is not kept.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def take_back(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    permission = apps.get_model("auth", "Permission")
    user = apps.get_model("auth", "User")
    group = apps.get_model("auth", "Group")
    # None on a fresh database: permissions are made after the migrations (post_migrate).
    granted = permission.objects.filter(
        content_type__app_label="actions", codename="view_actionevent"
    )
    user.user_permissions.through.objects.filter(permission__in=granted).delete()
    group.permissions.through.objects.filter(permission__in=granted).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0003_email_copy_label"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(take_back, migrations.RunPython.noop)]
