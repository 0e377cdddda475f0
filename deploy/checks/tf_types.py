"""terraform type constraints, parsed and checked without terraform: python-hcl2 hands a variable's `type` over as
text (`${map(object({partitions = number}))}`), which parse_type turns into a tree, and conform lists where a value
(a tfvars entry) does not fit it. The point is the attribute terraform drops silently: an object attribute set in
tfvars but not declared in the type is discarded at conversion, with no error and no warning."""
import re

from common import unquote

TOKEN = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_-]*|\"[^\"]*\"|[(){}\[\],=]|-?[0-9.]+|true|false|null)")
PRIMITIVES = {"string", "number", "bool", "any"}


def tokens(text):
    text = text.strip()
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    position, found = 0, []
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match:
            raise ValueError(f"cannot read type {text!r} at {text[position:]!r}")
        found.append(match.group(1))
        position = match.end()
    return found


def parse_type(text):
    """('string'|'number'|'bool'|'any') | ('list'|'set'|'map', T) | ('object', {name: (T, optional)}) | ('tuple', [T])."""
    stream = tokens(text)
    result, rest = _parse(stream, 0)
    if rest != len(stream):
        raise ValueError(f"trailing text in type {text!r}")
    return result


def _expect(stream, index, token):
    if index >= len(stream) or stream[index] != token:
        raise ValueError(f"expected {token!r} in type at token {index}: {stream}")
    return index + 1


def _parse(stream, index):
    word = stream[index]
    if word in PRIMITIVES:
        return word, index + 1
    if word in ("list", "set", "map"):
        inner, index = _parse(stream, _expect(stream, index + 1, "("))
        return (word, inner), _expect(stream, index, ")")
    if word == "tuple":
        index = _expect(stream, _expect(stream, index + 1, "("), "[")
        items = []
        while stream[index] != "]":
            item, index = _parse(stream, index)
            items.append(item)
            if stream[index] == ",":
                index += 1
        return ("tuple", items), _expect(stream, index + 1, ")")
    if word == "object":
        index = _expect(stream, _expect(stream, index + 1, "("), "{")
        attributes = {}
        while stream[index] != "}":
            name = unquote(stream[index])
            index = _expect(stream, index + 1, "=")
            optional = stream[index] == "optional"
            if optional:
                kind, index = _parse(stream, _expect(stream, index + 1, "("))
                depth = 0
                while depth or stream[index] != ")":  # skip the optional default, a literal or a collection
                    depth += stream[index] in "([{"
                    depth -= stream[index] in ")]}"
                    index += 1
                index += 1
            else:
                kind, index = _parse(stream, index)
            attributes[name] = (kind, optional)
            if stream[index] == ",":
                index += 1
        return ("object", attributes), _expect(stream, index + 1, ")")
    raise ValueError(f"unknown type keyword {word!r}")


def conform(kind, value, path):
    """Problems of `value` (as python-hcl2 loads it) against type `kind`; each names the path and the fix."""
    if kind == "any" or value is None:
        return []
    if isinstance(value, str) and value.startswith("${"):
        return []  # an expression: its type is only known to terraform
    if kind == "string":
        return [] if isinstance(value, (str, int, float, bool)) else [f"{path}: expected a string"]
    if kind == "number":
        return [] if isinstance(value, (int, float)) and not isinstance(value, bool) else [f"{path}: expected a number"]
    if kind == "bool":
        return [] if isinstance(value, bool) else [f"{path}: expected true or false"]
    outer, inner = kind
    if outer in ("list", "set"):
        if not isinstance(value, list):
            return [f"{path}: expected a {outer}"]
        return [problem for i, item in enumerate(value) for problem in conform(inner, item, f"{path}[{i}]")]
    if outer == "tuple":
        if not isinstance(value, list) or len(value) != len(inner):
            return [f"{path}: expected a tuple of {len(inner)}"]
        return [problem for i, (k, item) in enumerate(zip(inner, value)) for problem in conform(k, item, f"{path}[{i}]")]
    if outer == "map":
        if not isinstance(value, dict):
            return [f"{path}: expected a map"]
        return [problem for key, item in value.items() if not key.startswith("__")
                for problem in conform(inner, item, f"{path}[{unquote(key)}]")]
    if outer == "object":
        if not isinstance(value, dict):
            return [f"{path}: expected an object"]
        problems = []
        given = {unquote(key): item for key, item in value.items() if not key.startswith("__")}
        for name in sorted(set(given) - set(inner)):
            problems.append(f"{path}: sets {name}, which the variable's object type does not declare, so terraform "
                            f"drops it silently; declare it in the type (optional(...) with its default)")
        for name, (attribute, optional) in inner.items():
            if name in given:
                problems += conform(attribute, given[name], f"{path}.{name}")
            elif not optional:
                problems.append(f"{path}: required attribute {name} is missing")
        return problems
    return [f"{path}: unknown type {kind}"]


def missing_attributes(outer, inner, path):
    """Object attributes `inner` (a module variable's type) declares and `outer` (what is passed in) lacks: values
    set for them upstream can never arrive, and the module's optional default always applies."""
    if isinstance(outer, str) or isinstance(inner, str):
        return []
    if outer[0] != inner[0]:
        return []
    if outer[0] in ("list", "set", "map"):
        return missing_attributes(outer[1], inner[1], path)
    if outer[0] == "object":
        problems = [f"{path}: the module's type declares {name}, the value passed in has no such attribute"
                    for name in sorted(set(inner[1]) - set(outer[1]))]
        for name in set(inner[1]) & set(outer[1]):
            problems += missing_attributes(outer[1][name][0], inner[1][name][0], f"{path}.{name}")
        return problems
    return []
