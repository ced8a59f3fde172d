# The front door: `make test` runs every test; `make app` installs what is missing and launches the app.
CARGO ?= cargo

.PHONY: test check lint fmt bench

test: lint
	$(CARGO) test --all-targets --locked
	$(CARGO) test --doc --locked

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets --locked -- -D warnings

check:
	$(CARGO) check --all-targets

fmt:
	$(CARGO) fmt --all

bench:
	$(CARGO) bench

.PHONY: app
app:
	@echo "The desktop app (src-tauri/, ui/) is not built yet — see the open issue 'The desktop app'."
	@echo "Meanwhile: cargo run --release -- run simulations/cart_abandonment.toml"
	@exit 1
