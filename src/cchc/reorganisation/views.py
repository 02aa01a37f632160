from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.db.models import Prefetch
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView

from cchc.accounts import scope
from cchc.units.events import EventFileError, add_events
from cchc.units.forms import UnitEventForm
from cchc.units.models import UnitEvent, UnitEventLink


class UnitEventListView(LoginRequiredMixin, ListView):
    """Every reorganisation event with its basis: predecessors → successors."""

    template_name = "units/event_list.html"
    context_object_name = "events"
    paginate_by = 100

    def get_queryset(self):
        return UnitEvent.objects.prefetch_related(
            Prefetch("links", queryset=UnitEventLink.objects.select_related("unit"))
        ).order_by("-date", "key")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = scope.is_administrator(self.request.user)
        return context


class UnitEventCreateView(LoginRequiredMixin, UserPassesTestMixin, FormView):
    """An administrator records a later event (e.g. a 2026 merger) with its legal basis; audited."""

    template_name = "units/event_form.html"
    form_class = UnitEventForm
    success_url = reverse_lazy("reorganisation:events")

    def test_func(self):
        return scope.is_administrator(self.request.user)

    def form_valid(self, form):
        try:
            stats = add_events(form.document(), user=self.request.user)
        except EventFileError as error:
            for problem in error.problems:
                form.add_error(None, problem)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Event recorded: %(opened)d unit(s) opened, %(closed)d closed.")
            % {"opened": stats["units_opened"], "closed": stats["units_closed"]},
        )
        return super().form_valid(form)
