import { closeSync, lstatSync, openSync, readSync } from 'node:fs';

/**
 * A learner's Python script spends most of a step's CPU before its first line of its own: starting the
 * interpreter and `import boto3` (0.2-0.35 s here, of a 0.45-0.65 s step). A spare interpreter started in the
 * sandbox ahead of the step, while the step before it runs on the other core, does that work before it is
 * needed: it imports what the course's scripts import, then waits for its order (argv and working directory) on
 * fd 3 and runs the script as `python3 <script>` would, in a fresh `__main__`, with the script's directory
 * first on `sys.path`. It says on fd 3 whether it ran the script (`run`) or declined (`cold`: the script's own
 * folder holds a module of a name it imported, which would shadow it in a cold start): a declined step runs cold.
 * Nothing of the learner's runs before `run` is said, and fd 3 is closed first, so learner code cannot forge it.
 */
export const PRELOADER = String.raw`
import sys
_before = set(sys.modules)
import json, os, types
for _name in ('boto3',):
    try:
        __import__(_name)
    except Exception:
        pass
_loaded = {name.partition('.')[0] for name in set(sys.modules) - _before}
with open(3, 'rb', buffering=0, closefd=False) as _channel:
    _order = json.loads(_channel.readline() or b'null')
def _decline():
    os.write(3, b'cold\n')
    os._exit(0)
if not isinstance(_order, dict):
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
import importlib.machinery
_main.__loader__ = importlib.machinery.SourceFileLoader('__main__', _script)
sys.modules['__main__'] = _main
os.write(3, b'run\n')
os.close(3)
del _before, _loaded, _own, _name, _file, _channel, _environment
try:
    _code = compile(_source, _script, 'exec', dont_inherit=True)
except SyntaxError as _error:
    sys.excepthook(type(_error), _error.with_traceback(None), None)
    sys.exit(1)
try:
    exec(_code, _main.__dict__)
except (SystemExit, KeyboardInterrupt):
    raise
except BaseException as _error:
    # The script's own frames only, as a cold start shows them.
    _error = _error.with_traceback(_error.__traceback__.tb_next)
    sys.excepthook(type(_error), _error, _error.__traceback__)
    sys.exit(1)
`;

/** What a script's first line must be for the spare interpreter to run it: the course's `#!/usr/bin/env python3`. */
const PYTHON_SHEBANG = /^#![ \t]*\/usr\/bin\/env[ \t]+python3[ \t]*\r?$/;

/**
 * Whether `file` is a regular file (not a link, whose target the host would resolve differently) whose first line
 * is the course's shebang: then a spare python3 runs it exactly as its shebang would.
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
