"""A changed password revokes every API token of the account (self-service change, reset link, admin, command)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save


def remember_password(sender, instance, **kwargs):
    if instance.pk is None:
        instance._cchc_password_changed = False
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._cchc_password_changed = stored is not None and stored != instance.password


def revoke_tokens(sender, instance, created, **kwargs):
    if getattr(instance, "_cchc_password_changed", False):
        from cchc.accounts.tokens import revoke_all

        revoke_all(instance)
        instance._cchc_password_changed = False


def connect():
    user_model = get_user_model()
    pre_save.connect(remember_password, sender=user_model, dispatch_uid="cchc-remember-password")
    post_save.connect(revoke_tokens, sender=user_model, dispatch_uid="cchc-revoke-tokens")
