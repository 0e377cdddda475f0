"""terraform type checks `terraform validate` would not make either: every environment's terraform.tfvars against
the declared types of its variables (an object attribute the type does not declare is dropped silently: that is how
`compact = true` never reached the watermark topic), and every `var.X` passed straight into a module against the
module variable's type (an attribute the module reads but the caller's type lacks can never be set)."""
import glob
import os

import hcl2

import terraform_checks
from common import ROOT, unquote
from tf_types import conform, missing_attributes, parse_type


def variable_types(module, where, problems):
    types = {}
    for name, body in module["variable"].items():
        if "type" not in body:
            continue
        try:
            types[name] = parse_type(body["type"])
        except ValueError as error:
            problems.append(f"{where}: variable {name}: {error}")
    return types


def check_tfvars(directory, module, problems):
    types = variable_types(module, os.path.relpath(directory, ROOT), problems)
    for path in sorted(glob.glob(os.path.join(directory, "*.tfvars"))):
        where = os.path.relpath(path, ROOT)
        with open(path) as handle:
            tfvars = hcl2.load(handle)
        for name, value in tfvars.items():
            if name in types:
                problems += conform(types[name], value, f"{where}: {name}")


def check_module_calls(directory, module, modules, problems):
    where = os.path.relpath(directory, ROOT)
    types = variable_types(module, where, [])
    for call_name, call in module["module"].items():
        child = modules.get(os.path.normpath(os.path.join(directory, unquote(call["source"]))))
        if not child:
            continue
        child_types = variable_types(child, where, [])
        for argument, value in call.items():
            passed = value[len("${var."):-1] if isinstance(value, str) and value.startswith("${var.") else None
            if passed in types and argument in child_types:
                problems += missing_attributes(types[passed], child_types[argument],
                                               f"{where}: module {call_name} {argument} (var.{passed})")


def check_types(results):
    problems = []
    directories = sorted({os.path.dirname(p) for p in glob.glob(os.path.join(terraform_checks.TERRAFORM, "**", "*.tf"),
                                                                 recursive=True)})
    modules = {directory: terraform_checks.parse_directory(directory, problems) for directory in directories}
    for directory, module in modules.items():
        check_tfvars(directory, module, problems)
        check_module_calls(directory, module, modules, problems)
    tfvars = len(glob.glob(os.path.join(terraform_checks.TERRAFORM, "**", "*.tfvars"), recursive=True))
    results.report("terraform tfvars and module arguments fit their declared types", problems,
                   note=f"{tfvars} tfvars files")
