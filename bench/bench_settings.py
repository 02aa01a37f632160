"""cchc.settings, with one change used only when `cchc collectstatic` fails under the real settings.

The benchmark falls back to this module (DJANGO_SETTINGS_MODULE=bench_settings, bench/ on PYTHONPATH) when the
production static storage cannot post-process the vendored files, e.g. a `//# sourceMappingURL=` pointing at a
.map file that is not shipped. The storage is the same (compressed, hashed manifest) minus the source-map
rewriting, so the pages are rendered exactly as in production.
"""

from cchc.settings import *  # noqa: F403
from cchc.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "bench_storage.NoSourceMapManifestStorage"}}
