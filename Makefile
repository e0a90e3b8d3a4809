# metal-httpd -- one static HTTP server, written twice (C++ and ARM64
# assembly), one lesson at a time.  `make help` lists every target.
#
# Layout of what gets built:
#   build/lesson-NN/         the lesson's two programs for this machine
#                            (lesson 00: syscalls-cpp, syscalls-asm;
#                             lesson 01+: httpd-cpp, httpd-asm)
#   build/darwin/lesson-NN/  the assembly program as an arm64 Mach-O (make darwin)
#   build/tests/             test programs
#
# Lesson N's programs are built from every stage file up to N
# (asm/00-*.s ... asm/NN-*.s, cpp/00-*.cpp ... cpp/NN-*.cpp) with
# LESSON=N defined, so the spine's `.if LESSON >= 3` / `#if LESSON >= 3`
# blocks switch the later steps on (docs/architecture.md).

BUILD   := build
SHELL   := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

# One job per core unless the command line names a number (`make -j1 ...`
# builds one file at a time): a clean `make test` compiles about a hundred
# files, and on two cores this halves the wait.
# GNU make 3.81, the make macOS ships, does not show a command-line -jN in
# MAKEFLAGS while it reads this file; there make's own command line is read
# with ps instead (make is the parent of the shell that $(shell) starts).
# tests/tools/check-platforms.sh runs both ways (MAKE_VERSION=3.81 on the
# command line takes the 3.81 way with any make).
JOBS_NAMED := $(filter -j% --jobs%,$(MAKEFLAGS))
# A sub-make (make diff-NN, trace-NN, grade-NN run one) shares its parent's
# job slots: neither 3.81 nor 4.3 shows them in MAKEFLAGS while reading this
# file, but the environment has them, and adding -jN on top would make it
# leave the jobserver ("-j2 forced in makefile: resetting jobserver mode").
JOBS_NAMED += $(filter -j% --jobserver%,$(shell printenv MAKEFLAGS 2>/dev/null))
ifeq ($(MAKE_VERSION),3.81)
  JOBS_NAMED += $(shell ps -o args= -p $$PPID 2>/dev/null | grep -Eq -- '(^|[[:space:]])(-[A-Za-z]*j|--jobs)' && echo -j)
endif
ifeq ($(strip $(JOBS_NAMED)),)
MAKEFLAGS += -j$(shell getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
endif

# ---------------------------------------------------------------------------
# Lessons: every lessons/NN-slug directory is one lesson.
# ---------------------------------------------------------------------------
LESSON_DIRS := $(sort $(wildcard lessons/[0-9][0-9]-*))
LESSON_NUMS := $(foreach d,$(LESSON_DIRS),$(word 1,$(subst -, ,$(notdir $(d)))))
LAST_LESSON := $(lastword $(LESSON_NUMS))

# le(A,B): non-empty when the two-digit lesson number A <= B.
le = $(filter $(1),$(firstword $(sort $(1) $(2))))
# Stage files whose number is <= lesson $(1).  Files named *-main.* are
# programs (lesson 00's), not stages.
stage_num   = $(word 1,$(subst -, ,$(notdir $(1))))
stages_upto = $(foreach f,$(filter-out %-main.s %-main.cpp,$(2)),$(if $(call le,$(call stage_num,$(f)),$(1)),$(f)))
ASM_STAGES  := $(sort $(wildcard asm/[0-9][0-9]-*.s))
CPP_STAGES  := $(sort $(wildcard cpp/[0-9][0-9]-*.cpp))
CPP_HEADERS := $(wildcard cpp/*.hpp) asm/api.h

# Write it yourself (make exercise-NN FN=name, tests/tools/exercise.sh):
# a student's version of one function is student/NN-slug/FN.s (ignored by
# git, so the tracked sources stay as they are).  While one exists, every
# object of asm/NN-slug.s -- each lesson's server, the test suites, the
# Darwin build -- is assembled from build/student/asm/NN-slug.s instead: a
# copy of the stage whose FN is an .include of the student's file.  Each
# stage's list of student functions is kept in build/student/NN-slug.set,
# rewritten here when it changes, so that starting or resetting an
# exercise rebuilds exactly the objects of that stage.
STUDENT_DIR    := student
EXERCISE_SH     = METAL_STUDENT_DIR='$(STUDENT_DIR)' bash tests/tools/exercise.sh
STUDENT_FILES  := $(sort $(wildcard $(STUDENT_DIR)/*/*.s))
STUDENT_STAGES := $(sort $(foreach f,$(STUDENT_FILES),$(notdir $(patsubst %/,%,$(dir $(f))))))
STUDENT_LS      = $(STUDENT_DIR)/$(1): $$(cd $(STUDENT_DIR)/$(1) 2>/dev/null && ls *.s 2>/dev/null | tr '\n' ' ')
asm_source      = $(if $(filter $(basename $(notdir $(1))),$(STUDENT_STAGES)),$(BUILD)/student/asm/$(notdir $(1)),$(1))
# (Not while the bug zoo builds a C++ bug, ZOO_DIR below: that build
# touches no assembly, and may run beside a grade with another STUDENT_DIR.)
STUDENT_SYNC   := $(if $(ZOO_DIR),,$(shell for f in $(wildcard $(BUILD)/student/*.set); do s=$$(basename "$$f" .set); \
                    want="$(call STUDENT_LS,$$s)"; [ "$$(cat "$$f")" = "$$want" ] || printf '%s' "$$want" > "$$f"; done))

# Lesson 00 is a small program; from lesson 01 on it is the server.
prog_name = $(if $(filter 00,$(1)),syscalls,httpd)
asm_main  = $(if $(filter 00,$(1)),asm/00-syscalls-main.s,asm/httpd.s)
cpp_main  = $(if $(filter 00,$(1)),cpp/00-syscalls-main.cpp,cpp/httpd.cpp)
lesson_no = $(patsubst 0%,%,$(1))

# ---------------------------------------------------------------------------
# This machine and its tools.
# ---------------------------------------------------------------------------
HOST_OS   := $(shell uname -s)
HOST_ARCH := $(shell uname -m)
TOOLS     := tests/tools/ensure-tools.sh

CXX              ?= g++
CXXFLAGS_NATIVE  := -std=c++20 -Wall -Wextra -Werror -O1 -g
SANITIZE         := -fsanitize=address,undefined -fno-omit-frame-pointer
GTEST_LIBS       := -lgtest -pthread

ifeq ($(HOST_OS),Darwin)
  # macOS on Apple silicon: everything native, Mach-O, the SDK's libSystem.
  # Every clang gets -arch arm64: the assembly is arm64, and the C++ that
  # calls it must be too.  A terminal under Rosetta says x86_64 (and its
  # Homebrew, in /usr/local, has x86_64 libraries): there, stop and say how
  # to run make as arm64 instead of failing at the first link.
  ifneq ($(HOST_ARCH),arm64)
    ROSETTA := $(shell sysctl -n sysctl.proc_translated 2>/dev/null)
    ifeq ($(ROSETTA),1)
      $(error this terminal runs under Rosetta ($(HOST_ARCH)), and the assembly is arm64: run  arch -arm64 $(MAKE) $(or $(MAKECMDGOALS),help)  (or open an arm64 terminal))
    else
      $(error the assembly is for Apple silicon (arm64) and this Mac is $(HOST_ARCH): build it on an arm64 Mac, or on Linux, where it runs under qemu-aarch64)
    endif
  endif
  ASM_OS     := darwin
  CXX        := clang++ -arch arm64
  BREW       := $(shell brew --prefix 2>/dev/null || echo /opt/homebrew)
  CXXFLAGS_NATIVE += -I$(BREW)/include
  GTEST_LIBS := -L$(BREW)/lib -lgtest -pthread
  ASSEMBLE    = clang -arch arm64 -c -Wa,--fatal-warnings -Iasm/os/darwin -Iasm -I$(GEN) -Wa,-defsym,LESSON=$(2) -o $(3) $(1)
  LINK_ASM    = clang -arch arm64 -o $(2) $(1)
  RUN_ASM    :=
  XCXX       := $(CXX)
  XCXXFLAGS  := $(CXXFLAGS_NATIVE)
  # tests/asm/main.cpp is the suite's main(): libgtest alone, no gtest_main.
  XGTEST     := $(GTEST_LIBS)
  TARGET_TOOLS := asm
else
  ASM_OS     := linux
  ifeq ($(HOST_ARCH),aarch64)
    # Linux on arm64: native tools, nothing emulated.
    XPREFIX  :=
    RUN_ASM  :=
  else
    # Any other Linux: cross tools, run the aarch64 programs under qemu-user.
    XPREFIX  := aarch64-linux-gnu-
    RUN_ASM  := qemu-aarch64
  endif
  ASSEMBLE    = $(XPREFIX)as --fatal-warnings -Iasm/os/linux -Iasm -I$(GEN) --defsym LESSON=$(2) -o $(3) $(1)
  # A static ELF with our objects only: no libc, no dynamic loader.
  LINK_ASM    = $(XPREFIX)ld -static --fatal-warnings -o $(2) $(1)
  XCXX       := $(XPREFIX)g++
  XCXXFLAGS  := -std=c++20 -Wall -Wextra -Werror -O1 -g -static
  # tests/asm/main.cpp is the suite's main(): libgtest alone, no gtest_main
  # (cross-built here; on arm64 Linux, Debian's own).
  XGTEST     := $(if $(XPREFIX),$(BUILD)/gtest-aarch64/libgtest.a -pthread,$(GTEST_LIBS))
  TARGET_TOOLS := asm $(if $(XPREFIX),qemu cross-gtest)
endif

TARGET_STAMPS := $(addprefix $(BUILD)/.tools/,$(TARGET_TOOLS))

# make cc-NN: the C++ compiled for the machine the assembly runs on, to read
# beside it: the target build's C++ flags, but CC_OPT (default -O2) in place
# of its -O1 -g (no debug information to wade through); the objects of each
# CC_OPT in a directory of their own (build/cc/lesson-NN-O2/).  And the
# objdump that reads aarch64 objects.
CC_OPT    ?= -O2
CC_FLAGS   = $(filter-out -O% -g -static,$(XCXXFLAGS)) $(CC_OPT)
cc_empty  :=
CC_TAG    := $(subst $(cc_empty) $(cc_empty),,$(subst =,,$(CC_OPT)))
X_OBJDUMP := $(if $(filter Darwin,$(HOST_OS)),objdump,$(XPREFIX)objdump)

# Darwin cross-build from Linux: clang assembles Mach-O, ld64.lld links it
# against the text stub of libSystem kept in the repo.  Debian's lld names
# the linker ld64.lld-14, so the link recipe looks it up when it runs (the
# darwin tool stamp has installed lld by then), not when make reads this
# file -- on a new machine that is before anything is installed.
WHICH_TOOL := tests/tools/which-tool.sh
ifeq ($(HOST_OS),Darwin)
# On a Mac the Darwin build is the native one: Apple's clang and ld, the
# real SDK (build/darwin/ then holds the same programs as build/lesson-NN/).
DARWIN_ASSEMBLE = $(ASSEMBLE)
DARWIN_LINK     = $(LINK_ASM)
else
DARWIN_ASSEMBLE = clang --target=arm64-apple-macos11 -c -Wa,--fatal-warnings -Iasm/os/darwin -Iasm -I$(GEN) -Wa,-defsym,LESSON=$(2) -o $(3) $(1)
DARWIN_LINK     = ld64=$$(bash $(WHICH_TOOL) ld64.lld) && $$ld64 -arch arm64 -platform_version macos 11.0 11.0 -e _main -o $(2) $(1) asm/os/darwin/libSystem.tbd
endif

# The Darwin build, run: on Linux through tests/darwin-run, a runner of the
# course's arm64 Mach-O programs with Darwin's system calls, on Unicorn
# (docs/darwin-runner.md).  The harness copies every file a server command
# names before it runs the server as nobody, so the runner is packed with
# the ABI tables it reads into one file: build/tools/darwin-run, a Python
# zip application.  On a Mac the Mach-O runs natively.
DARWIN_RUN := $(if $(filter Linux,$(HOST_OS)),$(BUILD)/tools/darwin-run)
darwin_cmd  = $(if $(DARWIN_RUN),$(DARWIN_RUN) )$(BUILD)/darwin/lesson-$(1)/$(call prog_name,$(1))-asm
$(BUILD)/tools/darwin-run: tests/darwin-run/darwin_run.py tests/abi/darwin.tsv tests/abi/linux.tsv | $(BUILD)/.tools/unicorn
	@rm -rf $@.d && mkdir -p $@.d
	@cp tests/darwin-run/darwin_run.py $@.d/__main__.py && cp tests/abi/darwin.tsv tests/abi/linux.tsv $@.d/
	/usr/bin/python3 -m zipapp $@.d -o $@ -p /usr/bin/python3
	@rm -rf $@.d

# ---------------------------------------------------------------------------
# Generated files (build/gen/): one source of truth, read by both languages.
# ---------------------------------------------------------------------------
GEN := $(BUILD)/gen
# asm/records.inc defines the byte layout of the records the assembly
# stages fill in (`.equ REQ_TARGET, 16` ...).  C++ tests see the same
# numbers as #defines and static_assert their C structs against them.
$(GEN)/records.h: $(wildcard asm/records.inc)
	@mkdir -p $(@D)
	@{ echo '/* generated from asm/records.inc by the Makefile -- do not edit */'; \
	   [ -f asm/records.inc ] && sed -nE 's@^[[:space:]]*\.equ[[:space:]]+([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*,[[:space:]]*([^/]*[^/[:space:]])[[:space:]]*(//.*)?$$@#define \1 (\2)@p' asm/records.inc; true; } > $@
# The course's tables, one file each, become an X-macro list per language
# (tests/tools/make-table.sh checks every line first and stops the build
# at a bad one, naming it):
#   lessons/01-socket/reasons.tsv    status TAB reason  -> reasons.inc / reasons.def
#   lessons/03-parse/methods.tsv     method names       -> methods.inc / methods.def
#   lessons/04-files/mime-types.tsv  extension TAB type -> mime-types.inc / mime-types.def
TABLE_TSV = $(firstword $(wildcard lessons/*/$(1).tsv) lessons/missing/$(1).tsv)
$(GEN)/reasons.inc $(GEN)/reasons.def: $(call TABLE_TSV,reasons) tests/tools/make-table.sh
	@bash tests/tools/make-table.sh reasons $(if $(filter %.inc,$@),asm,cpp) $< $@
$(GEN)/methods.inc $(GEN)/methods.def: $(call TABLE_TSV,methods) tests/tools/make-table.sh
	@bash tests/tools/make-table.sh methods $(if $(filter %.inc,$@),asm,cpp) $< $@
$(GEN)/mime-types.inc $(GEN)/mime-types.def: $(call TABLE_TSV,mime-types) tests/tools/make-table.sh
	@bash tests/tools/make-table.sh mime $(if $(filter %.inc,$@),asm,cpp) $< $@
# Lesson 09's error pages: one template, one sentence per error status,
# the reason phrases of reasons.tsv (tests/tools/make-pages.sh checks that
# every 4xx and 5xx status has exactly one sentence).
PAGE_SRC := $(call TABLE_TSV,reasons) $(call TABLE_TSV,error-sentences) $(firstword $(wildcard lessons/*/error-page.html) lessons/missing/error-page.html)
$(GEN)/error-pages.inc $(GEN)/error-pages.def: $(PAGE_SRC) tests/tools/make-pages.sh
	@bash tests/tools/make-pages.sh $(if $(filter %.inc,$@),asm,cpp) $(PAGE_SRC) $@
GEN_FILES := $(GEN)/records.h $(foreach t,reasons methods mime-types error-pages,$(GEN)/$(t).inc $(GEN)/$(t).def)

# Tool stamps: the first target that needs a tool group installs it (or
# prints the command to run) -- see tests/tools/ensure-tools.sh.  On a new
# machine that first stamp also installs every other group the goals on the
# command line will need: one apt-get run, announced once, instead of one
# run per group as make comes to them.  (Only the group names are chosen
# here; whether a tool is installed is checked when the recipe runs.)
goal_groups = $(if $(filter lesson-% compare-%,$(1)),cxx json gtest $(TARGET_TOOLS) try $(if $(filter darwin,$(OS)),darwin $(if $(DARWIN_RUN),unicorn))) \
              $(if $(filter cc-%,$(1)),$(TARGET_TOOLS) trace) \
              $(if $(filter trace-%,$(1)),cxx json $(TARGET_TOOLS) trace) \
              $(if $(filter mix-%,$(1)),cxx json $(TARGET_TOOLS)) \
              $(if $(filter test-matrix,$(1)),cxx json $(TARGET_TOOLS)) \
              $(if $(filter build-% all,$(1)),cxx $(TARGET_TOOLS)) \
              $(if $(filter serve-% browser-check,$(1)),cxx $(TARGET_TOOLS) try) \
              $(if $(filter darwin,$(1)),darwin) \
              $(if $(filter sanitize,$(1)),cxx json) \
              $(if $(filter test check-binaries,$(1)),cxx json gtest $(TARGET_TOOLS) inspect trace $(if $(filter Linux,$(HOST_OS)),darwin libcxx unicorn)) \
              $(if $(filter darwin-bugs,$(1)),cxx json $(TARGET_TOOLS) darwin $(if $(DARWIN_RUN),unicorn)) \
              $(if $(filter libcxx,$(1)),libcxx)
GOAL_GROUPS = $(strip $(foreach g,$(MAKECMDGOALS),$(call goal_groups,$(g))))
.PRECIOUS: $(BUILD)/.tools/%
$(BUILD)/.tools/%:
	@bash $(TOOLS) $* $(GOAL_GROUPS)
	@mkdir -p $(@D) && touch $@

# ---------------------------------------------------------------------------
# Per-lesson programs.
# ---------------------------------------------------------------------------
# $(1) = two-digit lesson number
define LESSON_RULES
L$(1)_DIR      := $(BUILD)/lesson-$(1)
L$(1)_PROG     := $(call prog_name,$(1))
L$(1)_ASM_SRC  := $(call asm_main,$(1)) $(call stages_upto,$(1),$(ASM_STAGES))
L$(1)_CPP_SRC  := $(call cpp_main,$(1)) $(call stages_upto,$(1),$(CPP_STAGES))
L$(1)_ASM_OBJ  := $$(patsubst asm/%.s,$(BUILD)/lesson-$(1)/asm/%.o,$$(L$(1)_ASM_SRC))
L$(1)_DASM_OBJ := $$(patsubst asm/%.s,$(BUILD)/darwin/lesson-$(1)/obj/%.o,$$(L$(1)_ASM_SRC))

$(BUILD)/lesson-$(1)/asm/%.o: asm/%.s $(BUILD)/student/%.set $(wildcard asm/os/$(ASM_OS)/*.inc asm/*.inc) $(GEN_FILES) | $(TARGET_STAMPS)
	@mkdir -p $$(@D)
	$$(call ASSEMBLE,$$(call asm_source,$$<),$(call lesson_no,$(1)),$$@)

$(BUILD)/lesson-$(1)/$$(L$(1)_PROG)-asm: $$(L$(1)_ASM_OBJ)
	$$(call LINK_ASM,$$^,$$@)

$(BUILD)/lesson-$(1)/$$(L$(1)_PROG)-cpp: $$(L$(1)_CPP_SRC) $(CPP_HEADERS) $(GEN_FILES) | $(BUILD)/.tools/cxx
	@mkdir -p $$(@D)
	$(CXX) $(CXXFLAGS_NATIVE) -DLESSON=$(call lesson_no,$(1)) -Icpp -Iasm -I$(GEN) -o $$@ $$(L$(1)_CPP_SRC)

$(BUILD)/darwin/lesson-$(1)/obj/%.o: asm/%.s $(BUILD)/student/%.set $(wildcard asm/os/darwin/*.inc asm/*.inc) $(GEN_FILES) | $(BUILD)/.tools/darwin
	@mkdir -p $$(@D)
	$$(call DARWIN_ASSEMBLE,$$(call asm_source,$$<),$(call lesson_no,$(1)),$$@)

$(BUILD)/darwin/lesson-$(1)/$$(L$(1)_PROG)-asm: $$(L$(1)_DASM_OBJ) asm/os/darwin/libSystem.tbd
	$$(call DARWIN_LINK,$$(L$(1)_DASM_OBJ),$$@)

.PHONY: build-$(1) lesson-$(1) compare-$(1) serve-$(1)
build-$(1): $(BUILD)/lesson-$(1)/$$(L$(1)_PROG)-cpp $(BUILD)/lesson-$(1)/$$(L$(1)_PROG)-asm

# OS=darwin: the same fixtures against the Darwin build (build/darwin/),
# through tests/darwin-run on Linux, natively on a Mac (DARWIN_RUN, above).
lesson-$(1): $$(if $$(filter darwin,$$(OS)),$(BUILD)/lesson-$(1)/$$(L$(1)_PROG)-cpp $(BUILD)/darwin/lesson-$(1)/$$(L$(1)_PROG)-asm $$(DARWIN_RUN),build-$(1)) $(BUILD)/harness
	$$(call student_note,$(1))
	$(BUILD)/harness --lesson $(call lesson_no,$(1)) \
	  --server cpp=$(BUILD)/lesson-$(1)/$$(L$(1)_PROG)-cpp \
	  --server $$(if $$(filter darwin,$$(OS)),asm-darwin='$$(call darwin_cmd,$(1))',asm=$(BUILD)/lesson-$(1)/$$(L$(1)_PROG)-asm) \
	  $$(if $$(ONLY),--only '$$(ONLY)') $$(if $$(EXERCISE),--exercise '$$(EXERCISE)') $$(HARNESS_ARGS)

compare-$(1): build-$(1) $(BUILD)/harness
	@test -n "$$(FIXTURE)" || { echo "usage: make compare-$(1) FIXTURE=name"; exit 2; }
	$(BUILD)/harness --lesson $(call lesson_no,$(1)) --compare '$$(FIXTURE)' \
	  --server cpp=$(BUILD)/lesson-$(1)/$$(L$(1)_PROG)-cpp \
	  --server asm=$(BUILD)/lesson-$(1)/$$(L$(1)_PROG)-asm

# IMPL is checked before anything is built; the banner comes once the
# server has said `listening on`.
serve-$(1):
	@bash tests/tools/serve.sh --check "$(1)" "$$(IMPL)" "$$(PORT)"
	@$(MAKE) --no-print-directory -q build-$(1) 2>/dev/null || $(MAKE) --no-print-directory build-$(1)
	@bash tests/tools/serve.sh "$(1)" "$$(IMPL)" "$$(PORT)" "$(RUN_ASM)" $(BUILD)/lesson-$(1)/$$(L$(1)_PROG)

# fuzz-NN: COUNT random requests (default 2000; SEED, default 1) to both
# servers, every byte of the answers compared (harness/fuzz.cpp).
.PHONY: fuzz-$(1)
fuzz-$(1): build-$(1) $(BUILD)/fuzz
	$(BUILD)/fuzz --lesson $(call lesson_no,$(1)) --count $$(or $$(COUNT),2000) --seed $$(or $$(SEED),1) \
	  --server cpp=$(BUILD)/lesson-$(1)/$$(L$(1)_PROG)-cpp --server asm=$(BUILD)/lesson-$(1)/$$(L$(1)_PROG)-asm

# cc-NN FN=name: the compiler's aarch64 code for the C++ function beside
# the hand-written one (tests/tools/cc-compare.py).  The C++ of the lesson's
# own stage files is compiled for aarch64 with the build's flags, but -O2
# (CC_OPT=-O1 shows what the servers are built with) and no -g.
L$(1)_OWN_ASM  := $(filter asm/$(1)-%,$(filter-out %-main.s,$(ASM_STAGES)))
L$(1)_OWN_CPP  := $(filter cpp/$(1)-%,$(filter-out %-main.cpp,$(CPP_STAGES)))
L$(1)_CC_OBJ   := $$(patsubst cpp/%.cpp,$(BUILD)/cc/lesson-$(1)$(CC_TAG)/%.o,$$(L$(1)_OWN_CPP))
$(BUILD)/cc/lesson-$(1)$(CC_TAG)/%.o: cpp/%.cpp $(CPP_HEADERS) $(GEN_FILES) | $(TARGET_STAMPS)
	@mkdir -p $$(@D)
	$(XCXX) $$(CC_FLAGS) -DLESSON=$(call lesson_no,$(1)) -Icpp -Iasm -I$(GEN) -c -o $$@ $$<
.PHONY: cc-$(1)
cc-$(1): $$(patsubst asm/%.s,$(BUILD)/lesson-$(1)/asm/%.o,$$(L$(1)_OWN_ASM)) $$(L$(1)_CC_OBJ) | $(BUILD)/.tools/trace
	@python3 tests/tools/cc-compare.py $(1) '$$(FN)' $(X_OBJDUMP) '$(notdir $(firstword $(XCXX))) $$(CC_OPT)' \
	  -- $$(patsubst asm/%.s,$(BUILD)/lesson-$(1)/asm/%.o,$$(L$(1)_OWN_ASM)) -- $$(L$(1)_CC_OBJ)

# trace-NN FIXTURE=name: that fixture against both servers under a
# system-call tracer -- strace for the C++, qemu-aarch64 -strace for the
# assembly (strace for both where it runs natively) -- the two traces side
# by side in one format (tests/tools/trace-compare.py).  FIXTURE is checked
# before anything is built.
.PHONY: trace-$(1)
trace-$(1): | $(BUILD)/.tools/trace
	@python3 tests/tools/trace-compare.py check $(1) '$$(FIXTURE)'
	+@$(MAKE) --no-print-directory -q build-$(1) $(BUILD)/harness 2>/dev/null || $(MAKE) --no-print-directory build-$(1) $(BUILD)/harness
	@python3 tests/tools/trace-compare.py run $(1) '$$(FIXTURE)' $(BUILD)/harness \
	  $(BUILD)/lesson-$(1)/$$(L$(1)_PROG)-cpp $(BUILD)/lesson-$(1)/$$(L$(1)_PROG)-asm '$(RUN_ASM)'

# mix-NN ASM=stage[,stage]: lesson NN's C++ server for the machine the
# assembly runs on, with the functions the spine calls from the named
# stages taken from the assembly, run through lesson NN's fixtures
# (tests/tools/mix.sh, tests/mix/twins.cpp).  The C++ stages are compiled
# once per lesson (build/mix/lesson-NN/obj/); the spine and the adapters
# once per choice of stages.  ONLY=regex: only those fixtures.
L$(1)_MIX_OBJ  := $$(patsubst cpp/%.cpp,$(BUILD)/mix/lesson-$(1)/obj/%.o,$$(filter-out cpp/httpd.cpp %-main.cpp,$$(L$(1)_CPP_SRC)))
$(BUILD)/mix/lesson-$(1)/obj/%.o: cpp/%.cpp $(CPP_HEADERS) $(GEN_FILES) | $(TARGET_STAMPS)
	@mkdir -p $$(@D)
	$(XCXX) $(XCXXFLAGS) -DLESSON=$(call lesson_no,$(1)) -Icpp -Iasm -I$(GEN) -c -o $$@ $$<
.PHONY: mix-$(1)
mix-$(1):
	@bash tests/tools/mix.sh --check $(1) '$$(ASM)'
	+@$(MAKE) --no-print-directory $$(L$(1)_MIX_OBJ) $$(filter-out %/httpd.o %-main.o,$$(L$(1)_ASM_OBJ)) $(BUILD)/harness
	@bash tests/tools/mix.sh $(1) '$$(ASM)' $(BUILD) $(BUILD)/harness '$(XCXX)' '$(XCXXFLAGS)' $(GEN) \
	  '$$(L$(1)_MIX_OBJ)' '$$(filter-out %/httpd.o %-main.o,$$(L$(1)_ASM_OBJ))' '$$(ONLY)'

# view-NN: lesson NN's server as a student reads it (lesson conditionals
# resolved); diff-NN: what lesson NN adds over FROM (default: the lesson
# before it).  See tests/tools/lesson-view.sh and lesson-diff.sh.
.PHONY: view-$(1) diff-$(1)
view-$(1): $(GEN_FILES) | $(BUILD)/.tools/cxx
	@CXX=$(CXX) GEN=$(GEN) bash tests/tools/lesson-view.sh $(1) $(BUILD)/view/lesson-$(1) $$(L$(1)_ASM_SRC) $$(L$(1)_CPP_SRC)

diff-$(1): | $(BUILD)/.tools/cxx
	+@MAKE="$(MAKE)" bash tests/tools/lesson-diff.sh $(1) "$$(FROM)" "$(LESSON_NUMS)" $(BUILD)/view
endef
$(foreach n,$(LESSON_NUMS),$(eval $(call LESSON_RULES,$(n))))

# ---------------------------------------------------------------------------
# Write it yourself: make exercise-NN [FN=name], make grade-NN FN=name,
# make exercise-reset [FN=name] [LESSON=NN] (see STUDENT_DIR above and
# tests/tools/exercise.sh; the grade is tests/tools/grade.cpp).
# ---------------------------------------------------------------------------
.PRECIOUS: $(BUILD)/student/%.set $(BUILD)/student/asm/%.s
$(BUILD)/student/%.set:
	@mkdir -p $(@D)
	@printf '%s' "$(call STUDENT_LS,$*)" > $@
$(BUILD)/student/asm/%.s: asm/%.s $(BUILD)/student/%.set tests/tools/exercise.sh
	@$(EXERCISE_SH) patch $* $@
# The objects of a stage with student functions: the copy, and the
# student's files themselves (the copy only .includes them).
define STUDENT_OBJ_RULES
$(foreach n,$(LESSON_NUMS),$(BUILD)/lesson-$(n)/asm/$(1).o $(BUILD)/darwin/lesson-$(n)/obj/$(1).o) $(BUILD)/tests/asm-obj/asm/$(1).o: \
  $(BUILD)/student/asm/$(1).s $(wildcard $(STUDENT_DIR)/$(1)/*.s)
endef
$(foreach s,$(STUDENT_STAGES),$(eval $(call STUDENT_OBJ_RULES,$(s))))

# A line for lesson-NN and grade-NN: which of the student's functions
# lesson $(1)'s programs use (nothing when none is).
student_files_upto = $(foreach f,$(STUDENT_FILES),$(if $(call le,$(word 1,$(subst -, ,$(notdir $(patsubst %/,%,$(dir $(f)))))),$(1)),$(f)))
student_note = $(if $(call student_files_upto,$(1)),@echo "note: built with your $(call student_files_upto,$(1)) (make exercise-reset to go back)")

GRADE_DIR  ?= $(BUILD)
GRADE_JSON = $(GRADE_DIR)/grade-$(1)-$(FN).json
# make grade-NN FN=name: the function is looked up while make reads this
# file, so that a typo is named (with the nearest names) before anything
# is built.
GRADE_GOAL := $(patsubst grade-%,%,$(firstword $(filter grade-%,$(MAKECMDGOALS))))
ifneq ($(GRADE_GOAL),)
  ifeq ($(FN),)
    $(info $(shell bash tests/tools/exercise.sh list $(GRADE_GOAL) >&2))
    $(error usage: make grade-$(GRADE_GOAL) FN=name (the names are above))
  endif
  GRADE_STAGE := $(shell bash tests/tools/exercise.sh stage $(GRADE_GOAL) '$(FN)')
  ifeq ($(GRADE_STAGE),)
    $(error grade-$(GRADE_GOAL): no function '$(FN)' to grade (see above))
  endif
endif
define EXERCISE_RULES
.PHONY: exercise-$(1) grade-$(1)
exercise-$(1):
	@$(EXERCISE_SH) start $(1) '$$(FN)'

grade-$(1): $(BUILD)/tools/grade $(BUILD)/tests/asm-tests $(BUILD)/lesson-$(1)/$$(L$(1)_PROG)-asm $(BUILD)/harness
	$$(call student_note,$(1))
	@$(BUILD)/tools/grade --lesson $(1) --function '$$(FN)' --stage "$$(GRADE_STAGE)" \
	  --source "$$(if $$(wildcard $(STUDENT_DIR)/$$(GRADE_STAGE)/$$(FN).s),$(STUDENT_DIR)/$$(GRADE_STAGE)/$$(FN).s,asm/$$(GRADE_STAGE).s)" \
	  --functions "$$$$(bash tests/tools/exercise.sh names $(1) | tr '\n' ' ')" \
	  --tests "$(RUN_ASM) $(BUILD)/tests/asm-tests" --server $(BUILD)/lesson-$(1)/$$(L$(1)_PROG)-asm \
	  --harness $(BUILD)/harness --fixtures $$(or $$(FIXTURES),new) --json $$(call GRADE_JSON,$(1))
endef
$(foreach n,$(LESSON_NUMS),$(eval $(call EXERCISE_RULES,$(n))))

.PHONY: exercise-reset
exercise-reset:
	@$(EXERCISE_SH) reset '$(LESSON)' '$(FN)'

# The exercises' own check (not part of make test: about 40 s of CPU):
# every function of every lesson can be a stub, and the tools refuse a
# typo and keep the student's work (tests/tools/check-exercises.sh).
.PHONY: check-exercises
check-exercises: $(GEN_FILES) | $(TARGET_STAMPS)
	@XPREFIX=$(XPREFIX) GEN=$(GEN) bash tests/tools/check-exercises.sh

# The lesson pages' exercises against their reference solutions
# (tests/exercises/ID.patch, not part of make test): each red first where
# the page says so, green after, and everything else it turns red named
# on the page (tests/tools/check-solutions.sh).  LESSON=NN or ID=NN-title
# picks some; check-solutions-list: every exercise and its solution.
# The build is done first, so each scratch copy starts warm.
.PHONY: check-solutions check-solutions-list
check-solutions: $(LESSON_BINS) $(BUILD)/tests/unit-tests $(BUILD)/tests/asm-tests $(BUILD)/harness \
                 $(BUILD)/tools/docs-check $(BUILD)/tools/make-targets.txt
	@BUILD=$(BUILD) bash tests/tools/check-solutions.sh $(or $(ID),$(LESSON))
check-solutions-list:
	@bash tests/tools/check-solutions.sh list $(LESSON)

# The bug zoo (tests/bugzoo/*.patch, not part of make test): each planted
# bug must be caught -- an assembly bug must turn its function's grade red,
# a C++ bug the unit suite or the lesson's fixtures against the C++ server
# -- and make bugzoo names what caught each.  make bug-NN NAME=... builds
# lesson NN's server with one, for a student to find
# (build/bugzoo/NAME/httpd-asm or httpd-cpp).  tests/tools/bugzoo.sh.
.PHONY: bugzoo
bugzoo: $(BUILD)/tools/grade $(BUILD)/harness
	@BUILD=$(BUILD) MAKE="$(MAKE)" bash tests/tools/bugzoo.sh run $(NAME)
define BUG_RULES
.PHONY: bug-$(1)
bug-$(1): $(BUILD)/harness
	@BUILD=$(BUILD) MAKE="$$(MAKE)" RUN_ASM="$(RUN_ASM)" WANT_LESSON=$(1) bash tests/tools/bugzoo.sh build '$$(NAME)'
endef
$(foreach n,$(LESSON_NUMS),$(eval $(call BUG_RULES,$(n))))

# Mutation testing of the assembly (not part of make test; docs/mutants.md):
# make mutants-NN [COUNT=20] [SEED=1] plants COUNT mutants of lesson NN's
# stage files, one at a time, through exercise mode (the mutated function
# in build/mutants/NN/student/, make STUDENT_DIR=...), and runs lesson NN's
# asm-vs-C++ tests and the fixtures it introduces against each
# (tests/tools/mutants.py).
# (The recipe names make through MUTANTS_MAKE: a recipe line that says
# $$(MAKE) runs even under make -n.)
MUTANTS_MAKE := $(MAKE)
define MUTANT_RULES
.PHONY: mutants-$(1)
mutants-$(1): $(BUILD)/harness
	@BUILD=$(BUILD) MAKE="$$(MUTANTS_MAKE)" RUN_ASM="$(RUN_ASM)" PROG=$$(L$(1)_PROG) \
	  /usr/bin/env python3 tests/tools/mutants.py $(1) $$(or $$(COUNT),20) $$(or $$(SEED),1)
endef
$(foreach n,$(LESSON_NUMS),$(eval $(call MUTANT_RULES,$(n))))

$(BUILD)/tools/grade: tests/tools/grade.cpp | $(BUILD)/.tools/cxx $(BUILD)/.tools/json
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS_NATIVE) -o $@ $<

# The lesson pages' "try it" commands (curl, nc, ps, strace, ...) must work
# right after `make lesson-NN` or `make serve-NN` on a new machine.
$(foreach n,$(LESSON_NUMS),$(eval lesson-$(n) serve-$(n): | $(BUILD)/.tools/try))

# A lesson target for a lesson that is not here (`make lesson-09`, or
# `make lesson-4` without its zero) says which lessons there are instead
# of make's bare "No rule to make target".
LESSON_VERBS := lesson build compare serve view diff fuzz cc trace mix exercise grade bug mutants
define NO_SUCH_LESSON
$(1)-%:
	@echo "make: there is no lesson '$$*' here; the lessons are: $(LESSON_NUMS)" >&2
	@case " $(LESSON_NUMS) " in *" 0$$* "*) echo "  (two digits: make $(1)-0$$*)" >&2 ;; esac
	@exit 2
endef
$(foreach v,$(LESSON_VERBS),$(eval $(call NO_SUCH_LESSON,$(v))))

# make mix-stages: every stage's functions from the assembly in the newest
# lesson's C++ server, one stage at a time, each through its own lesson's
# fixtures (tests/tools/mix.sh --each).
MIX_LESSON := $(LAST_LESSON)
MIX_ASM_OBJ = $(filter-out %/httpd.o %-main.o,$(L$(MIX_LESSON)_ASM_OBJ))
.PHONY: mix-stages
mix-stages: $(L$(MIX_LESSON)_MIX_OBJ) $(MIX_ASM_OBJ) $(BUILD)/harness
	@bash tests/tools/mix.sh --each $(MIX_LESSON) $(BUILD) $(BUILD)/harness '$(XCXX)' '$(XCXXFLAGS)' $(GEN) \
	  '$(L$(MIX_LESSON)_MIX_OBJ)' '$(MIX_ASM_OBJ)'

# ---------------------------------------------------------------------------
# The harness (see harness/harness.mk).
# ---------------------------------------------------------------------------
$(BUILD)/harness: | $(BUILD)/.tools/cxx $(BUILD)/.tools/json
-include harness/harness.mk

# ---------------------------------------------------------------------------
# Tests.
# ---------------------------------------------------------------------------
# Both suites are built one object per source file, with the compiler's
# own list of the headers each one read (-MMD, the .d files), so changing
# one line of a table or a stage recompiles the objects that use it, not
# the world.  The stage files are compiled once per suite (the native one
# with the sanitizers, the target one for the machine the assembly runs
# on); they do not depend on LESSON.
# The test suites' objects carry line tables only (-g1, after the -g of
# CXXFLAGS_NATIVE): enough for a sanitizer report or a backtrace with
# file:line, and half the compile time of full debug information, which
# the sanitizers' instrumentation makes large.  The tests' own sources
# (tests/..., the code that calls the stages, mostly GoogleTest's macros)
# are compiled with the sanitizers but without optimization: ASan and UBSan
# check as much at -O0, and that compiles 2.5 times faster; the stages and
# the harness sources they test keep -O1, as the servers are built.
# Measured (CPU, ASan + UBSan): tests/unit/03-parse_test.cpp 66 s with
# -O1 -g, 24 s with -O1 -g1, 11 s with -O0 -g1.  The servers keep -g: those
# are what a student steps through in gdb.
TEST_DEBUG := -g1
$(BUILD)/tests/unit-obj/tests/%.o: TEST_DEBUG := -O0 -g1
$(BUILD)/tests/harness-obj/test-%.o: TEST_DEBUG := -O0 -g1
# METAL_SOURCE_DIR is "." -- the directory the suites run in, which `make
# unit` and `make asm-tests` make the top of the tree -- not an absolute
# path: a copy of the tree with a copy of build/ (make check-solutions,
# make bugzoo) then tests its own tables and pages, not the tree its objects
# were first compiled in (tests/support/gtest_main.hpp stops a suite run
# from anywhere else).  METAL_OS_INC likewise.
TEST_DEFS := -DLESSON=$(call lesson_no,$(LAST_LESSON)) -DMETAL_SOURCE_DIR='"."' -Icpp -Iasm -I$(GEN)
# The suites are compiled for the newest lesson (-DLESSON above): when a
# lesson is added (or removed), every test object must be compiled again,
# though no source of it changed.  The stamp holds the lesson number and is
# rewritten only when that changes, so its date says when it last did.
TEST_LESSON_STAMP := $(BUILD)/tests/test-lesson
ifneq ($(LAST_LESSON),)
$(shell mkdir -p $(BUILD)/tests && { [ "$$(cat $(TEST_LESSON_STAMP) 2>/dev/null)" = "$(LAST_LESSON)" ] || echo $(LAST_LESSON) > $(TEST_LESSON_STAMP); })
endif
-include $(wildcard $(BUILD)/tests/unit-obj/*/*.d $(BUILD)/tests/unit-obj/*/*/*.d $(BUILD)/tests/asm-obj/*/*.d $(BUILD)/tests/asm-obj/*/*/*.d)

# Native suite: the C++ stages (all of them) under AddressSanitizer and
# UBSan, plus the ABI table checks.
UNIT_SRC := $(wildcard tests/unit/*.cpp) tests/abi/os_inc.cpp $(filter-out %-main.cpp,$(CPP_STAGES))
UNIT_OBJ := $(patsubst %.cpp,$(BUILD)/tests/unit-obj/%.o,$(UNIT_SRC))
$(BUILD)/tests/unit-obj/%.o: %.cpp $(TEST_LESSON_STAMP) | $(GEN_FILES) $(BUILD)/.tools/cxx $(BUILD)/.tools/gtest
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS_NATIVE) $(TEST_DEBUG) $(SANITIZE) -MMD -MP $(TEST_DEFS) -c -o $@ $<
$(BUILD)/tests/unit-tests: $(UNIT_OBJ)
	$(CXX) $(CXXFLAGS_NATIVE) $(SANITIZE) -o $@ $(UNIT_OBJ) $(GTEST_LIBS)

# The bug zoo's C++ bugs (tests/tools/bugzoo.sh): ZOO_DIR/cpp is a copy of
# cpp/ with the stage ZOO_STAGE patched.  Lesson ZOO_LESSON's C++ server is
# built from the copy, as ZOO_DIR/httpd-cpp (syscalls-cpp for lesson 00),
# and the unit suite as ZOO_DIR/unit-tests: every object of the suite is
# build/tests/unit-obj's but the patched stage's.
ifneq ($(ZOO_DIR),)
ZOO_CPP_SRC := $(patsubst cpp/%,$(ZOO_DIR)/cpp/%,$(L$(ZOO_LESSON)_CPP_SRC))
$(ZOO_DIR)/$(call prog_name,$(ZOO_LESSON))-cpp: $(ZOO_CPP_SRC) $(GEN_FILES) | $(BUILD)/.tools/cxx
	$(CXX) $(CXXFLAGS_NATIVE) -DLESSON=$(call lesson_no,$(ZOO_LESSON)) -I$(ZOO_DIR)/cpp -Iasm -I$(GEN) -o $@ $(ZOO_CPP_SRC)
$(ZOO_DIR)/unit-obj/$(ZOO_STAGE).o: $(ZOO_DIR)/cpp/$(ZOO_STAGE).cpp $(TEST_LESSON_STAMP) | $(GEN_FILES) $(BUILD)/.tools/cxx $(BUILD)/.tools/gtest
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS_NATIVE) $(TEST_DEBUG) $(SANITIZE) -I$(ZOO_DIR)/cpp $(TEST_DEFS) -c -o $@ $<
$(ZOO_DIR)/unit-tests: $(filter-out %/cpp/$(ZOO_STAGE).o,$(UNIT_OBJ)) $(ZOO_DIR)/unit-obj/$(ZOO_STAGE).o
	$(CXX) $(CXXFLAGS_NATIVE) $(SANITIZE) -o $@ $^ $(GTEST_LIBS)
endif

# Target suite: built for the machine the assembly runs on (aarch64 Linux,
# or the Mac itself).  C++ tests call the assembly through the C ABI and
# compare with the C++ twins; the ABI check reads the real headers.
ASMTEST_SRC := $(wildcard tests/asm/*.cpp) tests/abi/os_inc.cpp $(filter-out %-main.cpp,$(CPP_STAGES)) \
               $(if $(filter Darwin,$(HOST_OS)),tests/abi/header_values_darwin.cpp,tests/abi/header_values_linux.cpp tests/abi/header_values_linux_kernel.cpp)
ASMTEST_OBJ := $(patsubst %.cpp,$(BUILD)/tests/asm-obj/%.o,$(ASMTEST_SRC)) \
               $(patsubst asm/%.s,$(BUILD)/tests/asm-obj/asm/%.o,$(filter-out %-main.s,$(ASM_STAGES)))
$(BUILD)/tests/asm-obj/asm/%.o: asm/%.s $(TEST_LESSON_STAMP) $(BUILD)/student/%.set $(wildcard asm/os/$(ASM_OS)/*.inc asm/*.inc) $(GEN_FILES) | $(TARGET_STAMPS)
	@mkdir -p $(@D)
	$(call ASSEMBLE,$(call asm_source,$<),$(call lesson_no,$(LAST_LESSON)),$@)
$(BUILD)/tests/asm-obj/%.o: %.cpp $(TEST_LESSON_STAMP) | $(GEN_FILES) $(TARGET_STAMPS) $(if $(XPREFIX),$(BUILD)/gtest-aarch64/libgtest.a)
	@mkdir -p $(@D)
	$(XCXX) $(XCXXFLAGS) $(TEST_DEBUG) -MMD -MP $(TEST_DEFS) -DMETAL_OS_INC='"asm/os/$(ASM_OS)/os.inc"' $(XGTEST_INC) -c -o $@ $<
$(BUILD)/tests/asm-tests: $(ASMTEST_OBJ) $(if $(XPREFIX),$(BUILD)/gtest-aarch64/libgtest.a)
	$(XCXX) $(XCXXFLAGS) -o $@ $(ASMTEST_OBJ) $(XGTEST)

# The int-results suite (ELF only, so Linux): the asm-vs-C++ tests again,
# linked with stage objects in which every `int` result comes back with
# garbage in bits 32-63, as AAPCS64 allows (tests/tools/dirty-int-results.sh):
# an assembly caller that reads x0 where it must read w0 fails here.
ifeq ($(HOST_OS),Linux)
INTRES_DIR   := $(BUILD)/tests/int-results
INTRES_CLEAN := $(patsubst asm/%.s,$(BUILD)/tests/asm-obj/asm/%.o,$(filter-out %-main.s,$(ASM_STAGES)))
INTRES_ASM   := $(patsubst $(BUILD)/tests/asm-obj/asm/%,$(INTRES_DIR)/%,$(INTRES_CLEAN))
INTRES_BIN   := $(BUILD)/tests/asm-tests-int-results
# Every suite that calls a stage function with asm callers inside; the
# socket-heavy ones (whole files, lesson 08's steps) only add time.
INTRES_FILTER := -*BodySenders*:*ServeFiles*:Lesson08AsmSteps.*:IntArgs.*:AbiHeaders.*
$(INTRES_DIR)/%.o: $(BUILD)/tests/asm-obj/asm/%.o tests/tools/dirty-int-results.sh asm/api.h
	@XPREFIX=$(XPREFIX) bash tests/tools/dirty-int-results.sh object $< $@
$(INTRES_DIR)/stubs.s: $(INTRES_CLEAN) tests/tools/dirty-int-results.sh asm/api.h
	@XPREFIX=$(XPREFIX) bash tests/tools/dirty-int-results.sh stubs $@ $(INTRES_CLEAN)
$(INTRES_DIR)/stubs.o: $(INTRES_DIR)/stubs.s
	$(XPREFIX)as --fatal-warnings -o $@ $<
$(INTRES_BIN): $(filter-out $(INTRES_CLEAN),$(ASMTEST_OBJ)) $(INTRES_ASM) $(INTRES_DIR)/stubs.o $(if $(XPREFIX),$(BUILD)/gtest-aarch64/libgtest.a)
	$(XCXX) $(XCXXFLAGS) -o $@ $(filter-out $(INTRES_CLEAN),$(ASMTEST_OBJ)) $(INTRES_ASM) $(INTRES_DIR)/stubs.o $(XGTEST)
.PHONY: asm-int-results
asm-int-results: $(INTRES_BIN)
	$(RUN_ASM) $(INTRES_BIN) --gtest_filter='$(if $(FILTER),$(if $(findstring *,$(FILTER)),$(FILTER),*$(FILTER)*),*)$(INTRES_FILTER)'
endif

# The C++ once more with clang and libc++, as a Mac compiles it: every
# source of the servers, the harness and every test suite.  The oldest Mac
# toolchain the README supports is Command Line Tools 14.3 (Apple clang
# 14.0.3, whose C++ matches LLVM 15's), so this is LLVM 15's clang and
# libc++ (Debian's clang-15, libc++-15-dev).  -fsyntax-only: everything a
# compiler can reject (a lambda capturing a structured binding needs
# LLVM 16, a libc++ without a header) is found without building anything a
# second time -- a full second build of the suites would add minutes to
# make test; this adds about one minute of CPU.  A Mac builds everything
# with its own clang anyway, so only Linux runs this.
LIBCXX_CXX   := clang++-15
LIBCXX_FLAGS := -std=c++20 -stdlib=libc++ -Wall -Wextra -Werror -fsyntax-only
LIBCXX_SRC   := $(filter-out tests/abi/header_values_%,$(CPP_STAGES) cpp/httpd.cpp $(wildcard harness/*.cpp tests/unit/*.cpp tests/harness/*.cpp tests/asm/*.cpp tests/abi/*.cpp) tests/tools/docs-check.cpp tests/tools/grade.cpp)
LIBCXX_OK    := $(if $(filter Linux,$(HOST_OS)),$(patsubst %.cpp,$(BUILD)/libcxx/%.ok,$(LIBCXX_SRC)))
-include $(wildcard $(BUILD)/libcxx/*/*.d $(BUILD)/libcxx/*/*/*.d)
$(BUILD)/libcxx/%.ok: %.cpp | $(GEN_FILES) $(BUILD)/.tools/libcxx
	@mkdir -p $(@D)
	$(LIBCXX_CXX) $(LIBCXX_FLAGS) -MMD -MP -MF $(@:.ok=.d) -MT $@ $(TEST_DEFS) $(filter-out -DMETAL_SOURCE_DIR=%,$(HARNESS_TEST_DEFS)) \
	  -DMETAL_OS_INC='"asm/os/linux/os.inc"' -Iharness $<
	@touch $@
.PHONY: libcxx
libcxx: $(LIBCXX_OK)

# The docs suite: every page says what the repository has (excerpts of
# the real sources, fixture names, paths, make targets, functions, harness
# flags); tests/tools/docs-check.cpp.  `make excerpts` rewrites the code
# excerpts in the pages from the sources.
$(BUILD)/tools/docs-check: tests/tools/docs-check.cpp | $(BUILD)/.tools/cxx $(BUILD)/.tools/json
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS_NATIVE) -o $@ $<
$(BUILD)/tools/make-targets.txt: Makefile harness/harness.mk
	@mkdir -p $(@D)
	@$(MAKE) --no-print-directory -pRrq -f Makefile : 2>/dev/null | \
	  awk -F: '/^[a-zA-Z0-9][^$$#\/\t=%]*:([^=]|$$)/ { n = split($$1, t, " "); for (i = 1; i <= n; i++) print t[i] }' | sort -u > $@
.PHONY: excerpts docs-check
excerpts: $(BUILD)/tools/docs-check $(BUILD)/tools/make-targets.txt
	$(BUILD)/tools/docs-check --write --targets $(BUILD)/tools/make-targets.txt
docs-check: $(BUILD)/tools/docs-check $(BUILD)/tools/make-targets.txt
	$(BUILD)/tools/docs-check --targets $(BUILD)/tools/make-targets.txt

# The newest lesson's C++ server under AddressSanitizer and UBSan: the same
# sources as build/lesson-NN/httpd-cpp, with -fno-sanitize-recover=all so
# that the first report ends the process.  `make sanitize` (and the
# `lesson-NN sanitized` suite of make test) runs its fixtures against it and
# fails on any sanitizer report (tests/tools/sanitize-run.sh).
SAN_LESSON := $(LAST_LESSON)
SAN_CPP    := $(BUILD)/sanitize/lesson-$(SAN_LESSON)/httpd-cpp
$(SAN_CPP): $(L$(SAN_LESSON)_CPP_SRC) $(CPP_HEADERS) $(GEN_FILES) | $(BUILD)/.tools/cxx
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS_NATIVE) $(SANITIZE) -fno-sanitize-recover=all -DLESSON=$(call lesson_no,$(SAN_LESSON)) -Icpp -Iasm -I$(GEN) -o $@ $(L$(SAN_LESSON)_CPP_SRC)
.PHONY: sanitize
sanitize: $(SAN_CPP) $(BUILD)/harness
	@bash tests/tools/sanitize-run.sh $(BUILD)/harness $(SAN_LESSON) $(SAN_CPP)

# The Darwin runner's own checks (Linux; tests/darwin-run): its tests, each
# call against XNU's behaviour, and planted Darwin-only bugs in scratch
# copies of the sources (build/darwin-bugs/), which the runner must tell
# from the right build while the Linux build of the same copy stays green.
.PHONY: darwin-run-tests darwin-bugs
ifeq ($(HOST_OS),Linux)
.PHONY: darwin-run
darwin-run: $(DARWIN_RUN)
darwin-run-tests: $(BUILD)/darwin/lesson-00/syscalls-asm $(BUILD)/lesson-00/syscalls-asm | $(BUILD)/.tools/unicorn
	BUILD=$(BUILD) /usr/bin/python3 tests/darwin-run/test_darwin_run.py
darwin-bugs: $(BUILD)/harness $(DARWIN_RUN) $(BUILD)/darwin/lesson-08/httpd-asm | $(TARGET_STAMPS) $(BUILD)/.tools/darwin
	@bash tests/darwin-run/planted-bugs.sh $(BUILD) $(DARWIN_RUN)
else
darwin-run darwin-run-tests darwin-bugs:
	@echo "make $@: the runner is for Linux; a Mac runs the Mach-O programs itself (make lesson-NN)" >&2; exit 2
endif

# Quick feedback: one suite, optionally filtered (a GoogleTest pattern; a
# plain word matches any test whose name contains it).  EXERCISE=1 also
# runs the exercises' tests, which are DISABLED_ until a student asks.
gtest_filter = $(if $(FILTER),--gtest_filter='$(if $(findstring *,$(FILTER))$(findstring :,$(FILTER)),$(FILTER),*$(FILTER)*)') \
               $(if $(EXERCISE),--gtest_also_run_disabled_tests)
.PHONY: unit asm-tests
unit: $(BUILD)/tests/unit-tests
	$(BUILD)/tests/unit-tests $(gtest_filter)
asm-tests: $(BUILD)/tests/asm-tests
	$(RUN_ASM) $(BUILD)/tests/asm-tests $(gtest_filter)

# make date-fuzz [COUNT=1000000] [SEED=20261111]: lesson 11's random date
# tests over COUNT random instants and COUNT random strings each -- make
# test runs the same tests with 20,000.  The C++ against the C library
# (tests/unit/11-caching_test.cpp) and the assembly against the C++
# (tests/asm/11-caching_test.cpp); both read METAL_DATE_RANDOM (the count)
# and the asm suite METAL_DATE_SEED.  Not part of make test.
.PHONY: date-fuzz
date-fuzz: $(BUILD)/tests/unit-tests $(BUILD)/tests/asm-tests
	METAL_DATE_RANDOM=$(or $(COUNT),1000000) $(BUILD)/tests/unit-tests --gtest_filter='Lesson11.RandomDates*'
	METAL_DATE_RANDOM=$(or $(COUNT),1000000) METAL_DATE_SEED=$(or $(SEED),20261111) \
	  $(RUN_ASM) $(BUILD)/tests/asm-tests --gtest_filter='Lesson11CachingAsm.*Random*'

# GoogleTest for aarch64, built from Debian's sources (libgtest-dev ships
# /usr/src/googletest) with the cross compiler.
GTEST_SRC   := /usr/src/googletest/googletest
XGTEST_INC  := $(if $(XPREFIX),-I$(GTEST_SRC)/include)
$(BUILD)/gtest-aarch64/libgtest.a: | $(BUILD)/.tools/cross-gtest $(TARGET_STAMPS)
	@mkdir -p $(@D)
	$(XCXX) -std=c++20 -O1 -I$(GTEST_SRC)/include -I$(GTEST_SRC) -c -o $(@D)/gtest-all.o $(GTEST_SRC)/src/gtest-all.cc
	$(XPREFIX)ar rcs $@ $(@D)/gtest-all.o

# ---------------------------------------------------------------------------
# Top-level targets.
# ---------------------------------------------------------------------------
LESSON_BINS := $(foreach n,$(LESSON_NUMS),$(BUILD)/lesson-$(n)/$(call prog_name,$(n))-cpp $(BUILD)/lesson-$(n)/$(call prog_name,$(n))-asm)
DARWIN_BINS := $(foreach n,$(LESSON_NUMS),$(BUILD)/darwin/lesson-$(n)/$(call prog_name,$(n))-asm)

.PHONY: help all darwin test test-matrix check-binaries clean tools fresh-debian libcxx
help:
	@echo "metal-httpd -- make targets"
	@echo
	@echo "  make lesson-NN            build lesson NN's two programs and run its fixtures on both"
	@echo "                            (lessons here: $(LESSON_NUMS))"
	@echo "  make compare-NN FIXTURE=name   one fixture: the request and both raw responses (side by side from 120 columns)"
	@echo "  make serve-NN IMPL=cpp|asm [PORT=8080]   run one server on the demo site in the foreground"
	@echo "  make build-NN             only build lesson NN (build/lesson-NN/)"
	@echo "  make fuzz-NN [COUNT=2000] [SEED=1]   random requests to both servers, every answer byte compared"
	@echo "  make cc-NN FN=name        the compiler's aarch64 code for the C++ function beside the hand-written one"
	@echo "                            (-O2; CC_OPT=-O1 as the servers are built); no FN: lesson NN's functions"
	@echo "  make trace-NN FIXTURE=name   one fixture's system calls, C++ (strace) beside asm (qemu -strace), one format"
	@echo "  make mix-NN ASM=SS[,SS]   lesson NN's C++ server with stage SS's functions from the assembly, through its fixtures"
	@echo "  make mix-stages           each stage from the assembly in turn, newest lesson, its own fixtures (part of test)"
	@echo "  make view-NN              lesson NN's server as plain files, lesson conditionals resolved (build/view/lesson-NN/)"
	@echo "  make diff-NN [FROM=MM]    what lesson NN adds over lesson MM (default: the lesson before), both languages"
	@echo "  make all                  build every lesson for this machine"
	@echo "  make darwin               also build every assembly program as an arm64 Mach-O (build/darwin/)"
	@echo "  make lesson-NN OS=darwin  lesson NN's fixtures against the C++ server and the Mach-O (Linux: under tests/darwin-run)"
	@echo "  make darwin-run-tests     (Linux) the Mach-O runner's own tests; make darwin-bugs: planted Darwin bugs it must catch"
	@echo "  make test                 every test suite and every lesson's fixtures; ends with 'N passed, N failed'"
	@echo "  make test-matrix [LESSONS=\"03 08\"]   every fixture against every lesson (make test: the newest lesson)"
	@echo "  make libcxx               (Linux) compile all the C++ with clang 15 and libc++ as well, as a Mac would (part of test)"
	@echo
	@echo "Quick feedback while you work:"
	@echo "  make lesson-NN ONLY=regex only the fixtures whose names match (the harness's --only)"
	@echo "  make lesson-NN EXERCISE=NN-slug   also the fixtures of that exercise (off by default)"
	@echo "  make unit [FILTER=word]   only the C++ unit suite (FILTER: part of a test name, or a GoogleTest pattern)"
	@echo "  make asm-tests [FILTER=word]   only the asm-vs-C++ suite"
	@echo "  make date-fuzz [COUNT=1000000] [SEED=N]   lesson 11: the HTTP-date functions over COUNT random instants and strings (C++ vs the C library, asm vs C++)"
	@echo "  make asm-int-results [FILTER=word]   (Linux) that suite again, every int result with garbage in bits 32-63"
	@echo "  make unit asm-tests FILTER=word EXERCISE=1   also the exercises' tests (DISABLED_ until then)"
	@echo "  (a FILTER or ONLY that selects nothing fails and names the nearest tests or fixtures)"
	@echo
	@echo "Write it yourself (docs/write-it-yourself.md):"
	@echo "  make exercise-NN          lesson NN's assembly functions, easiest first, one line each"
	@echo "  make exercise-NN FN=name  write that one: student/NN-slug/name.s, its header kept, a stub body;"
	@echo "                            every build of the stage then uses yours"
	@echo "  make grade-NN FN=name [FIXTURES=all|none]   its asm-vs-C++ tests, then lesson NN's fixtures, with yours:"
	@echo "                            score, first failure, next step; build/grade-NN-name.json"
	@echo "  make exercise-reset [FN=name] [LESSON=NN]   back to the course's version (yours kept as .old)"
	@echo "  make check-exercises      every function of every lesson, as a stub, assembles (about 40 s of CPU)"
	@echo "  make bugzoo [NAME=...]    each bug of tests/bugzoo/ (assembly and C++) planted in a scratch copy: it must be caught"
	@echo "  make bug-NN NAME=...      lesson NN's server with that bug: build/bugzoo/NAME/httpd-asm (or httpd-cpp)"
	@echo "  make mutants-NN [COUNT=20] [SEED=1]   mutation testing: COUNT mutants of lesson NN's assembly, each"
	@echo "                            against its tests and fixtures: killed / survived / did not build (docs/mutants.md)"
	@echo "  make check-solutions [LESSON=NN] [ID=NN-title]   each page exercise's solution (tests/exercises/):"
	@echo "                            red first, green after, all it turns red named on the page; check-solutions-list"
	@echo
	@echo "  make tools                install (or name) every tool the build needs"
	@echo "  make sanitize             the newest lesson's fixtures against its C++ server built with ASan + UBSan"
	@echo "  make excerpts             rewrite the code excerpts in the lesson pages from the sources"
	@echo "  make docs-check           the docs suite alone: excerpts, and that what the pages name exists"
	@echo "  make bench [QUICK=1]      newest lesson's servers vs nginx, lighttpd, mini_httpd, python3 (build/bench/); bench-publish: into docs/"
	@echo "  make bench BENCH_ONLY=upload   only its 256 MiB PUT against dd conv=fsync (BENCH_ONLY=download: only the GETs)"
	@echo "  make bench BENCH_ONLY=robust   only the hostile loads: idle clients, descriptors, zombies, EMFILE (lesson 10 on)"
	@echo "  make browser-check        (Linux, chromium) headless Chromium reads a listing after uploads, both servers"
	@echo "  make fresh-debian         (root) the quick start in a bare Debian 12 chroot, timed; not part of test"
	@echo "  make clean                remove build/"

all: $(LESSON_BINS)

darwin: $(DARWIN_BINS)

# ensure-tools.sh is silent when it finds everything; say so.
TOOL_GROUPS := cxx gtest json $(TARGET_TOOLS) $(if $(filter Linux,$(HOST_OS)),darwin unicorn libcxx) inspect try trace
tools:
	@log=$$(mktemp); ( bash $(TOOLS) $(TOOL_GROUPS) 2>&1 1>&3 | tee "$$log" >&2; exit $${PIPESTATUS[0]} ) 3>&1; status=$$?; \
	  if [ $$status -eq 0 ] && [ ! -s "$$log" ]; then \
	    echo "make tools: everything the build needs is already here ($(TOOL_GROUPS))"; \
	  elif [ $$status -eq 0 ]; then \
	    echo "make tools: done -- everything the build needs is here now ($(TOOL_GROUPS))"; \
	  fi; rm -f "$$log"; exit $$status

# check-binaries.sh reads the programs with llvm-objdump, llvm-nm, llvm-otool and
# readelf (on a Mac: otool, nm, objdump and codesign).
check-binaries: $(LESSON_BINS) $(if $(filter Linux,$(HOST_OS)),$(DARWIN_BINS)) | $(BUILD)/.tools/inspect
	@bash tests/tools/check-binaries.sh $(BUILD) $(LESSON_NUMS)

# make test's mixed builds (tests/tools/mix.sh --each) link the target
# suite's objects of the C++ stages: the same sources and flags as
# build/mix/lesson-NN/obj/ (the suite's -D and -I add nothing a stage reads).
MIX_TEST_OBJ := $(patsubst cpp/%.cpp,$(BUILD)/tests/asm-obj/cpp/%.o,$(filter-out cpp/httpd.cpp %-main.cpp,$(L$(MIX_LESSON)_CPP_SRC)))
# Everything is built first (so a compile error stops here, loudly); then
# every suite runs and tests/tools/run-suites.sh adds up one summary line.
TEST_BINS := $(BUILD)/tests/unit-tests $(BUILD)/tests/asm-tests $(BUILD)/harness $(DARWIN_PATH_MAX_SO) \
             $(BUILD)/tests/harness-tests $(BUILD)/tests/wrong-server \
             $(BUILD)/tools/docs-check $(BUILD)/tools/make-targets.txt \
             $(INTRES_BIN) $(SAN_CPP) $(MIX_TEST_OBJ) $(MIX_ASM_OBJ)
# The views suite runs `make view-NN`, so the suites get this make's name --
# through SUITES_MAKE, not a literal $(MAKE) in the recipe: make runs a recipe
# line naming $(MAKE) even under `make -n`, and the platforms suite reads
# `make -n test`'s plan (it would run the suites inside the suites).
SUITES_MAKE = $(MAKE)
test: $(LESSON_BINS) $(if $(filter Linux,$(HOST_OS)),$(DARWIN_BINS)) $(TEST_BINS) $(DARWIN_RUN) $(LIBCXX_OK) | $(BUILD)/.tools/inspect $(BUILD)/.tools/trace
	@BUILD=$(BUILD) RUN_ASM="$(RUN_ASM)" LESSONS="$(LESSON_NUMS)" INTRES_FILTER='$(INTRES_FILTER)' DARWIN_RUN=$(DARWIN_RUN) \
	  MAKE="$(SUITES_MAKE)" SAN_LESSON=$(SAN_LESSON) SAN_CPP=$(SAN_CPP) \
	  MIX_LESSON=$(MIX_LESSON) MIX_CPP_OBJ='$(MIX_TEST_OBJ)' MIX_ASM_OBJ='$(MIX_ASM_OBJ)' \
	  XCXX='$(XCXX)' XCXXFLAGS='$(XCXXFLAGS)' GEN=$(GEN) bash tests/tools/run-suites.sh

# make test runs every fixture against the newest lesson, and each earlier
# lesson only against the fixtures that start or end there (run-suites.sh
# says why).  make test-matrix runs the fixtures alone, every fixture
# against every lesson's two servers; LESSONS="03 08" picks the lessons.
MATRIX_LESSONS = $(or $(LESSONS),$(LESSON_NUMS))
test-matrix: $(foreach n,$(MATRIX_LESSONS),build-$(n)) $(BUILD)/harness
	@BUILD=$(BUILD) RUN_ASM="$(RUN_ASM)" LESSONS="$(MATRIX_LESSONS)" MATRIX=1 bash tests/tools/run-suites.sh

clean:
	rm -rf $(BUILD)

# ---------------------------------------------------------------------------
# make bench (not part of make test): the newest lesson's servers against
# nginx, lighttpd, mini_httpd and python3 -m http.server, and a 256 MiB
# PUT to ours against dd on the same disk, and (lesson 10 on) ours under
# hostile loads.  The scripts are tests/bench/*; results land in
# build/bench/ (results.json, bench.png, table.txt).  docs/performance.md
# explains the numbers.  BENCH_ONLY=upload: only the PUT;
# BENCH_ONLY=download: only the GETs; BENCH_ONLY=robust: only the hostile
# loads.
# ---------------------------------------------------------------------------
BENCH_LESSON := $(LAST_LESSON)
BENCH_DIR    := $(BUILD)/bench
BENCH_CPP    := $(BUILD)/lesson-$(BENCH_LESSON)/$(L$(BENCH_LESSON)_PROG)-cpp
BENCH_ASM    := $(BUILD)/lesson-$(BENCH_LESSON)/$(L$(BENCH_LESSON)_PROG)-asm
# Where the assembly runs under qemu, the C++ server is built for aarch64
# too -- the lesson's own sources and flags, static like the assembly --
# so the two can be compared under the same qemu.
BENCH_XCPP   := $(if $(RUN_ASM),$(BENCH_DIR)/lesson-$(BENCH_LESSON)/httpd-cpp-aarch64)
BENCH_DARWIN := $(if $(filter Linux,$(HOST_OS)),$(BUILD)/darwin/lesson-$(BENCH_LESSON)/$(L$(BENCH_LESSON)_PROG)-asm)

$(BENCH_DIR)/lesson-$(BENCH_LESSON)/httpd-cpp-aarch64: $(L$(BENCH_LESSON)_CPP_SRC) $(CPP_HEADERS) $(GEN_FILES) | $(TARGET_STAMPS)
	@mkdir -p $(@D)
	$(XCXX) $(CXXFLAGS_NATIVE) -static -DLESSON=$(call lesson_no,$(BENCH_LESSON)) -Icpp -Iasm -I$(GEN) -o $@ $(L$(BENCH_LESSON)_CPP_SRC)

.PHONY: bench bench-publish
bench: $(BENCH_CPP) $(BENCH_ASM) $(BENCH_XCPP) $(BENCH_DARWIN) | $(BUILD)/.tools/bench
	@BUILD=$(BUILD) LESSON=$(BENCH_LESSON) CPP_BIN=$(BENCH_CPP) ASM_BIN=$(BENCH_ASM) \
	  XCPP_BIN=$(BENCH_XCPP) DARWIN_BIN=$(BENCH_DARWIN) RUN_ASM="$(RUN_ASM)" XPREFIX="$(XPREFIX)" \
	  CXX="$(CXX)" XCXX="$(XCXX)" QUICK="$(QUICK)" BENCH_ONLY="$(BENCH_ONLY)" bash tests/bench/bench.sh

# The run the README shows: copy the last run's chart and results into
# docs/ and its targets table into the README (between the bench markers).
bench-publish:
	@bash tests/bench/publish.sh $(BENCH_DIR)
# ------------------------------------------------------------- end of bench

# make browser-check (not part of make test; Linux): headless Chromium
# opens a directory listing after uploads whose names need escaping, on
# both servers of the newest lesson (PUT exists from lesson 09 on): the
# names it shows, and every link fetched back byte for byte.  About 40 s;
# needs chromium (Debian: apt-get install -y chromium).  Screenshots, for
# a look: build/browser-check/cpp.png and asm.png.  tests/tools/browser-check.py.
BROWSER_LESSON := $(LAST_LESSON)
.PHONY: browser-check
browser-check: build-$(BROWSER_LESSON) | $(BUILD)/.tools/try
	@status=0; \
	  python3 tests/tools/browser-check.py $(BUILD)/browser-check cpp \
	    $(BUILD)/lesson-$(BROWSER_LESSON)/$(L$(BROWSER_LESSON)_PROG)-cpp || status=1; \
	  python3 tests/tools/browser-check.py $(BUILD)/browser-check asm $(RUN_ASM) \
	    $(BUILD)/lesson-$(BROWSER_LESSON)/$(L$(BROWSER_LESSON)_PROG)-asm || status=1; \
	  exit $$status

# The README's quick start on a bare Debian 12 (debootstrap minbase + git,
# make, ca-certificates) in a chroot, from a clone of this commit: both
# commands must pass on their first run.  Needs root; takes a while (see
# the README).  KEEP=1 keeps the chroot for a look around.
fresh-debian:
	@bash tests/tools/fresh-debian.sh
