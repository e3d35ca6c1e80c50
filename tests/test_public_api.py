import inspect

import querysentry


def test_all_lists_exactly_the_public_names() -> None:
    names = (name for name in dir(querysentry) if not name.startswith("_"))
    public = {name for name in names if not inspect.ismodule(getattr(querysentry, name))}
    assert set(querysentry.__all__) - {"__version__"} == public


def test_importing_the_package_does_not_load_heavy_runtimes() -> None:
    import subprocess
    import sys

    code = "import sys, querysentry; print(sorted(m for m in ('onnxruntime', 'faiss', 'click') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
