"""lib/ has no import cycle, counting imports inside functions: between packages, or modules."""

from tests.support.import_graph import cycles, module_graph, package_graph
from tests.support.paths import ROOT

LIB = ROOT / "lib"


def test_the_checker_finds_a_cycle_and_the_imports_inside_functions(tmp_path):
    pkg = tmp_path / "pkg"
    for name, text in {
        "__init__.py": "from pkg import a\n",  # a package's face: not a cycle
        "a.py": "from pkg.b import thing\n",
        "b.py": "def later():\n    from . import c\n",
        "c.py": "import pkg.a\n",
        "d/__init__.py": "",
        "d/e.py": "from ..a import x\n",
    }.items():
        (pkg / name).parent.mkdir(parents=True, exist_ok=True)
        (pkg / name).write_text(text)
    graph = module_graph(pkg)
    assert graph["pkg.b"] == {"pkg", "pkg.c"} and graph["pkg.d.e"] == {"pkg.a"}
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.c"]]
    assert cycles(package_graph(graph)) == [["pkg.a", "pkg.b", "pkg.c"]]


def test_no_cycle_between_the_packages_of_lib():
    top = package_graph(module_graph(LIB))
    assert {"lib.client", "lib.config", "lib.i18n", "lib.ui", "lib.api"} <= set(top)
    assert cycles(top) == []


def test_no_cycle_between_the_modules_of_lib():
    assert cycles(module_graph(LIB)) == []
