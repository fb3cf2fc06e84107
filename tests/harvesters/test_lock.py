"""Only one harvest at a time: the second stops at once with exit code 3 and a clear message."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from harvesters.lock import HarvestAlreadyRunning, harvest_lock
from registry.cli import main


def test_second_lock_is_refused_and_released_after(tmp_path, engine):
    with (harvest_lock(tmp_path, engine),
          pytest.raises(HarvestAlreadyRunning, match="another harvest is running"),
          harvest_lock(tmp_path, engine)):
        pass
    with harvest_lock(tmp_path, engine):  # released: a new run may start
        pass


def test_cli_exits_3_while_another_harvest_runs(tmp_path, engine, database_url):
    config = tmp_path / "allmende.toml"
    config.write_text(f'data_dir = "{tmp_path / "data"}"\n[[sources]]\nname = "x"\n'
                      f'type = "files"\npath = "{tmp_path}"\n')
    env = {"ALLMENDE_DATABASE_URL": database_url, "ALLMENDE_DATA_DIR": str(tmp_path / "data")}
    with harvest_lock(tmp_path / "data", engine):
        result = CliRunner().invoke(main, ["--config", str(config), "harvest"], env=env)
    assert result.exit_code == 3
    assert "another harvest is running" in result.stderr
    result = CliRunner().invoke(main, ["--config", str(config), "harvest"], env=env)
    assert result.exit_code == 0, result.output
