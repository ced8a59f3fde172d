//! The planner: one request (baseline, MDE, errors, design, daily traffic) to
//! everything a team needs before it starts — users and days, the expected
//! size of a sequential design, its boundary table, and what the traffic can
//! and cannot detect. Composes [`super::plan`] and [`super::sequential::Design`];
//! adds only the bookkeeping.

use serde::Serialize;

use super::plan::{Baseline, Effect, Errors, Plan, detectable_effect, plan};
use super::sequential::{BoundaryFamily, Design, DesignSpec, Futility, LookBoundary, equal_fractions};
use super::{StatsError, check_open};

/// Horizons the planner states the detectable effect for.
pub const DETECTABLE_WEEKS: [u32; 4] = [2, 4, 8, 12];
/// Small relative lifts the planner states the duration for.
pub const SMALL_LIFTS: [f64; 4] = [0.01, 0.02, 0.05, 0.1];

/// A sequential design: boundary family, equally spaced looks, optional futility.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SequentialDesign {
    pub family: BoundaryFamily,
    pub looks: usize,
    pub futility: Option<Futility>,
}

/// What the planner is asked.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PlanRequest {
    pub baseline: Baseline,
    pub effect: Effect,
    pub errors: Errors,
    /// `None`: a fixed-horizon test.
    pub design: Option<SequentialDesign>,
    /// Users entering the experiment per day, both arms together.
    pub daily_users: f64,
}

/// The smallest increase detectable within a number of weeks.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Detectable {
    pub weeks: u32,
    pub users_per_arm: u64,
    /// Absolute (rate points or currency units); `None` when no increase is detectable.
    pub absolute: Option<f64>,
    /// Relative to the baseline level.
    pub relative: Option<f64>,
}

/// How long a given relative lift takes to detect.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LiftDuration {
    pub relative: f64,
    pub users_per_arm: u64,
    pub days: u64,
}

/// One look of a sequential design: its boundary, and when it comes at the planned traffic.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlannedLook {
    pub boundary: LookBoundary,
    pub users_per_arm: u64,
    /// Day of the look at the daily traffic (both arms share it).
    pub day: u64,
}

/// The planner's answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanReport {
    pub request: PlanRequest,
    pub plan: Plan,
    /// Both arms at the maximum.
    pub total_users: u64,
    /// The MDE in absolute units (rate points or currency) and relative to the baseline level.
    pub mde_absolute: f64,
    pub mde_relative: Option<f64>,
    /// The design's boundary table (sequential designs only).
    pub looks: Vec<PlannedLook>,
    /// Maximum size relative to the fixed test (1 for fixed).
    pub inflation: f64,
    pub detectable: Vec<Detectable>,
    pub durations: Vec<LiftDuration>,
}

/// Plans the experiment; every answer uses the same design and traffic.
pub fn plan_experiment(request: &PlanRequest) -> Result<PlanReport, StatsError> {
    check_open("daily_users", request.daily_users, 0.0, f64::INFINITY, "a positive number of users per day")?;
    if let Baseline::Mean { sd, .. } = request.baseline {
        check_open("sd", sd, 0.0, f64::INFINITY, "a positive standard deviation per user")?;
    }
    let design = request
        .design
        .map(|d| {
            Design::new(DesignSpec {
                fractions: equal_fractions(d.looks),
                family: d.family,
                alpha: request.errors.alpha,
                sides: request.errors.sides,
                power: request.errors.power,
                futility: d.futility,
            })
        })
        .transpose()?;
    let n_fixed = request.baseline.fixed_per_arm(request.effect, request.errors)?;
    let planned = plan(n_fixed, design.as_ref(), Some(request.daily_users))?;
    let inflation = design.as_ref().map_or(1.0, |d| d.inflation);
    let level = request.baseline.level();
    let mde_absolute = request.effect.absolute_on(level);
    let detectable = DETECTABLE_WEEKS
        .iter()
        .map(|&weeks| {
            let users_per_arm = (request.daily_users * f64::from(weeks) * 7.0 / 2.0).floor();
            let absolute = if users_per_arm >= 1.0 {
                detectable_effect(request.baseline, users_per_arm, request.errors, inflation)?
            } else {
                None
            };
            Ok(Detectable {
                weeks,
                users_per_arm: users_per_arm as u64,
                absolute,
                relative: absolute.filter(|_| level != 0.0).map(|a| a / level),
            })
        })
        .collect::<Result<Vec<_>, StatsError>>()?;
    let durations = SMALL_LIFTS
        .iter()
        .filter_map(|&relative| {
            let fixed = request.baseline.fixed_per_arm(Effect::Relative(relative), request.errors).ok()?;
            let lift = plan(fixed, design.as_ref(), Some(request.daily_users)).ok()?;
            Some(LiftDuration { relative, users_per_arm: lift.n_per_arm, days: lift.days.unwrap_or(0) })
        })
        .collect();
    Ok(PlanReport {
        request: *request,
        total_users: 2 * planned.n_per_arm,
        mde_absolute,
        mde_relative: (level != 0.0).then(|| mde_absolute / level),
        looks: design
            .map(|d| d.looks)
            .unwrap_or_default()
            .into_iter()
            .map(|boundary| {
                let users_per_arm = (boundary.fraction * planned.n_per_arm as f64).ceil() as u64;
                let day = (2.0 * users_per_arm as f64 / request.daily_users).ceil() as u64;
                PlannedLook { boundary, users_per_arm, day }
            })
            .collect(),
        inflation,
        plan: planned,
        detectable,
        durations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Sides;
    use crate::stats::sequential::SpendingFunction;

    fn request(design: Option<SequentialDesign>) -> PlanRequest {
        PlanRequest {
            baseline: Baseline::Rate { rate: 0.05 },
            effect: Effect::Relative(0.1),
            errors: Errors { alpha: 0.05, power: 0.8, sides: Sides::Two },
            design,
            daily_users: 2_000.0,
        }
    }

    #[test]
    fn fixed_plan_matches_the_formula_and_the_traffic() {
        let report = plan_experiment(&request(None)).expect("valid");
        // Fleiss–Levin–Paik (the formula of R's power.prop.test) for 5 % → 5.5 %, two-sided 0.05,
        // power 0.8: n = 31,233.44 per arm (Python statistics.NormalDist, same formula), rounded up.
        assert_eq!(report.plan.n_per_arm, 31_234);
        assert_eq!(report.total_users, 62_468);
        assert_eq!(report.plan.days, Some(32));
        assert!(report.looks.is_empty() && report.inflation == 1.0);
        // 12 weeks give 84,000 per arm: a smaller lift than 10 % is detectable; 2 weeks a larger one.
        let rel = |w: usize| report.detectable[w].relative.expect("detectable");
        assert!(rel(3) < 0.1 && rel(0) > 0.1, "{:?}", report.detectable);
        assert!(report.detectable.windows(2).all(|w| w[1].absolute < w[0].absolute));
        let ten = report.durations.iter().find(|d| d.relative == 0.1).expect("10 %");
        assert_eq!((ten.users_per_arm, ten.days), (31_234, 32));
    }

    #[test]
    fn sequential_plan_carries_the_design() {
        let obf = BoundaryFamily::Spending { function: SpendingFunction::ObrienFleming };
        let report =
            plan_experiment(&request(Some(SequentialDesign { family: obf, looks: 5, futility: None }))).expect("valid");
        assert_eq!(report.looks.len(), 5);
        assert!((report.looks[4].boundary.alpha_spent - 0.05).abs() < 1e-6);
        assert_eq!(report.looks[4].users_per_arm, report.plan.n_per_arm);
        assert_eq!(report.looks[4].day, report.plan.days.expect("days"));
        assert!(report.inflation > 1.0 && report.plan.n_per_arm > report.plan.n_fixed_per_arm);
        let (h0, h1) = (report.plan.expected_n_h0.expect("h0"), report.plan.expected_n_h1.expect("h1"));
        assert!(h1 < h0 && h0 <= report.plan.n_per_arm as f64);
    }

    #[test]
    fn impossible_requests_are_refused_with_the_reason() {
        let no_traffic = PlanRequest { daily_users: 0.0, ..request(None) };
        assert!(matches!(plan_experiment(&no_traffic), Err(StatsError::OutOfRange { name: "daily_users", .. })));
        let zero_sd = PlanRequest { baseline: Baseline::Mean { mean: 1.0, sd: 0.0 }, ..request(None) };
        assert!(plan_experiment(&zero_sd).is_err());
    }
}
