import { closeSync, lstatSync, openSync, readSync } from 'node:fs';
import { SANDBOX_HOME, SUPERVISOR_DIR } from './bwrap-args.ts';

/** The resident's process name (`comm`) while it waits; a step's process is `python3` again. */
export const RESIDENT_NAME = 'labs-resident';

/** The variable that hands the resident its environment (see RESIDENT). */
export const RESIDENT_ENVIRONMENT = 'CRUDDUR_LABS_RESIDENT_ENVIRONMENT';

/** The resident's real uid for a learner's `uid`: one no learner process has (see RESIDENT). */
export function residentUid(uid: number): number {
  return uid + 1_000_000;
}

/**
 * A learner's Python script spends most of a step's CPU before its first line of its own: starting the
 * interpreter and `import boto3` (0.2-0.35 s here, of a 0.45-0.65 s step). A resident interpreter, one per learner
 * repository and sandbox, does that work once: it imports what the course's scripts import, then, for each order
 * (argv and working directory, a line on fd 3), forks a child that runs the script as `python3 <script>` would,
 * in a fresh `__main__`, with the script's directory first on `sys.path`. The child says on fd 3 whether it runs
 * the script (`run`) or declines (`cold`: the script's own folder holds a module of a name the resident imported,
 * which would shadow it in a cold start); it closes fd 3 before any learner code runs, so learner code cannot
 * forge what the host hears. A declined step runs cold.
 *
 * When the child ends, the resident kills and reaps every process of the step (it is their subreaper), empties
 * /tmp, /dev/shm and the home as a cold step finds them, writes a mark (random, made when no process of the step
 * is left) on fd 1 and fd 2, and says `done` with the exit status, the step's CPU time and the mark on fd 3: the
 * host cuts the step's output at the mark. The resident is not dumpable, so learner code of its uid can neither
 * trace it nor read its descriptors.
 */
export const RESIDENT = String.raw`
import os, sys
# Only in its sandbox (its own PID namespace, under bubblewrap, with the supervisor's folder, not root): anywhere
# else, ending every process it may signal and emptying /tmp after a step would reach far beyond the step.
def _inside():
    try:
        with open('/proc/1/comm') as first:
            return os.getuid() != 0 and first.read().strip() == 'bwrap' and os.path.isdir('${SUPERVISOR_DIR}')
    except OSError:
        return False
if not _inside():
    os.write(2, b'the resident interpreter runs only in its sandbox\n')
    os._exit(70)
# Its real and saved uid are its own, the learner's uid only its effective one (the host starts it so), so that no
# process of the learner's uid may signal it: a step's "kill -9 -1", or a kill of its parent, ends only the step's
# own processes, as in a cold sandbox, whose supervisor is root. A step takes the learner's uid for all three.
_real, _learner, _ = os.getresuid()
if _real != _learner:
    os.setresuid(-1, -1, _real)
_before = set(sys.modules)
import ctypes, gc, json, resource, signal, stat, types
# Started with two uids, its environment lost what the C library drops for such a start (LD_*, TMPDIR, ...): the
# host hands it over, and what is missing is put back (what the sandbox's shell set, SHLVL, stays as it is).
_handed = os.environ.pop('${RESIDENT_ENVIRONMENT}', None)
if _handed is not None:
    os.environ.update({key: value for key, value in json.loads(_handed).items() if key not in os.environ})
del _handed
import importlib.machinery
_libc = ctypes.CDLL(None, use_errno=True)
_libc.prctl(15, b'${RESIDENT_NAME}', 0, 0, 0)  # PR_SET_NAME: what ps shows it as (its steps are python3)
_libc.prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE 0
_libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER 1
# What the imports print (a deprecation warning) is no step's output: a resident that heard any declines.
_saved = (os.dup(1), os.dup(2))
_noise = os.memfd_create('imports')
os.dup2(_noise, 1)
os.dup2(_noise, 2)
for _name in ('boto3', 'psycopg'):
    try:
        __import__(_name)
    except Exception:
        pass
try:
    # What boto3.client('dynamodb') and boto3.resource('dynamodb') read from the SDK's own files, once: the
    # models, endpoint rules and defaults, in the default session's loader. Its configuration and credentials are
    # forgotten again: a step reads them from its own environment and home, as a cold start does. (The loop above
    # binds no module name here: boto3 is taken from sys.modules.)
    _boto3 = sys.modules['boto3']
    _boto3.setup_default_session()
    _botocore = _boto3.DEFAULT_SESSION._session
    _files = _botocore.get_component('data_loader')
    for _model in ('service-2', 'endpoint-rule-set-1', 'paginators-1', 'waiters-2', 'resources-1'):
        try:
            _files.load_service_model('dynamodb', _model)
        except Exception:
            pass
    for _model in ('partitions', 'endpoints', 'sdk-default-configuration', '_retry'):
        try:
            _files.load_data(_model)
        except Exception:
            pass
    _botocore._config = None
    _botocore._profile_map = None
    _botocore._credentials = None
    del _boto3, _botocore, _files, _model
except Exception:
    pass
sys.stdout.flush()
sys.stderr.flush()
os.dup2(_saved[0], 1)
os.dup2(_saved[1], 2)
os.close(_saved[0])
os.close(_saved[1])
_quiet = os.fstat(_noise).st_size == 0
os.close(_noise)
_loaded = {name.partition('.')[0] for name in set(sys.modules) - _before}
_channel = open(3, 'rb', closefd=False)
# Its own CPU time counts against the CPU limit as a step's does: it leaves before it could reach it.
signal.signal(signal.SIGXCPU, signal.SIG_IGN)
_cpu_limit = resource.getrlimit(resource.RLIMIT_CPU)[0]

def _fit():
    own = resource.getrusage(resource.RUSAGE_SELF)
    return _cpu_limit == resource.RLIM_INFINITY or own.ru_utime + own.ru_stime < _cpu_limit / 2

def _remove(top):
    # Depth first without recursion (a step may leave a deep tree); a folder it made unwritable is made writable.
    pending = [(top, False)]
    while pending:
        entry, emptied = pending.pop()
        try:
            if not stat.S_ISDIR(os.lstat(entry).st_mode):
                os.unlink(entry)
            elif emptied:
                os.rmdir(entry)
            else:
                os.chmod(entry, 0o700)
                pending.append((entry, True))
                pending.extend((os.path.join(entry, name), False) for name in os.listdir(entry))
        except FileNotFoundError:
            pass

def _wipe():
    # False when something is left (the host then starts a new resident for the next step, as after _fit()).
    try:
        for top in ('/tmp', '/dev/shm', '${SANDBOX_HOME}'):
            for name in os.listdir(top):
                _remove(os.path.join(top, name))
            if os.listdir(top):
                return False
        return True
    except OSError:
        return False

def _end_all():
    # Every process of the step is a descendant: kill and reap until none is left. A process that forks when the
    # signal comes is killed before its child exists; an orphan becomes this process's child, reaped in turn.
    while True:
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return

# What each step's process needs at its end, made here once: made in the step's process, it cost a few CPU ms of
# copy-on-write faults there (reading every module's name touches pages all over the heap).
import atexit
_END_CLASS = compile("""
class End:
    def __init__(self, calls):
        self.status = 0
        self.interrupted = False
        self.calls = calls

    def __del__(self):
        end, kill, pid, handle, interrupt, default = self.calls
        if self.interrupted:
            # An uncaught KeyboardInterrupt ends python3 by SIGINT.
            handle(interrupt, default)
            kill(pid(), interrupt)
        end(self.status)
""", '<resident>', 'exec')
def _resident_modules():
    return tuple(name for name in sys.modules if name not in _before and name != '__main__'), len(sys.modules)
_kept, _counted = _resident_modules()
os.write(3, b'ready\n' if _quiet else b'noisy\n')
while True:
    _line = _channel.readline()
    if not _line:
        os._exit(0)
    if len(sys.modules) != _counted:
        _kept, _counted = _resident_modules()
    _used = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The step's collections then skip the resident's own objects (and leave their pages shared).
    gc.freeze()
    _pid = os.fork()
    if _pid == 0:
        break
    _, _status = os.waitpid(_pid, 0)
    _code = os.waitstatus_to_exitcode(_status)
    _end_all()
    _clean = _wipe() and _fit()
    _after = resource.getrusage(resource.RUSAGE_CHILDREN)
    _mark = os.urandom(16).hex()
    for _fd in (1, 2):
        # Blocking again, whatever the step set on the pipes it shared.
        os.set_blocking(_fd, True)
        os.write(_fd, _mark.encode())
    _cpu = (_after.ru_utime - _used.ru_utime + _after.ru_stime - _used.ru_stime) * 1000
    # A signal's death as a shell reports it (128 + N), which the limits' messages read.
    _done = {'exitCode': 128 - _code if _code < 0 else _code, 'cpuMs': round(_cpu), 'mark': _mark, 'clean': _clean}
    os.write(3, b'done ' + json.dumps(_done).encode() + b'\n')

# The step's own process: the learner's uid for good, dumpable and leading its own process group, as a cold python3
# under its shell.
if _real != _learner:
    os.setresuid(_learner, _learner, _learner)
_libc.prctl(4, 1, 0, 0, 0)
_libc.prctl(15, b'python3', 0, 0, 0)
signal.signal(signal.SIGXCPU, signal.SIG_DFL)
try:
    os.setpgid(0, 0)
except OSError:
    pass
def _decline():
    os.write(3, b'cold\n')
    os._exit(0)
try:
    _order = json.loads(_line)
except ValueError:
    _decline()
if not _quiet or not isinstance(_order, dict):
    _decline()
try:
    os.chdir(_order['cwd'])
    # As python3 <script> names them: __file__ joined to the working directory as typed, sys.path[0] resolved.
    _script = os.path.join(os.getcwd(), _order['argv'][0])
    _folder = os.path.dirname(os.path.realpath(_script))
    _own = {entry.partition('.')[0] for entry in os.listdir(_folder)}
    with open(_script, 'rb') as _file:
        _source = _file.read()
except (OSError, KeyError, IndexError, TypeError):
    _decline()
if _own & _loaded:
    _decline()
# The variables the shell that ran the script by its path would have set, in its order: PWD and _ first.
_environment = {'PWD': _order['cwd'], '_': _order['argv'][0]}
_environment.update((key, value) for key, value in os.environ.items() if key not in _environment)
os.environ.clear()
os.environ.update(_environment)
sys.argv = list(_order['argv'])
if not sys.flags.safe_path:
    sys.path[0] = _folder
_main = types.ModuleType('__main__')
_main.__file__ = _script
_main.__cached__ = None
_main.__loader__ = importlib.machinery.SourceFileLoader('__main__', _script)
sys.modules['__main__'] = _main
os.write(3, b'run\n')
os.close(3)
_channel = None
def _status_of(code):
    # The status python3 exits with for sys.exit(code): None is 0, a number its low byte, anything else 1.
    if code is None:
        return 0
    return code & 0xFF if isinstance(code, int) else 1

# Python's shutdown, as far as a script can see it, runs for real: threads waited for, atexit functions, stdout
# and stderr flushed, the script's modules and objects ended in Python's order (their __del__ run, a file left open
# flushed and closed). Only what follows, the interpreter's own teardown of the heap it shares with the resident
# (0.1-0.15 CPU s, nothing a script sees), is cut short: an object in the sys module, whose names Python clears
# after every other module's, ends the process there with the script's exit status. Its class is made in a scope
# of its own, so that it keeps nothing of this one alive (the script's __main__ must end as Python ends it).
_scope = {}
exec(_END_CLASS, _scope)
_END = '__cruddur_labs_end__'
# The C library's signal(): Python's own may no longer be called at that point.
sys.__dict__[_END] = _scope['End']((os._exit, os.kill, os.getpid, _libc.signal, int(signal.SIGINT), int(signal.SIG_DFL)))
del _scope
# The resident's modules are kept out of the shutdown (their objects stay, frozen, as the resident has them): the
# first atexit function registered is the last to run.
def _keep(names=_kept, pop=sys.modules.pop, keep=ctypes.pythonapi.Py_IncRef, handle=ctypes.py_object):
    for name in names:
        module = pop(name, None)
        if module is not None:
            keep(handle(module))
atexit.register(_keep)
del _before, _kept, _counted, _resident_modules, _END_CLASS, _loaded, _own, _name, _file, _environment, _line, _used, _pid, _saved, _noise, _quiet, _order, _cpu_limit, _inside
try:
    _code = compile(_source, _script, 'exec', dont_inherit=True)
except SyntaxError as _error:
    sys.excepthook(type(_error), _error.with_traceback(None), None)
    sys.__dict__[_END].status = 1
    sys.exit(1)
del _source
_namespace = _main.__dict__
del _main
try:
    exec(_code, _namespace)
except SystemExit as _exit:
    sys.__dict__[_END].status = _status_of(_exit.code)
    del _namespace
    raise
except BaseException as _error:
    # The script's own frames only, as a cold start shows them.
    _error = _error.with_traceback(_error.__traceback__.tb_next)
    sys.excepthook(type(_error), _error, _error.__traceback__)
    sys.__dict__[_END].status = 1
    sys.__dict__[_END].interrupted = isinstance(_error, KeyboardInterrupt)
    del _namespace, _error
    sys.exit(1)
del _namespace
`;

/** What a script's first line must be for the resident interpreter to run it: the course's `#!/usr/bin/env python3`. */
const PYTHON_SHEBANG = /^#![ \t]*\/usr\/bin\/env[ \t]+python3[ \t]*\r?$/;

/**
 * Whether `file` is a regular file (not a link, whose target the host would resolve differently) whose first line
 * is the course's shebang: then the resident python3 runs it exactly as its shebang would.
 */
export function isPythonScript(file: string): boolean {
  let fd: number | undefined;
  try {
    if (!lstatSync(file).isFile()) return false;
    fd = openSync(file, 'r');
    const head = Buffer.alloc(128);
    const length = readSync(fd, head, 0, head.length, 0);
    const line = head.subarray(0, length).toString('utf8').split('\n')[0] ?? '';
    return PYTHON_SHEBANG.test(line);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
