//! A group-sequential design as people ask for it — the looks, the efficacy
//! boundary's name, whether and how to stop for futility — turned into a
//! [`DesignSpec`] by one set of rules, so `journeylab design` and the app's
//! planner build the same design from the same choice:
//!
//! * "futility only" means no efficacy stop before the final look (spending
//!   `none`) and a non-binding futility bound unless one is named;
//! * a futility bound needs an error-spending efficacy boundary; its β-spending
//!   is the α-spending function unless named (O'Brien–Fleming when the
//!   efficacy boundary is `none`), as in gsDesign's `sfl = sfu` default;
//! * a β-spending without a futility bound is refused rather than ignored.

use super::boundaries::{BoundaryFamily, DesignSpec, Futility, equal_fractions};
use super::spending::SpendingFunction;
use crate::stats::Sides;

/// Whether a design stops for futility, and whether that bound binds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FutilityChoice {
    #[default]
    None,
    Binding,
    NonBinding,
}

/// What is asked for; names are in the grammar of [`BoundaryFamily::parse`].
#[derive(Clone, Debug, PartialEq)]
pub struct DesignChoice<'a> {
    pub looks: usize,
    /// Information fractions of the looks; `None`: equally spaced.
    pub fractions: Option<Vec<f64>>,
    /// The efficacy boundary (`obf`, the default, `pocock`, …, `none`).
    pub spending: &'a str,
    /// `None`: no futility bound, or a non-binding one with `futility_only`.
    pub futility: Option<FutilityChoice>,
    /// The β-spending of the futility bound; `None`: the rule above.
    pub beta_spending: Option<&'a str>,
    /// Stop early only for futility.
    pub futility_only: bool,
    pub alpha: f64,
    pub sides: Sides,
    pub power: f64,
}

/// Why a choice does not make a design; each front end words it in its own terms
/// (the CLI names its flags).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ChoiceError {
    #[error("{listed} information fractions for {looks} looks")]
    FractionCount { listed: usize, looks: usize },
    #[error("futility only stops early for futility alone: leave the efficacy boundary at obf or give none")]
    FutilityOnlyWithBoundary,
    #[error("futility only needs a futility bound")]
    FutilityOnlyWithoutBound,
    #[error("a β-spending needs a futility bound (binding or non-binding)")]
    BetaSpendingWithoutBound,
    #[error("the β-spending must be a spending function: obf, pocock, kim-demets:RHO or hsd:GAMMA")]
    BetaSpendingNotSpending,
    #[error(
        "a futility bound needs an error-spending efficacy boundary (obf, pocock, kim-demets:RHO, hsd:GAMMA, none)"
    )]
    FutilityNeedsSpending,
    /// A boundary name outside the grammar (the parser's message).
    #[error("{0}")]
    Name(String),
}

impl DesignChoice<'_> {
    /// The design specification of this choice (validated later by [`super::Design::new`]).
    pub fn spec(&self) -> Result<DesignSpec, ChoiceError> {
        let fractions = self.fractions.clone().unwrap_or_else(|| equal_fractions(self.looks));
        if fractions.len() != self.looks {
            return Err(ChoiceError::FractionCount { listed: fractions.len(), looks: self.looks });
        }
        if self.futility_only && self.spending != "obf" && self.spending != "none" {
            return Err(ChoiceError::FutilityOnlyWithBoundary);
        }
        let family = if self.futility_only {
            BoundaryFamily::Spending { function: SpendingFunction::NoEarlyStop }
        } else {
            BoundaryFamily::parse(self.spending).map_err(ChoiceError::Name)?
        };
        let kind = match (self.futility, self.futility_only) {
            (Some(FutilityChoice::None), true) => return Err(ChoiceError::FutilityOnlyWithoutBound),
            (Some(kind), _) => kind,
            (None, true) => FutilityChoice::NonBinding,
            (None, false) => FutilityChoice::None,
        };
        let futility = match (kind, family) {
            (FutilityChoice::None, _) if self.beta_spending.is_some() => {
                return Err(ChoiceError::BetaSpendingWithoutBound);
            }
            (FutilityChoice::None, _) => None,
            (kind, BoundaryFamily::Spending { function }) => {
                let spending = match self.beta_spending {
                    Some(text) => match BoundaryFamily::parse(text).map_err(ChoiceError::Name)? {
                        BoundaryFamily::Spending { function } => function,
                        _ => return Err(ChoiceError::BetaSpendingNotSpending),
                    },
                    None if function == SpendingFunction::NoEarlyStop => SpendingFunction::ObrienFleming,
                    None => function,
                };
                Some(Futility { spending, binding: kind == FutilityChoice::Binding })
            }
            _ => return Err(ChoiceError::FutilityNeedsSpending),
        };
        Ok(DesignSpec { fractions, family, alpha: self.alpha, sides: self.sides, power: self.power, futility })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(spending: &str) -> DesignChoice<'_> {
        DesignChoice {
            looks: 3,
            fractions: None,
            spending,
            futility: None,
            beta_spending: None,
            futility_only: false,
            alpha: 0.05,
            sides: Sides::One,
            power: 0.8,
        }
    }

    #[test]
    fn the_futility_bound_spends_like_the_efficacy_boundary_unless_named() {
        let pocock = DesignChoice { futility: Some(FutilityChoice::NonBinding), ..choice("pocock") };
        let spec = pocock.spec().expect("valid");
        assert_eq!(spec.futility, Some(Futility { spending: SpendingFunction::Pocock, binding: false }));
        let named = DesignChoice { beta_spending: Some("obf"), ..pocock };
        assert_eq!(named.spec().expect("valid").futility.map(|f| f.spending), Some(SpendingFunction::ObrienFleming));
        let only = DesignChoice { futility_only: true, ..choice("obf") }.spec().expect("valid");
        assert_eq!(only.family, BoundaryFamily::Spending { function: SpendingFunction::NoEarlyStop });
        assert_eq!(only.futility, Some(Futility { spending: SpendingFunction::ObrienFleming, binding: false }));
        assert_eq!(only.fractions, equal_fractions(3));
    }

    #[test]
    fn choices_that_make_no_design_say_why() {
        let classic = DesignChoice { futility: Some(FutilityChoice::Binding), ..choice("classic-obf") };
        assert_eq!(classic.spec(), Err(ChoiceError::FutilityNeedsSpending));
        assert_eq!(
            DesignChoice { beta_spending: Some("obf"), ..choice("obf") }.spec(),
            Err(ChoiceError::BetaSpendingWithoutBound)
        );
        let only_pocock = DesignChoice { futility_only: true, ..choice("pocock") };
        assert_eq!(only_pocock.spec(), Err(ChoiceError::FutilityOnlyWithBoundary));
        let only_none = DesignChoice { futility_only: true, futility: Some(FutilityChoice::None), ..choice("obf") };
        assert_eq!(only_none.spec(), Err(ChoiceError::FutilityOnlyWithoutBound));
        let classic_beta = DesignChoice {
            futility: Some(FutilityChoice::Binding),
            beta_spending: Some("classic-obf"),
            ..choice("obf")
        };
        assert_eq!(classic_beta.spec(), Err(ChoiceError::BetaSpendingNotSpending));
        let two = DesignChoice { fractions: Some(vec![0.5, 1.0]), ..choice("obf") };
        assert_eq!(two.spec(), Err(ChoiceError::FractionCount { listed: 2, looks: 3 }));
        assert!(matches!(choice("bogus").spec(), Err(ChoiceError::Name(_))));
    }
}
