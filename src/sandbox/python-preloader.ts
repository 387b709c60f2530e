import { closeSync, lstatSync, openSync, readSync } from 'node:fs';
import { SANDBOX_HOME, SUPERVISOR_DIR, WARM_BIN_DIR, WARM_CHANNEL_DIR } from './bwrap-args.ts';

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
# process of the learner's uid may signal it (a step's "kill -9 -1" ends the step's processes, as in a cold start,
# and not the resident); a step takes the learner's uid for all three.
_real, _learner, _ = os.getresuid()
if _real != _learner:
    os.setresuid(-1, -1, _real)
_before = set(sys.modules)
import ctypes, gc, json, resource, signal, stat, types
# Started with two uids, its environment lost what the C library drops for such a start (TMPDIR, LD_*, ...): the
# host hands it over, and what is missing is put back (what the sandbox's shell set, SHLVL, stays as it is).
_handed = os.environ.pop('${RESIDENT_ENVIRONMENT}', None)
if _handed is not None:
    for _key, _value in json.loads(_handed).items():
        os.environ.setdefault(_key, _value)
    del _key, _value
del _handed
import importlib.machinery
_libc = ctypes.CDLL(None, use_errno=True)
_libc.prctl(15, b'${RESIDENT_NAME}', 0, 0, 0)  # PR_SET_NAME: what ps shows it as (its steps are python3)
_libc.prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE 0
_libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER 1
# What the imports print (a deprecation warning) is no step's output: a resident that heard any declines.
_saved = (os.dup(1), os.dup(2))
# What the imports change of the environment (awscli adds AWS_DATA_PATH) is undone: a step gets its own. The shim's
# folder on PATH is for the scripts it executes (see AWS_SHIM); a Python step sees PATH as its shell had it.
_environ = dict(os.environ)
_shimmed = _environ.get('PATH', '').startswith('${WARM_BIN_DIR}:')
if _shimmed:
    _environ['PATH'] = _environ['PATH'][len('${WARM_BIN_DIR}:'):]
_noise = os.memfd_create('imports')
os.dup2(_noise, 1)
os.dup2(_noise, 2)
for _name in ('boto3', 'psycopg', 'awscli.clidriver'):
    try:
        __import__(_name)
    except Exception:
        pass
try:
    # What boto3.client('dynamodb') and boto3.resource('dynamodb') read from the SDK's own files, once: the
    # models, endpoint rules and defaults, in the default session's loader. Its configuration and credentials are
    # forgotten again: a step reads them from its own environment and home, as a cold start does.
    os.environ.clear()
    os.environ.update(_environ)
    boto3.setup_default_session()
    _botocore = boto3.DEFAULT_SESSION._session
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
    del _botocore, _files, _model
except Exception:
    pass
os.environ.clear()
os.environ.update(_environ)
del _environ
sys.stdout.flush()
sys.stderr.flush()
os.dup2(_saved[0], 1)
os.dup2(_saved[1], 2)
os.close(_saved[0])
os.close(_saved[1])
_quiet = os.fstat(_noise).st_size == 0
os.close(_noise)

def _aws_entry():
    # The AWS CLI's entry point next to this interpreter and started by it (its shebang): the one a step's "aws"
    # runs cold when its shell finds it there, which a child forked from here can run warm.
    if 'awscli.clidriver' not in sys.modules:
        return None
    entry = os.path.join(os.path.dirname(sys.executable), 'aws')
    try:
        with open(entry, 'rb') as file:
            first = file.readline().rstrip()
    except OSError:
        return None
    interpreter = first[2:].strip()
    if not first.startswith(b'#!') or b' ' in interpreter or os.path.realpath(os.fsdecode(interpreter)) != os.path.realpath(sys.executable):
        return None
    return os.path.realpath(entry)

# What Python reads from the environment as it starts (a warm aws whose shell changed any of them runs cold).
def _startup_variable(key):
    return key.startswith(('PYTHON', 'LC_')) or key in ('LANG', 'LANGUAGE', 'TZ')
_startup = {key: value for key, value in os.environ.items() if _startup_variable(key)}
_aws = _aws_entry()
_listener = None
_socket_path = '${WARM_CHANNEL_DIR}/aws.sock'
if _aws is not None and hasattr(os, 'pidfd_open') and os.path.isdir('${WARM_CHANNEL_DIR}'):
    import array, fcntl, selectors, socket, struct
    try:
        _listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        _listener.bind(_socket_path)
        _listener.listen(16)
        _listener.setblocking(False)
        _listener_inode = os.lstat(_socket_path).st_ino
    except OSError:
        if _listener is not None:
            _listener.close()
        _listener = None
# Every module imported so far is one a script of its own folder could shadow (see the step's check below).
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
        if os.path.isdir('${WARM_CHANNEL_DIR}'):
            # Only the listener's own socket stays (a step may have replaced it: then it is not the listener's).
            kept = [] if _listener is None else ['aws.sock']
            for name in os.listdir('${WARM_CHANNEL_DIR}'):
                if name not in kept:
                    _remove(os.path.join('${WARM_CHANNEL_DIR}', name))
            if os.listdir('${WARM_CHANNEL_DIR}') != kept or (_listener is not None and os.lstat(_socket_path).st_ino != _listener_inode):
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

class _Forked(Exception):
    # Carries a child forked for a step's aws out of the resident's loop; unwinding closes what the loop held.
    pass

def _say(fd, words):
    try:
        os.set_blocking(fd, False)
        os.write(fd, words)
    except OSError:
        pass

# At most this many descriptors of a shim (its inheritable ones, and its answer pipe) come with an order.
_MOST_FDS = 64

def _order_aws(connection, watch, held):
    # One "aws" of the step, asked for by the shim on PATH (AWS_SHIM): its arguments, working directory and
    # environment, and as descriptors the ones it would have passed on to a cold aws (stdin, stdout, stderr and
    # any other its shell left open, at the numbers in "fds"), then a pipe for the answer. Anything else is
    # dropped; an aws this resident cannot run as a cold start would (another one, a changed Python environment)
    # is answered "cold", and the shim runs it itself.
    try:
        data, ancillary, flags, _ = connection.recvmsg(1 << 20, socket.CMSG_SPACE(_MOST_FDS * 4))
    except OSError:
        return
    received = array.array('i')
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            received.frombytes(payload[:len(payload) - len(payload) % received.itemsize])
    fds = list(received)
    try:
        if not fds or flags & (socket.MSG_TRUNC | socket.MSG_CTRUNC):
            return
        order = json.loads(data)
        args, cwd, env, entry, targets = order['argv'], order['cwd'], order['env'], order['aws'], order['fds']
        if not (isinstance(args, list) and all(isinstance(arg, str) for arg in args) and isinstance(cwd, str) and isinstance(entry, str)
                and isinstance(env, dict) and all(isinstance(key, str) and isinstance(value, str) for key, value in env.items())
                and isinstance(targets, list) and all(type(target) is int and 0 <= target < 1 << 16 for target in targets)
                and len(set(targets)) == len(targets) == len(fds) - 1):
            return
        if os.path.realpath(entry) != _aws or {key: value for key, value in env.items() if _startup_variable(key)} != _startup:
            _say(fds[-1], b'cold\n')
            return
        try:
            group = os.getpgid(struct.unpack('3i', connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))[0])
        except OSError:
            group = 0
        child = os.fork()
        if child == 0:
            # Above every number they go to, until the resident's own descriptors are closed (see the child's code).
            above = max(targets + fds) + 1
            moved = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, above) for fd in fds]
            raise _Forked({'argv': [entry] + args, 'cwd': cwd, 'env': env, 'group': group, 'fds': list(zip(targets, moved[:-1])), 'reply': moved[-1]})
        reply = fds.pop()
        _say(reply, b'pid %d\n' % child)
        ended = os.pidfd_open(child)
        held.extend((reply, ended))
        watch.register(ended, selectors.EVENT_READ, ('aws', child, reply, ended))
    except (ValueError, KeyError, TypeError, OSError):
        return
    finally:
        for fd in fds:
            try:
                os.close(fd)
            except OSError:
                pass

def _serve(step):
    # Waits for the step's process to end. Meanwhile each "aws" the step runs (through the shim on its PATH)
    # is forked from here, warm, as a child of this resident in the step's sandbox: the step's end ends it too.
    if _listener is None:
        return os.waitpid(step, 0)[1]
    watch = selectors.DefaultSelector()
    held = []
    try:
        ended = os.pidfd_open(step)
        held.append(ended)
        watch.register(ended, selectors.EVENT_READ, None)
        watch.register(_listener, selectors.EVENT_READ, 'listener')
        while True:
            for key, _ in watch.select():
                if key.data is None:
                    return os.waitpid(step, 0)[1]
                if key.data == 'listener':
                    try:
                        connection, _ = _listener.accept()
                        connection.setblocking(False)
                    except OSError:
                        continue
                    watch.register(connection, selectors.EVENT_READ, ('order', connection))
                elif key.data[0] == 'order':
                    connection = key.data[1]
                    watch.unregister(connection)
                    try:
                        _order_aws(connection, watch, held)
                    finally:
                        connection.close()
                else:
                    _, child, reply, ended = key.data
                    watch.unregister(ended)
                    _, status = os.waitpid(child, 0)
                    _say(reply, b'exit %d\n' % os.waitstatus_to_exitcode(status))
                    for fd in (reply, ended):
                        held.remove(fd)
                        os.close(fd)
    finally:
        # Here too in a child forked for aws, before any of its code runs.
        for key in list(watch.get_map().values()):
            if isinstance(key.data, tuple) and key.data[0] == 'order':
                key.data[1].close()
        watch.close()
        for fd in held:
            try:
                os.close(fd)
            except OSError:
                pass

os.write(3, b'ready\n' if _quiet else b'noisy\n')
while True:
    _line = _channel.readline()
    if not _line:
        os._exit(0)
    _used = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The step's collections then skip the resident's own objects (and leave their pages shared).
    gc.freeze()
    _pid = os.fork()
    if _pid == 0:
        _forked = None
        break
    try:
        _status = _serve(_pid)
    except _Forked as _child:
        _forked = _child.args[0]
        break
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

# The step's own process (or an aws of the step): the learner's uid for good, dumpable, as a cold process of the step.
if _real != _learner:
    os.setresuid(_learner, _learner, _learner)
_libc.prctl(4, 1, 0, 0, 0)
signal.signal(signal.SIGXCPU, signal.SIG_DFL)
if _listener is not None:
    _listener.close()
if _forked is None:
    def _tell(words):
        os.write(3, words)
else:
    # The host's channel is the resident's alone (the loop's own descriptors were closed as it unwound); then the
    # shim's descriptors take their numbers. An aws answers its shim.
    os.close(3)
    _channel = None
    for _target, _fd in _forked['fds']:
        os.dup2(_fd, _target)
        os.close(_fd)
    for _fd in {0, 1, 2} - {_target for _target, _ in _forked['fds']}:
        os.close(_fd)
    _reply = _forked['reply']
    def _tell(words):
        os.write(_reply, words)
def _decline():
    _tell(b'cold\n')
    os._exit(0)
if _forked is None:
    try:
        _order = json.loads(_line)
    except ValueError:
        _decline()
    if not isinstance(_order, dict):
        _decline()
    _group = 0
else:
    _order = _forked
    _group = _order['group']
# Its process group as under its shell: a step leads its own, an aws joins its shell's (the shim's).
for _leader in (_group, 0):
    try:
        os.setpgid(0, _leader)
        break
    except OSError:
        pass
_libc.prctl(15, b'python3' if _forked is None else b'aws', 0, 0, 0)
if _forked is None and _order.get('exec') is True:
    # Any other script the step runs by its path (bash's): executed as its shell would, here in the sandbox, so
    # that an aws it runs can be served warm. What the kernel could not start (no shebang, an interpreter missing,
    # not executable) runs cold, where the shell's own message and status tell it.
    try:
        os.chdir(_order['cwd'])
        _target = _order['argv'][0]
        _info = os.stat(_target)
        with open(_target, 'rb') as _file:
            _head = _file.readline(256)
        _interpreter = _head[2:].split()[:1] if _head.startswith(b'#!') else []
        _runnable = stat.S_ISREG(_info.st_mode) and os.access(_target, os.X_OK) and bool(_interpreter) and os.path.isfile(_interpreter[0]) and os.access(_interpreter[0], os.X_OK)
    except (OSError, KeyError, IndexError, TypeError, ValueError):
        _decline()
    if not _runnable:
        _decline()
    _environment = {'PWD': _order['cwd'], '_': _target}
    _environment.update((key, value) for key, value in os.environ.items() if key not in _environment)
    if _shimmed:
        _environment['PATH'] = '${WARM_BIN_DIR}:' + _environment.get('PATH', '')
    _tell(b'run\n')
    os.close(3)
    # Python ignores these two; a process it starts must not inherit that.
    for _number in (signal.SIGPIPE, signal.SIGXFSZ):
        signal.signal(_number, signal.SIG_DFL)
    try:
        os.execve(_target, _order['argv'], _environment)
    except OSError as _error:
        os.write(2, ('%s: %s\n' % (_target, _error.strerror)).encode())
        os._exit(126)
if not _quiet:
    _decline()
_suffixes = tuple(importlib.machinery.all_suffixes())
try:
    os.chdir(_order['cwd'])
    # As python3 <script> names them: __file__ joined to the working directory as typed, sys.path[0] resolved.
    _script = os.path.join(os.getcwd(), _order['argv'][0])
    _folder = os.path.dirname(os.path.realpath(_script))
    # What an import could find there first: packages (or namespace folders) and module files.
    _own = {entry.name.partition('.')[0] for entry in os.scandir(_folder) if entry.name.endswith(_suffixes) or entry.is_dir()}
    with open(_script, 'rb') as _file:
        _source = _file.read()
except (OSError, KeyError, IndexError, TypeError):
    _decline()
if _own & _loaded:
    _decline()
if _forked is None:
    # The variables the shell that ran the script by its path would have set, in its order: PWD and _ first.
    _environment = {'PWD': _order['cwd'], '_': _order['argv'][0]}
    _environment.update((key, value) for key, value in os.environ.items() if key not in _environment)
else:
    # An aws gets its shell's environment as it was sent.
    _environment = _order['env']
os.environ.clear()
os.environ.update(_environment)
if _forked is not None:
    # What importing awscli does with the environment (AWS_DATA_PATH), done again with this one's.
    import awscli
    with open(awscli.__file__, 'rb') as _file:
        exec(compile(_file.read(), awscli.__file__, 'exec'), awscli.__dict__)
sys.argv = list(_order['argv'])
if not sys.flags.safe_path:
    sys.path[0] = _folder
_main = types.ModuleType('__main__')
_main.__file__ = _script
_main.__cached__ = None
_main.__loader__ = importlib.machinery.SourceFileLoader('__main__', _script)
sys.modules['__main__'] = _main
if _forked is None:
    _tell(b'run\n')
    os.close(3)
else:
    os.close(_reply)
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
exec(compile("""
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
""", '<resident>', 'exec'), _scope)
_END = '__cruddur_labs_end__'
# The C library's signal(): Python's own may no longer be called at that point.
sys.__dict__[_END] = _scope['End']((os._exit, os.kill, os.getpid, _libc.signal, int(signal.SIGINT), int(signal.SIG_DFL)))
del _scope
# The resident's modules are kept out of the shutdown (their objects stay, frozen, as the resident has them): the
# first atexit function registered is the last to run.
import atexit
def _keep(names=tuple(name for name in sys.modules if name not in _before and name != '__main__'), pop=sys.modules.pop, keep=ctypes.pythonapi.Py_IncRef, handle=ctypes.py_object):
    for name in names:
        module = pop(name, None)
        if module is not None:
            keep(handle(module))
atexit.register(_keep)
del _before, _loaded, _own, _name, _file, _environment, _line, _used, _pid, _saved, _noise, _quiet, _order, _cpu_limit, _inside, _forked, _group, _leader, _suffixes
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

/**
 * The `aws` first on PATH in a resident's sandbox (WARM_BIN_DIR): it finds the aws its shell would have run
 * without it, and asks the resident (through the socket in WARM_CHANNEL_DIR) to run that one warm, handing over
 * its stdin, stdout and stderr; it then waits for the exit status and ends with it (dying by the same signal,
 * forwarding the signals it gets meanwhile). When no resident answers or the resident declines, it executes that
 * aws itself, cold, with the same arguments: a learner sees the same aws either way.
 */
export const AWS_SHIM = String.raw`#!/usr/bin/env -S python3 -I -S
import array, json, os, signal, socket, sys
def _found():
    for folder in os.environ.get('PATH', '').split(':'):
        folder = folder or '.'
        if os.path.realpath(folder) == '${WARM_BIN_DIR}':
            continue
        candidate = os.path.join(folder, 'aws')
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None
_entry = _found()
def _cold():
    if _entry is None:
        os.write(2, b'aws: command not found\n')
        os._exit(127)
    os.execv(_entry, ['aws'] + sys.argv[1:])
if _entry is None:
    _cold()
def _inheritable(fd):
    try:
        return os.get_inheritable(fd)
    except OSError:
        return False
try:
    # What a cold aws would get from its shell: every descriptor left open for it, at its number.
    _fds = sorted(fd for fd in map(int, os.listdir('/proc/self/fd')) if _inheritable(fd))
    if len(_fds) >= 64:
        _cold()
    _order = json.dumps({'aws': _entry, 'argv': sys.argv[1:], 'cwd': os.getcwd(), 'env': dict(os.environ), 'fds': _fds}).encode()
    _resident = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    _resident.connect('${WARM_CHANNEL_DIR}/aws.sock')
    _answer, _reply = os.pipe()
    _resident.sendmsg([_order], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', _fds + [_reply]))])
except (OSError, ValueError):
    _cold()
os.close(_reply)
_resident.close()
_child = None
def _forward(number, frame):
    if _child is not None:
        try:
            os.kill(_child, number)
        except OSError:
            pass
for _number in (signal.SIGHUP, signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGUSR1, signal.SIGUSR2):
    if signal.getsignal(_number) != signal.SIG_IGN:
        signal.signal(_number, _forward)
_said = b''
while True:
    _chunk = os.read(_answer, 256)
    if not _chunk:
        break
    _said += _chunk
    for _line in _said.split(b'\n')[:-1]:
        if _line.startswith(b'pid '):
            _child = int(_line[4:])
_lines = _said.split(b'\n')
if b'cold' in _lines:
    _cold()
_status = [int(_line[5:]) for _line in _lines if _line.startswith(b'exit ')]
if not _status:
    os.write(2, b'aws: the warm AWS CLI ended without an exit status\n')
    os._exit(1)
if _status[0] < 0:
    signal.signal(-_status[0], signal.SIG_DFL)
    os.kill(os.getpid(), -_status[0])
os._exit(_status[0] & 0xFF)
`;

/** What a script's first line must be for the resident interpreter to run it: the course's `#!/usr/bin/env python3`. */
const PYTHON_SHEBANG = /^#![ \t]*\/usr\/bin\/env[ \t]+python3[ \t]*\r?$/;

/**
 * How a resident runs `file` when a step runs it by its path: `python` when it is a regular file (not a link,
 * whose target the host would resolve differently) whose first line is the course's shebang, then the resident's
 * python3 runs it exactly as its shebang would; `exec` for a regular file with another shebang (a bash script),
 * executed by the kernel in the resident's sandbox as its shell would; undefined otherwise (it runs cold).
 */
export function warmKind(file: string): 'python' | 'exec' | undefined {
  let fd: number | undefined;
  try {
    if (!lstatSync(file).isFile()) return undefined;
    fd = openSync(file, 'r');
    const head = Buffer.alloc(128);
    const length = readSync(fd, head, 0, head.length, 0);
    const line = head.subarray(0, length).toString('utf8').split('\n')[0] ?? '';
    if (PYTHON_SHEBANG.test(line)) return 'python';
    return line.startsWith('#!') ? 'exec' : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
