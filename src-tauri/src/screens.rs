//! The one table of the app's screens, in sidebar order: the native View menu (labels and
//! Ctrl+digit accelerators), the UI's sidebar, its in-page shortcuts and which screens can be
//! opened all come from [`SCREENS`] (exported to TypeScript as a constant in ui/src/bindings.ts).

use serde::{Deserialize, Serialize};
use specta::Type;

/// A screen of the app; also the `data-screen` attribute the E2E tests click.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "kebab-case")]
pub enum ScreenId {
    Library,
    Scenario,
    Journeys,
    Run,
    Results,
    Compare,
    Monitor,
    Peeking,
    Planner,
    Calibrate,
}

impl ScreenId {
    /// The id as the UI and the E2E tests write it (its serialised form, tested).
    pub fn name(self) -> &'static str {
        match self {
            ScreenId::Library => "library",
            ScreenId::Scenario => "scenario",
            ScreenId::Journeys => "journeys",
            ScreenId::Run => "run",
            ScreenId::Results => "results",
            ScreenId::Compare => "compare",
            ScreenId::Monitor => "monitor",
            ScreenId::Peeking => "peeking",
            ScreenId::Planner => "planner",
            ScreenId::Calibrate => "calibrate",
        }
    }
}

/// What a screen needs before it can be opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "kebab-case")]
pub enum Needs {
    Nothing,
    /// An open scenario.
    Scenario,
    /// A run's results (finished or reopened).
    Results,
}

impl Needs {
    /// What unlocks a screen that needs this, as the sidebar says it while the screen is greyed.
    pub const fn unlock_hint(self) -> &'static str {
        match self {
            Needs::Nothing => "",
            Needs::Scenario => "Open a scenario first",
            Needs::Results => "Run a scenario first",
        }
    }
}

/// One screen: its id, its name in the sidebar and the View menu, its Ctrl+digit, what it needs
/// and what to do to get it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Type)]
pub struct Screen {
    pub id: ScreenId,
    pub label: &'static str,
    /// The digit of its shortcut, Ctrl+`key`.
    pub key: &'static str,
    pub needs: Needs,
    /// Shown while the screen cannot be opened: what unlocks it (empty when it needs nothing).
    pub unlock_hint: &'static str,
}

impl Screen {
    /// The id of its View menu item, which the UI dispatches like the same chord pressed in the page.
    pub fn menu_id(&self) -> String {
        format!("view-{}", self.id.name())
    }
}

const fn screen(id: ScreenId, label: &'static str, key: &'static str, needs: Needs) -> Screen {
    Screen { id, label, key, needs, unlock_hint: needs.unlock_hint() }
}

pub const SCREENS: [Screen; 10] = [
    screen(ScreenId::Library, "Library", "1", Needs::Nothing),
    screen(ScreenId::Scenario, "Scenario", "2", Needs::Scenario),
    screen(ScreenId::Journeys, "Journeys", "3", Needs::Scenario),
    screen(ScreenId::Run, "Run", "4", Needs::Scenario),
    screen(ScreenId::Results, "Results", "5", Needs::Results),
    screen(ScreenId::Compare, "Compare", "6", Needs::Scenario),
    screen(ScreenId::Monitor, "Experiment monitor", "7", Needs::Scenario),
    screen(ScreenId::Peeking, "Peeking lab", "8", Needs::Nothing),
    screen(ScreenId::Planner, "Planner", "9", Needs::Nothing),
    screen(ScreenId::Calibrate, "Calibrate", "0", Needs::Nothing),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_screen_has_its_own_id_and_digit() {
        let menu: Vec<String> = SCREENS.iter().map(Screen::menu_id).collect();
        assert_eq!(menu[0], "view-library");
        for (i, s) in SCREENS.iter().enumerate() {
            assert_eq!(s.key, ((i + 1) % 10).to_string(), "Ctrl+digit follows sidebar order, the tenth Ctrl+0");
            assert_eq!(SCREENS.iter().filter(|o| o.id == s.id).count(), 1);
            assert_eq!(serde_json::to_value(s.id).expect("json"), serde_json::json!(s.id.name()));
            assert_eq!(s.unlock_hint.is_empty(), s.needs == Needs::Nothing, "a screen that can be greyed says why");
        }
    }
}
