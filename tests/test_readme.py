"""The README's commands are the ones CI runs, and its run command works."""

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _commands():
    return re.findall(r"```sh\n(python3 -m venv[^\n]+)\n```", (REPO / "README.md").read_text())


def test_readme_has_the_two_setup_commands_and_ci_runs_the_second():
    install, tests = _commands()
    assert install.endswith("blocwatch demo")
    assert "pytest" in tests
    assert tests in (REPO / ".ci" / "run").read_text()


def test_the_main_job_runs_on_a_fresh_default_database(tmp_path):
    env = {**os.environ, "BLOCWATCH_DB": str(tmp_path / "fresh.sqlite")}
    blocwatch = Path(sys.executable).with_name("blocwatch")
    result = subprocess.run([str(blocwatch), "demo"], env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Turkmenistan" in result.stdout and "Semerikov" in result.stdout
    assert (tmp_path / "fresh.sqlite").exists()
