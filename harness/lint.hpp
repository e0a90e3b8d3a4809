// harness/lint.hpp -- the fixture lint (build/harness --lint, part of make
// test): every fixture's docroot must be buildable on a Mac as well.
//
//  * no path the harness hands the kernel may reach Darwin's 1,024 bytes
//    (harness/tree.hpp builds every tree one name at a time; make test runs
//    the lint on Linux with that limit imposed, tests/harness/darwin_path_max.c);
//  * no two names in one directory may differ only in case -- on a disk
//    that folds case (macOS's default) they are one file -- unless the
//    fixture says "needs": ["case-sensitive-disk"], and then it must have
//    such names (the mark is checked both ways).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fixture.hpp"
#include "server.hpp"

namespace harness {

// A name as a case-folding disk compares it: ASCII letters and the Latin-1
// letters (U+00C0..U+00DE, as UTF-8) in lower case.
std::string fold_case(std::string_view name);

// "order/: B b" for every directory of the fixture's docroot (the demo site
// plus the fixture's changes) that holds names differing only in case.
std::vector<std::string> case_collisions(const Fixture& f, const std::string& site);

// True when the disk that holds `dir` folds case: a file made there as
// "Case-Probe" can be found as "case-probe".
bool disk_folds_case(const std::string& dir);

// What is wrong with one fixture (empty: nothing): its case collisions
// against its mark, and whether its docroot can be built in `ws` and the
// files its expectations name read back.
std::vector<std::string> lint_fixture(const Fixture& f, const std::string& site, Workspace& ws);

}  // namespace harness
