"""The layer check of `make lint` (scripts/check_app_cycles.py): no import cycle between apps, core at the bottom."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[4] / "scripts" / "check_app_cycles.py"


@pytest.fixture
def checker(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("check_app_cycles", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    allowed = tmp_path / "allowed.txt"
    allowed.write_text("# nothing allowed\n")
    monkeypatch.setattr(module, "PACKAGE", tmp_path / "cchc")
    monkeypatch.setattr(module, "ROOT", tmp_path)
    monkeypatch.setattr(module, "ALLOWED", allowed)
    monkeypatch.setattr("sys.argv", ["check_app_cycles.py"])
    return module


def app(root: Path, name: str, **modules: str) -> None:
    folder = root / "cchc" / name
    folder.mkdir(parents=True)
    (folder / "apps.py").write_text("")
    for module, text in modules.items():
        (folder / f"{module}.py").write_text(text)


def test_the_project_has_no_new_cycle_and_core_imports_no_new_app():
    spec = importlib.util.spec_from_file_location("check_app_cycles", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    edges = module.graph()
    allow = module.allowed()
    assert module.find_cycle([edge for edge in edges if edge not in allow]) is None
    assert not [edge for edge in edges if edge[0] == "core" and edge not in allow]


def test_an_import_hidden_in_a_function_closes_a_cycle(checker, tmp_path, capsys):
    app(tmp_path, "plans", models="from cchc.units.models import Unit\n")
    app(tmp_path, "units", models="def parent():\n    from cchc.plans.models import Plan\n    return Plan\n")
    assert checker.main() == 1
    err = capsys.readouterr().err
    assert "Import cycle between apps" in err
    assert "cchc/units/models.py:2" in err


def test_core_importing_an_app_fails_even_without_a_cycle(checker, tmp_path, capsys):
    app(tmp_path, "core", views="from cchc.plans.models import Plan\n")
    app(tmp_path, "plans", models="x = 1\n")
    assert checker.main() == 1
    assert "core imports plans (cchc/core/views.py:1)" in capsys.readouterr().err


def test_apps_importing_downwards_pass(checker, tmp_path):
    app(tmp_path, "core", jobs="import os\n")
    app(tmp_path, "plans", models="from cchc.core.jobs import os\n")
    app(tmp_path, "home", views="from cchc.plans.models import x\nfrom cchc.core import jobs\n")
    assert checker.main() == 0


def test_the_project_follows_the_import_rules_of_contributing():
    spec = importlib.util.spec_from_file_location("check_app_cycles", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.shape_problems() == []


def test_an_import_of_another_app_inside_a_function_fails_outside_ready(checker, tmp_path, capsys):
    app(tmp_path, "units", models="x = 1\n")
    app(
        tmp_path,
        "plans",
        views="def page():\n    from cchc.units.models import x\n    return x\n",
        apps="class PlansConfig:\n    def ready(self):\n        from cchc.units import models\n",
    )
    assert checker.main() == 1
    err = capsys.readouterr().err
    assert "cchc/plans/views.py:2: imports cchc.units.models.x inside page()" in err
    assert "apps.py" not in err  # registrations in AppConfig.ready() are where Django wants them


def test_another_apps_private_name_fails(checker, tmp_path, capsys):
    app(tmp_path, "units", models="_cache = {}\n")
    app(tmp_path, "plans", views="from cchc.units.models import _cache\n")
    assert checker.main() == 1
    assert "cchc/plans/views.py:1: imports cchc.units.models._cache, a private name of units" in capsys.readouterr().err


def test_a_module_under_another_name_fails_but_another_apps_services_may_take_its_name(checker, tmp_path, capsys):
    app(tmp_path, "review", services="def step():\n    pass\n", states="x = 1\n")
    app(
        tmp_path,
        "reports",
        services="from cchc.review import services as review\n",
        views="from cchc.review import states as rules\n",
    )
    assert checker.main() == 1
    err = capsys.readouterr().err
    assert "cchc/reports/views.py:1: imports cchc.review.states as rules" in err
    assert "reports/services.py" not in err
