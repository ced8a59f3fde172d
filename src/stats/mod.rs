//! Statistics for A/B tests: fixed-horizon tests, planning, group-sequential
//! designs, always-valid inference, Bayesian summaries and the peeking Monte Carlo.
