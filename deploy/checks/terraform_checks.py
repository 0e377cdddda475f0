"""terraform: `terraform fmt -check`, a parse of every .tf and .tfvars file (python-hcl2; providers cannot be
downloaded here, so `terraform validate` cannot run), and the references a validate would check: every var., local.,
module. and resource reference is declared, module calls pass only declared variables and every required one, module
outputs used exist, and each environment's terraform.tfvars sets only declared variables and every required one."""
import glob
import json
import os
import re
import shutil

import hcl2

from common import ROOT, run, unquote

TERRAFORM = os.path.join(ROOT, "terraform")
REFERENCE = re.compile(r"\b(var|local|module)\.([A-Za-z_][A-Za-z0-9_-]*)(?:\.([A-Za-z_][A-Za-z0-9_-]*))?")
RESOURCE_REFERENCE = re.compile(r"(?<![\w.\"])(google_[a-z0-9_]+)\.([a-z_][a-z0-9_]*)")


def check_fmt(results):
    if shutil.which("terraform") is None:  # machines of this project's kind ship it in /usr/local/bin
        results.skip("terraform fmt -check", "terraform is not on PATH")
        return
    result = run(["terraform", "fmt", "-check", "-recursive", "-diff", TERRAFORM])
    problems = [] if result.returncode == 0 else [f"terraform fmt -check: {result.stdout.strip()} {result.stderr.strip()}"]
    results.report("terraform fmt -check -recursive terraform/", problems)


def parse_directory(directory, problems):
    """Merges the top-level blocks of every .tf file of one module directory."""
    module = {"variable": {}, "output": {}, "locals": set(), "resource": set(), "module": {}, "text": ""}
    for path in sorted(glob.glob(os.path.join(directory, "*.tf"))):
        try:
            with open(path) as handle:
                parsed = hcl2.load(handle)
        except Exception as error:  # the parser's own errors carry the position
            problems.append(f"{os.path.relpath(path, ROOT)}: does not parse: {error}")
            continue
        module["text"] += json.dumps(parsed)
        for block in parsed.get("variable", []):
            for name, body in block.items():
                module["variable"][unquote(name)] = body
        for block in parsed.get("output", []):
            for name in block:
                module["output"][unquote(name)] = block[name]
        for block in parsed.get("locals", []):
            module["locals"].update(key for key in block if not key.startswith("__"))
        for block in parsed.get("resource", []):
            for rtype, named in block.items():
                for name in named:
                    module["resource"].add(f"{unquote(rtype)}.{unquote(name)}")
        for block in parsed.get("module", []):
            for name, body in block.items():
                module["module"][unquote(name)] = body
    return module


def check_references(results):
    problems = []
    directories = sorted({os.path.dirname(p) for p in glob.glob(os.path.join(TERRAFORM, "**", "*.tf"), recursive=True)})
    modules = {directory: parse_directory(directory, problems) for directory in directories}
    for directory, module in modules.items():
        where = os.path.relpath(directory, ROOT)
        for kind, name, attribute in REFERENCE.findall(module["text"]):
            if kind == "var" and name not in module["variable"]:
                problems.append(f"{where}: var.{name} is not declared")
            if kind == "local" and name not in module["locals"]:
                problems.append(f"{where}: local.{name} is not declared")
            if kind == "module":
                if name not in module["module"]:
                    problems.append(f"{where}: module.{name} is not declared")
                elif attribute:
                    child = modules.get(os.path.normpath(os.path.join(directory, unquote(module["module"][name]["source"]))))
                    if child and attribute not in child["output"]:
                        problems.append(f"{where}: module.{name}.{attribute} is not an output of {unquote(module['module'][name]['source'])}")
        for rtype, name in RESOURCE_REFERENCE.findall(module["text"]):
            if f"{rtype}.{name}" not in module["resource"]:
                problems.append(f"{where}: {rtype}.{name} is not declared")
        for name, call in module["module"].items():
            source = os.path.normpath(os.path.join(directory, unquote(call["source"])))
            child = modules.get(source)
            if child is None:
                problems.append(f"{where}: module {name}: source {unquote(call['source'])} has no .tf files")
                continue
            meta = {"source", "count", "for_each", "depends_on", "providers", "__is_block__"}
            for argument in call:
                # python-hcl2 keeps comments as __comments__ entries: not arguments.
                if argument not in meta and not argument.startswith("__") and argument not in child["variable"]:
                    problems.append(f"{where}: module {name} passes {argument}, not a variable of {unquote(call['source'])}")
            for variable, body in child["variable"].items():
                if "default" not in body and variable not in call:
                    problems.append(f"{where}: module {name} does not pass required variable {variable}")
        for variable, body in module["variable"].items():
            if "description" not in body:
                problems.append(f"{where}: variable {variable} has no description")
        for output, body in module["output"].items():
            if "description" not in body:
                problems.append(f"{where}: output {output} has no description")
    for tfvars_path in sorted(glob.glob(os.path.join(TERRAFORM, "environments", "*", "terraform.tfvars"))):
        where = os.path.relpath(tfvars_path, ROOT)
        try:
            with open(tfvars_path) as handle:
                tfvars = hcl2.load(handle)
        except Exception as error:
            problems.append(f"{where}: does not parse: {error}")
            continue
        environment = modules[os.path.dirname(tfvars_path)]
        for key in tfvars:
            if not key.startswith("__") and key not in environment["variable"]:
                problems.append(f"{where}: sets {key}, not a variable of the environment")
        for variable, body in environment["variable"].items():
            if "default" not in body and variable not in tfvars:
                problems.append(f"{where}: does not set required variable {variable}")
    files = len(glob.glob(os.path.join(TERRAFORM, "**", "*.tf"), recursive=True))
    results.report("terraform parse and references", problems, note=f"{files} .tf files, {len(modules)} modules")
