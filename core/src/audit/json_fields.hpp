// Reading JSON into a model, refusing what does not match with the path of the field: "items[3].applicable:
// expected a count (an integer ≥ 0), got "seven"". The from_json functions of a format read each object with
// `fields` and each value with one of the as_ readers; the error, bad_field, is caught where the document is read.
#ifndef CASEDOC_AUDIT_JSON_FIELDS_HPP
#define CASEDOC_AUDIT_JSON_FIELDS_HPP

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace casedoc::detail {

using ojson = nlohmann::ordered_json;

// A field that does not match; its path grows as the error leaves each object and array around it.
struct bad_field {
    std::string path, what;
};

// Runs `read` on the element `step` ("items", "[3]") of what is being read, so that its errors name it.
template <class F> auto inside(const std::string& step, F read) {
    try {
        return read();
    } catch (bad_field& e) {
        e.path = e.path.empty() ? step : step + (e.path[0] == '[' ? "" : ".") + e.path;
        throw;
    }
}

inline const char* type_name(const ojson& j) {
    switch (j.type()) {
    case ojson::value_t::null: return "null";
    case ojson::value_t::object: return "an object";
    case ojson::value_t::array: return "an array";
    case ojson::value_t::string: return "a string";
    case ojson::value_t::boolean: return "a boolean";
    default: return "a number";
    }
}

[[noreturn]] inline void expected(const std::string& what, const ojson& j) {
    throw bad_field{"", "expected " + what + ", got " + type_name(j)};
}
[[noreturn]] inline void expected_value(const std::string& what, const ojson& j) { // shows a number as it is
    if (!j.is_number()) expected(what, j);
    throw bad_field{"", "expected " + what + ", got " + j.dump()};
}

inline std::string as_string(const ojson& j) {
    if (!j.is_string()) expected("a string", j);
    return j.get<std::string>();
}

// A value shown as it is: a string, or a number written as text.
inline std::string as_text(const ojson& j) {
    if (j.is_null()) return "";
    if (j.is_string()) return j.get<std::string>();
    if (j.is_number_integer()) return std::to_string(j.get<long long>());
    if (j.is_number()) return j.dump();
    if (j.is_boolean()) return j.get<bool>() ? "true" : "false";
    expected("a string or a number", j);
}

inline std::string as_date(const ojson& j) {
    std::string s = as_string(j);
    const bool ok = s.size() == 10 && s[4] == '-' && s[7] == '-' &&
                    std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
    if (!ok) throw bad_field{"", "expected a date YYYY-MM-DD, got '" + s + "'"};
    return s;
}

inline uint64_t as_count(const ojson& j) {
    if (!j.is_number_unsigned() && !(j.is_number_integer() && j.get<int64_t>() >= 0))
        expected_value("a count (an integer ≥ 0)", j);
    return j.get<uint64_t>();
}

inline std::optional<double> as_rate(const ojson& j) {
    if (j.is_null()) return std::nullopt;
    if (!j.is_number() || j.get<double>() < 0 || j.get<double>() > 1)
        expected_value("a rate (a number in [0, 1] or null)", j);
    return j.get<double>();
}

inline std::optional<double> as_number(const ojson& j) {
    if (!j.is_number()) expected("a number", j);
    return j.get<double>();
}

inline bool as_bool(const ojson& j) {
    if (!j.is_boolean()) expected("a boolean", j);
    return j.get<bool>();
}

template <class T> T as(const ojson& j) { return j.get<T>(); } // an object, by its from_json

template <class F> auto list_of(F read) {
    return [read](const ojson& j) {
        if (!j.is_array()) expected("an array", j);
        std::vector<decltype(read(j))> out;
        out.reserve(j.size());
        for (size_t i = 0; i < j.size(); ++i)
            out.push_back(inside("[" + std::to_string(i) + "]", [&] { return read(j[i]); }));
        return out;
    };
}

template <class F> auto or_null(F read) {
    return [read](const ojson& j) { return j.is_null() ? std::nullopt : std::optional(read(j)); };
}

// The fields of an object.
class fields {
public:
    explicit fields(const ojson& j) : j_(j) {
        if (!j.is_object()) expected("an object", j);
    }
    template <class T, class F> void required(const char* key, T& out, F read) const {
        const auto it = j_.find(key);
        if (it == j_.end()) throw bad_field{key, "missing"};
        out = inside(key, [&] { return read(*it); });
    }
    // Absent or null: `out` is left as it is.
    template <class T, class F> void optional(const char* key, T& out, F read) const {
        const auto it = j_.find(key);
        if (it != j_.end() && !it->is_null()) out = inside(key, [&] { return read(*it); });
    }
    // An object whose fields `read(fields)` takes.
    template <class F> void required_object(const char* key, F read) const {
        const auto it = j_.find(key);
        if (it == j_.end()) throw bad_field{key, "missing"};
        inside(key, [&] { read(fields(*it)); });
    }
    template <class F> void optional_object(const char* key, F read) const {
        const auto it = j_.find(key);
        if (it != j_.end() && !it->is_null()) inside(key, [&] { read(fields(*it)); });
    }

private:
    const ojson& j_;
};

} // namespace casedoc::detail

#endif // CASEDOC_AUDIT_JSON_FIELDS_HPP
