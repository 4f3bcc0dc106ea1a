"""The import-linter contract of the layers (setup.cfg) places every module of the package:
a module it does not name would escape the check (`lint-imports`, make lint)."""
import configparser
import pkgutil
import re

import coordination
from coordination import ROOT


def declared_layers() -> set[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    contract = config["importlinter:contract:layers"]
    container = contract["containers"].strip()
    return {f"{container}.{name.strip().strip('()')}"
            for line in contract["layers"].strip().splitlines() for name in re.split(r"[:|]", line)}


def test_every_module_of_the_package_lies_in_a_layer():
    declared = declared_layers()
    modules = [info.name for info in pkgutil.walk_packages(coordination.__path__, "coordination.")]
    # A package whose modules lie in different layers is declared module by module (its
    # __init__ holds its docstring only).
    split = {name.rsplit(".", 1)[0] for name in declared if name.count(".") == 2}
    unplaced = [name for name in modules
                if name not in split and not any(name == d or name.startswith(d + ".") for d in declared)]
    assert unplaced == []
