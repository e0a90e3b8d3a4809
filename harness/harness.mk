# harness/harness.mk -- included by the top Makefile.  Builds the fixture
# harness (build/harness), its GoogleTest suite (build/tests/harness-tests)
# and the deliberately wrong server the suite runs it against
# (build/tests/wrong-server).  Everything here is native: the harness runs
# on this machine and starts the aarch64 servers under qemu itself.

HARNESS_SRC  := $(filter-out harness/main.cpp harness/wrong-server.cpp harness/fuzz.cpp,$(wildcard harness/*.cpp))
HARNESS_HDR  := $(wildcard harness/*.hpp)
HARNESS_OBJ  := $(patsubst harness/%.cpp,$(BUILD)/harness-obj/%.o,$(HARNESS_SRC))
HARNESS_TOOLS := | $(BUILD)/.tools/cxx $(BUILD)/.tools/json $(BUILD)/.tools/gtest

$(BUILD)/harness-obj/%.o: harness/%.cpp $(HARNESS_HDR) $(HARNESS_TOOLS)
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS_NATIVE) -c -o $@ $<

$(BUILD)/harness: harness/main.cpp $(HARNESS_OBJ) $(HARNESS_HDR) $(HARNESS_TOOLS)
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS_NATIVE) -o $@ harness/main.cpp $(HARNESS_OBJ) -pthread

# make fuzz-NN: random requests to both servers, answers compared byte for
# byte (harness/fuzz.cpp; not part of make test).
$(BUILD)/fuzz: harness/fuzz.cpp $(HARNESS_OBJ) $(HARNESS_HDR) $(HARNESS_TOOLS)
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS_NATIVE) -o $@ harness/fuzz.cpp $(HARNESS_OBJ) -pthread

$(BUILD)/tests/wrong-server: harness/wrong-server.cpp $(HARNESS_TOOLS)
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS_NATIVE) -o $@ $<

# The same server with the sanitizers, built as the Makefile builds the
# sanitized lesson server (SAN_CPP): the sanitize suite's test runs
# tests/tools/sanitize-run.sh against it, with and without its -u bug.
$(BUILD)/tests/wrong-server-sanitized: harness/wrong-server.cpp $(HARNESS_TOOLS)
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS_NATIVE) $(SANITIZE) -fno-sanitize-recover=all -o $@ $<

# Darwin's 1,024-byte path limit for a Linux program, through LD_PRELOAD
# (tests/harness/darwin_path_max.c): make test runs the fixture lint under
# it.  A Mac has the limit itself, so there is nothing to build there.
DARWIN_PATH_MAX_SO := $(if $(filter Linux,$(HOST_OS)),$(BUILD)/tests/darwin-path-max.so)
$(BUILD)/tests/darwin-path-max.so: tests/harness/darwin_path_max.c $(HARNESS_TOOLS)
	@mkdir -p $(@D)
	$(CC) -shared -fPIC -O1 -Wall -Wextra -Werror -o $@ $< -ldl

# The unit tests compile the harness sources again with the sanitizers (one
# object per source, so an edit rebuilds one file); the end-to-end tests run
# the real build/harness against build/tests/wrong-server, and the docs
# suite's own tests run build/tools/docs-check on made-up repositories.
HARNESS_TEST_SRC := $(wildcard tests/harness/*.cpp)
HARNESS_TEST_OBJ := $(patsubst tests/harness/%.cpp,$(BUILD)/tests/harness-obj/test-%.o,$(HARNESS_TEST_SRC)) \
                    $(patsubst harness/%.cpp,$(BUILD)/tests/harness-obj/%.o,$(HARNESS_SRC))
HARNESS_TEST_DEFS := -DMETAL_SOURCE_DIR='"$(CURDIR)"' -DHARNESS_BIN='"$(abspath $(BUILD)/harness)"' \
                     -DDARWIN_PATH_MAX_SO='"$(abspath $(DARWIN_PATH_MAX_SO))"' \
                     -DWRONG_SERVER_BIN='"$(abspath $(BUILD)/tests/wrong-server)"' \
                     -DWRONG_SERVER_SANITIZED_BIN='"$(abspath $(BUILD)/tests/wrong-server-sanitized)"' \
                     -DDOCS_CHECK_BIN='"$(abspath $(BUILD)/tools/docs-check)"'

# TEST_DEBUG (line tables only; the tests themselves at -O0): see the Makefile.
# GCC 12 with -fsanitize=address reports a false "may be used uninitialized"
# inside libstdc++'s <regex> (GCC bug 105562); only these objects silence it.
HARNESS_SAN := $(SANITIZE) $(if $(filter g++%,$(notdir $(CXX))),-Wno-maybe-uninitialized)

$(BUILD)/tests/harness-obj/test-%.o: tests/harness/%.cpp $(HARNESS_HDR) $(HARNESS_TOOLS)
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS_NATIVE) $(TEST_DEBUG) $(HARNESS_SAN) -Iharness $(HARNESS_TEST_DEFS) -c -o $@ $<

$(BUILD)/tests/harness-obj/%.o: harness/%.cpp $(HARNESS_HDR) $(HARNESS_TOOLS)
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS_NATIVE) $(TEST_DEBUG) $(HARNESS_SAN) -c -o $@ $<

$(BUILD)/tests/harness-tests: $(HARNESS_TEST_OBJ) $(BUILD)/harness $(BUILD)/tests/wrong-server $(BUILD)/tests/wrong-server-sanitized \
                              $(BUILD)/tools/docs-check $(DARWIN_PATH_MAX_SO) $(HARNESS_TOOLS)
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS_NATIVE) $(SANITIZE) -o $@ $(HARNESS_TEST_OBJ) $(GTEST_LIBS) -lgtest_main
