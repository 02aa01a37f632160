from cchc.accounts import access, scope


def account(request):
    """The account's unit and role for the navigation (queried once per request, cached on the user)."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    return {
        "membership": scope.membership(user),
        "is_province_administrator": scope.is_administrator(user),
        "sees_whole_province": access.may(user, "see_whole_province"),
    }
