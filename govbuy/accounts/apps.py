from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "govbuy.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from django.core import checks

        from govbuy.accounts import home, sessions, views
        from govbuy.accounts.checks import check_account_keys
        from govbuy.audit import describe
        from govbuy.core.home import register_home_section
        from govbuy.core.navigation import NavEntry, register

        user_logged_in.connect(sessions.on_user_logged_in, dispatch_uid="govbuy.accounts.logged_in")
        user_logged_out.connect(sessions.on_user_logged_out, dispatch_uid="govbuy.accounts.logged_out")
        checks.register(check_account_keys, checks.Tags.security)
        # The admin's own login form would bypass lockout and two-factor.
        admin.site.login = views.admin_login  # type: ignore[method-assign]

        register(
            NavEntry(
                label=_("Account security"),
                url_name="accounts:security",
                visible=lambda request: request.user.is_authenticated,
                order=900,
            )
        )
        register_home_section(home.account_security_section, order=5)
        register_home_section(home.roles_section, order=900)

        for code, sentence in (
            (
                "accounts.user.login_locked",
                _("Sign-in for {username} from {ip} was locked for {minutes} minutes after repeated failures"),
            ),
            ("accounts.user.two_factor_enrolment_started", _("{actor} started setting up two-factor authentication")),
            ("accounts.user.two_factor_enabled", _("{actor} turned on two-factor authentication")),
            ("accounts.user.two_factor_disabled", _("{actor} turned off two-factor authentication for {username}")),
            ("accounts.user.password_changed", _("{actor} changed their password")),
            ("accounts.user.created", _("{actor} created the account {username}")),
            ("accounts.user.deactivated", _("{actor} deactivated the account {username}")),
            ("accounts.token.created", _("{actor} created an API token")),
            ("accounts.token.revoked", _("{actor} revoked an API token")),
        ):
            describe.register(code, sentence)
