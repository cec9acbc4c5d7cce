"""Loads Concourse pipeline files into ol-concourse's typed model, as its users build pipelines.

Usage: python ol_concourse_load.py FILE...

Each file is read with PyYAML (YAML 1.1, as Concourse's Go reader) and validated strictly
(`strict=True` through JSON: a number is not a string, a string not a number, no unknown
keys) as a `Pipeline`. The model takes a step as an untyped `Step` (any mapping), so each
step is also validated as the class its users build it with (`GetStep` for a `get:`, ...).
Prints one line per refused file and exits 1 if any is refused; else prints how many files it
loaded.
"""

import json
import sys

import yaml
from ol_concourse.lib.models.pipeline import (
    DoStep,
    GetStep,
    InParallelStep,
    LoadVarStep,
    Pipeline,
    PutStep,
    SetPipelineStep,
    TaskStep,
    TryStep,
)

STEPS = [
    ("get", GetStep),
    ("put", PutStep),
    ("task", TaskStep),
    ("set_pipeline", SetPipelineStep),
    ("load_var", LoadVarStep),
    ("in_parallel", InParallelStep),
    ("do", DoStep),
    ("try", TryStep),
]
HOOKS = ["on_success", "on_failure", "on_error", "on_abort", "ensure"]


def strict(model, value):
    # Through JSON so strict mode takes enum values as strings; a YAML value JSON cannot hold
    # (a date, a timestamp) fails here, as it does in Concourse's reader.
    model.model_validate_json(json.dumps(value), strict=True)


def check_step(step, where):
    if not isinstance(step, dict):
        return  # the Pipeline model refused it already
    model = next((m for key, m in STEPS if key in step), None)
    if model is None:
        raise ValueError(f"{where}: a step with none of the keys {[k for k, _ in STEPS]}")
    try:
        strict(model, step)
    except Exception as error:
        raise ValueError(f"{where} as {model.__name__}: {error}") from error
    inner = step.get("in_parallel")
    if isinstance(inner, dict):
        inner = inner.get("steps")
    for i, s in enumerate(inner if isinstance(inner, list) else []):
        check_step(s, f"{where}.in_parallel[{i}]")
    for i, s in enumerate(step.get("do") or []):
        check_step(s, f"{where}.do[{i}]")
    if "try" in step:
        check_step(step["try"], f"{where}.try")
    for hook in HOOKS:
        if hook in step:
            check_step(step[hook], f"{where}.{hook}")


def check(data):
    strict(Pipeline, data)
    for j, job in enumerate(data.get("jobs") or []):
        for i, step in enumerate(job.get("plan") or []):
            check_step(step, f"jobs[{j}].plan[{i}]")
        for hook in HOOKS:
            if hook in job:
                check_step(job[hook], f"jobs[{j}].{hook}")


def main(paths):
    refused = 0
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                check(yaml.safe_load(f))
        except Exception as error:  # any refusal is the file's problem, reported by name
            refused += 1
            message = " ".join(str(error).split())
            print(f"{path}: {type(error).__name__}: {message}")
    if refused:
        sys.exit(1)
    print(f"ol-concourse loaded {len(paths)} pipelines")


if __name__ == "__main__":
    main(sys.argv[1:])
