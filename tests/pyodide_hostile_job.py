"""The hostile corpus, run identically under CPython and inside Pyodide (stdlib + selfcheck only).

`run(job_input)` takes a JSON string `{"standard", "scoring", "types", "now", "entries": [[kind,
name, base64]]}` and returns a JSON string: for each entry "accepted" or the sentence refusing it
(or "BUG <type>" if anything but a SelfcheckError escaped), and the roll-up of every JSON entry.
"""

import base64
import json


def run(job_input: str) -> str:
    import riskmap
    from selfcheck import api
    from selfcheck.errors import SelfcheckError

    job = json.loads(job_input)
    S, R, types, now = job["standard"], job["scoring"], job["types"], job["now"]

    def attempt(fn):
        try:
            fn()
            return "accepted"
        except SelfcheckError as exc:
            return str(exc)
        except BaseException as exc:  # noqa: BLE001  reported, so the test names the bug
            return "BUG " + type(exc).__name__

    out = {"entries": {}}
    texts, names = [], []
    for kind, name, b64 in job["entries"]:
        data = base64.b64decode(b64)
        if kind == "json":
            out["entries"][name] = attempt(
                lambda data=data, name=name: api.import_details(S, data, name)
            )
            texts.append(data)
            names.append(name)
        elif kind == "records":
            out["entries"][name] = attempt(
                lambda data=data, name=name: api.parse_records(data, name, S)
            )
        elif kind == "map":
            out["entries"][name] = attempt(lambda data=data: riskmap.parse_map(data, types))
    out["aggregate"] = json.loads(api.aggregate(S, R, texts, names, now))
    return json.dumps(out, ensure_ascii=False)
