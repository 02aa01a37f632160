from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.generic import ListView, TemplateView, View

from cchc.core import clock
from cchc.formats import parse_date
from cchc.reminders import services
from cchc.reminders.models import Notice


class NoticeListView(LoginRequiredMixin, ListView):
    """The account's own notices, unread first."""

    template_name = "reminders/notice_list.html"
    context_object_name = "notices"
    paginate_by = 50

    def get_queryset(self):
        return (
            Notice.objects.for_user(self.request.user)
            .select_related("unit")
            .order_by(F("read_at").asc(nulls_first=True), "-created_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unread_count"] = Notice.objects.for_user(self.request.user).unread().count()
        return context


class MarkReadView(LoginRequiredMixin, View):
    """POST: mark one of the account's notices as read (another account's notice is a 404)."""

    def post(self, request, pk):
        notice = get_object_or_404(Notice.objects.for_user(request.user), pk=pk)
        if notice.read_at is None:
            notice.read_at = timezone.now()
            notice.save(update_fields=["read_at"])
        if request.htmx:
            return render(request, "reminders/_notice_row.html", {"notice": notice})
        return redirect("reminders:notices")


class MarkAllReadView(LoginRequiredMixin, View):
    def post(self, request):
        Notice.objects.for_user(request.user).unread().update(read_at=timezone.now())
        return redirect("reminders:notices")


class OwedView(LoginRequiredMixin, TemplateView):
    """What each unit owes: the obligations not done, by unit, overdue first in each unit's deadline order.

    Administrators and leaders see every unit, a district officer its district and communes, others their own unit.
    """

    template_name = "reminders/owed.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # "As of" another day (e.g. 20/12/2023 to look back at a past year); today otherwise or when malformed.
        try:
            today = parse_date(self.request.GET.get("on")) or clock.today()
        except ValueError:  # 40/13/2023: no such day
            today = clock.today()
        only_overdue = self.request.GET.get("overdue") == "1"
        groups = services.owed(self.request.user, today)
        if only_overdue:
            groups = [(unit, [o for o in rows if o.overdue]) for unit, rows in groups]
            groups = [(unit, rows) for unit, rows in groups if rows]
        context.update(
            today=today,
            groups=groups,
            only_overdue=only_overdue,
            item_count=sum(len(rows) for _unit, rows in groups),
            overdue_count=sum(1 for _unit, rows in groups for o in rows if o.overdue),
        )
        return context
