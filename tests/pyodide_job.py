"""The job run identically under CPython and inside Pyodide: `selfcheck.api`, the `riskmap`
package through `selfcheck.bridge`, and the stdlib.

`run(job_input)` takes a JSON string (data files as JSON, named answer documents, a time) and
returns a JSON string of everything the browser API produces for them.
"""

import base64
import json
import sys


def run(job_input: str) -> str:
    from selfcheck import api
    from selfcheck.errors import SelfcheckError

    job = json.loads(job_input)
    S, R, P, now = job["standard"], job["scoring"], job["plan"], job["now"]
    out = {"cases": {}, "errors": []}
    exported = []
    for name, doc in job["cases"]:
        answers = json.dumps(doc, ensure_ascii=False)
        export = api.export_json(S, R, answers, now)
        exported.append(export)
        out["cases"][name] = {
            "score": api.score(S, R, answers, now),
            "export": export,
            "csv": api.export_csv(S, R, answers, now),
            "html": api.report_html(S, R, answers, now),
            "import": api.import_json(S, export),
            "compare": api.compare(S, R, exported[0], answers, now),
        }
    first = json.dumps(job["cases"][-1][1], ensure_ascii=False)
    out["xlsx"] = base64.b64encode(api.export_xlsx(S, R, P, first, now)).decode("ascii")
    names = [f"{n}.json" for n, _ in job["cases"]]
    out["aggregate"] = api.aggregate(S, R, exported + ["{broken"], names + ["broken.json"], now)
    out["aggregate_xlsx"] = base64.b64encode(
        api.aggregate_xlsx(S, R, P, exported, names, now)
    ).decode("ascii")
    out["template"] = api.blank_template(S)
    out["records"] = api.parse_records(base64.b64decode(job["records_gbk"]), "台账.csv", S)
    for bad in job["bad"]:
        try:
            api.score(S, R, bad, now)
            out["errors"].append(None)
        except SelfcheckError as exc:
            out["errors"].append(str(exc))
    for bad in job["bad_imports"]:
        try:
            api.import_json(S, bad)
            out["errors"].append(None)
        except SelfcheckError as exc:
            out["errors"].append(str(exc))
    out["riskmap"] = _riskmap(job)
    out["python"] = sys.version.split()[0]
    return json.dumps(out, ensure_ascii=False)


def _riskmap(job: dict) -> dict:
    # The risk map is its own package in the same wheel, reached through the bridge's table.
    import importlib.util

    import riskmap
    from selfcheck import bridge

    bridge.set_data({"risk_map": job["risk_map"]})
    return {
        "module": riskmap.parse_map.__module__,
        "inside_selfcheck": importlib.util.find_spec("selfcheck.riskmap") is not None,
        "parse": bridge.call("riskmap_parse", [job["map"]]),
        "refused": bridge.call("riskmap_parse", [job["bad_map"]]),
        "rows": riskmap.element_rows(json.loads(job["map"]), job["risk_map"]),
    }
