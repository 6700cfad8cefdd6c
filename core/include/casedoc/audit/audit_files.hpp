// An audit's report as files in a directory: audit.json, audit.csv and audit.pdf (the PDF drawn from the JSON).
#ifndef CASEDOC_AUDIT_AUDIT_FILES_HPP
#define CASEDOC_AUDIT_AUDIT_FILES_HPP

#include <casedoc/audit/audit_report.hpp>

#include <filesystem>

namespace casedoc {

// Writes the three files into `dir` (created if needed): all three are made first, then committed, so the
// directory never holds half a report. `data` is released before the PDF is drawn, so the two are never both
// held. Throws casedoc::error naming the directory or file that cannot be written.
void write_audit_files(audit_data data, const audit_report_options& options, const std::filesystem::path& dir);

} // namespace casedoc

#endif
