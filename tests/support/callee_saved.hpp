// tests/support/callee_saved.hpp -- call an assembly function with known
// values in the callee-saved registers, and say which ones came back
// changed.
//
// Why: the C calling convention (AAPCS64) lets a function use x19..x28
// only if it gives them back as it found them -- its caller keeps values
// there across the call.  A function that saves x23 with `str w23` (the
// low half only), at the wrong offset, or not at all, still returns the
// right result; the caller breaks later, far from the bug.  A compiled
// C++ caller may or may not keep something in x23 at that moment, so an
// ordinary call from a test says nothing either way.
//
// How: metal_callee_saved_call (tests/asm/callee_saved_test.cpp, a few
// lines of assembly) saves its own x19..x28, loads every one of them with
// a value of our choosing (all 64 bits distinct), calls the function with
// up to six arguments, and stores x19..x28, sp and fp as the function left
// them, and its result.  callee_saved_problems() names each difference.
// The temporaries x9..x15 hold junk at the call too: a function that
// reads one before writing it uses whatever its caller happened to leave
// there -- often the right value by luck, when the caller is the course's
// own assembly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

// The record the assembly reads and fills; the offsets are the assembly's
// (checked below).
struct callee_saved_call {
    const void* fn;            // 0: the function to call
    std::uint64_t args[6];     // 8: x0..x5
    std::uint64_t before[10];  // 56: x19..x28 at the call
    std::uint64_t after[10];   // 136: x19..x28 after the return
    std::uint64_t sp_before;   // 216: sp at the call
    std::uint64_t sp_after;    // 224: sp after the return
    std::uint64_t fp_after;    // 232: x29 after the return (must be the caller's, = sp_before here)
    std::int64_t result;       // 240: x0 after the return
    std::uint64_t junk[7];     // 248: x9..x15 at the call
};
static_assert(offsetof(callee_saved_call, args) == 8 && offsetof(callee_saved_call, before) == 56 &&
              offsetof(callee_saved_call, after) == 136 && offsetof(callee_saved_call, sp_before) == 216 &&
              offsetof(callee_saved_call, sp_after) == 224 && offsetof(callee_saved_call, fp_after) == 232 &&
              offsetof(callee_saved_call, result) == 240 && offsetof(callee_saved_call, junk) == 248,
              "tests/asm/callee_saved_test.cpp's assembly uses these offsets");

extern "C" void metal_callee_saved_call(struct callee_saved_call* c);

namespace testsupport {

// What a call through metal_callee_saved_call gives back.
struct CalleeSavedRun {
    std::int64_t result = 0;
    std::string problems;   // empty: x19..x28, sp and fp all kept
};

// Differences between what the registers held at the call and after it.
inline std::string callee_saved_problems(const callee_saved_call& c) {
    std::string out;
    auto hex = [](std::uint64_t v) {
        char buf[19];
        static const char digits[] = "0123456789abcdef";
        buf[0] = '0';
        buf[1] = 'x';
        for (int i = 0; i < 16; ++i) buf[2 + i] = digits[(v >> (60 - 4 * i)) & 15];
        return std::string(buf, 18);
    };
    for (int i = 0; i < 10; ++i) {
        if (c.after[i] != c.before[i]) {
            out += "x" + std::to_string(19 + i) + " was " + hex(c.before[i]) + ", came back " + hex(c.after[i]) + "; ";
        }
    }
    if (c.sp_after != c.sp_before) out += "sp moved; ";
    if (c.fp_after != c.sp_before) out += "x29 (fp) not restored; ";
    return out;
}

// An argument as the 64-bit register value it is: a pointer's address, an
// int sign-extended (AAPCS64 leaves an int's upper half to the callee to
// ignore).
template <class T>
std::uint64_t reg(T* p) {
    return reinterpret_cast<std::uintptr_t>(p);
}
inline std::uint64_t reg(std::int64_t v) { return static_cast<std::uint64_t>(v); }

// fn(args...) (up to six integer or pointer arguments) with x19..x28 set
// to values a caller could be keeping there: every bit pattern distinct,
// upper halves non-zero (a `str w21` save loses them).
template <class Fn, class... Args>
CalleeSavedRun call_checking_callee_saved(Fn* fn, Args... args) {
    static_assert(sizeof...(Args) <= 6, "x0..x5 only");
    callee_saved_call c{};
    c.fn = reinterpret_cast<const void*>(fn);
    std::size_t i = 0;
    ((c.args[i++] = reg(args)), ...);
    for (int r = 0; r < 10; ++r) c.before[r] = 0xa5c3'0000'0000'0000ull ^ (std::uint64_t(19 + r) << 40) ^ (0x1357'9bdfull * (r + 1));
    for (int r = 0; r < 7; ++r) c.junk[r] = 0x7e57'0000'0000'0000ull ^ (std::uint64_t(9 + r) << 40) ^ (0x0bad'f00dull * (r + 3));
    metal_callee_saved_call(&c);
    return {c.result, callee_saved_problems(c)};
}

}  // namespace testsupport
