"""The API's description (OpenAPI), generated once per process, language and version instead of at every request.

A public description (drf-spectacular's SERVE_PUBLIC, the default: every endpoint, whoever asks) depends on the code
only — routes, serializers, filters — and generating it walks every endpoint: about half a second of CPU each time
the documentation page loads it. A deployment starts new processes, so a kept description never outlives the code
it describes."""

from django.utils import translation
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response


class SchemaView(SpectacularAPIView):
    """drf-spectacular's schema view; a public schema is generated once per process, language and API version."""

    _generated: dict[tuple, dict] = {}

    def _get_schema_response(self, request):
        if not self.serve_public or self.patterns is not None:  # depends on the account, or on a given list
            return super()._get_schema_response(request)
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (translation.get_language(), version, self.urlconf)
        schema = self._generated.get(key)
        if schema is None:
            generator = self.generator_class(urlconf=self.urlconf, api_version=version)
            schema = self._generated[key] = generator.get_schema(request=request, public=True)
        return Response(
            data=schema,
            headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'},
        )
