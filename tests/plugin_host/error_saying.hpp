// A Catch2 matcher for casedoc::error: the error's text contains every given part (file name, key phrase).
#ifndef CASEDOC_TESTS_ERROR_SAYING_HPP
#define CASEDOC_TESTS_ERROR_SAYING_HPP

#include <casedoc/base/error.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

// Matches a casedoc::error whose text contains every one of `parts`.
class error_saying : public Catch::MatcherBase<casedoc::error> {
public:
    explicit error_saying(std::vector<std::string> parts) : parts_(std::move(parts)) {}
    bool match(const casedoc::error& e) const override {
        const std::string what = e.what();
        for (const auto& p : parts_)
            if (what.find(p) == std::string::npos) return false;
        return true;
    }
    std::string describe() const override {
        std::string d = "is a casedoc::error containing";
        for (const auto& p : parts_) d += " \"" + p + "\"";
        return d;
    }

private:
    std::vector<std::string> parts_;
};

#endif // CASEDOC_TESTS_ERROR_SAYING_HPP
