// What the CLI tests share: running the built program and naming their data files.
#pragma once

#include "test_support.hpp"

#include <string>

namespace casedoc_test {

inline run_result run(const std::string& args) { return shell(std::string(CASEDOC_EXE) + " " + args); }

inline std::string data(const std::string& name) { return std::string(CASEDOC_CLI_DATA) + "/" + name; }
// How many times `what` occurs in `text`.
inline size_t count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
    return n;
}

inline std::string sample(const std::string& name) { return std::string(CASEDOC_SAMPLES) + "/" + name; }

} // namespace casedoc_test
