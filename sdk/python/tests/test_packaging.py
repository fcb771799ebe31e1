"""The package ships the repository's .proto files: mast_exhook/protos links to mast-exhook-proto's, and the
wheel holds them as real files."""

import os
import shutil
import subprocess
import sys
import zipfile

SDK = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROTOS = os.path.join(SDK, "mast_exhook", "protos")


def test_the_protos_are_the_repositorys():
    assert os.path.islink(PROTOS)
    assert os.path.realpath(PROTOS) == os.path.realpath(
        os.path.join(SDK, "..", "..", "mast-exhook-proto", "src", "main", "proto"))


def test_the_wheel_contains_the_proto_files(tmp_path):
    # pip builds in the project's folder: build a copy, so that concurrent runs do not share build/. The copy's
    # link points where the repository's does.
    src = tmp_path / "src"
    shutil.copytree(SDK, src, symlinks=True,
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__", ".pytest_cache", "tests"))
    os.remove(src / "mast_exhook" / "protos")
    os.symlink(os.path.realpath(PROTOS), src / "mast_exhook" / "protos")
    # --no-build-isolation: use the installed setuptools (Debian's python3-setuptools); no index is needed.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                    "--quiet", "-w", str(tmp_path / "dist"), str(src)], check=True, timeout=120)
    wheels = list((tmp_path / "dist").glob("mast_exhook-*.whl"))
    assert len(wheels) == 1
    with zipfile.ZipFile(wheels[0]) as whl:
        names = whl.namelist()
        for version in ("v3", "v2"):
            proto = whl.read(f"mast_exhook/protos/emqx/exhook/{version}/exhook.proto").decode()
            assert f"package emqx.exhook.{version};" in proto
        stream = whl.read("mast_exhook/protos/mast/exhook/v1/stream.proto").decode()
        assert "package mast.exhook.v1;" in stream
    assert "mast_exhook/__init__.py" in names
    assert "emqx_extension/driver.py" in names
    assert not any(n.startswith("tests/") for n in names)
