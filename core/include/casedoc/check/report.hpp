// Writes validation results for people (compiler-style text) and for systems (JSON), streaming one
// record at a time so a batch of any size is written in bounded memory.
#ifndef CASEDOC_CHECK_REPORT_HPP
#define CASEDOC_CHECK_REPORT_HPP

#include <casedoc/check/validator.hpp>

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace casedoc {

struct batch_summary {
    size_t records = 0, compliant = 0, not_compliant = 0, errors = 0;
    size_t findings_error = 0, findings_warning = 0, findings_info = 0;
    std::vector<std::pair<std::string, std::string>> unreadable; // file, message: every record not checked

    void add(const record_result& r);
    // 0 all compliant, 1 some not compliant, 2 some could not be checked.
    int exit_status() const;
};

std::string_view to_string(record_status s) noexcept;

// path:line:col: error: message [RULE-ID] (citation), one line per finding, and one per unreadable record.
void write_text(const record_result& r, std::ostream& out);
void write_text_summary(const batch_summary& s, std::ostream& out);

class json_report_writer {
public:
    explicit json_report_writer(std::ostream& out);
    void add(const record_result& r);
    void finish(const batch_summary& s);

private:
    std::ostream& out_;
    bool first_ = true;
};

} // namespace casedoc

#endif
