"""API list pages: ?limit= may ask for more than the default page, never more than CCHC_API_MAX_PAGE_SIZE rows."""

from django.conf import settings
from rest_framework.pagination import LimitOffsetPagination


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    @property
    def max_limit(self) -> int:
        return settings.CCHC_API_MAX_PAGE_SIZE
