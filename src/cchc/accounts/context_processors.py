from cchc.accounts import access, scope
from cchc.accounts.models import ApiToken


def account(request):
    """The account's unit and role for the navigation (queried once per request, cached on the user)."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    return {
        "membership": scope.membership(user),
        "is_province_administrator": scope.is_administrator(user),
        "sees_whole_province": access.may(user, "see_whole_province"),
        # The import page's own check (its role action), not Django's model permissions: no query, and the menu
        # shows the link to exactly the accounts the page lets in.
        "may_import_dossiers": access.may(user, "import_dossiers"),
        # The API menu is for accounts that use the API (they hold a token) and for administrators; everyone else
        # finds the API documentation on their account page, where tokens are made. Called only if the menu is drawn.
        "uses_api": lambda: uses_api(user),
    }


def uses_api(user) -> bool:
    return user.is_staff or scope.is_administrator(user) or ApiToken.objects.filter(user=user).exists()
