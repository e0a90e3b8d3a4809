// tests/harness/http_response_test.cpp -- the harness's response parser.
// Expectations follow RFC 9112 §6.3 (how a message body's length is
// determined) and §7.1 (chunked transfer coding).
#include <gtest/gtest.h>

#include "http_response.hpp"

using harness::parse_response;
using harness::Response;
using harness::ResponseParser;

namespace {
const std::string kSimple =
    "HTTP/1.1 200 OK\r\nServer: metal-httpd\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
    "Connection: close\r\n\r\nhello";
}

TEST(ResponseParser, WholeResponseAtOnce) {
    Response r = parse_response(kSimple, false);
    EXPECT_TRUE(r.complete);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.reason, "OK");
    EXPECT_EQ(r.version, "HTTP/1.1");
    EXPECT_EQ(r.body, "hello");
    EXPECT_EQ(r.header("content-type"), "text/plain");   // names are case-insensitive
    EXPECT_EQ(r.framing, Response::Framing::Length);
    EXPECT_TRUE(r.problems.empty());
}

TEST(ResponseParser, OneByteAtATimeGivesTheSameResult) {
    ResponseParser p(false);
    for (size_t i = 0; i < kSimple.size(); ++i) {
        EXPECT_FALSE(p.complete()) << "complete too early at byte " << i;
        p.feed(kSimple.substr(i, 1));
    }
    EXPECT_TRUE(p.complete());   // Content-Length reached: complete before the close
    p.finish();
    EXPECT_EQ(p.response().body, "hello");
    EXPECT_EQ(p.response().status, 200);
    EXPECT_TRUE(p.response().problems.empty());
}

TEST(ResponseParser, SplitInsideTheCrlfOfTheEmptyLine) {
    ResponseParser p(false);
    std::string head = "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r";
    p.feed(head);
    EXPECT_FALSE(p.response().has_head);
    p.feed("\nabc");
    EXPECT_TRUE(p.response().has_head);
    EXPECT_TRUE(p.complete());
    EXPECT_EQ(p.response().body, "abc");
}

TEST(ResponseParser, ChunkedBody) {
    std::string raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n";
    Response r = parse_response(raw, false);
    EXPECT_TRUE(r.complete);
    EXPECT_EQ(r.framing, Response::Framing::Chunked);
    EXPECT_EQ(r.body, "hello, world");
    EXPECT_TRUE(r.problems.empty());
}

TEST(ResponseParser, ChunkedBodyOneByteAtATime) {
    std::string raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\n0123456789\r\n0\r\n\r\n";
    ResponseParser p(false);
    for (char c : raw) p.feed(std::string(1, c));
    EXPECT_TRUE(p.complete());
    p.finish();
    EXPECT_EQ(p.response().body, "0123456789");
}

TEST(ResponseParser, ChunkedWithoutLastChunkIsTruncated) {
    Response r = parse_response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", false);
    EXPECT_FALSE(r.complete);
    ASSERT_FALSE(r.problems.empty());
    EXPECT_NE(r.problems[0].find("truncated"), std::string::npos);
}

TEST(ResponseParser, CloseDelimitedBodyEndsAtClose) {
    ResponseParser p(false);
    p.feed("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nsome ");
    p.feed("bytes");
    EXPECT_FALSE(p.complete());   // without a length only the close ends it
    p.finish();
    EXPECT_TRUE(p.complete());
    EXPECT_EQ(p.response().framing, Response::Framing::Close);
    EXPECT_EQ(p.response().body, "some bytes");
}

TEST(ResponseParser, ServerClosesBeforeContentLengthBytes) {
    Response r = parse_response("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", false);
    EXPECT_FALSE(r.complete);
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_NE(r.problems[0].find("Content-Length says 10"), std::string::npos);
    EXPECT_NE(r.problems[0].find("after 3"), std::string::npos);
    EXPECT_EQ(r.body, "abc");
}

TEST(ResponseParser, ServerClosesInsideTheHead) {
    Response r = parse_response("HTTP/1.1 200 OK\r\nContent-Le", false);
    EXPECT_FALSE(r.has_head);
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_NE(r.problems[0].find("middle of the head"), std::string::npos);
}

TEST(ResponseParser, HeadResponseHasNoBodyWhateverContentLengthSays) {
    // RFC 9110 §9.3.2: the Content-Length of a HEAD response describes the
    // body a GET would get; no body follows.
    Response r = parse_response("HTTP/1.1 200 OK\r\nContent-Length: 106\r\n\r\n", true);
    EXPECT_TRUE(r.complete);
    EXPECT_EQ(r.body, "");
    EXPECT_TRUE(r.problems.empty());
}

TEST(ResponseParser, BodyAfterAHeadResponseIsReported) {
    Response r = parse_response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", true);
    EXPECT_EQ(r.body, "");
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_NE(r.problems[0].find("5 unexpected bytes"), std::string::npos);
}

TEST(ResponseParser, BytesAfterContentLengthAreReported) {
    Response r = parse_response("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA", false);
    EXPECT_EQ(r.body, "ok");
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_NE(r.problems[0].find("5 unexpected bytes"), std::string::npos);
}

TEST(ResponseParser, NoContentStatusesHaveNoBody) {
    Response r = parse_response("HTTP/1.1 204 No Content\r\nServer: x\r\n\r\n", false);
    EXPECT_TRUE(r.complete);
    EXPECT_EQ(r.body, "");
}

TEST(ResponseParser, BareLfHeadIsParsedButReported) {
    Response r = parse_response("HTTP/1.1 200 OK\nContent-Length: 2\n\nok", false);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "ok");
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_NE(r.problems[0].find("bare LF"), std::string::npos);
}

TEST(ResponseParser, MalformedStatusLine) {
    Response r = parse_response("HTTP/1.1 2x0 OK\r\n\r\n", false);
    EXPECT_EQ(r.status, 0);
    ASSERT_FALSE(r.problems.empty());
    EXPECT_NE(r.problems[0].find("malformed status line"), std::string::npos);
}

TEST(ResponseParser, HeaderValueWhitespaceIsTrimmed) {
    Response r = parse_response("HTTP/1.1 200 OK\r\nX-A:   v  \r\nContent-Length: 0\r\n\r\n", false);
    EXPECT_EQ(r.header("x-a"), "v");
    EXPECT_EQ(r.header_count("X-A"), 1);
    EXPECT_FALSE(r.header("X-B").has_value());
}

TEST(ResponseParser, NothingAtAllIsNoResponseNotAProblem) {
    Response r = parse_response("", false);
    EXPECT_FALSE(r.has_head);
    EXPECT_TRUE(r.problems.empty());
}

// Lesson 09: an interim 100 Continue comes before the final response
// (RFC 9110 §15.2); the parser notes it and parses the response after it.
TEST(ResponseParser, InterimResponsesAreNotedAndSkipped) {
    Response r = parse_response("HTTP/1.1 100 Continue\r\n\r\n" + kSimple, false);
    EXPECT_EQ(r.interim, std::vector<int>{100});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "hello");
    EXPECT_TRUE(r.problems.empty());
    ResponseParser p(false);                          // one byte at a time: the same
    std::string all = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + kSimple;
    for (char c : all) p.feed(std::string_view(&c, 1));
    p.finish();
    EXPECT_EQ(p.response().interim, (std::vector<int>{100, 103}));
    EXPECT_EQ(p.response().status, 200);
    EXPECT_EQ(p.response().body, "hello");
    Response none = parse_response(kSimple, false);
    EXPECT_TRUE(none.interim.empty());
}
