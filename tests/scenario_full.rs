//! The complete example reads into exactly the values it states, and a minimal
//! file reads into the documented defaults.

use journeylab::api::check_scenario as read;
use journeylab::api::scenario::*;

fn read_ok(text: &str) -> Scenario {
    match read(text) {
        Ok(scenario) => scenario,
        Err(diagnostics) => {
            let listing: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
            panic!("unexpected diagnostics:\n{}", listing.join("\n"))
        }
    }
}

fn node(name: &str, kind: NodeKind) -> Node {
    Node { name: name.to_owned(), kind, position: None }
}

#[test]
fn the_full_example_reads_into_the_values_it_states() {
    let text = std::fs::read_to_string("tests/data/scenario_full.toml").expect("the example file exists");
    let scenario = read_ok(&text);
    let typical = typical_segment();

    let mut bargain_channels = typical.channels;
    bargain_channels[Channel::Push.index()] =
        ChannelTraits { reachable: 0.7, responsiveness: Share { mean: 0.05, sd: 0.02 } };
    bargain_channels[Channel::Sms.index()].reachable = 0.1;
    let bargain_hunters = Segment {
        name: "bargain hunters".to_owned(),
        share: 0.4,
        visits_per_day: Positive { mean: 0.5, sd: 0.6 },
        feature_adoption: Share { mean: 0.2, sd: 0.0 },
        purchase_propensity: Share { mean: 0.06, sd: 0.03 },
        price_sensitivity: Share { mean: 0.8, sd: 0.1 },
        deal_sensitivity: Share { mean: 0.6, sd: 0.2 },
        churn_hazard: Positive { mean: 0.04, sd: 0.02 },
        purchase_dropout: Share { mean: 0.0, sd: 0.0 },
        order_value: Some(30.0),
        engagement: Share { mean: 0.25, sd: 0.1 },
        fatigue_tolerance: Positive { mean: 2.0, sd: 0.0 },
        activity: vec![(ActivityProfile::Evening, 0.7), (ActivityProfile::NightOwl, 0.3)],
        time_zones: TimeZones {
            home: vec![(0, 0.5), (1, 0.5)],
            traveller_share: 0.1,
            destinations: vec![(8, 0.75), (-5, 0.25)],
            trip_days: 10.0,
        },
        channels: bargain_channels,
    };
    let loyal_regulars = Segment {
        name: "loyal regulars".to_owned(),
        share: 0.6,
        visits_per_day: Positive { mean: 1.5, sd: 0.0 },
        churn_hazard: Positive { mean: 0.01, sd: 0.0 },
        purchase_dropout: Share { mean: 0.0, sd: 0.0 },
        ..typical.clone()
    };

    let mut caps = [None; 4];
    caps[Channel::Push.index()] = Some(Cap { per_day: Some(1), per_week: Some(3), min_gap_hours: Some(4) });
    caps[Channel::Email.index()] = Some(Cap { per_day: None, per_week: Some(2), min_gap_hours: None });
    let reminder = Journey::new(
        "reminder".to_owned(),
        "Push first, email as fallback; a second nudge for the undecided.".to_owned(),
        vec![
            Node {
                position: Some((0.0, 0.0)),
                ..node("abandoned", NodeKind::Trigger { trigger: Trigger::CartAbandoned, next: 1 })
            },
            node("wait_4h", NodeKind::Wait { wait: Wait::Delay { hours: 4 }, next: 2 }),
            node(
                "remind",
                NodeKind::Message {
                    content: Content::Reminder,
                    channels: vec![Channel::Push, Channel::Email],
                    delivery: Delivery::Priority,
                    next: 3,
                },
            ),
            node(
                "came_back",
                NodeKind::Branch { condition: Condition::Sessions { days: 2, at_least: 1 }, yes: 5, no: 4 },
            ),
            node("next_visit", NodeKind::Wait { wait: Wait::NextActive { max_hours: 48 }, next: 5 }),
            node("done", NodeKind::Exit { goal: Some("purchase".to_owned()) }),
        ],
        Policies {
            caps,
            on_cap: Hold::Defer,
            quiet_hours: Some(QuietHours { start: 21, end: 8, action: Hold::Defer }),
            holdout: 0.1,
            reentry: false,
        },
    )
    .expect("a valid journey");
    let coupon = Journey::new(
        "coupon".to_owned(),
        String::new(),
        vec![
            node(
                "weekly",
                NodeKind::Trigger {
                    trigger: Trigger::Schedule { first_day: 7, every_days: 7, hour: 9, clock: Clock::Local },
                    next: 1,
                },
            ),
            node("best_time", NodeKind::Wait { wait: Wait::BestHour, next: 2 }),
            node(
                "risky",
                NodeKind::Branch { condition: Condition::Score { score: Score::ChurnRisk, above: 0.7 }, yes: 3, no: 4 },
            ),
            node(
                "coupon",
                NodeKind::Message {
                    content: Content::Discount { depth: 0.2, valid_hours: 72 },
                    channels: vec![Channel::Email, Channel::Sms, Channel::InApp],
                    delivery: Delivery::Blast,
                    next: 5,
                },
            ),
            node(
                "recommend",
                NodeKind::Message {
                    content: Content::Recommendation,
                    channels: vec![Channel::InApp],
                    delivery: Delivery::Priority,
                    next: 5,
                },
            ),
            node("end", NodeKind::Exit { goal: None }),
        ],
        Policies { caps: [None; 4], on_cap: Hold::Drop, quiet_hours: None, holdout: 0.0, reentry: true },
    )
    .expect("a valid journey");

    let expected = Scenario {
        experiment: None,
        verdict: VerdictSettings::default(),
        simulation: Simulation {
            name: "Cart abandonment: reminder vs coupon".to_owned(),
            description: "Does a timely reminder recover as many carts as a 20% coupon?".to_owned(),
            seed: 20_260_105,
            users: 50_000,
            horizon_days: 60,
            start_date: Date { year: 2026, month: 3, day: 2 },
        },
        population: Population {
            segments: vec![bargain_hunters, loyal_regulars],
            acquisition: Acquisition { days: 20, first_purchase: false },
            rhythm: Rhythm { weekday: [1.0, 1.0, 1.0, 1.0, 1.0, 0.9, 1.1], month: [1.0; 12] },
        },
        economics: Economics {
            order_value: 42.5,
            customer_spread: 0.5,
            order_spread: 0.3,
            margin: 0.35,
            message_cost: [0.0002, 0.0, 0.002, 0.015],
            currency: Currency::new("EUR").expect("an ISO code"),
        },
        tracking: Tracking { loss: 0.05, duplicate: 0.01, delay_hours: 0.5 },
        predictions: Predictions {
            churn_risk: ScoreQuality { auc: 0.8, half_users: Some(20_000.0) },
            conversion_intent: ScoreQuality { auc: 0.7, half_users: None },
            lifetime_value: ScoreQuality { auc: 0.7, half_users: None },
            best_hour: HourQuality { hit_rate: 0.5, half_users: None },
        },
        model: journeylab::api::Model { blast_annoyance: 0.1, cart_memory_hours: 48.0, ..Default::default() },
        journeys: vec![reminder, coupon],
    };
    assert_eq!(scenario, expected);
}

#[test]
fn a_minimal_file_takes_the_documented_defaults() {
    let text = r#"
[simulation]
name = "minimal"

[[journey]]
name = "welcome"

[[journey.node]]
id = "signed_up"
type = "trigger"
event = "signup"
next = "hello"

[[journey.node]]
id = "hello"
type = "message"
content = "value"
channels = ["email"]
next = "done"

[[journey.node]]
id = "done"
type = "exit"
"#;
    let scenario = read_ok(text);
    let simulation = Simulation {
        name: "minimal".to_owned(),
        description: String::new(),
        seed: 1,
        users: 10_000,
        horizon_days: 90,
        start_date: Date { year: 2026, month: 1, day: 5 },
    };
    assert_eq!(scenario.simulation, simulation);
    assert_eq!(
        scenario.population,
        Population {
            segments: vec![typical_segment()],
            acquisition: Acquisition { days: 30, first_purchase: false },
            rhythm: Rhythm::default(),
        }
    );
    assert_eq!(
        scenario.economics,
        Economics {
            order_value: 50.0,
            customer_spread: 0.76,
            order_spread: 0.4,
            margin: 0.4,
            message_cost: [0.0001, 0.0, 0.001, 0.01],
            currency: Currency::DEFAULT,
        }
    );
    assert_eq!(scenario.tracking, Tracking { loss: 0.0, duplicate: 0.0, delay_hours: 0.0 });
    assert_eq!(scenario.predictions.churn_risk, ScoreQuality { auc: 0.75, half_users: None });
    assert_eq!(scenario.predictions.best_hour, HourQuality { hit_rate: 0.4, half_users: None });
    let journey = &scenario.journeys[0];
    assert_eq!(
        journey.policies,
        Policies { caps: [None; 4], on_cap: Hold::Drop, quiet_hours: None, holdout: 0.0, reentry: true }
    );
    assert_eq!(journey.trigger(), Trigger::Signup);
    assert_eq!(
        journey.nodes()[1].kind,
        NodeKind::Message {
            content: Content::Value,
            channels: vec![Channel::Email],
            delivery: Delivery::Priority,
            next: 2
        }
    );
}

#[test]
fn a_segment_without_share_is_the_whole_population() {
    let text = std::fs::read_to_string("tests/data/scenario_full.toml").expect("the example file exists");
    let start = text.find("[[population.segment]]").expect("a segment");
    let end = text.find("[economics]").expect("economics");
    let one = format!(
        "{}[[population.segment]]\nname = \"all\"\nfatigue_tolerance = {{ mean = 5, sd = 1 }}\n\n{}",
        &text[..start],
        &text[end..]
    );
    let segments = read_ok(&one).population.segments;
    assert_eq!(
        segments,
        vec![Segment {
            name: "all".to_owned(),
            fatigue_tolerance: Positive { mean: 5.0, sd: 1.0 },
            ..typical_segment()
        }]
    );
}

#[test]
fn the_example_in_the_documentation_matches_the_example_file() {
    let docs = std::fs::read_to_string("docs/scenarios.md").expect("docs/scenarios.md exists");
    let start = docs.find("```toml\n").expect("a toml block") + "```toml\n".len();
    let end = start + docs[start..].find("```").expect("the block ends");
    let file = std::fs::read_to_string("tests/data/scenario_full.toml").expect("the example file exists");
    assert_eq!(read_ok(&docs[start..end]), read_ok(&file));
}
