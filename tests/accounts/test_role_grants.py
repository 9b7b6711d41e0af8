import pytest
from django.contrib.auth.models import Group

from vigil.accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.VIEWER, Role.DOCUMENTER, Role.REVIEWER])
def test_roles_do_not_get_restricted_access_from_model_permission_grants(role):
    """Reading restricted records is granted deliberately, never as a side effect of "view_*" grants."""
    codenames = set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))
    assert "view_person" in codenames
    assert "view_restricted" not in codenames
