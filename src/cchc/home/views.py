from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.views.generic import TemplateView

from cchc.accounts import access
from cchc.core import clock, pagecache
from cchc.indicators.metrics import ratio
from cchc.indicators.queries import figures, index766, latest_year, metrics766
from cchc.plans.models import Plan
from cchc.units.models import Unit


class HomeView(LoginRequiredMixin, TemplateView):
    """Start page: what waits for the account (most urgent first), then the current plan at a glance."""

    template_name = "home/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # All is computed from the data only and kept per data version (cchc.core.pagecache): the plan and the
        # province's figures for everyone, what waits for the account for this account and day.
        context.update(pagecache.cached("home:plan", (), self.plan_summary))
        context["dossiers"] = pagecache.cached("home:dossiers", (), self.dossier_summary)
        context["waiting"] = pagecache.cached(
            "home:waiting",
            (self.request.user.pk, access.scope_key(self.request.user), clock.today().isoformat()),
            self.waiting,
        )
        context["today"] = clock.today()
        return context

    @staticmethod
    def plan_summary() -> dict:
        """The current plan's areas with their counts of targets and tasks, and the units of each kind."""
        summary: dict = {}
        plan = Plan.objects.exclude(status=Plan.Status.DRAFT).order_by("-year").first() or Plan.objects.first()
        if plan:
            targets = dict(plan.targets.values_list("area_id").annotate(n=Count("id")))
            tasks = dict(plan.tasks.values_list("area_id").annotate(n=Count("id")))
            summary["areas"] = [
                {"area": area, "targets": targets.get(area.pk, 0), "tasks": tasks.get(area.pk, 0)}
                for area in plan.areas.select_related("monitor")
            ]
        summary.update(plan=plan, unit_counts=dict(Unit.objects.current().values_list("kind").annotate(n=Count("id"))))
        return summary

    def waiting(self) -> list:
        """What the account must act on, most urgent first, from the apps that registered with cchc.waiting."""
        from cchc import waiting

        return waiting.waiting_for(self.request.user, clock.today())

    @staticmethod
    def dossier_summary() -> dict | None:
        """The province's latest year at a glance: dossiers, on-time and online rates, the 766 index."""
        province = Unit.objects.filter(kind="province").order_by("-valid_from").first()
        if province is None:
            return None
        period = str(latest_year())
        stored = figures(province, period)
        if not stored:
            return None

        def rate(metric: str) -> float | None:
            return ratio(*stored.get(metric, {}).get("all", (0, 0)))

        return {
            "unit": province,
            "period": period,
            "accepted": stored.get("ACCEPTED", {}).get("all", (0, 0))[1],
            "on_time": rate("PROCESSING_ON_TIME"),
            "online": rate("ONLINE_SUBMISSION"),
            "routed": rate("ROUTED_ELECTRONICALLY"),
            "index": index766(province, period, metrics766(province, period, stored)),
        }
