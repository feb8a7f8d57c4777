# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Run a module of the collection in the controller's worker process, with the result its module run would give.

An action plugin of a module's name decides (`where_to_run`) whether the task's module would run on the controller
anyway; if so it runs the module's body (module_utils/_entry_points.py) on an `InProcessModule`, the part of
AnsibleModule our modules use: validation by the same argument spec and validator with the same messages, env
fallbacks from the controller's environment updated with the task's `environment:`, `no_log` values blanked in
the whole result (`invocation.module_args` included), warnings, deprecations, `fail_json`. Otherwise it runs the
module, as ansible.builtin.normal does. No module process, no AnsiballZ, no JSON round trip of the result.
"""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

import contextlib
import json
import multiprocessing
import os
from typing import Any, Callable, Dict, Iterator, List, Mapping, NoReturn, Optional, Tuple, cast

from ansible.errors import AnsibleActionFail
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash

from ansible_collections.mlops.modelarts.plugins.module_utils._client import HAS_REQUESTS
from ansible_collections.mlops.modelarts.plugins.plugin_utils._module_result import (
    as_action_result, inject_invocation, module_output,
)
from ansible_collections.mlops.modelarts.plugins.plugin_utils._option_adapter import OptionAdapter

try:
    from ansible.parsing.ajson import AnsibleJSONEncoder
except ImportError:  # pragma: no cover (every supported ansible-core has it)
    AnsibleJSONEncoder = json.JSONEncoder

display = Display()

RUN_IN_PROCESS_VARIABLE = 'modelarts_run_in_process'
LOCAL_TRANSPORTS = ('local', 'ansible.builtin.local', 'ansible.legacy.local')

# The options that say which project a query asks, and where (the design's "Inventory hosts drive the modules").
SCOPE_OPTIONS = ('project_id', 'project_name', 'region', 'endpoint')
PROJECT_OPTIONS = ('project_id', 'project_name')


# The body of a module (_entry_points.py): it ends the module it is given (exit_json or fail_json).
ModuleBody = Callable[[Any], None]


def where_to_run(transport: Optional[str], async_seconds: Any, become: bool, has_requests: bool,
                 run_in_process: bool) -> Tuple[bool, Optional[str]]:
    """Give back (True, None) to run in-process, or (False, reason) to run the module.

    In-process exactly where the module would run on the controller, in this Python, and could not behave
    differently: a local connection, no async (its job files and async_status belong to the module), no become
    (the module would run as another user), requests importable here, and the variable not false.
    """
    if not run_in_process:
        return False, '%s is false' % RUN_IN_PROCESS_VARIABLE
    if transport not in LOCAL_TRANSPORTS:
        return False, 'the connection is %s, not local' % transport
    if async_seconds:
        return False, 'the task is async'
    if become:
        return False, 'the task uses become'
    if not has_requests:
        return False, 'requests cannot be imported on the controller'
    return True, None


def run_in_process_setting(value: Any) -> bool:
    """Give back the boolean of modelarts_run_in_process (true when unset), or raise AnsibleActionFail."""
    if value is None:
        return True
    try:
        return boolean(value, strict=True)
    except TypeError:
        raise AnsibleActionFail('%s must be a boolean; got %r' % (RUN_IN_PROCESS_VARIABLE, value))


def scope_variable(option: str) -> str:
    """Give back the name of the host variable that gives scope option `option` (modelarts_project_id)."""
    return 'modelarts_' + option


def arguments_with_host_scope(args: Mapping[str, Any], host_scope: Mapping[str, Any]) -> Mapping[str, Any]:
    """Give back the task's arguments with the host's project, region and endpoint where the task names none.

    `args` are the task's arguments with module_defaults applied; `host_scope` maps scope options to the values of
    the host's modelarts_* variables (those that are set). The task wins as a whole: naming any scope option (in
    its arguments or module_defaults) keeps every host variable out, so a task's region never meets a host's
    project. Otherwise each host value is passed as an argument, so it wins over its environment variable. A host
    that names its project names it alone: the other project option is passed as null, which keeps OS_PROJECT_ID
    or OS_PROJECT_NAME of the environment (another project) from filling it; region and endpoint keep their
    environment fallbacks where the host sets none (a MODELARTS_ENDPOINT of a private cloud serves every host).
    """
    if not host_scope or any(option in args for option in SCOPE_OPTIONS):
        return args
    scoped = dict(args)
    scoped.update(host_scope)
    if any(option in host_scope for option in PROJECT_OPTIONS):
        for option in PROJECT_OPTIONS:
            scoped.setdefault(option, None)
    return scoped


def plain_arguments(args: Mapping[str, Any]) -> Dict[str, Any]:
    """Give back the task's arguments as the module would receive them: plain JSON types, vaulted values decrypted."""
    try:
        text = json.dumps(args, cls=AnsibleJSONEncoder, vault_to_text=True)
    except TypeError:
        text = json.dumps(args, default=str)
    return json.loads(text)


def prepare_forks() -> None:
    """In the controller's main process, do once what every worker of a task would otherwise do again, first.

    The strategy loads this action's class in the main process before it forks a worker per host, and each worker
    starts from a copy of the main process. What a worker does for the first time costs more than doing it again:
    imports (requests imports `netrc` on every request of a Session that reads the environment), the Jinja lexer
    (ansible-core makes it at a worker's first template; its own source notes that it should be made before
    forking), the filter and test plugins (ansible-core loads every plugin file of both at a process' first filter
    or test: 9 ms of each worker's CPU when the benchmark's task arguments used `| int`), the caches of isinstance()
    against abstract classes (requests, the argument validation and remove_values() ask them of every value) and of
    the JSON encoders. So the main process rehearses, once and with no network: a template with a filter and a test,
    an in-process module's validation and exit (rehearse_module_exit), and the preparation of a request. All of it
    gives the same results whoever does it first; anything going wrong here is left to the worker, which then does
    it as before.
    """
    if multiprocessing.parent_process() is not None:
        return  # a worker: what it would prepare here dies with it
    try:
        import netrc  # noqa: F401  pylint: disable=unused-import
    except ImportError:  # pragma: no cover (standard library)
        pass
    try:
        from ansible.template import Templar
        try:
            from ansible.template import trust_as_template
        except ImportError:  # ansible-core before 2.19 templates every string
            def trust_as_template(value: Any) -> Any:
                return value
        # One filter and one test: each loads its loader's whole set of plugins (and its ansible.builtin names).
        Templar(loader=None).template(trust_as_template('{{ 0 | int is number }}'))
        rehearse_module_exit(trust_as_template)
    except Exception:  # pylint: disable=broad-exception-caught
        pass
    if HAS_REQUESTS:
        try:
            rehearse_request()
        except Exception:  # pylint: disable=broad-exception-caught
            pass


def rehearse_module_exit(tagged: Callable[[str], Any]) -> None:
    """Validate made-up options and end an InProcessModule with a made-up result, as a task would (no network)."""
    options = dict(token=tagged('rehearsal-token'), project_id='rehearsal', endpoint='https://modelarts.invalid',
                   status=['running'], include_versions=False)
    try:
        module = InProcessModule(plain_arguments(options), module_name='rehearsal')
        module.exit_json(changed=False, total_count=1, complete=True, requests=2,
                         gpu_summary=dict(gpu_num=1, by_status=dict(running=dict(gpu_num=1, npu_num=0, versions=1))),
                         query=dict(status=['running'], names=[], pool_id=None, include_versions=False))
    except ModuleExit as exit_:
        as_action_result(exit_.result)


def rehearse_request() -> None:
    """Prepare (never send) a login request the way requests prepares each one: settings, headers, body, proxies."""
    import requests
    session = requests.Session()
    try:
        url = 'https://iam.invalid/v3/auth/tokens'
        request = requests.Request('POST', url, params=dict(nocatalog='true'), json=dict(auth=dict(methods=['password'])),
                                   headers={'Content-Type': 'application/json'})
        session.prepare_request(request)
        session.merge_environment_settings(url, {}, None, True, None)
    finally:
        session.close()


@contextlib.contextmanager
def environment_applied(changes: Mapping[str, str]) -> Iterator[None]:
    """Set `changes` in os.environ while the block runs, then put back what was there.

    The module process would see them in its environment: clouds.yaml's OS_CLIENT_CONFIG_FILE, requests' proxy and
    CA bundle variables. The worker process runs one task, so nothing else reads os.environ meanwhile.
    """
    saved = dict((name, os.environ.get(name)) for name in changes)
    os.environ.update(changes)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class ModuleExit(Exception):
    """exit_json() or fail_json() of an InProcessModule: carries the module's result."""

    def __init__(self, result: Dict[str, Any]) -> None:
        super(ModuleExit, self).__init__('module exit')
        self.result = result


class InProcessModule(object):
    """The part of AnsibleModule the collection's module bodies use, in this process.

    exit_json() and fail_json() raise ModuleExit with the result a module run would print; validation failures
    raise it from the constructor, as AnsibleModule ends the module there.
    """

    def __init__(self, args: Mapping[str, Any], extra_spec: Optional[Dict[str, Dict[str, Any]]] = None,
                 environment: Optional[Mapping[str, str]] = None, check_mode: bool = False,
                 module_name: Optional[str] = None, with_invocation: bool = True) -> None:
        self.check_mode = check_mode
        self.with_invocation = with_invocation
        self._warnings: List[str] = []
        self._deprecations: List[Dict[str, Any]] = []
        self._recorded: Optional[Dict[str, Any]] = None
        validated = OptionAdapter.from_dict(args).validate(extra_spec, environment=environment, module_name=module_name)
        self.params = validated.params
        self.no_log_values = validated.no_log_values
        for warning in validated.warnings:
            self.warn(warning)
        self._deprecations.extend(validated.deprecations)
        if validated.error:
            self.fail_json(msg=validated.error)

    def warn(self, warning: str) -> None:
        # ansible-core 2.19+ keeps each warning once; older ones would repeat it: ours never repeat one.
        if warning not in self._warnings:
            self._warnings.append(warning)

    def exit_json(self, **kwargs: Any) -> NoReturn:
        self._return_formatted(kwargs)
        raise ModuleExit(cast(Dict[str, Any], self._recorded))  # _return_formatted() recorded it

    def fail_json(self, msg: Any, **kwargs: Any) -> NoReturn:
        kwargs.update(failed=True, msg=str(msg))
        self._return_formatted(kwargs)
        raise ModuleExit(cast(Dict[str, Any], self._recorded))  # _return_formatted() recorded it

    def _record_module_result(self, output: Dict[str, Any]) -> None:
        """Keep the output (the hook exit_query() wraps, as on AnsibleModule of ansible-core 2.19+)."""
        self._recorded = output

    def _return_formatted(self, kwargs: Dict[str, Any]) -> None:
        """Format the result as AnsibleModule._return_formatted does, then hand it to _record_module_result()."""
        kwargs.pop('exception', None)  # tracebacks are a module's detail; the in-process failure needs none
        if 'invocation' not in kwargs and self.with_invocation:
            kwargs['invocation'] = {'module_args': self.params}
        if self._warnings:
            kwargs['warnings'] = list(self._warnings)
        if self._deprecations:
            kwargs['deprecations'] = list(self._deprecations)
        self._record_module_result(module_output(kwargs, self.no_log_values))


def run_module_in_process(body: ModuleBody, args: Mapping[str, Any], extra_spec: Optional[Dict[str, Dict[str, Any]]] = None,
                          environment: Optional[Mapping[str, str]] = None, check_mode: bool = False,
                          module_name: Optional[str] = None, with_invocation: bool = True) -> Dict[str, Any]:
    """Give back the result of running module body `body` on `args` in this process, as its module run gives it."""
    try:
        module = InProcessModule(args, extra_spec, environment=environment, check_mode=check_mode,
                                 module_name=module_name, with_invocation=with_invocation)
        body(module)
    except ModuleExit as exit_:
        return as_action_result(exit_.result)
    raise AnsibleActionFail('the module body of %s ended without exit_json or fail_json' % module_name)


class InProcessModuleAction(ActionBase):
    """An action plugin that runs its module's body in-process when the module would run on the controller.

    Subclasses name the body (`module_body = staticmethod(...)`) and the options the module adds to the shared spec
    (`extra_spec`).
    """

    _supports_check_mode = True
    _supports_async = True

    module_body: ModuleBody = None  # type: ignore[assignment]  # each subclass names its module's body
    extra_spec: Optional[Dict[str, Dict[str, Any]]] = None

    def where_to_run(self, task_vars: Optional[Dict[str, Any]]) -> Tuple[bool, Optional[str]]:
        """Give back (in_process, reason) for this task (see where_to_run())."""
        setting = (task_vars or {}).get(RUN_IN_PROCESS_VARIABLE)
        if setting is not None:
            setting = self._templar.template(setting)
        return where_to_run(
            transport=getattr(self._connection, 'transport', None),
            async_seconds=self._task.async_val,
            become=bool(self._play_context.become),
            has_requests=HAS_REQUESTS,
            run_in_process=run_in_process_setting(setting),
        )

    def host_scope(self, task_vars: Optional[Dict[str, Any]]) -> Dict[str, Any]:
        """Give back {scope option: value} of the host's modelarts_* scope variables that are set, templated.

        Templated as Ansible templates any variable a task uses: a value a user wrote as a template is rendered,
        one marked unsafe (what an inventory plugin read from IAM) is kept as it is, never rendered.
        """
        scope: Dict[str, Any] = {}
        for option in SCOPE_OPTIONS:
            value = (task_vars or {}).get(scope_variable(option))
            if value is not None:
                value = self._templar.template(value)
            if value is not None:
                scope[option] = value
        return scope

    def module_arguments(self, task_vars: Optional[Dict[str, Any]]) -> Mapping[str, Any]:
        """Give back the task's arguments (module_defaults applied) completed by the host's scope variables."""
        args = arguments_with_host_scope(self._task.args, self.host_scope(task_vars))
        if args is not self._task.args:
            display.vvv('%s: project, region or endpoint from the host variables %s' % (
                self._task.action, ', '.join(scope_variable(option) for option in SCOPE_OPTIONS
                                             if args.get(option) is not None and option not in self._task.args)))
        return args

    def task_environment(self) -> Dict[str, str]:
        """Give back the task's `environment:` (templated, merged as for a module) with text values."""
        task_environment: Dict[str, Any] = {}
        self._compute_environment_string(task_environment)
        # The shell writes each value with str() into the module's command line.
        return dict((str(name), str(value)) for name, value in task_environment.items())

    def run(self, tmp: Any = None, task_vars: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        result = super(InProcessModuleAction, self).run(tmp, task_vars)
        del tmp  # tmp no longer has any effect
        in_process, reason = self.where_to_run(task_vars)
        args = self.module_arguments(task_vars)
        if not in_process:
            display.vvv('%s: running the module (%s)' % (self._task.action, reason))
            wrap_async = self._task.async_val and not self._connection.has_native_async
            result = merge_hash(result, self._execute_module(module_args=args, task_vars=task_vars, wrap_async=wrap_async))
            if not wrap_async:
                self._remove_tmp_path(self._connection._shell.tmpdir)
            return result
        display.vvv('%s: running in the controller process, no module process' % self._task.action)
        changes = self.task_environment()
        with environment_applied(changes):
            result.update(run_module_in_process(
                self.module_body, plain_arguments(args), extra_spec=self.extra_spec,
                environment=dict(os.environ), check_mode=bool(self._task.check_mode), module_name=self._task.action,
                with_invocation=inject_invocation(task_vars),
            ))
        return result


prepare_forks()
