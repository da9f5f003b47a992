from django.urls import path

from govbuy.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.login_verify, name="login_verify"),
    path("logout/", views.logout_view, name="logout"),
    path("security/", views.security, name="security"),
    path("security/two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("security/two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
    path("security/password/", views.password_change, name="password_change"),
    path("security/api-token/", views.api_token_create, name="api_token_create"),
    path("security/api-token/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
