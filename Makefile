# The front door: `make test` and `make app` each install what is missing (.ci/deps), then run
# every test or launch the app.
CARGO ?= cargo
NPM ?= npm
# The desktop app's end-to-end tests need a display: a virtual one.
XVFB := xvfb-run -a -s "-screen 0 1280x800x24"
# Every cargo step builds the same targets (benches are only type-checked, by clippy; `make bench`
# runs them), so features unify the same way each time and nothing is compiled twice.
TARGETS := --workspace --lib --bins --tests --examples --locked

.PHONY: test lint unit ui ui-test e2e check fmt bench app deps bindings deb screenshots fuzz charts

# The tests must leave the working tree as they found it (.ci/tree compares before and after).
test: deps
	@mkdir -p target && .ci/tree > target/tree-before-test
	$(MAKE) lint unit ui-test e2e
	@.ci/tree | diff -u target/tree-before-test - \
		|| { echo "make test changed the working tree (above): tests must write under target/" >&2; exit 1; }

# The app crate embeds ui/dist at compile time: build the UI before any cargo step on it.
ui: ui/node_modules/.package-lock.json
	cd ui && $(NPM) run build

ui/node_modules/.package-lock.json: ui/package.json ui/package-lock.json
	cd ui && $(NPM) ci

lint: ui
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	cd ui && $(NPM) run check

# The end-to-end tests are #[ignore]d here and run by `make e2e`.
unit: ui
	$(CARGO) test $(TARGETS)
	$(CARGO) test --workspace --doc --locked

ui-test: ui/node_modules/.package-lock.json
	cd ui && $(NPM) test

# Drives the real app (the debug build `unit` makes) through tauri-driver and WebKitWebDriver.
# Runs every tests/app*.rs file even when one fails, then fails if any did (.ci/e2e).
# Screenshots go to target/screenshots/; `make screenshots` copies them to docs/screenshots/.
e2e: ui
	$(CARGO) test $(TARGETS) --no-run
	$(XVFB) .ci/e2e

screenshots:
	@ls target/screenshots/*.png >/dev/null 2>&1 || { echo "no target/screenshots/: run make e2e first" >&2; exit 1; }
	@# The accessibility audit's per-screen shots (a11y-*) stay in target/: evidence, not documentation.
	cp $$(ls target/screenshots/*.png | grep -v '/a11y-') docs/screenshots/

# Redraws the README's charts (docs/charts/) with the release CLI, exactly as the README's commands do.
charts:
	$(CARGO) build --release -p journeylab --bin journeylab --locked
	@rm -rf target/charts && mkdir -p target/charts
	./target/release/journeylab peek --looks 20 --sims 20000 --method gst:obf --out target/charts/peek
	./target/release/journeylab experiment simulations/experiment_ab.toml --out target/charts/ab
	./target/release/journeylab compare simulations/discount_spiral.toml --out target/charts/spiral --replications 5 --users 10000
	cp target/charts/peek/peeking.png docs/charts/peeking.png
	cp target/charts/ab/monitor.png docs/charts/experiment_monitor.png
	cp target/charts/spiral/retention.png docs/charts/retention.png

# Regenerates ui/src/bindings.ts (commands, events, DTOs, error codes, constants) from src-tauri.
bindings:
	UPDATE_BINDINGS=1 $(CARGO) test -p journeylab-app --test bindings

check:
	$(CARGO) check --workspace --all-targets

fmt:
	$(CARGO) fmt --all

bench:
	$(CARGO) bench -p journeylab

# Installs what is missing (Debian packages, npm packages) and launches the app.
deps:
	.ci/deps

app: deps ui
	$(CARGO) run -p journeylab-app --release

# A .deb under target/release/bundle/deb/ (see README).
deb: deps ui
	ui/node_modules/.bin/tauri build --bundles deb

# Coverage-guided fuzzing (cargo-fuzz, nightly toolchain; installs cargo-fuzz if missing): each
# target for FUZZ_SECONDS. Seeds are fuzz/corpus/<target>/; what a run learns stays under
# fuzz/target/corpus/ and a crash is written to fuzz/artifacts/<target>/ (see fuzz/README.md).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := scenario_read journey_edits fit_csv import
fuzz:
	command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p fuzz/target/corpus/$$t && \
	  $(CARGO) +nightly fuzz run --sanitizer none $$t fuzz/target/corpus/$$t fuzz/corpus/$$t \
	    -- -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 || exit 1; \
	done
