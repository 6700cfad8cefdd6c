#include <casedoc/base/error.hpp>
#include <casedoc/check/sample_check.hpp>
#include <casedoc/xml/record.hpp>
#include <casedoc/xml/xml_document.hpp>

#include <algorithm>
#include <iterator>
#include <regex>
#include <sstream>

namespace casedoc {

std::optional<std::set<std::string>> read_expectation(const std::string& text) {
    static const std::regex re(R"(<!--\s*casedoc-expect:\s*([^>]*?)\s*-->)");
    std::smatch m;
    if (!std::regex_search(text, m, re)) return std::nullopt;
    std::set<std::string> ids;
    std::istringstream ss(m[1].str());
    for (std::string id; ss >> id;)
        if (id != "none") ids.insert(id);
    return ids;
}

std::string join_ids(const std::set<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) out += (out.empty() ? "" : " ") + id;
    return out.empty() ? "(none)" : out;
}

std::vector<sample_outcome> check_samples(validator& v, const std::vector<std::string>& files,
                                          const std::function<bool(const std::string&, int64_t)>& in_force) {
    std::vector<sample_outcome> out;
    for (const auto& file : files) {
        sample_outcome o;
        o.file = file;
        try {
            xml_document doc = xml_document::load_file(file);
            const std::string& text = doc.source();
            const auto expected = read_expectation(text);
            if (!expected) {
                o.reason = "no <!-- casedoc-expect: ... --> comment saying which rules it must trigger";
                out.push_back(std::move(o));
                continue;
            }
            o.expected = *expected;
            if (in_force) {
                const record_info info = read_record_info(doc);
                if (!in_force(file, info.service_day)) {
                    o.result = sample_outcome::verdict::skipped;
                    o.reason = "the schema is not in force on the record's date";
                    out.push_back(std::move(o));
                    continue;
                }
            }
            const record_result r = v.check_text(std::string(text), file);
            if (r.status == record_status::error) {
                o.reason = "could not check: " + r.error;
                out.push_back(std::move(o));
                continue;
            }
            for (const finding& f : r.findings)
                if (f.level != severity::info) o.found.insert(f.rule_id);
            o.rating = r.rating;
        } catch (const error& e) {
            o.reason = std::string("could not check: ") + e.what();
            out.push_back(std::move(o));
            continue;
        }
        std::set<std::string> missing, unexpected;
        std::set_difference(o.expected.begin(), o.expected.end(), o.found.begin(), o.found.end(),
                            std::inserter(missing, missing.end()));
        std::set_difference(o.found.begin(), o.found.end(), o.expected.begin(), o.expected.end(),
                            std::inserter(unexpected, unexpected.end()));
        if (missing.empty() && unexpected.empty()) {
            o.result = sample_outcome::verdict::passed;
        } else {
            if (!missing.empty()) o.reason = "expected but not found: " + join_ids(missing);
            if (!unexpected.empty()) o.reason += (o.reason.empty() ? "" : "; ") + std::string("found but not expected: ") + join_ids(unexpected);
        }
        out.push_back(std::move(o));
    }
    return out;
}

} // namespace casedoc
