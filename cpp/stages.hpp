// cpp/stages.hpp -- the header of every stage a lesson's server is built
// from: stages 00 .. LESSON, nothing later.  The spine (cpp/httpd.cpp) and
// the mixed builds' twins (tests/mix/twins.cpp) include this one list, so
// a new lesson adds its header here, once.
//
// This is not a stage: it belongs to no lesson, like cpp/exchange.hpp.
#pragma once

#ifndef LESSON
#error "build with -DLESSON=N (the Makefile does)"
#endif

#include "00-syscalls.hpp"
#include "01-socket.hpp"
#include "exchange.hpp"
#if LESSON >= 2
#include "02-fork.hpp"
#endif
#if LESSON >= 3
#include "03-parse.hpp"
#endif
#if LESSON >= 4
#include "04-files.hpp"
#endif
#if LESSON >= 5
#include "05-decode.hpp"
#endif
#if LESSON >= 6
#include "06-traversal.hpp"
#endif
#if LESSON >= 7
#include "07-ranges.hpp"
#endif
#if LESSON >= 8
#include "08-listing.hpp"
#endif
#if LESSON >= 9
#include "09-methods.hpp"
#endif
#if LESSON >= 10
#include "10-hardening.hpp"
#include "10-log.hpp"
#endif
#if LESSON >= 11
#include "11-caching.hpp"
#endif
