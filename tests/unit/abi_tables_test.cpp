// tests/unit/abi_tables_test.cpp -- both OS includes against the committed
// tables (tests/abi/*.tsv: Darwin values from XNU, Linux values from the
// aarch64 headers), and against each other.  Runs natively anywhere; the
// real-header comparison for the target OS is tests/asm/abi_headers_test.cpp.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "../abi/os_inc.hpp"

namespace {

const std::string kRoot = METAL_SOURCE_DIR;

void expect_include_matches_table(const std::string& os) {
    abicheck::Constants inc = abicheck::read_os_inc(kRoot + "/asm/os/" + os + "/os.inc");
    abicheck::Constants table = abicheck::read_table(kRoot + "/tests/abi/" + os + ".tsv");
    ASSERT_EQ(inc.error, "");
    ASSERT_EQ(table.error, "");
    ASSERT_GT(inc.values.size(), 100u);
    for (const auto& [name, value] : inc.values) {
        if (name == "OS_LINUX" || name == "OS_DARWIN") continue;
        auto it = table.values.find(name);
        if (it == table.values.end()) {
            ADD_FAILURE() << os << "/os.inc defines " << name << " but tests/abi/" << os
                          << ".tsv has no reference value for it";
            continue;
        }
        EXPECT_EQ(value, it->second) << os << "/os.inc: " << name << " = " << value
                                     << ", reference table says " << it->second;
    }
}

}  // namespace

TEST(AbiTables, DarwinIncludeMatchesXnuTable) { expect_include_matches_table("darwin"); }
TEST(AbiTables, LinuxIncludeMatchesHeaderTable) { expect_include_matches_table("linux"); }

// Lesson code may use any name from os.inc, so both files must define the
// same names -- except these, which exist on one kernel only and are only
// used inside that include's own macros or behind `.if OS_DARWIN`.
TEST(AbiTables, BothIncludesDefineTheSameNames) {
    const std::set<std::string> darwin_only = {"SIN_LEN", "D_NAMLEN", "SIGACT_TRAMP", "SO_NOSIGPIPE",
                                               "SYS_fork", "SYS_dup2", "SYS_renameatx_np", "RENAME_EXCL",
                                               "GETDIRENTRIES64_EXTENDED_BUFSIZE", "GETDIRENTRIES64_EOF",
                                               "SYS_poll"};   // lesson 10: POLL
    const std::set<std::string> linux_only = {"SYS_clone", "SYS_dup3", "SYS_renameat2", "RENAME_NOREPLACE",
                                              "SYS_ppoll", "TIMESPEC_SIZE", "TS_SEC", "TS_NSEC"};
    abicheck::Constants darwin = abicheck::read_os_inc(kRoot + "/asm/os/darwin/os.inc");
    abicheck::Constants linux_ = abicheck::read_os_inc(kRoot + "/asm/os/linux/os.inc");
    ASSERT_EQ(darwin.error, "");
    ASSERT_EQ(linux_.error, "");
    for (const auto& [name, value] : darwin.values) {
        if (darwin_only.count(name)) continue;
        EXPECT_TRUE(linux_.values.count(name)) << name << " is defined for Darwin but not for Linux";
    }
    for (const auto& [name, value] : linux_.values) {
        if (linux_only.count(name)) continue;
        EXPECT_TRUE(darwin.values.count(name)) << name << " is defined for Linux but not for Darwin";
    }
}
