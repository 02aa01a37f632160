from django.views.generic import TemplateView


class AuditLogView(TemplateView):
    """Placeholder: the searchable audit log for administrators (to be written)."""
