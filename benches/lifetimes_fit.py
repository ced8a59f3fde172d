"""The other side of `cargo bench --bench predict` (docs/predict.md, "Fit speed"): lifetimes'
BetaGeoFitter.fit (bgnbd) or ParetoNBDFitter.fit (paretonbd) on the CDNOW summary repeated
`copies` times (100: 235,700 customers), timed over `fits` fits.

    python -m venv /tmp/lt && /tmp/lt/bin/pip install lifetimes==0.11.3
    /tmp/lt/bin/python benches/lifetimes_fit.py bgnbd tests/data/cdnow_customers_summary.csv 100 5
    /tmp/lt/bin/python benches/lifetimes_fit.py paretonbd tests/data/cdnow_customers_summary.csv 1 5
"""
import statistics
import sys
import time

import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, ParetoNBDFitter

model, path = sys.argv[1], sys.argv[2]
copies = int(sys.argv[3]) if len(sys.argv) > 3 else 100
fits = int(sys.argv[4]) if len(sys.argv) > 4 else 5
fitter_class = {"bgnbd": BetaGeoFitter, "paretonbd": ParetoNBDFitter}[model]
data = pd.concat([pd.read_csv(path)] * copies, ignore_index=True)
print(model, "customers", len(data))
times = []
for i in range(fits):
    np.random.seed(i)  # lifetimes draws its starting point
    fitter = fitter_class(penalizer_coef=0.0)
    start = time.perf_counter()
    fitter.fit(data["frequency"], data["recency"], data["T"])
    times.append(time.perf_counter() - start)
    print(f"fit {i}: {times[-1]:.3f} s", {k: round(float(v), 5) for k, v in fitter.params_.items()})
print(f"median {statistics.median(times):.3f} s over {len(times)} fits")
