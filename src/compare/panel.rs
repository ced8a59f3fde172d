//! What the app's Compare screen starts from and allows. The app runs a comparison on the
//! user's own machine while they wait, so it offers fewer replicates than the CLI accepts
//! ([`MAX_REPLICATIONS`]); the default is the CLI's.

use super::{CompareConfig, MAX_REPLICATIONS};

/// Replicates when the user sets none: the CLI's default ([`CompareConfig::default`], tested).
pub const PANEL_REPLICATIONS: u32 = 5;
/// Most replicates the app offers (the CLI accepts up to [`MAX_REPLICATIONS`]).
pub const PANEL_MAX_REPLICATIONS: u32 = 50;
const _: () =
    assert!(PANEL_MAX_REPLICATIONS as u64 <= MAX_REPLICATIONS && PANEL_REPLICATIONS <= PANEL_MAX_REPLICATIONS);

/// Replicates out of the panel's bounds.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("replicates is {0}: the app runs 1 … {PANEL_MAX_REPLICATIONS} (more with `journeylab compare --replications`)")]
pub struct PanelError(pub u32);

/// The comparison the screen runs; `None` takes the panel's default. Errors say what is allowed.
pub fn panel_config(replications: Option<u32>, users: Option<u32>) -> Result<CompareConfig, PanelError> {
    let replications = replications.unwrap_or(PANEL_REPLICATIONS);
    if !(1..=PANEL_MAX_REPLICATIONS).contains(&replications) {
        return Err(PanelError(replications));
    }
    Ok(CompareConfig { replications: u64::from(replications), users, ..CompareConfig::default() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_panel_takes_the_default_and_refuses_out_of_bounds() {
        assert_eq!(u64::from(PANEL_REPLICATIONS), CompareConfig::default().replications);
        assert_eq!(panel_config(None, None).map(|c| c.replications), Ok(5));
        assert_eq!(panel_config(Some(50), Some(100)).map(|c| (c.replications, c.users)), Ok((50, Some(100))));
        for bad in [0, 51] {
            let err = panel_config(Some(bad), None).expect_err("out of bounds");
            assert!(err.to_string().contains("1 … 50"), "{err}");
        }
    }
}
