//! The optional `[model]` section: any behaviour parameter of
//! [`crate::behavior::PARAMETERS`] set by name, inside its plausible range.

use super::fields::{Ctx, Fields, Interval};
use crate::behavior::{Model, PARAMETERS};

/// Reads `[model]`; parameters left out keep their defaults. Unknown names are
/// reported with the closest known name, values outside the plausible range
/// with the range and its source.
pub(super) fn model(ctx: &mut Ctx, mut f: Fields) -> Model {
    let mut model = Model::default();
    for p in PARAMETERS {
        let Some(value) = f.get(p.name) else { continue };
        let Some(x) = value.float(ctx) else { continue };
        let range = Interval::closed(p.low, p.high);
        if !range.contains(x) {
            let message = format!("{x} is outside the plausible range {range} {} of `{}`", p.unit, p.name);
            let hint = format!("use a value in {range} ({}; source: {})", p.meaning, p.source);
            value.out_of_range(ctx, message, hint);
        } else if p.whole && x.fract() != 0.0 {
            value.out_of_range(ctx, format!("`{}` is a whole number of {}", p.name, p.unit), "drop the decimals");
        } else {
            model.set(p.name, x);
        }
    }
    f.finish(ctx);
    model
}
