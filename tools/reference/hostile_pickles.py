"""Writes .pth files whose pickles reach for code, for PyTorchFileTests: Tests/Fixtures/hostile_pickles/*.pth
and Tests/Fixtures/hostile_pickles.json ({"cases": {file: {"global": the global the reader must name, as the
pickle writes it; "python": the function it is in Python}}}).

Each archive is laid out as torch.save writes it (<name>/data.pkl, <name>/version, storages under
<name>/data/); the pickles come from Python's pickle module (protocols 2, 4 and 5: GLOBAL and STACK_GLOBAL
forms) and from torch.save itself (an object whose __reduce__ calls os.system, a whole nn.Module, a numpy
array). PyTorch would run them; the package's unpickler must refuse each, naming the global, and run nothing.

    TORCH_PYTHON tools/reference/hostile_pickles.py
"""
import builtins
import io
import pickletools
import json
import os
import pickle
import shutil
import subprocess
import zipfile

import numpy
import torch

out = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Fixtures")
folder = os.path.join(out, "hostile_pickles")
shutil.rmtree(folder, ignore_errors=True)
os.makedirs(folder)
cases = {}


class Call:
    """Pickles as a call of `function` with `arguments` (what a malicious file does)."""

    def __init__(self, function, *arguments):
        self.function, self.arguments = function, arguments

    def __reduce__(self):
        return self.function, self.arguments


ALLOWED = {"collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter"}


def first_refused_global(pickled):
    """The first global the pickle names (as written: protocol 2 writes Python 2 names such as
    __builtin__.eval) that is neither allowed nor a torch storage type."""
    strings = []
    for opcode, argument, _ in pickletools.genops(pickled):
        if opcode.name == "GLOBAL":
            name = argument.replace(" ", ".")
        elif opcode.name == "STACK_GLOBAL":
            name = strings[-2] + "." + strings[-1]
        else:
            if isinstance(argument, str):
                strings.append(argument)
            continue
        if name not in ALLOWED and not (name.startswith("torch.") and name.endswith("Storage")):
            return name
    raise ValueError("the pickle names no refused global")


def archive(name, pickled, expected):
    """A torch.save-style zip around the pickle bytes `pickled`, which call `expected` (a Python name)."""
    with zipfile.ZipFile(os.path.join(folder, name + ".pth"), "w") as z:
        z.writestr(name + "/data.pkl", pickled)
        z.writestr(name + "/version", "3\n")
    cases[name + ".pth"] = {"global": first_refused_global(pickled), "python": expected}


def state_dict_with(value):
    """An OrderedDict like a state dict whose second entry is `value`."""
    import collections
    return collections.OrderedDict([("weight", 1.5), ("evil", value)])


marker = "/tmp/dml-hostile-pickle-ran"
# GLOBAL (protocol 2), STACK_GLOBAL (protocol 4), protocol 5 framing; module functions of every kind.
archive("os_system_p2", pickle.dumps(Call(os.system, "touch " + marker), protocol=2), os.system.__module__ + ".system")
archive("os_system_p4", pickle.dumps(Call(os.system, "touch " + marker), protocol=4), os.system.__module__ + ".system")
archive("builtins_eval", pickle.dumps(Call(builtins.eval, "__import__('os').system('touch " + marker + "')"), protocol=2),
        "builtins.eval")
archive("builtins_eval_p4", pickle.dumps(Call(builtins.eval, "__import__('os').system('touch " + marker + "')"), protocol=4),
        "builtins.eval")
archive("subprocess_popen_p4", pickle.dumps(Call(subprocess.Popen, ["touch", marker]), protocol=4), "subprocess.Popen")
# The module as Python code names it, written by hand (pickle itself writes posix on Linux).
archive("os_system_by_hand", b"\x80\x02cos\nsystem\nq\x00X\x05\x00\x00\x00touchq\x01\x85q\x02Rq\x03.", "os.system")
archive("builtins_exec_p5", pickle.dumps(Call(builtins.exec, "open('" + marker + "', 'w')"), protocol=5), "builtins.exec")
archive("subprocess_popen", pickle.dumps(Call(subprocess.Popen, ["touch", marker]), protocol=2), "subprocess.Popen")
archive("subprocess_check_output_p4", pickle.dumps(Call(subprocess.check_output, ["touch", marker]), protocol=4),
        "subprocess.check_output")
archive("builtins_getattr", pickle.dumps(Call(builtins.getattr, Call(builtins.__import__, "os"), "system"), protocol=2),
        "builtins.getattr")
# A call inside a state dict's values, after a legitimate entry.
archive("reduce_in_dict", pickle.dumps(state_dict_with(Call(os.system, "touch " + marker)), protocol=2),
        os.system.__module__ + ".system")

# torch.save itself: an object whose __reduce__ calls os.system, a whole module, a numpy array.
for name, obj, expected in [
    ("torch_save_reduce", {"weight": torch.zeros(2), "evil": Call(os.system, "touch " + marker)}, os.system.__module__ + ".system"),
    ("torch_save_module", torch.nn.Linear(2, 3), "torch.nn.modules.linear.Linear"),
    ("torch_save_numpy", {"weight": numpy.zeros(2, dtype=numpy.float32)}, "numpy reconstruct"),
]:
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    with zipfile.ZipFile(buffer) as z:
        names = z.namelist()
        pickled = z.read(next(n for n in names if n.endswith("data.pkl")))
    with open(os.path.join(folder, name + ".pth"), "wb") as f:
        f.write(buffer.getvalue())
    cases[name + ".pth"] = {"global": first_refused_global(pickled), "python": expected}

with open(os.path.join(out, "hostile_pickles.json"), "w") as f:
    json.dump({"meta": {"marker": marker}, "cases": cases}, f, indent=1, sort_keys=True)
print(json.dumps(cases, indent=1))
