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


@pytest.mark.parametrize("role", [Role.VIEWER, Role.DOCUMENTER, Role.REVIEWER])
def test_only_administrators_configure_where_alerts_go_and_when_they_fire(role):
    """Webhook endpoints, e-mail subscriptions, risk rules and the outboxes are the administrators'
    (alerts 0003): a documenter must not send alerts to an address of their choosing or switch a rule off."""
    codenames = set(
        Group.objects.get(name=role)
        .permissions.filter(content_type__app_label="alerts")
        .values_list("codename", flat=True)
    )
    assert "view_watchlistentry" in codenames and "view_alert" in codenames
    for model in ("webhookendpoint", "emailsubscription", "riskrule", "outgoingemail", "webhookdelivery"):
        assert {f"add_{model}", f"change_{model}", f"delete_{model}"}.isdisjoint(codenames), model
    assert not [codename for codename in codenames if "historical" in codename]
    assert {"view_webhookendpoint", "view_emailsubscription", "view_outgoingemail"}.isdisjoint(codenames)
    assert Group.objects.get(name=Role.ADMINISTRATOR).permissions.filter(codename="change_riskrule").exists()
