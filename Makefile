# prakerja: the README's commands. `make run` sets everything up and serves on
# http://127.0.0.1:8080; `make check` sets up and runs every test.
BUILD   ?= build
DB      ?= data/prakerja.db
PORT    ?= 8080
BIN      = $(BUILD)/prakerja

.PHONY: all deps build web run check bench clean

all: build

deps:
	@scripts/deps

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja web
	ninja -C $(BUILD)

web: deps
	npm run --silent build

data: build
	$(BIN) db init --db $(DB)
	$(BIN) demo --db $(DB)

run: data
	$(BIN) serve --db $(DB) --port $(PORT) --static web/dist

check: build
	scripts/check $(BUILD)

bench: build
	@for b in bench/*/run; do echo "== $$b"; PRAKERJA_BIN=$(CURDIR)/$(BIN) $$b || exit 1; done

clean:
	rm -rf $(BUILD) build-asan web/dist
