// Plugin exports (ABI 1.1): a delimited file filled by a plugin from records, such as the vocational
// plugin's RSA-911 case service report. The host reads the records, runs the export on each record of the
// plugin's setting, and writes the header and the rows.
#ifndef CASEDOC_PLUGIN_EXPORT_HPP
#define CASEDOC_PLUGIN_EXPORT_HPP

#include <casedoc/plugin/native_checks.hpp>
#include <casedoc/plugin/plugin_host.hpp>
#include <casedoc/xml/record_limits.hpp>
#include <casedoc/xml/xml_document.hpp>

#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace casedoc {

struct export_summary {
    size_t records = 0; // records the export ran on
    size_t rows = 0;
    std::vector<std::pair<std::string, std::string>> skipped; // file, why (another setting, document type)
    std::vector<std::string> failed;                          // "file:line:col: what" of records not read or not exported
};

// One row of delimited text (RFC 4180: a value holding the delimiter, a quote or a line break is quoted,
// quotes doubled), ended by CRLF.
void write_delimited_row(std::ostream& out, const std::vector<std::string>& values, char delimiter);

// A record to export: its name in messages, and how to read it (throws casedoc::error when it cannot).
struct export_input {
    std::string name;
    std::function<xml_document()> read;
};
// Each read when its turn comes, within the limits (a record past one is listed as failed).
std::vector<export_input> export_inputs(const std::vector<std::string>& files, const record_limits& limits);

// Writes the export's column headings, then runs it on every record in order, writing each row as it comes.
// Records of another setting, or of a document type the export does not declare, are skipped and listed;
// records that cannot be read, or on which the export fails, are listed in `failed` (the caller must then
// discard the output).
export_summary export_records(const plugin& p, const export_info& x, const std::vector<export_input>& records,
                              const param_lookup& params, std::ostream& out, char delimiter);

} // namespace casedoc

#endif
