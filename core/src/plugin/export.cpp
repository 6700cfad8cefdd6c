#include <casedoc/base/error.hpp>
#include <casedoc/plugin/export.hpp>
#include <casedoc/xml/record.hpp>
#include <casedoc/xml/xml_document.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace casedoc {

void write_delimited_row(std::ostream& out, const std::vector<std::string>& values, char delimiter) {
    for (size_t i = 0; i < values.size(); ++i) {
        if (i) out << delimiter;
        const std::string& v = values[i];
        if (v.find_first_of(std::string{delimiter, '"', '\r', '\n'}) == std::string::npos) {
            out << v;
            continue;
        }
        out << '"';
        for (char c : v) out << (c == '"' ? "\"\"" : std::string(1, c));
        out << '"';
    }
    out << "\r\n";
}

std::vector<export_input> export_inputs(const std::vector<std::string>& files, const record_limits& limits) {
    std::vector<export_input> inputs;
    inputs.reserve(files.size());
    for (const auto& file : files) inputs.push_back({file, [file, limits] { return load_record_file(file, limits); }});
    return inputs;
}

export_summary export_records(const plugin& p, const export_info& x, const std::vector<export_input>& records,
                              const param_lookup& params, std::ostream& out, char delimiter) {
    const size_t index = static_cast<size_t>(&x - p.exports.data());
    export_summary s;
    write_delimited_row(out, x.columns, delimiter);
    for (const auto& record : records) {
        try {
            const xml_document doc = record.read();
            const record_info info = read_record_info(doc);
            if (info.setting != p.id) {
                s.skipped.emplace_back(record.name, "setting " + info.setting + ", not " + p.id);
                continue;
            }
            if (!x.applies_to(info.type)) {
                s.skipped.emplace_back(record.name, "document type " + info.type + " is not exported by " + x.name);
                continue;
            }
            for (const auto& row : run_export(p, index, doc, params)) {
                write_delimited_row(out, row, delimiter);
                ++s.rows;
            }
            ++s.records;
            spdlog::debug("{}: record {} exported", record.name, info.id);
        } catch (const error& e) {
            s.failed.push_back(e.file().empty() ? record.name + ": " + e.what() : std::string(e.what()));
        }
    }
    return s;
}

} // namespace casedoc
