"""Run one git command, hardened, with a hard time limit.

Why ``subprocess`` and not GitPython: GitPython has no time limit of its own, and its
``kill_after_timeout`` kills the ``git`` process from a watchdog thread while helpers such as
``git-remote-https`` or a lazy ``git fetch`` keep our pipes open, so the read can still hang.
Here every git runs in a new session (its own process group); on timeout the whole group is
killed, so the pipes close and the call returns. The environment is built from scratch (nothing
of the worker's own is inherited except PATH, proxies and CA settings), so no stray
``GIT_DIR``, ``GIT_SSH_COMMAND``, credential helper, ``~/.netrc`` or system config can leak in.

The hardening travels to the git processes git itself starts (remote helpers, the lazy fetch
of a missing blob in a partial clone): environment variables are inherited, and ``-c`` options
reach them through ``GIT_CONFIG_PARAMETERS``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
from collections.abc import Sequence
from pathlib import Path

from harvesters.git.errors import GitError, classify, last_line, redact

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 120.0
_REAP_GRACE = 5.0
"""After killing a timed-out group, how long to wait for the pipes to close."""

_INHERITED = ("PATH", "TMPDIR", "http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY",
              "HTTPS_PROXY", "NO_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR", "GIT_SSL_CAINFO",
              "GIT_EXEC_PATH")
"""What an operator may legitimately need from the worker's environment; nothing else."""


def allowed_protocols(allow_file: bool) -> str:
    """``https:http``, plus ``file`` only for operator-configured local sources."""
    return "https:http:file" if allow_file else "https:http"


def hardened_env(*, allow_file: bool, ceiling: Path) -> dict[str, str]:
    """A minimal environment: no user/system config, no prompts, only the allowed transports.

    ``ceiling`` stops repository discovery, so a command run outside a repository (``clone``,
    ``ls-remote``) never picks up a repository that happens to contain the cache directory.
    """
    env = {name: os.environ[name] for name in _INHERITED if name in os.environ}
    env.setdefault("PATH", os.defpath)
    env.update({
        "LC_ALL": "C",  # stable messages for errors.classify
        "LANG": "C",
        "HOME": os.devnull,  # no ~/.gitconfig, ~/.netrc (curl reads it), ~/.git-credentials
        "XDG_CONFIG_HOME": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_SYSTEM": os.devnull,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_ALLOW_PROTOCOL": allowed_protocols(allow_file),
        "GIT_PROTOCOL_FROM_USER": "0",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_ASKPASS": "",  # empty, not unset: git then skips core.askPass and SSH_ASKPASS
        "SSH_ASKPASS": "",
        "GIT_CEILING_DIRECTORIES": str(ceiling),
        "GIT_NO_REPLACE_OBJECTS": "1",
        "GIT_OPTIONAL_LOCKS": "0",
    })
    return env


def hardened_config(*, allow_file: bool) -> list[str]:
    """``-c`` options for every call: no hooks, no helpers, no submodules, no background gc."""
    file_policy = "always" if allow_file else "never"
    settings = {
        "core.hooksPath": os.devnull,
        "core.askPass": "",
        "core.fsmonitor": "false",
        "credential.helper": "",
        "protocol.allow": "never",
        "protocol.https.allow": "always",
        "protocol.http.allow": "always",
        "protocol.file.allow": file_policy,
        "submodule.recurse": "false",
        "fetch.recurseSubmodules": "false",
        "gc.autoDetach": "false",  # a detached gc would outlive the time limit
        "maintenance.autoDetach": "false",
    }
    args: list[str] = []
    for key, value in settings.items():
        args += ["-c", f"{key}={value}"]
    return args


def run_git(args: Sequence[str], *, action: str, cwd: Path, timeout: float,
            allow_file: bool = False, git_dir: Path | None = None, url: str = "") -> bytes:
    """Run ``git <args>`` and return its stdout; raise :class:`GitError` on failure or timeout.

    ``action`` completes the user-facing message ("fetching https://…"); ``url`` is kept on the
    error (redacted) so callers can group failures by repository.
    """
    command = ["git", *hardened_config(allow_file=allow_file)]
    if git_dir is not None:
        command.append(f"--git-dir={git_dir}")
    command += list(args)
    ceiling = cwd.parent if git_dir is None else git_dir.parent
    log.debug("git %s (%s)", redact(" ".join(args)), git_dir or cwd)
    try:
        proc = subprocess.Popen(  # noqa: S603 (fixed argv, no shell)
            command, cwd=cwd, env=hardened_env(allow_file=allow_file, ceiling=ceiling),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True)
    except OSError as exc:
        raise GitError(f"cannot start git while {action}: {exc}", url=url) from exc
    try:
        stdout, stderr_bytes = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise GitError(f"timed out after {timeout:g} s {action}", kind="timeout",
                       url=url) from None
    except BaseException:  # KeyboardInterrupt, a worker being stopped: leave no git behind
        _kill_group(proc)
        raise
    stderr = stderr_bytes.decode("utf-8", "replace")
    if proc.returncode != 0:
        kind, phrase = classify(stderr)
        detail = last_line(stderr) or f"exit status {proc.returncode}"
        raise GitError(f"{phrase} while {action}: {detail}", kind=kind, url=url,
                       stderr=redact(stderr))
    return stdout


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill git and every helper it started, then reap, so no pipe or zombie stays behind."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    try:
        proc.communicate(timeout=_REAP_GRACE)
    except subprocess.TimeoutExpired:  # a helper left the group and holds a pipe: abandon it
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
        proc.wait(timeout=_REAP_GRACE)
