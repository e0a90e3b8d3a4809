// tests/abi/os_inc.cpp -- see os_inc.hpp.
#include "os_inc.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace abicheck {

namespace {

// "-0x10", "0170000", "42" -> value; false if not a plain literal.
bool parse_literal(const std::string& text, long long& value) {
    if (text.empty()) return false;
    std::size_t start = text[0] == '-' ? 1 : 0;
    std::string body = text.substr(start);
    if (body.empty()) return false;
    int base = 10;
    if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')) {
        base = 16;
    } else if (body.size() > 1 && body[0] == '0') {
        base = 8;
    }
    char* end = nullptr;
    long long magnitude = std::strtoll(body.c_str(), &end, base);
    if (end == nullptr || *end != '\0') return false;
    value = start == 1 ? -magnitude : magnitude;
    return true;
}

}  // namespace

// Trim spaces and tabs from both ends.
static std::string trim(const std::string& text) {
    std::size_t first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return "";
    std::size_t last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

Constants read_os_inc(const std::string& path) {
    Constants result;
    std::ifstream in(path);
    if (!in) {
        result.error = "cannot open " + path;
        return result;
    }
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        // Split off a `//` comment, then look for `.equ NAME, VALUE`.
        std::size_t slash = line.find("//");
        std::string comment = slash == std::string::npos ? "" : line.substr(slash);
        std::string code = trim(line.substr(0, slash));
        if (code.rfind(".equ", 0) != 0) continue;
        std::size_t comma = code.find(',');
        if (comma == std::string::npos) continue;
        std::string name = trim(code.substr(4, comma - 4));
        std::string value_text = trim(code.substr(comma + 1));
        long long value = 0;
        if (parse_literal(value_text, value)) {
            result.values[name] = value;
        } else if (comment.find("derived") == std::string::npos) {
            result.error = path + ":" + std::to_string(number) + ": `" + name +
                           "` is neither a literal nor marked `// derived`";
            return result;
        }
    }
    return result;
}

Constants read_table(const std::string& path) {
    Constants result;
    std::ifstream in(path);
    if (!in) {
        result.error = "cannot open " + path;
        return result;
    }
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        std::string name, value_text;
        std::getline(fields, name, '\t');
        std::getline(fields, value_text, '\t');
        long long value = 0;
        if (!parse_literal(value_text, value)) {
            result.error = path + ": bad value for " + name;
            return result;
        }
        result.values[name] = value;
    }
    return result;
}

}  // namespace abicheck
