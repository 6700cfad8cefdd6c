#include <casedoc/base/counted.hpp>
#include <casedoc/check/report.hpp>

#include <nlohmann/json.hpp>

namespace casedoc {

std::string_view to_string(record_status s) noexcept {
    switch (s) {
    case record_status::compliant: return "compliant";
    case record_status::not_compliant: return "not-compliant";
    case record_status::error: return "error";
    }
    return "error";
}

void batch_summary::add(const record_result& r) {
    ++records;
    switch (r.status) {
    case record_status::compliant: ++compliant; break;
    case record_status::not_compliant: ++not_compliant; break;
    case record_status::error:
        ++errors;
        unreadable.emplace_back(r.file, r.error);
        break;
    }
    for (const finding& f : r.findings) {
        if (f.level == severity::error) ++findings_error;
        else if (f.level == severity::warning) ++findings_warning;
        else ++findings_info;
    }
}

int batch_summary::exit_status() const { return errors ? 2 : not_compliant ? 1 : 0; }

void write_text(const record_result& r, std::ostream& out) {
    if (r.status == record_status::error) {
        out << r.file;
        if (r.error_line) out << ':' << r.error_line << ':' << r.error_column;
        out << ": fatal: could not check: " << r.error << '\n';
        return;
    }
    for (const finding& f : r.findings) {
        out << (f.where.file.empty() ? r.file : f.where.file);
        if (f.where.line) out << ':' << f.where.line << ':' << f.where.column;
        out << ": " << to_string(f.level) << ": " << f.message;
        if (!f.rule_id.empty()) out << " [" << f.rule_id << ']';
        if (!f.citation.empty()) out << " (" << f.citation << ')';
        out << '\n';
    }
}

void write_text_summary(const batch_summary& s, std::ostream& out) {
    const size_t checked = s.compliant + s.not_compliant;
    out << "casedoc: " << counted(s.records, "record") << ": " << checked << " checked";
    if (checked)
        out << " (" << s.compliant << " compliant, " << s.not_compliant << " not compliant)";
    out << ", " << s.errors << " could not be checked";
    if (checked)
        out << "; findings: " << counted(s.findings_error, "error") << ", " << counted(s.findings_warning, "warning")
            << ", " << counted(s.findings_info, "note");
    out << '\n';
    for (const auto& [file, message] : s.unreadable) out << "casedoc: not checked: " << file << '\n';
}

json_report_writer::json_report_writer(std::ostream& out) : out_(out) { out_ << "{\"records\":["; }

void json_report_writer::add(const record_result& r) {
    nlohmann::ordered_json j;
    j["file"] = r.file;
    j["record_id"] = r.record_id;
    j["setting"] = r.setting;
    j["document_type"] = r.document_type;
    j["schema"] = {{"file", r.schema_file}, {"version", r.schema_version}};
    j["status"] = to_string(r.status);
    if (r.status == record_status::error)
        j["error"] = {{"message", r.error}, {"line", r.error_line}, {"column", r.error_column}};
    nlohmann::ordered_json findings = nlohmann::ordered_json::array();
    for (const finding& f : r.findings) {
        findings.push_back({{"rule_id", f.rule_id},
                            {"severity", to_string(f.level)},
                            {"message", f.message},
                            {"citation", f.citation},
                            {"file", f.where.file},
                            {"line", f.where.line},
                            {"column", f.where.column},
                            {"path", f.where.path.str()},
                            {"element", f.where.element},
                            {"pattern", f.pattern}});
    }
    j["findings"] = std::move(findings);
    // A record's bytes that are not UTF-8 (pugixml does not check) become U+FFFD rather than an exception.
    out_ << (first_ ? "\n" : ",\n") << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    first_ = false;
}

void json_report_writer::finish(const batch_summary& s) {
    nlohmann::ordered_json errors = nlohmann::ordered_json::array();
    for (const auto& [file, message] : s.unreadable) errors.push_back({{"file", file}, {"message", message}});
    // The summary is numbers only: written as they are, without building a JSON value first.
    out_ << "\n],\"errors\":" << errors.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
         << ",\"summary\":{\"records\":" << s.records << ",\"compliant\":" << s.compliant
         << ",\"not_compliant\":" << s.not_compliant << ",\"not_checked\":" << s.errors
         << ",\"findings\":{\"error\":" << s.findings_error << ",\"warning\":" << s.findings_warning
         << ",\"info\":" << s.findings_info << "},\"exit_status\":" << s.exit_status() << "}}\n";
}

} // namespace casedoc
