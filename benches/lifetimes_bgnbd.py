"""The other side of `cargo bench --bench predict` (docs/predict.md, "Fit speed"): lifetimes'
BetaGeoFitter.fit on the CDNOW summary repeated 100 times (235,700 customers).

    python -m venv /tmp/lt && /tmp/lt/bin/pip install lifetimes==0.11.3
    /tmp/lt/bin/python benches/lifetimes_bgnbd.py tests/data/cdnow_customers_summary.csv 5
"""
import statistics
import sys
import time

import pandas as pd
from lifetimes import BetaGeoFitter

one = pd.read_csv(sys.argv[1])
data = pd.concat([one] * 100, ignore_index=True)
fits = int(sys.argv[2]) if len(sys.argv) > 2 else 5
print("customers", len(data))
times = []
for i in range(fits):
    fitter = BetaGeoFitter(penalizer_coef=0.0)
    start = time.perf_counter()
    fitter.fit(data["frequency"], data["recency"], data["T"])
    times.append(time.perf_counter() - start)
    print(f"fit {i}: {times[-1]:.3f} s", {k: round(float(v), 5) for k, v in fitter.params_.items()})
print(f"median {statistics.median(times):.3f} s over {len(times)} fits")
