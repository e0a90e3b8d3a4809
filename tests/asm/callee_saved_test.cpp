// tests/asm/callee_saved_test.cpp -- the callee-saved register check that
// the lessons' tests use (tests/support/callee_saved.hpp): its assembly,
// and a test that it does see a register a function fails to give back.
//
// The lesson suites call it for the functions that save registers on
// their stack (Lesson00Asm.WriteAllKeepsCalleeSavedRegisters,
// Lesson02Asm.ForkConnectionKeepsCalleeSavedRegisters, ...).
#include <gtest/gtest.h>

#include "../support/callee_saved.hpp"
#include "api.h"

#ifdef __APPLE__
#define CS_SYMBOL(name) "_" #name
#else
#define CS_SYMBOL(name) #name
#endif

#if defined(__aarch64__) || defined(__arm64__)
// void metal_callee_saved_call(struct callee_saved_call *c)
//   registers: x9 = c (until the call), x16 = the function; x19..x28 =
//   c->before and x9..x15 = c->junk at the call (ours are on the stack)
//   stack: 112 bytes (fp, lr, x19..x28, c)
// One statement per line and // comments: the same text assembles with
// GNU as and with Darwin's assembler.
__asm__(
    ".text\n"
    ".p2align 2\n"
    ".globl " CS_SYMBOL(metal_callee_saved_call) "\n"
    CS_SYMBOL(metal_callee_saved_call) ":\n"
    "  stp x29, x30, [sp, #-112]!\n"   // frame: fp, lr
    "  mov x29, sp\n"
    "  stp x19, x20, [sp, #16]\n"      // our caller's callee-saved registers
    "  stp x21, x22, [sp, #32]\n"
    "  stp x23, x24, [sp, #48]\n"
    "  stp x25, x26, [sp, #64]\n"
    "  stp x27, x28, [sp, #80]\n"
    "  str x0, [sp, #96]\n"            // c, for after the call
    "  mov x9, x0\n"                   // x9 = c
    "  ldp x19, x20, [x9, #56]\n"      // x19..x28 = c->before[0..9]
    "  ldp x21, x22, [x9, #72]\n"
    "  ldp x23, x24, [x9, #88]\n"
    "  ldp x25, x26, [x9, #104]\n"
    "  ldp x27, x28, [x9, #120]\n"
    "  mov x10, sp\n"                  // c->sp_before = sp (= x29)
    "  str x10, [x9, #216]\n"
    "  ldr x16, [x9, #0]\n"            // x16 = c->fn
    "  ldp x0, x1, [x9, #8]\n"         // x0..x5 = c->args[0..5]
    "  ldp x2, x3, [x9, #24]\n"
    "  ldp x4, x5, [x9, #40]\n"
    "  ldp x10, x11, [x9, #256]\n"     // x10..x15 = c->junk[1..6]
    "  ldp x12, x13, [x9, #272]\n"
    "  ldp x14, x15, [x9, #288]\n"
    "  ldr x9, [x9, #248]\n"           // x9 = c->junk[0] (c is on our stack)
    "  blr x16\n"                      // the function under test
    "  mov x10, sp\n"                  // sp and fp as it left them
    "  mov x11, x29\n"
    "  ldr x9, [sp, #96]\n"            // x9 = c again
    "  str x10, [x9, #224]\n"          // c->sp_after
    "  str x11, [x9, #232]\n"          // c->fp_after
    "  str x0, [x9, #240]\n"           // c->result
    "  stp x19, x20, [x9, #136]\n"     // c->after[0..9] = x19..x28
    "  stp x21, x22, [x9, #152]\n"
    "  stp x23, x24, [x9, #168]\n"
    "  stp x25, x26, [x9, #184]\n"
    "  stp x27, x28, [x9, #200]\n"
    "  ldp x19, x20, [sp, #16]\n"      // give our caller its registers back
    "  ldp x21, x22, [sp, #32]\n"
    "  ldp x23, x24, [sp, #48]\n"
    "  ldp x25, x26, [sp, #64]\n"
    "  ldp x27, x28, [sp, #80]\n"
    "  ldp x29, x30, [sp], #112\n"
    "  ret\n"
    // int64_t metal_breaks_x21(int64_t v): returns v, x21 (low half) = v.
    // Only for the test below: a function that breaks the convention.
    ".p2align 2\n"
    ".globl " CS_SYMBOL(metal_breaks_x21) "\n"
    CS_SYMBOL(metal_breaks_x21) ":\n"
    "  mov w21, w0\n"
    "  ret\n");
#endif

extern "C" std::int64_t metal_breaks_x21(std::int64_t v);

TEST(CalleeSaved, TheCheckSeesARegisterNotGivenBack) {
    testsupport::CalleeSavedRun bad = testsupport::call_checking_callee_saved(&metal_breaks_x21, std::int64_t{5});
    EXPECT_EQ(bad.result, 5);
    EXPECT_NE(bad.problems.find("x21 was "), std::string::npos) << bad.problems;
    EXPECT_EQ(bad.problems.find("x20"), std::string::npos) << bad.problems;   // only the register it broke
    EXPECT_EQ(bad.problems.find("x22"), std::string::npos) << bad.problems;
}

TEST(CalleeSaved, TheCheckPassesAFunctionThatKeepsThem) {
    // str_len (lesson 00) uses x0..x2 only.
    testsupport::CalleeSavedRun good = testsupport::call_checking_callee_saved(&str_len, "four");
    EXPECT_EQ(good.result, 4);
    EXPECT_EQ(good.problems, "");
}
