from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import security_views, signin, sso, views

app_name = "accounts"

urlpatterns = [
    path("login/", signin.SignInView.as_view(), name="login"),
    path("login/code/", signin.verify, name="two_factor_verify"),
    path("two-factor/", security_views.two_factor_page, name="two_factor"),
    path("settings/", security_views.organisation_settings, name="settings"),
    path("sso/start/", views.sso_only(sso.SignInRequestView.as_view()), name="oidc_start"),
    path("sso/callback/", views.sso_only(sso.SignInCallbackView.as_view()),
         name="oidc_callback"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset.html",
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done")), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_done.html"), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete")),
        name="password_reset_confirm"),
    path("password-reset/done/", auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"), name="password_reset_complete"),
    path("password/", auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change.html",
        success_url=reverse_lazy("accounts:password_change_done")), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(
        template_name="accounts/password_change_done.html"), name="password_change_done"),
    path("team/", views.team, name="team"),
    path("team/add/", views.add_member, name="add_member"),
]
