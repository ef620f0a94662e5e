from django.urls import path

from opennps.web.surveys.urls import TokenConverter  # noqa: F401 - registers "token"

from .views import cases, lists, plans, rules

app_name = "followup"

urlpatterns = [
    path("cases/", cases.case_list, name="cases"),
    path("cases/<int:case>/", cases.case_detail, name="case"),
    path("cases/<int:case>/notes/", cases.case_note, name="case_note"),
    path("cases/<int:case>/reply/", cases.case_reply, name="case_reply"),
    path("cases/settings/", rules.case_settings, name="settings"),
    path("alerts/", rules.rule_list, name="rules"),
    path("alerts/rules/new/", rules.rule_edit, name="rule_create"),
    path("alerts/rules/<int:rule>/", rules.rule_edit, name="rule"),
    path("alerts/rules/<int:rule>/test/", rules.rule_test, name="rule_test"),
    path("alerts/rules/<int:rule>/delete/", rules.rule_delete, name="rule_delete"),
    path("alerts/webhooks/new/", rules.webhook_edit, name="webhook_create"),
    path("alerts/webhooks/<int:webhook>/", rules.webhook_edit, name="webhook"),
    path("alerts/webhooks/<int:webhook>/test/", rules.webhook_test, name="webhook_test"),
    path("alerts/webhooks/<int:webhook>/delete/", rules.webhook_delete,
         name="webhook_delete"),
    path("plans/", plans.plan_list, name="plans"),
    path("plans/new/", plans.plan_edit, name="plan_create"),
    path("plans/<int:plan>/", plans.plan_detail, name="plan"),
    path("plans/<int:plan>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:plan>/delete/", plans.plan_delete, name="plan_delete"),
    path("surveys/<int:pk>/promoters/", lists.promoters, name="promoters"),
    path("surveys/<int:pk>/passives/", lists.passives, name="passives"),
    path("surveys/<int:pk>/you-said-we-did/", lists.message, name="message"),
    path("s/<token:token>/review/", lists.review, name="review"),
]
